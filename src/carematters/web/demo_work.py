"""The demo's work in progress on its first day, so that the pages showing it have
something to show: the IRO's concerns about the plans of children in `team-manager`'s
team (one left with the team manager, one taken to the director, one resolved), and a
colleague of `social-worker` asking to end a child's care, waiting for approval.

Each is made through the same actions a person's pages use, as the demo user who would
do it, so it is audited like any other work. The children are colleagues' children,
not `social-worker`'s own, whose caseload a newcomer tries things on first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from carematters.duties.decisions import Decision
from carematters.web.approvals.actions import Asked, ask_for_decision
from carematters.web.casework.models import SocialWorkerEpisode
from carematters.web.people import access
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.reviews.actions import close_escalation, move_escalation, raise_escalation
from carematters.web.reviews.models import Escalation, Outcome

FollowUp = Callable[[Escalation, dict[str, User], date], object]


def _left_with_the_team_manager(_: Escalation, __: dict[str, User], ___: date) -> None:
    """Stage 1 stays open, with the team manager."""


def _taken_to_the_director(raised: Escalation, people: dict[str, User], _: date) -> None:
    move_escalation(
        raised,
        stage=3,
        holder=people[Role.DIRECTOR.value],
        response="",
        seen_stage=1,
        acting_user=people[Role.IRO.value],
    )


def _resolved(raised: Escalation, people: dict[str, User], day: date) -> None:
    close_escalation(
        raised,
        outcome=Outcome.RESOLVED,
        closed_on=day,
        resolution="The plan was reviewed with the new school's designated teacher.",
        cafcass_reference="",
        response="A review of their education plan is booked.",
        seen_stage=1,
        acting_user=people[Role.IRO.value],
    )


CONCERNS: tuple[tuple[str, FollowUp], ...] = (
    (
        "Their plan says they see their brother every fortnight. They have not seen him "
        "since the summer, and nobody has said why.",
        _left_with_the_team_manager,
    ),
    (
        "The plan for permanence has drifted past two reviews: no one has been asked to "
        "look for a long-term foster home.",
        _taken_to_the_director,
    ),
    (
        "Their personal education plan has not been updated since they changed school.",
        _resolved,
    ),
)
"""What the IRO is concerned about, one concern per child (fictional), and what became
of it."""

WHY_END_CARE = (
    "Their mother has finished the parenting course the plan asked for, the family "
    "support worker visits weekly, and they want to go home."
)
ASKED_AHEAD = timedelta(days=14)
"""How far ahead of the demo's first day the colleague asks to end a child's care."""


def _current_social_workers(children: set[str], day: date) -> dict[str, str]:
    """Each child's social worker (SW_ID) on `day`, of `children` that have one."""
    episodes = (
        SocialWorkerEpisode.objects.current()
        .filter(child__in=children, sw_decom__lte=day)
        .exclude(sw_dec__lte=day)
    )
    return {
        child: sw_id for child, sw_id in episodes.values_list("child", "sw_id") if child and sw_id
    }


def start_work(day: date) -> None:
    """The IRO's concerns and one request for approval, as the module says. Made once,
    when the demo's users are made; what the demo has no child for is passed over."""
    people = {u.username: u for u in User.objects.filter(username__in=list(Role.values))}
    iro, manager = people[Role.IRO.value], people[Role.TEAM_MANAGER.value]
    own = people[Role.SOCIAL_WORKER.value].staff_id
    team = {c for c in access.team_children(manager).values_list("child", flat=True) if c}
    workers = _current_social_workers(team, day)
    colleagues = sorted(child for child, sw_id in workers.items() if sw_id != own)
    reviewed = set(access.children_visible_to(iro).values_list("child", flat=True))
    concerned = [child for child in colleagues if child in reviewed][: len(CONCERNS)]
    for child, (concern, follow_up) in zip(concerned, CONCERNS, strict=False):
        raised = raise_escalation(child, concern=concern, stage=1, holder=manager, acting_user=iro)
        follow_up(raised, people, day)
    _ask_to_end_care([c for c in colleagues if c not in concerned], workers, day)


def _ask_to_end_care(children: list[str], workers: dict[str, str], day: date) -> None:
    """The first of `children` whose care its social worker can ask to end a fortnight
    on (looked after then, and long enough that it needs approval) is asked for."""
    staff = {u.staff_id: u for u in User.objects.filter(staff_id__in=set(workers.values()))}
    asked = Asked(decision=Decision.CEASE_CARE.value, on=day + ASKED_AHEAD, why=WHY_END_CARE)
    for child in children:
        try:
            ask_for_decision(child, asked, acting_user=staff[workers[child]])
        except ValidationError:
            continue  # not looked after then, or needing no approval: the next child
        return
