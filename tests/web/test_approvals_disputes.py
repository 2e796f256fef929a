"""A young person's dispute of a decision, as a process (Care Matters 2007 para
6.15-6.16), told as a case on the matrix's world:

Alex (ALLOCATED), in Team A, is to leave care. Their social worker asked; Tom, Team A's
team manager, approved it. Alex disputes it. The dispute is held by someone other than
Tom: the only other person who may decide for Alex is the director (Team B's manager
may not), so the form offers the director alone. It is due 20 working days after it was
raised (`decisions.dispute_within`, the authority's policy). Ivy, Alex's IRO, sees it on
her page. Tom cannot end it; the director can, only with a real reason (at least 10
letters or digits); while it is open, Alex's care cannot be ended.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from carematters.calendar.working_days import working_days_after
from carematters.duties.decisions import Decision
from carematters.web.approvals import disputes
from carematters.web.approvals.models import Did, Dispute, Outcome, Request, State, Step
from carematters.web.audit.models import Action, Event
from carematters.web.people.roles import Role
from tests.web.pages_world import Pages, build_pages_world
from tests.web.permissions import CHILDREN

pytestmark = pytest.mark.django_db

ALEX = CHILDREN["ALLOCATED"]
ENOUGH = "The panel met Alex and agreed the plan, with weekly contact"


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def _approved_by_tom(pages: Pages) -> Request:
    users = pages.world.users
    return Request.objects.create(
        child=ALEX,
        decision=Decision.CEASE_CARE,
        on=pages.today,
        why="Going home to mum",
        gates=["gate.cease.nominated_officer"],
        approver=Role.TEAM_MANAGER.value,
        state=State.APPROVED,
        asked_by=users["sw"],
        asked_on=pages.today,
        decided_by=users["tm"],
        decided_on=pages.today,
    )


def _disputed(pages: Pages, made: Request) -> Dispute:
    response = pages.signed_in("young-person").post(
        f"/approvals/{made.pk}/dispute/",
        {"words": "I am not ready to go home yet", "held_by": str(pages.world.users["dcs"].pk)},
    )
    assert response.status_code == 302
    return Dispute.objects.get(request=made)


def _problems(response) -> list[str]:
    return [problem.text for problem in response.context["problems"]]


def test_twenty_working_days_from_a_december_day_skip_christmas_and_new_year():
    """From Thursday 18 December 2025: 19, 22, 23, 24 December (4), then 29, 30, 31
    (7), 2 January (8), 5-9 (13), 12-16 (18), 19 and 20 January (20)."""
    assert disputes.due_on(date(2025, 12, 18)) == date(2026, 1, 20)
    assert disputes.within_in_words(date(2025, 12, 18)) == "20 working days"


def test_the_approver_is_not_offered_to_hold_the_dispute(pages):
    made = _approved_by_tom(pages)
    # The social worker records the young person's dispute for them on the decision's page.
    html = pages.signed_in("social-worker").get(f"/approvals/{made.pk}/").content.decode()
    offered = re.findall(r'name="held_by"[^>]*value="(\d+)"', html) or re.findall(
        r'value="(\d+)"[^>]*name="held_by"', html
    )
    assert offered == [str(pages.world.users["dcs"].pk)]
    assert "within 20 working days" in html
    assert [p.username for p in disputes.holders(made)] == ["director"]


def test_tom_cannot_be_made_to_hold_it_by_posting_his_id(pages):
    made = _approved_by_tom(pages)
    response = pages.signed_in("young-person").post(
        f"/approvals/{made.pk}/dispute/",
        {"words": "Not ready", "held_by": str(pages.world.users["tm"].pk)},
    )
    assert response.status_code == 200
    assert _problems(response) == ["Select who will look at the decision again"]
    assert not Dispute.objects.exists()


def test_a_dispute_is_held_by_the_director_due_in_20_working_days(pages):
    made = _approved_by_tom(pages)
    found = _disputed(pages, made)
    due = working_days_after(pages.today, 20)
    assert (found.held_by, found.due_on) == (pages.world.users["dcs"], due)
    step = Step.objects.get(request=made, did=Did.DISPUTED)
    assert step.words.endswith(
        f"Held by {pages.world.users['dcs']}, to be resolved by {due:%-d %B %Y}"
    )
    assert Event.objects.filter(action=Action.CREATED, child=ALEX).exists()
    html = pages.signed_in("director").get(f"/approvals/{made.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f"To be resolved by {due.day} {due:%B %Y}" in text
    assert "The end of the dispute" in html


def test_the_iro_is_told_on_her_page(pages):
    made = _approved_by_tom(pages)
    found = _disputed(pages, made)
    html = pages.signed_in("iro").get("/reviews/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Disputes a decision" in text
    assert (
        f"Decisions they dispute Nothing changes until resolved Leaving care on "
        f"{pages.today.day} {pages.today:%B %Y} : “I am not ready to go home yet”"
    ) in text
    due = found.due_on
    assert f"Looked at again by director, to be resolved by {due.day} {due:%B %Y}" in text
    assert f'href="/approvals/{made.pk}/"' in html


def test_the_manager_who_approved_it_cannot_end_it(pages):
    made = _approved_by_tom(pages)
    _disputed(pages, made)
    tom = pages.signed_in("team-manager")
    assert "The end of the dispute" not in tom.get(f"/approvals/{made.pk}/").content.decode()
    ended = tom.post(
        f"/approvals/{made.pk}/dispute/end/",
        {"outcome": Outcome.STANDS.value, "resolution": ENOUGH},
    )
    assert ended.status_code == 404
    assert Dispute.objects.get(request=made).ended_on is None


@pytest.mark.parametrize("reason", ["x", "ok fine!!!", "   a b c d e f g h i   "])
def test_a_resolution_needs_a_real_reason(pages, reason):
    """ "x" has 1 letter, "ok fine!!!" 6, and the spaced letters 9: each short of 10."""
    made = _approved_by_tom(pages)
    _disputed(pages, made)
    ended = pages.signed_in("director").post(
        f"/approvals/{made.pk}/dispute/end/",
        {"outcome": Outcome.STANDS.value, "resolution": reason},
    )
    assert ended.status_code == 200
    assert _problems(ended) == [
        "Enter how the dispute was resolved in at least 10 letters or numbers"
    ]
    assert Dispute.objects.get(request=made).ended_on is None


def test_the_director_ends_it_with_a_reason(pages):
    made = _approved_by_tom(pages)
    _disputed(pages, made)
    ended = pages.signed_in("director").post(
        f"/approvals/{made.pk}/dispute/end/",
        {"outcome": Outcome.STANDS.value, "resolution": "Panel agreed 10"},  # 13 letters/digits
    )
    assert ended.status_code == 302
    found = Dispute.objects.get(request=made)
    assert (found.ended_on, found.ended_by, found.outcome) == (
        pages.today,
        pages.world.users["dcs"],
        Outcome.STANDS,
    )
    html = pages.signed_in("iro").get("/reviews/").content.decode()
    assert "Disputes a decision" not in html


def test_a_dispute_from_before_holders_is_not_ended_by_who_approved_it(pages):
    """A dispute recorded before disputes were held has no holder: the approver ends it,
    unless they approved the decision themselves."""
    made = _approved_by_tom(pages)
    Dispute.objects.create(
        request=made, words="Not yet", raised_on=pages.today, raised_by=pages.world.users["yp"]
    )
    post = {"outcome": Outcome.STANDS.value, "resolution": ENOUGH}
    tom = pages.signed_in("team-manager")
    assert tom.post(f"/approvals/{made.pk}/dispute/end/", post).status_code == 404
    Request.objects.filter(pk=made.pk).update(decided_by=pages.world.users["sw"])
    assert tom.post(f"/approvals/{made.pk}/dispute/end/", post).status_code == 302
