"""Nothing recorded is lost (issue 12, "Recording"): a correction keeps the old row beside
the new; withdrawing needs a reason and keeps the row; two people saving the same entry
are told, never silently overwritten; drafts wait for their author."""

from __future__ import annotations

import pytest
from django.test import Client

from carematters.web.audit.models import Action, Event
from carematters.web.casework import actions
from carematters.web.casework.actions import STALE, Seen
from carematters.web.casework.drafts import Draft
from carematters.web.casework.due import Due
from carematters.web.casework.models import Episode, MissingEpisode, ReturnInterview, Visit
from carematters.web.casework.recording import drafts_listed
from tests.web.approvals_world import approved
from tests.web.recording_world import (
    CHILD,
    Recording,
    date_fields,
    days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(robin: Recording) -> Client:
    return robin.signed_in()


@pytest.fixture
def visit(robin: Recording) -> Visit:
    return actions.record_visit(
        CHILD, visit_date=days_ago(robin, 4), seen_alone="Y", acting_user=robin.social_worker
    )


def _change(client: Client, table: str, row: int, data: dict[str, str]):
    return client.post(
        f"/children/{CHILD}/entries/{table}/{row}/change/", {**data, "action": "save"}
    )


def _problems(response) -> list[str]:
    return [problem.text for problem in response.context["problems"]]


# Corrections ---------------------------------------------------------------------------


def test_the_change_page_shows_the_entry_as_recorded(robin, client, visit):
    page = client.get(f"/children/{CHILD}/entries/visits/{visit.pk}/change/")
    form = page.context["form"]
    day = days_ago(robin, 4)
    assert form["visit_date"].value() == {
        "day": str(day.day),
        "month": str(day.month),
        "year": str(day.year),
    }
    assert form["seen_alone"].value() == "Y"
    assert form["version"].value() == 1
    assert "Change a visit" in page.content.decode()
    assert "Save as draft" in page.content.decode()


def test_a_correction_keeps_the_old_row_beside_the_new(robin, client, visit):
    response = _change(
        client,
        "visits",
        visit.pk,
        {
            **date_fields("visit_date", days_ago(robin, 5)),
            "seen_alone": "N",
            "not_alone_reason": "Robin was unwell and in bed",
            "version": "1",
        },
    )
    assert response.status_code == 302
    old, new = Visit.objects.order_by("pk")
    assert (old.pk, old.withdrawn_reason, old.withdrawn_by) == (
        visit.pk,
        "corrected",
        robin.social_worker,
    )
    assert old.visit_date == days_ago(robin, 4)
    assert (new.replaces_id, new.visit_date, new.seen_alone) == (visit.pk, days_ago(robin, 5), "N")
    # The visitor stays who made the visit.
    assert new.sw_id == "SW1"
    assert list(Visit.objects.current()) == [new]
    event = Event.objects.get(action=Action.CORRECTED)
    assert (event.before["SEEN_ALONE"], event.after["SEEN_ALONE"]) == ("Y", "N")
    assert event.after["NOT_ALONE_REASON"] == "Robin was unwell and in bed"
    page = client.get(response["Location"]).content.decode()
    assert "Visit corrected" in page


def test_correcting_a_move_moves_the_end_of_the_episode_before_it(robin, client):
    # Approved first, as a decision gate may cover the move; a move to another day is
    # another decision.
    for day in (days_ago(robin, 5), days_ago(robin, 6)):
        approved(CHILD, day, "U5", "ZZ3 3CC")
    moved = actions.record_placement_move(
        CHILD,
        decom=days_ago(robin, 5),
        place="U5",
        place_provider="PR4",
        pl_post="ZZ3 3CC",
        reason_place_change="CARPL",
        acting_user=robin.social_worker,
    )
    page = client.get(f"/children/{CHILD}/entries/episodes/{moved.pk}/change/")
    assert page.context["form"]["reason_place_change"].value() == "CARPL"
    response = _change(
        client,
        "episodes",
        moved.pk,
        {
            **date_fields("decom", days_ago(robin, 6)),
            "place": "U5",
            "place_provider": "PR4",
            "pl_post": "ZZ3 3CC",
            "reason_place_change": "CHILD",
            "ls": "C2",
            "version": str(moved.version),
        },
    )
    assert response.status_code == 302, _problems(response)
    ended, corrected = Episode.objects.current().filter(child=CHILD).order_by("decom")
    assert (ended.dec, ended.rec, ended.reason_place_change) == (days_ago(robin, 6), "X1", "CHILD")
    assert (corrected.decom, corrected.rne, corrected.replaces_id) == (
        days_ago(robin, 6),
        "P",
        moved.pk,
    )


def test_the_start_of_care_is_not_changed_here(client, robin):
    assert (
        client.get(f"/children/{CHILD}/entries/episodes/{robin.episode.pk}/change/").status_code
        == 404
    )


def test_leaving_care_is_corrected_and_withdrawn_on_its_own_page(robin, client):
    for day in (days_ago(robin, 3), days_ago(robin, 2)):
        approved(CHILD, day)  # looked after for over 20 working days: approved first
    actions.record_leaving_care(
        CHILD, dec=days_ago(robin, 3), rec="E13", acting_user=robin.social_worker
    )
    episode = Episode.objects.current().get(child=CHILD)
    response = _change(
        client,
        "leaving-care",
        episode.pk,
        {**date_fields("dec", days_ago(robin, 2)), "rec": "E4A", "version": str(episode.version)},
    )
    assert response.status_code == 302, _problems(response)
    corrected = Episode.objects.current().get(child=CHILD)
    assert (corrected.dec, corrected.rec, corrected.replaces_id) == (
        days_ago(robin, 2),
        "E4A",
        episode.pk,
    )
    response = client.post(
        f"/children/{CHILD}/entries/leaving-care/{corrected.pk}/withdraw/",
        {"reason": "They did not leave: the court adjourned", "version": str(corrected.version)},
    )
    assert response.status_code == 302, _problems(response)
    reopened = Episode.objects.current().get(child=CHILD)
    assert (reopened.dec, reopened.rec) == (None, None)
    event = Event.objects.filter(action=Action.WITHDRAWN).get()
    assert event.reason == "They did not leave: the court adjourned"


# Two people at once ----------------------------------------------------------------------


def test_the_second_of_two_saves_from_one_version_is_refused(robin, client, visit):
    colleague_view = {
        **date_fields("visit_date", days_ago(robin, 4)),
        "seen_alone": "Y",
        "version": "1",
    }
    first = _change(
        client,
        "visits",
        visit.pk,
        {**colleague_view, "seen_alone": "N", "not_alone_reason": "Asleep"},
    )
    assert first.status_code == 302
    # The second person's form still carries version 1, and the row it names is gone.
    second = _change(client, "visits", visit.pk, colleague_view)
    assert second.status_code == 200
    assert _problems(second) == [STALE]
    assert STALE in second.content.decode()
    assert Visit.objects.current().get().seen_alone == "N"
    assert Visit.objects.count() == 2


def test_a_withdrawal_from_an_older_version_is_refused(robin, client, visit):
    Visit.objects.filter(pk=visit.pk).update(version=2)
    response = client.post(
        f"/children/{CHILD}/entries/visits/{visit.pk}/withdraw/",
        {"reason": "Duplicate", "version": "1"},
    )
    assert _problems(response) == [STALE]
    assert Visit.objects.current().count() == 1


def test_a_move_from_an_episode_someone_has_since_changed_is_refused(robin, client):
    seen = robin.episode.version
    actions.record_legal_status(
        CHILD, decom=days_ago(robin, 9), ls="V2", acting_user=robin.social_worker
    )
    response = client.post(
        f"/children/{CHILD}/record-placement-move/",
        {
            **date_fields("decom", days_ago(robin, 5)),
            "place": "U5",
            "place_provider": "PR4",
            "pl_post": "ZZ3 3CC",
            "reason_place_change": "CARPL",
            "ls": "C2",
            "row": str(robin.episode.pk),
            "version": str(seen),
            "action": "save",
        },
    )
    assert _problems(response) == [STALE]
    assert Episode.objects.current().filter(child=CHILD).count() == 2


def test_the_action_refuses_a_stale_version_whatever_the_page(robin, visit):
    with pytest.raises(Exception, match="Someone else changed this entry"):
        actions.record_visit(
            CHILD,
            visit_date=days_ago(robin, 4),
            seen_alone="Y",
            acting_user=robin.social_worker,
            correcting=Seen(visit.pk, visit.version + 1),
        )


# Withdrawing -----------------------------------------------------------------------------


def test_withdrawing_needs_a_reason(client, visit):
    page = client.get(f"/children/{CHILD}/entries/visits/{visit.pk}/withdraw/").content.decode()
    assert "Withdraw an entry" in page
    response = client.post(
        f"/children/{CHILD}/entries/visits/{visit.pk}/withdraw/", {"reason": "  ", "version": "1"}
    )
    assert response.status_code == 200
    assert [(p.text, p.href) for p in response.context["problems"]] == [
        ("Enter why you are withdrawing this entry", "#reason")
    ]
    assert Visit.objects.current().count() == 1


def test_a_withdrawn_entry_is_kept_with_its_reason_and_what_is_due_follows(robin, client, visit):
    assert Due.objects.get(child=CHILD, duty="visit.placement.first").status == "done"
    response = client.post(
        f"/children/{CHILD}/entries/visits/{visit.pk}/withdraw/",
        {"reason": "Recorded on the wrong child's record", "version": "1"},
        follow=True,
    )
    assert "Visit withdrawn" in response.content.decode()
    kept = Visit.objects.get(pk=visit.pk)
    assert kept.withdrawn_reason == "Recorded on the wrong child's record"
    assert kept.withdrawn_by == robin.social_worker
    assert not Visit.objects.current().exists()
    event = Event.objects.get(action=Action.WITHDRAWN)
    assert (event.reason, event.after, event.before["SEEN_ALONE"]) == (
        "Recorded on the wrong child's record",
        None,
        "Y",
    )
    assert Due.objects.get(child=CHILD, duty="visit.placement.first").status == "overdue"
    # A withdrawn entry has no change or withdraw page any more.
    assert client.get(f"/children/{CHILD}/entries/visits/{visit.pk}/change/").status_code == 404


def test_withdrawing_a_move_reopens_the_episode_it_ended(robin, client):
    approved(CHILD, days_ago(robin, 5), "U5", "ZZ3 3CC")  # first, as a gate may cover it
    moved = actions.record_placement_move(
        CHILD,
        decom=days_ago(robin, 5),
        place="U5",
        place_provider="PR4",
        pl_post="ZZ3 3CC",
        reason_place_change="CARPL",
        acting_user=robin.social_worker,
    )
    response = client.post(
        f"/children/{CHILD}/entries/episodes/{moved.pk}/withdraw/",
        {"reason": "The move fell through", "version": str(moved.version)},
    )
    assert response.status_code == 302, _problems(response)
    episode = Episode.objects.current().get(child=CHILD)
    assert (episode.pk, episode.dec, episode.rec, episode.reason_place_change) == (
        robin.episode.pk,
        None,
        None,
        None,
    )


def test_only_the_latest_move_can_be_withdrawn(robin, client):
    first = actions.record_legal_status(
        CHILD, decom=days_ago(robin, 9), ls="V2", acting_user=robin.social_worker
    )
    actions.record_legal_status(
        CHILD, decom=days_ago(robin, 4), ls="C2", acting_user=robin.social_worker
    )
    first.refresh_from_db()
    response = client.post(
        f"/children/{CHILD}/entries/episodes/{first.pk}/withdraw/",
        {"reason": "Wrong", "version": str(first.version)},
    )
    later = days_ago(robin, 4)
    assert _problems(response) == [
        f"A later episode begins on {later.day} {later:%B %Y}: withdraw that first"
    ]


def test_withdrawing_a_missing_episode_takes_its_return_interview_offer(robin, client):
    went = days_ago(robin, 9)
    missing = actions.record_missing(
        CHILD,
        missing="M",
        mis_start=went,
        mis_end=days_ago(robin, 8),
        acting_user=robin.social_worker,
    )
    actions.record_return_interview(
        CHILD, mis_start=went, offer_date=days_ago(robin, 7), acting_user=robin.social_worker
    )
    client.post(
        f"/children/{CHILD}/entries/missing/{missing.pk}/withdraw/",
        {"reason": "They were at their nan's, as agreed", "version": "1"},
    )
    assert not MissingEpisode.objects.current().exists()
    assert not ReturnInterview.objects.current().exists()
    assert ReturnInterview.objects.get().withdrawn_reason == "They were at their nan's, as agreed"


def test_correcting_when_they_went_missing_moves_the_offer_with_it(robin):
    went = days_ago(robin, 9)
    missing = actions.record_missing(
        CHILD, missing="M", mis_start=went, acting_user=robin.social_worker
    )
    actions.record_return_interview(
        CHILD, mis_start=went, offer_date=days_ago(robin, 7), acting_user=robin.social_worker
    )
    actions.record_missing(
        CHILD,
        missing="M",
        mis_start=days_ago(robin, 10),
        mis_end=days_ago(robin, 8),
        acting_user=robin.social_worker,
        correcting=Seen(missing.pk, missing.version),
    )
    assert ReturnInterview.objects.current().get().mis_start == days_ago(robin, 10)


# Drafts ----------------------------------------------------------------------------------


def test_a_draft_is_kept_for_its_author_and_resumed(robin, client):
    day = days_ago(robin, 1)
    response = client.post(
        f"/children/{CHILD}/record-visit/",
        {
            **date_fields("visit_date", day),
            "seen_alone": "N",
            "not_alone_reason": "",
            "action": "draft",
        },
        follow=True,
    )
    assert "Your draft has been saved" in response.content.decode()
    assert not Visit.objects.exists()
    draft = Draft.objects.get()
    assert (draft.user, draft.child, draft.kind) == (robin.social_worker, CHILD, "visit")
    assert draft.data["seen_alone"] == "N"
    listed = drafts_listed(robin.social_worker, CHILD)
    assert [(d["title"], d["href"]) for d in listed] == [
        (
            f"Visit of {actions.day_in_words(day)}",
            f"/children/{CHILD}/record-visit/?draft={draft.pk}",
        )
    ]
    assert drafts_listed(robin.world.users["tm"], CHILD) == []

    resumed = client.get(draft.get_absolute_url()).context["form"]
    assert resumed["visit_date"].value() == {
        "day": str(day.day),
        "month": str(day.month),
        "year": str(day.year),
    }
    assert resumed["seen_alone"].value() == "N"
    assert resumed["draft"].value() == draft.pk
    assert not resumed.errors


def test_a_draft_is_saved_again_in_place_and_gone_once_recorded(robin, client):
    day = days_ago(robin, 1)
    client.post(
        f"/children/{CHILD}/record-visit/", {**date_fields("visit_date", day), "action": "draft"}
    )
    draft = Draft.objects.get()
    client.post(
        f"/children/{CHILD}/record-visit/",
        {
            **date_fields("visit_date", day),
            "seen_alone": "Y",
            "draft": str(draft.pk),
            "action": "draft",
        },
    )
    assert Draft.objects.get().data["seen_alone"] == "Y"
    client.post(
        f"/children/{CHILD}/record-visit/",
        {
            **date_fields("visit_date", day),
            "seen_alone": "Y",
            "draft": str(draft.pk),
            "action": "save",
        },
    )
    assert Visit.objects.exists()
    assert not Draft.objects.exists()


def test_a_draft_keeps_only_the_forms_answers(robin, client):
    client.post(
        f"/children/{CHILD}/record-visit/",
        {"visit_date-day": "1", "version": "7", "something": "else", "action": "draft"},
    )
    assert Draft.objects.get().data == {"visit_date-day": "1"}


def test_someone_elses_draft_is_not_found(robin, client):
    draft = Draft.objects.create(user=robin.world.users["iro"], child=CHILD, kind="review", data={})
    assert client.get(f"/children/{CHILD}/record-review/?draft={draft.pk}").status_code == 404
    assert client.get(f"/children/{CHILD}/record-review/?draft=nonsense").status_code == 404


def test_an_episode_still_open_has_no_leaving_care_to_change(robin, client):
    page = f"/children/{CHILD}/entries/leaving-care/{robin.episode.pk}"
    assert client.get(f"{page}/change/").status_code == 404
    assert client.get(f"{page}/withdraw/").status_code == 404


def test_a_draft_can_be_discarded_from_the_childs_page_by_its_author_only(robin, client):
    client.post(f"/children/{CHILD}/record-visit/", {"action": "draft"})
    draft = Draft.objects.get()
    overview = client.get(f"/children/{CHILD}/").content.decode()
    discard = f"/children/{CHILD}/drafts/{draft.pk}/discard/"
    assert f'action="{discard}"' in overview
    assert client.get(discard).status_code == 405  # only a form's post throws work away

    manager = Client()
    manager.force_login(robin.world.users["tm"])
    assert manager.post(discard).status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()

    response = client.post(discard, follow=True)
    assert "Your draft was discarded" in response.content.decode()
    assert not Draft.objects.exists()
    assert client.post(discard).status_code == 404  # gone already


def _draft_of_a_change(client: Client, visit: Visit, **typed: str) -> Draft:
    page = f"/children/{CHILD}/entries/visits/{visit.pk}/change/"
    form = {"version": str(visit.version), "action": "draft", **typed}
    assert client.post(page, form).status_code == 302
    return Draft.objects.get()


def _finish(client: Client, visit: Visit, draft: Draft):
    """Save the correction the draft began: not seen alone, because asleep."""
    answers = {"seen_alone": "N", "not_alone_reason": "Asleep"}
    form = {**date_fields("visit_date", visit.visit_date), **answers}
    return _change(
        client, "visits", visit.pk, {**form, "version": str(draft.version), "draft": str(draft.pk)}
    )


def test_a_correction_can_be_kept_as_a_draft_and_finished_later(robin, client, visit):
    draft = _draft_of_a_change(client, visit, seen_alone="N", not_alone_reason="Asleep")
    assert (draft.kind, draft.entry, draft.row, draft.version) == ("visit", "visits", visit.pk, 1)
    assert Visit.objects.current().get().seen_alone == "Y"  # nothing corrected yet
    listed = drafts_listed(robin.social_worker, CHILD)
    page = f"/children/{CHILD}/entries/visits/{visit.pk}/change/"
    assert [(d["title"], d["href"]) for d in listed] == [
        ("Visit (a correction)", f"{page}?draft={draft.pk}")
    ]
    resumed = client.get(draft.get_absolute_url()).context["form"]
    assert resumed["seen_alone"].value() == "N"
    assert resumed["not_alone_reason"].value() == "Asleep"
    assert (resumed["version"].value(), resumed["draft"].value()) == (1, draft.pk)
    response = _finish(client, visit, draft)
    assert response.status_code == 302
    assert Visit.objects.current().get().seen_alone == "N"
    assert not Draft.objects.exists()


def test_a_draft_correction_finished_after_someone_else_changed_the_entry_is_refused(
    robin, client, visit
):
    draft = _draft_of_a_change(client, visit, seen_alone="N", not_alone_reason="Asleep")
    # Meanwhile a colleague corrects the same visit: the draft began from version 1.
    actions.record_visit(
        CHILD,
        visit_date=days_ago(robin, 5),
        seen_alone="Y",
        acting_user=robin.social_worker,
        correcting=Seen(visit.pk, 1),
    )
    resumed = client.get(draft.get_absolute_url())
    assert resumed.status_code == 200  # the draft still opens, on the entry it began on
    response = _finish(client, visit, draft)
    assert STALE in " ".join(_problems(response))
    assert Draft.objects.filter(pk=draft.pk).exists()  # kept: nothing of it is lost
    assert [(v.visit_date, v.seen_alone) for v in Visit.objects.current()] == [
        (days_ago(robin, 5), "Y")
    ]


def test_two_drafts_of_one_form_are_told_apart_by_the_date_typed(robin, client):
    for days in (3, 9):
        client.post(
            f"/children/{CHILD}/record-visit/",
            {**date_fields("visit_date", days_ago(robin, days)), "action": "draft"},
        )
    client.post(f"/children/{CHILD}/record-visit/", {"visit_date-day": "31", "action": "draft"})
    titles = sorted(d["title"] for d in drafts_listed(robin.social_worker, CHILD))
    assert titles == sorted(
        ["Visit", *(f"Visit of {actions.day_in_words(days_ago(robin, d))}" for d in (3, 9))]
    )
