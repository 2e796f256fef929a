"""No gated change without its approval: the placement move and leaving-care forms, and a
post straight to their URLs, refuse a change a decision gate covers unless an approved
request for that child, decision and day (for a move, that placement and postcode)
exists, and the young person does not dispute it.

Robin (tests/web/recording_world.py) is in year 10 on the day of each move here, so every
move of theirs needs the team manager's approval (CPPCR reg 10; seed 001 para 4.19). They
are on a care order (C2); the tests of leaving care make them accommodated under section
20 (V2, `approvals_world.accommodated`): they have been looked after for 100 days, so
ending their care is then the authority's decision, and needs it too (CPPCR 2010 reg 39,
a child looked after but not in care).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from carematters.web.approvals import actions
from carematters.web.approvals.models import Did, Outcome, Request, State
from carematters.web.casework import actions as casework
from carematters.web.casework.models import Episode
from carematters.web.reviews.actions import Heard, record_child_view
from carematters.web.reviews.models import HeardFor
from tests.web.approvals_world import accommodated, approved, born, born_for_school_year
from tests.web.recording_world import CHILD, Recording, date_fields, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(robin: Recording) -> date:
    """The day of the move: five days ago, with Robin in year 10 that day."""
    moved = days_ago(robin, 5)
    born(CHILD, born_for_school_year(moved, 10))
    return moved


@pytest.fixture
def section_20(robin: Recording) -> Recording:
    """Robin, accommodated under section 20 (V2) rather than on a care order."""
    accommodated(CHILD)
    return robin


def _move(robin: Recording, day: date, postcode: str = "ZZ3 3CC") -> dict[str, str]:
    return {
        **date_fields("decom", day),
        "place": "U5",
        "place_provider": "PR4",
        "pl_post": postcode,
        "reason_place_change": "CARPL",
        "ls": "C2",
        "row": str(robin.episode.pk),
        "version": str(robin.episode.version),
        "action": "save",
    }


def _post(client: Client, kind: str, data: dict[str, str]):
    return client.post(f"/children/{CHILD}/record-{kind}/", data)


def _problems(response) -> list[str]:
    return [problem.text for problem in response.context["problems"]]


def _needs_approval(day: date) -> str:
    return (
        f"This move on {day.day} {day:%B %Y} needs approval first (a move in the GCSE years "
        "(key stage 4)). Ask for the decision on their Decisions page."
    )


def test_the_form_refuses_a_move_without_its_approval(robin, day):
    client = robin.signed_in()
    page = client.get(f"/children/{CHILD}/record-placement-move/")
    assert page.status_code == 200
    refused = _post(client, "placement-move", _move(robin, day))
    assert refused.status_code == 200
    assert _problems(refused) == [_needs_approval(day)]
    assert Episode.objects.filter(child=CHILD).count() == 1


def test_the_action_refuses_it_too(robin, day):
    with pytest.raises(ValidationError) as refused:
        casework.record_placement_move(
            CHILD,
            decom=day,
            place="U5",
            place_provider="PR4",
            pl_post="ZZ3 3CC",
            reason_place_change="CARPL",
            acting_user=robin.social_worker,
        )
    assert refused.value.message_dict == {"decom": [_needs_approval(day)]}


def test_with_its_approval_the_move_is_recorded(robin, day):
    approved(CHILD, day, "U5", "zz3  3cc")
    response = _post(robin.signed_in(), "placement-move", _move(robin, day))
    assert response.status_code == 302
    assert Episode.objects.current().filter(child=CHILD, decom=day, place="U5").exists()


def test_an_approval_is_for_the_move_approved_not_another(robin, day):
    approved(CHILD, day, "U5", "ZZ9 9ZZ")  # another postcode
    approved(CHILD, days_ago(robin, 4), "U5", "ZZ3 3CC")  # another day
    refused = _post(robin.signed_in(), "placement-move", _move(robin, day))
    assert _problems(refused) == [_needs_approval(day)]


def test_a_request_waiting_returned_refused_or_withdrawn_is_no_approval(robin, day):
    made = approved(CHILD, day, "U5", "ZZ3 3CC")
    for state in (State.WAITING, State.RETURNED, State.REFUSED, State.WITHDRAWN):
        Request.objects.filter(pk=made.pk).update(state=state, decided_on=None)
        refused = _post(robin.signed_in(), "placement-move", _move(robin, day))
        assert _problems(refused) == [_needs_approval(day)], state


def test_a_change_of_legal_status_alone_is_no_move(robin, day):
    response = _post(
        robin.signed_in(),
        "legal-status",
        {**date_fields("decom", day), "ls": "V2", "action": "save"},
    )
    assert response.status_code == 302


def test_a_correction_that_keeps_the_move_needs_nothing_new_but_another_place_does(robin, day):
    made = approved(CHILD, day, "U5", "ZZ3 3CC")
    moved = casework.record_placement_move(
        CHILD,
        decom=day,
        place="U5",
        place_provider="PR4",
        pl_post="ZZ3 3CC",
        reason_place_change="CARPL",
        acting_user=robin.social_worker,
    )
    Request.objects.filter(pk=made.pk).update(state=State.REFUSED)  # approval gone
    client = robin.signed_in()
    change = f"/children/{CHILD}/entries/episodes/{moved.pk}/change/"
    same = {**_move(robin, day), "reason_place_change": "CHILD", "version": str(moved.version)}
    del same["row"]
    assert client.post(change, same).status_code == 302
    corrected = Episode.objects.current().get(child=CHILD, decom=day)
    change = f"/children/{CHILD}/entries/episodes/{corrected.pk}/change/"
    elsewhere = {**same, "pl_post": "ZZ8 8AA", "version": str(corrected.version)}
    assert _problems(client.post(change, elsewhere)) == [_needs_approval(day)]


def test_leaving_care_needs_its_approval_by_the_form_and_the_url(section_20):
    robin = section_20
    left = days_ago(robin, 2)
    data = {**date_fields("dec", left), "rec": "E13", "action": "save"}
    page = robin.signed_in().get(f"/children/{CHILD}/record-leaving-care/")
    assert page.status_code == 200
    refused = _post(robin.signed_in(), "leaving-care", data)
    assert _problems(refused) == [
        f"Ending their care on {left.day} {left:%B %Y} needs approval first (ceasing to look "
        "after a child). Ask for the decision on their Decisions page."
    ]
    approved(CHILD, left)
    assert _post(robin.signed_in(), "leaving-care", data).status_code == 302


def test_while_the_young_person_disputes_leaving_care_nothing_changes(section_20):
    robin = section_20
    """Robin disputes the decision to end their care once it is approved: it cannot be
    recorded until the dispute resolution ends with the decision standing (seed 001
    para 6.15-6.16); had it ended with the proposal withdrawn, it never could be."""
    left = days_ago(robin, 2)
    social_worker, manager = robin.world.users["sw"], robin.world.users["tm"]
    made = actions.ask_for_decision(
        CHILD,
        actions.Asked(decision="cease-care", on=left, why="Going home to mum"),
        acting_user=social_worker,
    )
    assert (made.gates, made.approver) == (["gate.cease.nominated_officer"], "team-manager")
    record_child_view(
        CHILD,
        heard_on=robin.today,
        wishes="I am not ready to go home yet",
        purpose=HeardFor.DECISION,
        heard=Heard(seen_alone=True),
        acting_user=social_worker,
    )
    actions.answer_request(
        made.pk,
        said="Agree, with a plan for contact",
        agrees=True,
        acting_user=robin.world.users["iro"],
    )
    made.refresh_from_db()
    actions.decide(
        made.pk, Did.APPROVED, version=made.version, reason="Safe at home", acting_user=manager
    )
    director = robin.world.users["dcs"]
    disputed = robin.signed_in("young-person").post(
        f"/approvals/{made.pk}/dispute/",
        {"words": "I am not ready to go home yet", "held_by": str(director.pk)},
    )
    assert disputed.status_code == 302
    leaving = {**date_fields("dec", left), "rec": "E13", "action": "save"}
    refused = _post(robin.signed_in(), "leaving-care", leaving)
    assert _problems(refused) == [
        "The young person disputes the decision to approve this. Nothing changes while the "
        "dispute is being resolved."
    ]
    page = robin.signed_in("team-manager").get(f"/approvals/{made.pk}/").content.decode()
    assert "The young person disputes this decision" in page
    # The director holds the dispute: the manager who approved it does not end it.
    ended = robin.signed_in("director").post(
        f"/approvals/{made.pk}/dispute/end/",
        {
            "outcome": Outcome.STANDS.value,
            "resolution": "Panel agreed the plan, with weekly contact",
        },
    )
    assert ended.status_code == 302
    assert _post(robin.signed_in(), "leaving-care", leaving).status_code == 302


def test_a_dispute_upheld_withdraws_the_proposal(section_20):
    robin = section_20
    left = days_ago(robin, 2)
    made = approved(CHILD, left)
    director = robin.world.users["dcs"]
    robin.signed_in().post(
        f"/approvals/{made.pk}/dispute/", {"words": "Not yet", "held_by": str(director.pk)}
    )
    # The director holds the dispute (the helper's social worker decided it), so ends it.
    robin.signed_in("director").post(
        f"/approvals/{made.pk}/dispute/end/",
        {"outcome": Outcome.WITHDRAWN.value, "resolution": "She stays until the summer"},
    )
    made.refresh_from_db()
    assert made.state == State.WITHDRAWN
    leaving = {**date_fields("dec", left), "rec": "E13", "action": "save"}
    assert "needs approval first" in _problems(_post(robin.signed_in(), "leaving-care", leaving))[0]


def test_only_a_decision_about_leaving_care_or_independence_is_disputed_here(robin, day):
    made = approved(CHILD, day, "U5", "ZZ3 3CC")
    Request.objects.filter(pk=made.pk).update(gates=["gate.move.years_10_11"])
    response = robin.signed_in("young-person").post(
        f"/approvals/{made.pk}/dispute/",
        {"words": "I want to move", "held_by": str(robin.world.users["dcs"].pk)},
    )
    assert _problems(response) == [
        "Only a decision about leaving care or a move to independence can be disputed here"
    ]


def _leaving(left: date, rec: str) -> dict[str, str]:
    return {**date_fields("dec", left), "rec": rec, "action": "save"}


@pytest.mark.parametrize("rec", ["E2", "E11", "E12", "E41", "E45", "E9", "E14", "E15", "E3"])
def test_leaving_care_by_a_courts_order_or_an_event_needs_no_approval(section_20, rec):
    """Robin died, was adopted, a court made a special guardianship or child arrangements
    order, was sentenced to custody, their remand ended, they were found to be an adult
    or another authority took over their care: none is the authority's decision to stop
    looking after them, which is what reg 39 gates, so no approval is asked for."""
    robin = section_20
    response = _post(robin.signed_in(), "leaving-care", _leaving(days_ago(robin, 2), rec))
    problems = [] if response.status_code == 302 else _problems(response)
    assert not [p for p in problems if "needs approval first" in p]
    if rec in {"E11", "E12"}:
        # Recorded only with the adoption's own details (DfE rules 390, 601): refused for
        # those, and for nothing else.
        assert [p.rsplit("(", 1)[1] for p in problems] == ["DfE rule 390)", "DfE rule 601)"]
    else:
        assert problems == []
        assert Episode.objects.current().get(child=CHILD).rec == rec


@pytest.mark.parametrize("rec", ["E13", "E4A", "E5", "E8"])
def test_leaving_care_by_the_authoritys_decision_still_needs_it(section_20, rec):
    robin = section_20
    left = days_ago(robin, 2)
    refused = _post(robin.signed_in(), "leaving-care", _leaving(left, rec))
    assert _problems(refused) == [
        f"Ending their care on {left.day} {left:%B %Y} needs approval first (ceasing to look "
        "after a child). Ask for the decision on their Decisions page."
    ]


def test_ending_the_care_of_a_child_on_a_care_order_is_not_gated_by_reg_39(robin):
    """Robin is on a full care order (C2): reg 39 is about a child looked after but not in
    the authority's care, so returning home (E13) on it needs no nominated officer's
    approval, and asking for one is refused as needing none."""
    left = days_ago(robin, 2)
    with pytest.raises(ValidationError) as refused:
        actions.ask_for_decision(
            CHILD,
            actions.Asked(decision="cease-care", on=left, why="Going home to mum"),
            acting_user=robin.social_worker,
        )
    assert refused.value.messages == [
        "This decision needs no approval: record it on their record when it happens"
    ]
    assert _post(robin.signed_in(), "leaving-care", _leaving(left, "E13")).status_code == 302


# What the episode cannot say: bed and breakfast, brothers and sisters -------------------


def _bed_and_breakfast(robin: Recording, day: date, until: date) -> dict[str, str]:
    return {
        **_move(robin, day),
        "place": "K3",
        "bed_and_breakfast": "yes",
        **date_fields("until", until),
    }


@pytest.fixture
def seventeen(robin: Recording) -> date:
    """Robin at 17 (not in the GCSE years) on the day of the move, five days ago."""
    moved = days_ago(robin, 5)
    born(CHILD, date(moved.year - 17, 1, 1))
    return moved


def test_bed_and_breakfast_at_17_is_refused_by_the_form_and_the_url_until_approved(
    robin, seventeen
):
    """Robin, 17, is placed in bed and breakfast in an emergency, for one night (recorded
    with the placement type the authority gives it, K3 here). The move form asks, and
    the answer "yes" makes it a move needing the team manager's approval (seed 004 para
    3.40): refused without one, by the form and by a post straight to its URL; refused
    with an approval of the move that was not for bed and breakfast, and with one for a
    shorter stay; recorded once the stay is approved."""
    day, until = seventeen, seventeen + timedelta(days=1)
    client = robin.signed_in()
    form = client.get(f"/children/{CHILD}/record-placement-move/").content.decode()
    assert "Is the child moving into bed and breakfast accommodation?" in form
    assert "Does this move separate the child from brothers or sisters they live with?" in form
    refused = _post(client, "placement-move", _bed_and_breakfast(robin, day, until))
    (problem,) = _problems(refused)
    assert problem.startswith(f"This move on {day.day} {day:%B %Y} needs approval first (")
    assert "bed and breakfast for a young person" in problem
    made = approved(CHILD, day, "K3", "ZZ3 3CC")  # every gate, but not as bed and breakfast
    assert _problems(_post(client, "placement-move", _bed_and_breakfast(robin, day, until))) == [
        problem
    ]
    Request.objects.filter(pk=made.pk).update(bed_and_breakfast=True, until=day)
    assert _problems(_post(client, "placement-move", _bed_and_breakfast(robin, day, until))) == [
        problem
    ]  # approved for a shorter stay
    Request.objects.filter(pk=made.pk).update(until=until)
    recorded = _post(client, "placement-move", _bed_and_breakfast(robin, day, until))
    assert recorded.status_code == 302, _problems(recorded)
    assert Episode.objects.current().filter(child=CHILD, decom=day, place="K3").exists()


def test_bed_and_breakfast_longer_than_the_guidance_allows_is_never_recorded(robin, seventeen):
    """Even with an approval, a stay longer than 2 working days is refused (what no
    approval can allow), and the form asks for the day the stay ends."""
    day = seventeen
    made = approved(CHILD, day, "K3", "ZZ3 3CC")
    Request.objects.filter(pk=made.pk).update(bed_and_breakfast=True, until=day + timedelta(30))
    client = robin.signed_in()
    (problem,) = _problems(
        _post(client, "placement-move", _bed_and_breakfast(robin, day, day + timedelta(days=30)))
    )
    assert problem.startswith("Bed and breakfast may be used for 2 working days at most")
    no_end = {**_move(robin, day), "place": "K3", "bed_and_breakfast": "yes"}
    assert _problems(_post(client, "placement-move", no_end)) == [
        "Enter the day they will leave bed and breakfast"
    ]
    assert Episode.objects.filter(child=CHILD).count() == 1


def test_a_move_separating_brothers_and_sisters_needs_its_own_approval(robin, day):
    """Robin, in year 10, moves to new foster carers, away from the brother they live
    with. An approval of the move for year 10 alone does not cover separating them
    (seed 001 para 3.46): refused by the form and the URL, recorded once approved."""
    made = approved(CHILD, day, "U5", "ZZ3 3CC")
    Request.objects.filter(pk=made.pk).update(gates=["gate.move.years_10_11"])
    client = robin.signed_in()
    separating = {**_move(robin, day), "separates_siblings": "yes"}
    refused = _problems(_post(client, "placement-move", separating))
    assert refused == [
        f"This move on {day.day} {day:%B %Y} needs approval first (a move in the GCSE years "
        "(key stage 4); a permanent placement separating brothers and sisters). Ask for the "
        "decision on their Decisions page."
    ]
    Request.objects.filter(pk=made.pk).update(
        gates=["gate.move.years_10_11", "gate.move.separating_siblings"]
    )
    assert _post(client, "placement-move", separating).status_code == 302
    assert Episode.objects.current().filter(child=CHILD, decom=day, place="U5").exists()
