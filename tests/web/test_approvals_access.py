"""Who may see and do what with decisions that need approval: every page and action
against every role, from the permission matrix (tests/web/permissions.py): the page where
the matrix says Y, "page not found" where it says N (the same as for no such child); and
the lists agree with the one-child checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from carematters.web.approvals import access, actions
from carematters.web.approvals.models import Request, State
from carematters.web.audit.models import Action, Event
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from tests.web.approvals_world import approved
from tests.web.permissions import (
    CHILDREN,
    MATRIX,
    PAGES,
    ROLES,
    World,
    build_world,
    sent_to_own_page,
)
from tests.web.recording_world import date_fields

pytestmark = pytest.mark.django_db

MINE = ("ask-decision", "decisions", "approvals")
"""The matrix's questions with a page of this app."""
ROWS = [row for row in MATRIX if row.question in MINE]


@pytest.fixture
def world() -> World:
    return build_world()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _requests(world: World) -> dict[str, Request]:
    """A request waiting for a decision about each child who exists, for the team manager."""
    made = {}
    for name, child in CHILDREN.items():
        if name == "NOBODY":
            continue
        request = approved(child, world.today)
        Request.objects.filter(pk=request.pk).update(
            state=State.WAITING, approver=Role.TEAM_MANAGER.value, decided_by=None, decided_on=None
        )
        made[child] = Request.objects.get(pk=request.pk)
    return made


def _expect(response, allowed: bool, sent: str | None = None) -> str | None:
    """What is wrong with `response`, if anything: the page where `allowed`, unless the
    young person is `sent` to their own page instead; else "page not found"."""
    if allowed and sent is not None:
        if response.status_code == 302 and response["Location"] == sent:
            return None
        return f"{response.status_code}, expected to be sent to {sent}"
    if allowed:
        return None if response.status_code == 200 else f"{response.status_code}, expected 200"
    if response.status_code != 404 or "Page not found" not in response.content.decode():
        return f"{response.status_code}, expected 404"
    return None


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_each_page_for_each_role(world, row):
    url = PAGES[row.question].format(child=row.child)
    wrong = [
        f"{role}: {problem}"
        for role, allowed in row.expected.items()
        if (
            problem := _expect(
                _client(world.users[role]).get(url), allowed, sent_to_own_page(role, url)
            )
        )
    ]
    assert wrong == []


def test_a_request_is_seen_by_whoever_sees_the_childs_decisions(world):
    made = _requests(world)
    for row in (r for r in MATRIX if r.question == "decisions" and r.child in made):
        request = made[row.child]
        for role, allowed in row.expected.items():
            response = _client(world.users[role]).get(f"/approvals/{request.pk}/")
            # The young person reads about their own record on pages written to them.
            own = role == "yp" and row.child == CHILDREN["ALLOCATED"]
            assert _expect(response, allowed, "/my-record/" if own else None) is None, (row, role)
    assert _client(world.users["dcs"]).get("/approvals/999999/").status_code == 404


@pytest.mark.parametrize("role", list(ROLES))
def test_the_lists_hold_exactly_what_each_may_see_and_decide(world, role):
    made = _requests(world)
    user = world.users[role]
    seen = set(access.requests_seen_by(user).values_list("child", flat=True))
    assert seen == {child for child in made if access.may_see(user, child)}
    waiting = set(access.waiting_on(user).values_list("child", flat=True))
    assert waiting == {child for child, r in made.items() if access.may_decide(user, r)}


def test_only_the_approver_decides_only_the_social_worker_consults(world):
    request = _requests(world)[CHILDREN["ALLOCATED"]]
    decide = {"did": "returned", "reason": "More", "version": str(request.version)}
    consult = {"who": "host-authority", "name": "Zedshire", **date_fields("on", world.today)}
    for role in ROLES:
        client = _client(world.users[role])
        decided = client.post(f"/approvals/{request.pk}/decide/", decide)
        assert (decided.status_code == 302) is (role == "tm"), role
        consulted = client.post(f"/approvals/{request.pk}/consult/", {**consult, "said": "Yes"})
        assert (consulted.status_code == 302) is (role == "sw"), role
        request.refresh_from_db()
        decide["version"] = str(request.version)


def test_a_dispute_is_recorded_by_the_young_person_their_social_worker_or_iro(world):
    child = CHILDREN["ALLOCATED"]
    for role in ROLES:
        made = approved(child, world.today)
        Request.objects.filter(pk=made.pk).update(gates=["gate.cease.nominated_officer"])
        response = _client(world.users[role]).post(
            f"/approvals/{made.pk}/dispute/",
            {"words": "Not ready", "held_by": str(world.users["tm"].pk)},
        )
        assert (response.status_code == 302) is (role in {"sw", "iro", "yp"}), role
        Request.objects.filter(pk=made.pk).update(state=State.REFUSED)


def test_opening_a_request_or_a_childs_decisions_is_a_view_of_their_record(world):
    request = _requests(world)[CHILDREN["ALLOCATED"]]
    client = _client(world.users["tm"])
    client.get(f"/children/{CHILDREN['ALLOCATED']}/decisions/")
    client.get(f"/approvals/{request.pk}/")
    viewed = Event.objects.filter(action=Action.VIEWED, user=world.users["tm"]).order_by("at", "id")
    assert [e.what for e in viewed] == [
        "Decisions that need approval",
        f"Decision that needs approval: Leaving care on {world.today.day} {world.today:%B %Y}",
    ]
    assert {e.child for e in viewed} == {CHILDREN["ALLOCATED"]}


def _asking(world: World) -> dict[str, Request]:
    """A move in year 10 waiting for a decision about each child who exists: it needs
    their IRO and the designated teacher consulted."""
    made = _requests(world)
    Request.objects.filter(pk__in=[r.pk for r in made.values()]).update(
        decision="placement-move", gates=["gate.move.years_10_11"]
    )
    return {child: Request.objects.get(pk=r.pk) for child, r in made.items()}


def test_only_the_childs_iro_and_designated_teacher_answer_for_themselves(world):
    """The answer page, and an answer posted to it, for each role against each child, as
    the matrix's `answer` rows say; the social worker's consultation form cannot stand
    in for them (they are not among its choices, and a post naming them is refused)."""
    made = _asking(world)
    for row in (r for r in MATRIX if r.question == "answer"):
        request = made[row.child]
        for role, allowed in row.expected.items():
            client = _client(world.users[role])
            page = client.get(f"/approvals/{request.pk}/answer/")
            assert _expect(page, allowed) is None, (row, role)
            posted = client.post(
                f"/approvals/{request.pk}/answer/", {"answer": "Fine", "answer_agrees": "yes"}
            )
            assert (posted.status_code == 302) is allowed, (row, role)
    answered = made[CHILDREN["ALLOCATED"]].consultations.order_by("id")
    assert [(c.who, c.recorded_by.username, c.own_answer) for c in answered] == [
        ("iro", "iro", True),
        ("designated-teacher", "designated-teacher", True),
    ]
    consult = {"who": "iro", "name": "Ivy", **date_fields("on", world.today), "said": "Yes"}
    refused = _client(world.users["sw"]).post(
        f"/approvals/{made[CHILDREN['ALLOCATED']].pk}/consult/", consult
    )
    assert refused.status_code == 200
    assert [p.text for p in refused.context["problems"]] == ["Select who was consulted"]
    with pytest.raises(ValidationError) as by_the_action:
        actions.record_consultation(
            made[CHILDREN["ALLOCATED"]].pk,
            who="designated-teacher",
            name="x",
            on=world.today,
            said="I object to this move",
            agrees=False,
            acting_user=world.users["sw"],
        )
    assert by_the_action.value.message_dict == {
        "who": [
            "The designated teacher gives their own answer, signed in, on this request's "
            "page: select who else was consulted"
        ]
    }


def test_a_request_needing_neither_is_answered_by_nobody(world):
    """Ending their care needs the IRO consulted, not the designated teacher."""
    request = _requests(world)[CHILDREN["ALLOCATED"]]
    Request.objects.filter(pk=request.pk).update(gates=["gate.cease.nominated_officer"])
    assert _client(world.users["iro"]).get(f"/approvals/{request.pk}/answer/").status_code == 200
    assert _client(world.users["dt"]).get(f"/approvals/{request.pk}/answer/").status_code == 404


@pytest.mark.parametrize("role", list(ROLES))
def test_the_list_waiting_for_an_answer_holds_exactly_what_each_answers(world, role):
    made = _asking(world)
    user = world.users[role]
    waiting = {r.child for r in access.waiting_for_answer(user)}
    assert waiting == {child for child, r in made.items() if access.answers_as(user, r)}
    if role in {"iro", "dt"}:
        assert waiting == {CHILDREN["ALLOCATED"]}
