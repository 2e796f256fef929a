"""Each recording form saves what a social worker entered (issue 12, "Recording"): the
row with DfE's codes, its audit row, what is due worked out again, and the child's page
with a banner. On Robin (tests/web/recording_world.py), looked after since T-100."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from carematters.web.audit.models import Action, Event
from carematters.web.casework.due import Due, refresh_due
from carematters.web.casework.models import (
    CarePlan,
    Episode,
    HealthAssessment,
    HeldTable,
    MissingEpisode,
    Pep,
    ReturnInterview,
    Review,
    Visit,
)
from tests.web.approvals_world import approved
from tests.web.recording_world import (
    BORN,
    CHILD,
    Recording,
    date_fields,
    days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(robin: Recording) -> Client:
    return robin.signed_in()


def _record(client: Client, kind: str, data: dict[str, str]) -> None:
    """Post the form and expect the child's page, with the entry's banner."""
    response = client.post(f"/children/{CHILD}/record-{kind}/", {**data, "action": "save"})
    problems = response.context["problems"] if response.context else None
    assert response.status_code == 302, problems
    assert response["Location"] == f"/children/{CHILD}/"


def test_a_visit_is_recorded_audited_and_the_visit_duty_turns_done(robin, client):
    refresh_due([CHILD], robin.today)
    first_visit = Due.objects.get(child=CHILD, duty="visit.placement.first")
    assert first_visit.status == "not recorded"
    day = days_ago(robin, 3)

    response = client.post(
        f"/children/{CHILD}/record-visit/",
        {
            **date_fields("visit_date", day),
            "seen_alone": "N",
            "not_alone_reason": "Robin asked for their carer to stay",
            "action": "save",
        },
        follow=True,
    )

    assert "Visit recorded" in response.content.decode()
    visit = Visit.objects.get(child=CHILD)
    assert (visit.visit_date, visit.seen_alone, visit.sw_id) == (day, "N", "SW1")
    assert visit.not_alone_reason == "Robin asked for their carer to stay"
    assert visit.created_by == robin.social_worker
    assert visit.version == 1
    event = Event.objects.get(action=Action.CREATED, child=CHILD)
    assert event.user == robin.social_worker
    assert event.after == {
        "CHILD": CHILD,
        "VISIT_DATE": day.isoformat(),
        "SEEN_ALONE": "N",
        "SW_ID": "SW1",
        "NOT_ALONE_REASON": "Robin asked for their carer to stay",
    }
    assert event.before is None
    first_visit = Due.objects.get(child=CHILD, duty="visit.placement.first")
    assert (first_visit.status, first_visit.last_done) == ("done", day)
    assert HeldTable.objects.filter(name="visits").exists()


def test_a_review_takes_the_childs_date_of_birth(robin, client):
    day = days_ago(robin, 10)
    _record(client, "review", {**date_fields("review", day), "review_code": "PN1"})
    review = Review.objects.get()
    assert (review.review, review.review_code, review.dob) == (day, "PN1", BORN)


def test_a_health_assessment_a_pep_and_a_plan(robin, client):
    day = days_ago(robin, 20)
    _record(client, "health-assessment", {**date_fields("assessment_date", day), "kind": "IHA"})
    _record(client, "pep", date_fields("pep_date", day))
    _record(client, "plan", {**date_fields("plan_date", day), "kind": "PLACEMENT"})
    assert HealthAssessment.objects.get().kind == "IHA"
    assert Pep.objects.get().pep_date == day
    assert CarePlan.objects.get().kind == "PLACEMENT"
    assert Event.objects.filter(action=Action.CREATED, child=CHILD).count() == 3


def test_a_placement_move_ends_the_episode_and_starts_one(robin, client):
    day = days_ago(robin, 5)
    approved(CHILD, day, "U5", "ZZ3 3CC")  # first, as a decision gate may cover the move
    _record(
        client,
        "placement-move",
        {
            **date_fields("decom", day),
            "place": "U5",
            "place_provider": "PR4",
            "pl_post": "zz3 3cc",
            "urn": "",
            "reason_place_change": "CHILD",
            "ls": "C2",
            "row": str(robin.episode.pk),
            "version": str(robin.episode.version),
        },
    )
    ended, new = Episode.objects.current().filter(child=CHILD).order_by("decom")
    # DfE keeps the reason the placement changed on the episode that ended.
    assert (ended.dec, ended.rec, ended.reason_place_change) == (day, "X1", "CHILD")
    assert ended.version == robin.episode.version + 1
    assert (new.decom, new.rne, new.ls, new.place, new.place_provider) == (
        day,
        "P",
        "C2",
        "U5",
        "PR4",
    )
    assert (new.pl_post, new.cin, new.home_post, new.dec) == ("ZZ3 3CC", "N1", "ZZ1 1AA", None)
    assert new.reason_place_change is None
    ending, starting = Event.objects.filter(action=Action.CREATED, child=CHILD).order_by("id")
    assert ending.before["DEC"] is None
    assert ending.after["DEC"] == day.isoformat()
    assert starting.after["RNE"] == "P"


def test_a_move_with_a_new_legal_status_is_rne_b(robin, client):
    day = days_ago(robin, 5)
    approved(CHILD, day, "U5", "ZZ3 3CC")
    _record(
        client,
        "placement-move",
        {
            **date_fields("decom", day),
            "place": "U5",
            "place_provider": "PR4",
            "pl_post": "ZZ3 3CC",
            "reason_place_change": "CARPL",
            "ls": "C1",
        },
    )
    new = Episode.objects.current().get(child=CHILD, decom=day)
    assert (new.rne, new.ls) == ("B", "C1")


def test_a_change_of_legal_status_keeps_the_placement(robin, client):
    day = days_ago(robin, 5)
    _record(client, "legal-status", {**date_fields("decom", day), "ls": "V2"})
    new = Episode.objects.current().get(child=CHILD, decom=day)
    assert (new.rne, new.ls) == ("L", "V2")
    assert (new.place, new.place_provider, new.pl_post) == ("U4", "PR1", "ZZ2 2BB")
    ended = Episode.objects.current().get(child=CHILD, dec=day)
    assert (ended.rec, ended.reason_place_change) == ("X1", None)


def test_a_missing_episode_and_its_return_interview_offer(robin, client):
    went, back = days_ago(robin, 9), days_ago(robin, 7)
    _record(
        client,
        "missing",
        {**date_fields("mis_start", went), **date_fields("mis_end", back), "missing": "M"},
    )
    page = client.get(f"/children/{CHILD}/record-return-interview/").content.decode()
    assert f"{went.day} {went:%B %Y} to {back.day} {back:%B %Y}" in page
    _record(
        client,
        "return-interview",
        {"mis_start": went.isoformat(), **date_fields("offer_date", days_ago(robin, 6))},
    )
    missing = MissingEpisode.objects.get()
    assert (missing.missing, missing.mis_start, missing.mis_end, missing.dob) == (
        "M",
        went,
        back,
        BORN,
    )
    assert ReturnInterview.objects.get().offer_date == days_ago(robin, 6)


def test_someone_still_missing_has_no_end(robin, client):
    _record(client, "missing", {**date_fields("mis_start", days_ago(robin, 1)), "missing": "A"})
    assert MissingEpisode.objects.get().mis_end is None


def test_leaving_care_ends_the_open_episode(robin, client):
    day = days_ago(robin, 2)
    approved(CHILD, day)  # looked after for over 20 working days: approved first
    _record(client, "leaving-care", {**date_fields("dec", day), "rec": "E13"})
    episode = Episode.objects.get(child=CHILD)
    assert (episode.dec, episode.rec, episode.version) == (day, "E13", 2)


def test_forms_offer_this_years_codes_in_words(robin, client):
    page = client.get(f"/children/{CHILD}/record-placement-move/").content.decode()
    # K3 came in 2024-25; H5 went after it: neither is offered out of its years.
    assert '<option value="K3"' in page
    assert "Supported accommodation" in page
    assert 'value="H5"' not in page
    leaving = client.get(f"/children/{CHILD}/record-leaving-care/").content.decode()
    assert 'value="E13"' in leaving
    assert 'value="X1"' not in leaving


def test_the_move_form_shows_where_they_live_now_and_carries_the_open_episode(robin, client):
    page = client.get(f"/children/{CHILD}/record-placement-move/")
    form = page.context["form"]
    assert form["row"].value() == robin.episode.pk
    assert form["version"].value() == robin.episode.version
    assert form["ls"].value() == "C2"
    assert dict(page.context["current_placement"])["Postcode"] == "ZZ2 2BB"


def test_opening_a_form_is_a_view_of_the_record(robin, client):
    client.get(f"/children/{CHILD}/record-visit/")
    event = Event.objects.get(action=Action.VIEWED, child=CHILD)
    assert event.what == "Record a visit"


def test_the_form_page_names_the_child_but_its_title_does_not(client):
    page = client.get(f"/children/{CHILD}/record-visit/").content.decode()
    assert "Robin Ashdown" in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Robin" not in title
    assert CHILD in title


def test_a_missing_form_name_is_not_found(client):
    assert client.get(f"/children/{CHILD}/record-nothing/").status_code == 404


def test_dates_a_day_apart_are_two_visits(robin, client):
    for days in (3, 4):
        _record(
            client, "visit", {**date_fields("visit_date", days_ago(robin, days)), "seen_alone": "Y"}
        )
    assert Visit.objects.count() == 2
    assert sorted(v.visit_date for v in Visit.objects.all()) == [
        robin.today - timedelta(days=4),
        robin.today - timedelta(days=3),
    ]


def test_a_return_interview_needs_a_missing_episode_to_follow(client):
    page = client.get(f"/children/{CHILD}/record-return-interview/").content.decode()
    assert "No missing episode is recorded for them: record that first." in page


def test_the_chronology_leads_to_the_placement_move_and_the_leaving_of_care(robin, client):
    day = days_ago(robin, 5)
    approved(CHILD, day, "U5", "ZZ3 3CC")
    form = {
        **date_fields("decom", day),
        "place": "U5",
        "place_provider": "PR4",
        "pl_post": "zz3 3cc",
        "urn": "",
        "reason_place_change": "CHILD",
        "ls": "C2",
        "row": str(robin.episode.pk),
        "version": str(robin.episode.version),
    }
    _record(client, "placement-move", form)
    moved = Episode.objects.current().get(child=CHILD, decom=day)
    html = client.get(f"/children/{CHILD}/chronology/").content.decode()
    # The move can be corrected; the episode that began the period of care cannot.
    assert re.findall(r'href="(/children/[^"]+/change/)"', html) == [
        f"/children/{CHILD}/entries/episodes/{moved.pk}/change/"
    ]
    assert client.get(f"/children/{CHILD}/entries/episodes/{moved.pk}/change/").status_code == 200
