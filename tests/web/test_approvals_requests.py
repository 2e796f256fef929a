"""Asking for a decision that needs approval, through the pages, as the people who do it:
the social worker asks and records who was consulted, the child is heard, the approver
the gates name approves (only once every safeguard is met), refuses or returns it; the
young person disputes; every step is in the request's history and the audit trail.

The child is Robin (tests/web/recording_world.py), in foster care (U4) in the authority's
own area (ZZ), with `social-worker` as their social worker, `team-manager` managing their
team, `iro` as their IRO and `designated-teacher` at their school. Dates count from today.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from carematters.web.approvals import actions as approvals
from carematters.web.approvals.models import Consultation, Did, Request, State, Step
from carematters.web.audit.models import Action, Event
from carematters.web.casework import actions as casework
from carematters.web.casework.models import Episode
from carematters.web.people.models import Team
from carematters.web.reviews.actions import Heard, hold_review, record_child_view
from carematters.web.reviews.models import ChildView, HeardFor
from tests.web.approvals_world import accommodated, born, born_for_school_year
from tests.web.recording_world import CHILD, Recording, date_fields

pytestmark = pytest.mark.django_db

SAM_NEEDS = [
    "The designated teacher at their school has been consulted",
    "Their independent reviewing officer (IRO) has been consulted",
    "What the child wishes and feels has been heard and recorded",
    "Their case has been reviewed, chaired by their IRO",
    "The authority where they would live has been told",
]
"""What a move in year 10 to foster carers out of the area needs, in the order the gates
name it: the years 10 and 11 gate (CPPCR reg 10; seed 001 para 4.19) first, then the
out-of-area gate's own (the child heard and the IRO consulted are asked once)."""


def _ask(client: Client, day: date, **answers: str) -> Request:
    """Ask for a decision through the form; expect to be taken to the request."""
    data = {
        "decision": "placement-move",
        **date_fields("on", day),
        "to_placement": "U6",
        "to_postcode": "ZA7 2CD",
        "bed_and_breakfast": "no",
        "separates_siblings": "no",
        "why": "Her aunt, an approved foster carer, lives over the border",
        **answers,
    }
    response = client.post(f"/children/{CHILD}/decisions/ask/", data)
    assert response.status_code == 302, response.context and response.context["problems"]
    made = Request.objects.get()
    assert response["Location"] == f"/approvals/{made.pk}/"
    return made


def _problems(response) -> list[str]:
    return [problem.text for problem in response.context["problems"]]


def _decide(client: Client, made: Request, did: Did, reason: str = "Seen the plan"):
    made.refresh_from_db()
    return client.post(
        f"/approvals/{made.pk}/decide/",
        {"did": did.value, "reason": reason, "version": str(made.version)},
    )


def _consult(client: Client, made: Request, who: str, name: str, **more: str):
    day = made.asked_on
    return client.post(
        f"/approvals/{made.pk}/consult/",
        {"who": who, "name": name, **date_fields("on", day), "said": "Agreed", **more},
    )


def _heard(robin: Recording, day: date, **heard) -> None:
    record_child_view(
        CHILD,
        heard_on=day,
        wishes="I want to live with my aunt, and stay at my school if I can",
        purpose=HeardFor.DECISION,
        heard=Heard(seen_alone=True, **heard),
        acting_user=robin.social_worker,
    )


@pytest.fixture
def sam(robin: Recording) -> date:
    """Robin as Sam: in year 10 on the day of the move, a fortnight from today."""
    day = robin.today + timedelta(days=14)
    born(CHILD, born_for_school_year(day, 10))
    return day


def _answer(client: Client, made: Request, said: str, agrees: str = "yes"):
    """The child's IRO or designated teacher answers, for themselves, on the request's page."""
    return client.post(f"/approvals/{made.pk}/answer/", {"answer": said, "answer_agrees": agrees})


def _chaired(robin: Recording, day: date) -> None:
    """Robin's review, chaired by their IRO on `day`."""
    hold_review(
        CHILD,
        review=day,
        review_code="PN1",
        took_part="Robin, their foster carer, their social worker",
        acting_user=robin.world.users["iro"],
    )


def test_sam_in_year_10_placed_out_of_area(robin, sam):
    """Sam, 15, in year 10, placed out of area: the move is refused until the designated
    teacher and IRO are consulted (each answering for themselves), he is heard, his case
    reviewed by his IRO and the host authority told, and the nominated officer approves:
    for a placement out of the area, someone senior, here the director."""
    social_worker, director = robin.signed_in(), robin.signed_in("director")
    made = _ask(social_worker, sam)
    assert made.gates == ["gate.move.years_10_11", "gate.move.out_of_area"]
    assert (made.approver, made.state) == ("director", State.WAITING)

    page = director.get(f"/approvals/{made.pk}/")
    assert [(c.text, c.met) for c in page.context["checks"]] == [(t, False) for t in SAM_NEEDS]
    assert [c.evidence for c in page.context["checks"]][:2] == [
        "Not answered yet: the designated teacher answers on this page",
        "Not answered yet: their IRO answers on this page",
    ]
    assert "Record your decision" in page.content.decode()
    refused = _decide(director, made, Did.APPROVED)
    assert refused.status_code == 200
    assert _problems(refused) == [
        "It cannot be approved until: the designated teacher at their school has been "
        "consulted; their independent reviewing officer (IRO) has been consulted; what the "
        "child wishes and feels has been heard and recorded; their case has been reviewed, "
        "chaired by their IRO; the authority where they would live has been told"
    ]

    teacher, iro = robin.signed_in("designated-teacher"), robin.signed_in("iro")
    assert "Your answer" in iro.get(f"/approvals/{made.pk}/").content.decode()
    assert _answer(teacher, made, "He can keep his GCSE options at a school near his aunt")
    assert _answer(iro, made, "Agree: his aunt is the right place").status_code == 302
    assert [c.met for c in social_worker.get(f"/approvals/{made.pk}/").context["checks"]] == [
        True,
        True,
        False,
        False,
        False,
    ]
    _consult(social_worker, made, "host-authority", "Zedshire children's services")
    _heard(robin, robin.today, advocate_offered=True)
    _chaired(robin, robin.today)
    page = director.get(f"/approvals/{made.pk}/")
    today = f"{robin.today.day} {robin.today:%B %Y}"
    assert [c.evidence for c in page.context["checks"]] == [
        f"designated-teacher, on {today}: they agree",
        f"iro, on {today}: they agree",
        f"Heard on {today}, recorded by social-worker; an advocate was offered",
        f"Reviewed on {today}, chaired by iro",
        f"Zedshire children's services, on {today}",
    ]
    assert page.context["objections"] == []
    assert _decide(director, made, Did.APPROVED, "Best for her").status_code == 302
    made.refresh_from_db()
    assert (made.state, made.decided_by.username, made.decided_on) == (
        State.APPROVED,
        "director",
        robin.today,
    )
    assert [(s.did, s.by.username) for s in Step.objects.filter(request=made)] == [
        (Did.ASKED, "social-worker"),
        (Did.ANSWERED, "designated-teacher"),
        (Did.ANSWERED, "iro"),
        (Did.CONSULTED, "social-worker"),
        (Did.APPROVED, "director"),
    ]


def test_the_social_worker_alone_cannot_tick_off_the_safeguards(robin, sam):
    """What the tester did: Sam's social worker records a review themselves (no IRO
    there), his view "Likes football." with no advocate offered, and "consultations"
    of the designated teacher, the IRO and the host authority, each naming "x", the
    IRO's being "I object to this move". The designated teacher and the IRO are not
    theirs to record (refused), nor is a review without the IRO a review first; the
    host authority, an outside party, may be recorded. Only when his IRO answers for
    themselves (objecting) and chairs his review, and the designated teacher answers,
    may the director approve: and the IRO's objection stands out on the request's
    page, for the director before anyone, and on their list."""
    social_worker, director = robin.signed_in(), robin.signed_in("director")
    made = _ask(social_worker, sam)
    casework.record_review(
        CHILD, review=robin.today, review_code="PN1", acting_user=robin.social_worker
    )
    _heard(robin, robin.today)
    ChildView.objects.filter(child=CHILD).update(wishes="Likes football.")
    for who in ("designated-teacher", "iro"):
        refused = _consult(social_worker, made, who, "x", said="I object to this move")
        assert _problems(refused) == ["Select who was consulted"], who
        with pytest.raises(ValidationError):
            approvals.record_consultation(
                made.pk,
                who=who,
                name="x",
                on=robin.today,
                said="I object to this move",
                agrees=False,
                acting_user=robin.social_worker,
            )
    assert _consult(social_worker, made, "host-authority", "x").status_code == 302
    page = director.get(f"/approvals/{made.pk}/")
    assert [(c.met, c.evidence) for c in page.context["checks"]] == [
        (False, "Not answered yet: the designated teacher answers on this page"),
        (False, "Not answered yet: their IRO answers on this page"),
        (
            True,
            f"Heard on {robin.today.day} {robin.today:%B %Y}, recorded by social-worker; "
            "no advocate was offered",
        ),
        (False, "No review chaired by their IRO recorded yet"),
        (True, f"x, on {robin.today.day} {robin.today:%B %Y}"),
    ]
    assert _problems(_decide(director, made, Did.APPROVED)) == [
        "It cannot be approved until: the designated teacher at their school has been "
        "consulted; their independent reviewing officer (IRO) has been consulted; their "
        "case has been reviewed, chaired by their IRO"
    ]

    assert _answer(robin.signed_in("iro"), made, "I object to this move", "no").status_code == 302
    _answer(robin.signed_in("designated-teacher"), made, "School can cope either way")
    _chaired(robin, robin.today - timedelta(days=1))  # the day before the social worker's
    page = director.get(f"/approvals/{made.pk}/")
    today = f"{robin.today.day} {robin.today:%B %Y}"
    assert all(c.met for c in page.context["checks"])
    assert page.context["objections"] == [
        f"The IRO disagrees: “I object to this move” (iro, {today})"
    ]
    html = page.content.decode()
    warning = html.index("The IRO disagrees: “I object to this move”")
    assert warning < html.index("What must be done before it is approved")
    listed = director.get("/approvals/").content.decode()
    assert "The IRO disagrees</strong>" in listed
    # The director may still decide, with the objection in front of them.
    assert _decide(director, made, Did.APPROVED, "Weighed the IRO's view").status_code == 302


def test_the_iros_answer_form_is_theirs_alone_and_only_while_open(robin, sam):
    made = _ask(robin.signed_in(), sam, to_postcode="ZZ4 5AB")
    assert "Your answer" not in robin.signed_in().get(f"/approvals/{made.pk}/").content.decode()
    teacher = robin.signed_in("designated-teacher")
    page = teacher.get(f"/approvals/{made.pk}/answer/")
    assert page.status_code == 200
    assert "Record your answer" in page.content.decode()
    assert teacher.get(f"/approvals/{made.pk}/").status_code == 404  # not the record
    blank = teacher.post(f"/approvals/{made.pk}/answer/", {"answer": " "})
    assert _problems(blank) == ["Enter your answer", "Select whether you agree with it"]
    _decide(robin.signed_in("team-manager"), made, Did.REFUSED, "Not now")
    late = teacher.post(f"/approvals/{made.pk}/answer/", {"answer": "Fine", "answer_agrees": "yes"})
    assert _problems(late) == ["This request has been decided: nothing more is recorded"]
    assert not Consultation.objects.exists()


def test_only_the_approver_the_gates_name_decides(robin, sam):
    made = _ask(robin.signed_in(), sam)
    # The team manager approves a move in year 10, but not out of the area: not theirs.
    assert _decide(robin.signed_in("team-manager"), made, Did.REFUSED).status_code == 404
    assert _decide(robin.signed_in(), made, Did.REFUSED).status_code == 404
    made.refresh_from_db()
    assert made.state == State.WAITING


def test_a_move_in_year_10_within_the_area_is_the_team_managers(robin, sam):
    made = _ask(robin.signed_in(), sam, to_postcode="ZZ4 5AB")
    assert (made.gates, made.approver) == (["gate.move.years_10_11"], "team-manager")
    assert _decide(robin.signed_in("team-manager"), made, Did.REFUSED).status_code == 302
    made.refresh_from_db()
    assert (made.state, made.decided_by.username) == (State.REFUSED, "team-manager")
    # A decided request takes no more consultations.
    late = _consult(robin.signed_in(), made, "host-authority", "Zedshire")
    assert _problems(late) == ["This request has been decided: nothing more is recorded"]


def test_with_no_team_manager_the_director_decides(robin, sam):
    Team.objects.filter(name="Team A").update(manager=None)
    made = _ask(robin.signed_in(), sam, to_postcode="ZZ4 5AB")
    assert made.approver == "director"


def test_returned_for_more_and_sent_again(robin, sam):
    social_worker, manager = robin.signed_in(), robin.signed_in("team-manager")
    made = _ask(social_worker, sam, to_postcode="ZZ4 5AB")
    returned = _decide(manager, made, Did.RETURNED, "What does her school say?")
    assert returned.status_code == 302
    made.refresh_from_db()
    assert (made.state, made.decided_by) == (State.RETURNED, None)
    page = social_worker.get(f"/approvals/{made.pk}/").content.decode()
    assert "Send it again" in page
    assert "What does her school say?" in page
    response = social_worker.post(
        f"/approvals/{made.pk}/send-again/",
        {"added": "The school will keep her place", "version": str(made.version)},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == State.WAITING
    history = [(s.did, s.by.username, s.words) for s in Step.objects.filter(request=made)]
    assert history[1:] == [
        (Did.RETURNED, "team-manager", "What does her school say?"),
        (Did.SENT_AGAIN, "social-worker", "The school will keep her place"),
    ]


def test_a_second_decision_from_the_same_version_is_refused(robin, sam):
    manager = robin.signed_in("team-manager")
    made = _ask(robin.signed_in(), sam, to_postcode="ZZ4 5AB")
    seen = made.version
    assert _decide(manager, made, Did.RETURNED).status_code == 302
    late = manager.post(
        f"/approvals/{made.pk}/decide/",
        {"did": "refused", "reason": "No", "version": str(seen)},
    )
    assert _problems(late) == [
        "Someone else changed this request while you were looking at it. "
        "Check what they did, then try again."
    ]


def test_asking_is_audited_and_so_is_each_step(robin, sam):
    made = _ask(robin.signed_in(), sam, to_postcode="ZZ4 5AB")
    _decide(robin.signed_in("team-manager"), made, Did.RETURNED, "Ask the IRO")
    changes = Event.objects.filter(child=CHILD, action=Action.CREATED).order_by("at", "id")
    assert [(e.user.username, e.what.split(":")[0]) for e in changes] == [
        ("social-worker", "Asked for the decision"),
        ("team-manager", "Returned it for more information"),
    ]
    assert (changes[1].before["state"], changes[1].after["state"]) == ("waiting", "returned")
    assert changes[1].reason == "Ask the IRO"


def test_what_needs_no_approval_is_not_asked_for(robin):
    day = robin.today + timedelta(days=14)
    born(CHILD, born_for_school_year(day, 8))  # year 8: a move in the area needs nothing
    response = robin.signed_in().post(
        f"/children/{CHILD}/decisions/ask/",
        {
            "decision": "placement-move",
            **date_fields("on", day),
            "to_placement": "U6",
            "to_postcode": "ZZ4 5AB",
            "why": "Nearer school",
        },
    )
    assert _problems(response) == [
        "This decision needs no approval: record it on their record when it happens"
    ]
    assert not Request.objects.exists()


def test_a_request_says_what_is_missing(robin, sam):
    response = robin.signed_in().post(
        f"/children/{CHILD}/decisions/ask/",
        {"decision": "placement-move", **date_fields("on", sam), "why": " "},
    )
    assert _problems(response) == [
        "Select the type of placement",
        "Enter the postcode of the new placement",
        "Enter why this is the right decision for them",
    ]


def test_nobody_not_looked_after_that_day(robin):
    before = robin.came_into_care - timedelta(days=10)
    response = robin.signed_in().post(
        f"/children/{CHILD}/decisions/ask/",
        {"decision": "cease-care", **date_fields("on", before), "why": "Home"},
    )
    assert _problems(response) == [
        f"They are not looked after on {before.day} {before:%B %Y}",
    ]


def test_the_same_decision_is_not_asked_for_twice_while_open(robin, sam):
    social_worker = robin.signed_in()
    _ask(social_worker, sam, to_postcode="ZZ4 5AB")
    again = social_worker.post(
        f"/children/{CHILD}/decisions/ask/",
        {
            "decision": "placement-move",
            **date_fields("on", sam),
            "to_placement": "U6",
            "to_postcode": "ZZ4 5AB",
            "why": "Again",
        },
    )
    assert _problems(again) == ["This decision has already been asked for, and is still open"]


def test_bed_and_breakfast_for_longer_than_the_guidance_allows_cannot_be_asked_for(robin):
    # Monday 7 December 2026: 2 working days on is Wednesday 9 December. Robin, 17 that
    # day, has been looked after since 1 January 2026 whenever the test runs.
    day = date(2026, 12, 7)
    Episode.objects.filter(child=CHILD).update(decom=date(2026, 1, 1))
    born(CHILD, date(2009, 6, 1))
    data = {
        "decision": "placement-move",
        **date_fields("on", day),
        "to_placement": "Z11",
        "to_postcode": "ZZ4 5AB",
        "bed_and_breakfast": "yes",
        **date_fields("until", date(2026, 12, 10)),
        "why": "An emergency: the placement broke down at night",
    }
    response = robin.signed_in().post(f"/children/{CHILD}/decisions/ask/", data)
    assert _problems(response) == [
        "Bed and breakfast may be used for 2 working days at most: the stay must end by "
        "9 December 2026"
    ]
    data |= date_fields("until", date(2026, 12, 9))
    assert robin.signed_in().post(f"/children/{CHILD}/decisions/ask/", data).status_code == 302
    made = Request.objects.get()
    assert "gate.move.bed_and_breakfast" in made.gates
    assert made.until == date(2026, 12, 9)


def test_the_young_persons_agreement_is_theirs_to_give(robin, sam):
    made = _ask(robin.signed_in(), sam)
    response = _consult(robin.signed_in(), made, "young-person", "Robin")
    assert _problems(response) == ["Select whether they agree"]
    assert (
        _consult(robin.signed_in(), made, "young-person", "Robin", agrees="no").status_code == 302
    )
    assert Consultation.objects.get().agrees is False


def _going_home(robin) -> Request:
    """Robin, accommodated under section 20, asked to stop being looked after in two
    weeks, to go home to mum."""
    accommodated(CHILD)
    return _ask(
        robin.signed_in(),
        robin.today + timedelta(days=14),
        decision="cease-care",
        why="Going home to mum",
    )


def test_a_consultation_long_ago_is_refused_and_does_not_count(robin, sam):
    """The host authority "told on 1 January 2010", long before the request: a
    consultation counts only within the window the child's views do
    (decisions.heard_within, 4 weeks before the request was asked for, or since), so it
    is refused on its date; one made on the window's first day is taken. Sam's move is
    out of the area, so the authority where he would live must be told (CPPCR reg 11)."""
    made = _ask(robin.signed_in(), sam)
    assert made.asked_on == robin.today
    first = robin.today - timedelta(days=28)  # 4 weeks before the request was asked for
    zedshire = "Zedshire children's services"
    long_ago = _consult(
        robin.signed_in(), made, "host-authority", zedshire, **date_fields("on", date(2010, 1, 1))
    )
    assert long_ago.status_code == 200
    assert _problems(long_ago) == [
        f"The date they were consulted must be on or after {first.day} {first:%B %Y}: "
        "earlier consultations do not count for this request"
    ]
    with pytest.raises(ValidationError) as early:
        approvals.record_consultation(
            made.pk,
            who="host-authority",
            name=zedshire,
            on=date(2010, 1, 1),
            said="Agreed",
            agrees=None,
            acting_user=robin.social_worker,
        )
    assert list(early.value.message_dict) == ["on"]  # shown on the date's own field
    day_before = first - timedelta(days=1)
    refused = _consult(
        robin.signed_in(), made, "host-authority", zedshire, **date_fields("on", day_before)
    )
    assert refused.status_code == 200
    assert not Consultation.objects.exists()
    taken = _consult(
        robin.signed_in(), made, "host-authority", zedshire, **date_fields("on", first)
    )
    assert taken.status_code == 302
    page = robin.signed_in("director").get(f"/approvals/{made.pk}/")
    told = [c for c in page.context["checks"] if "authority" in c.text]
    assert [(c.met, c.evidence) for c in told] == [
        (True, f"{zedshire}, on {first.day} {first:%B %Y}")
    ]


def test_an_iros_answer_before_the_window_never_counts(robin):
    """One already in the record from before the window (say, recorded before dates were
    checked), even the IRO's own, leaves the safeguard to do, and the approver cannot
    approve. Robin is accommodated under section 20, so ending their care needs the IRO
    consulted (CPPCR 2010 reg 39)."""
    made = _going_home(robin)
    Consultation.objects.create(
        request=made,
        who="iro",
        name="iro",
        on=date(2010, 1, 1),
        said="Agreed",
        agrees=True,
        own_answer=True,
        recorded_by=robin.world.users["iro"],
    )
    _heard(robin, robin.today)
    manager = robin.signed_in("team-manager")
    page = manager.get(f"/approvals/{made.pk}/")
    iro = [c for c in page.context["checks"] if "IRO" in c.text]
    assert [(c.met, c.evidence) for c in iro] == [
        (False, "Not answered yet: their IRO answers on this page")
    ]
    refused = _decide(manager, made, Did.APPROVED)
    assert _problems(refused) == [
        "It cannot be approved until: their independent reviewing officer (IRO) has been consulted"
    ]


def test_a_consultation_before_the_child_was_born_is_refused(robin):
    """A baby born 10 days ago: a date in the request's window (4 weeks back) but before
    their birth cannot be the day they were consulted."""
    accommodated(CHILD)
    born_on = robin.today - timedelta(days=10)
    born(CHILD, born_on)
    Episode.objects.filter(child=CHILD).update(decom=born_on)
    made = Request.objects.create(
        child=CHILD,
        decision="cease-care",
        on=robin.today + timedelta(days=14),
        why="Home",
        gates=["gate.cease.nominated_officer"],
        approver="team-manager",
        asked_by=robin.social_worker,
        asked_on=robin.today,
    )
    before = born_on - timedelta(days=1)
    refused = _consult(
        robin.signed_in(), made, "young-person", "Robin", agrees="no", **date_fields("on", before)
    )
    assert _problems(refused) == [
        "The date they were consulted must be on or after the day they were born, "
        f"{born_on.day} {born_on:%B %Y}"
    ]


def test_a_postcode_must_be_a_real_one(robin, sam):
    """ "not a postcode" is not classed as out of the area and at a distance: it is
    refused. The demo's fictional areas (ZZ, ZB) are postcodes in form, in any case and
    with or without the space."""
    response = robin.signed_in().post(
        f"/children/{CHILD}/decisions/ask/",
        {
            "decision": "placement-move",
            **date_fields("on", sam),
            "to_placement": "U6",
            "to_postcode": "not a postcode",
            "why": "Nearer school",
        },
    )
    assert _problems(response) == ["Enter a real postcode, like ZZ6 3AZ"]
    assert not Request.objects.exists()
    for wrong in ("ZZ6", "3AZ ZZ6", "ZZ6 3AZZ", "Z 3AZ"):
        response = robin.signed_in().post(
            f"/children/{CHILD}/decisions/ask/",
            {
                "decision": "placement-move",
                **date_fields("on", sam),
                "to_placement": "U6",
                "to_postcode": wrong,
                "why": "Nearer school",
            },
        )
        assert _problems(response) == ["Enter a real postcode, like ZZ6 3AZ"], wrong
    made = _ask(robin.signed_in(), sam, to_postcode="zb63az")
    assert (made.to_postcode, made.gates) == (
        "ZB6 3AZ",
        ["gate.move.years_10_11", "gate.move.out_of_area"],
    )


def test_a_move_the_social_worker_says_is_to_independent_living(robin, sam):
    """From 2025-26 a flat of one's own has no placement code (P2 is gone): Robin's move
    to an other placement (Z11) is a move to "independent" living because their social
    worker says so on the form, and needs what that gate asks (seed 001 paras 6.8-6.16);
    the same move not said to be one does not."""
    plain = _ask(robin.signed_in(), sam, to_placement="Z11", to_postcode="ZZ4 5AB")
    assert "gate.move.to_independent_living" not in plain.gates
    Request.objects.filter(pk=plain.pk).update(state=State.REFUSED, decided_on=robin.today)
    form = robin.signed_in().get(f"/children/{CHILD}/decisions/ask/").content.decode()
    assert "Is this a move to independent living?" in form
    said = robin.signed_in().post(
        f"/children/{CHILD}/decisions/ask/",
        {
            "decision": "placement-move",
            **date_fields("on", sam),
            "to_placement": "Z11",
            "to_postcode": "ZZ4 5AB",
            "independent_living": "yes",
            "why": "A flat of her own, with support from her personal adviser",
        },
    )
    assert said.status_code == 302
    made = Request.objects.get(state=State.WAITING)
    assert made.independent_living
    assert "gate.move.to_independent_living" in made.gates
    page = robin.signed_in().get(f"/approvals/{made.pk}/").content.decode()
    assert "The social worker says it is a move to it" in page
