"""Who may do what with decisions that need approval, by their relationship to the child
(`people.access`), with the site's one "page not found" for "no such thing" and "not
yours" alike:

- ask for a decision, and record who was consulted (the young person, the host
  authority, someone else): the child's allocated social worker;
- answer a request as the person consulted: the child's named IRO and their designated
  teacher, each for a request that needs them consulted (`answers_as`); the designated
  teacher sees that request's answer page only, not the child's record;
- decide (approve, refuse, return): the approver the request names, for that child: the
  team manager of the child's team, or the director; the same ends a dispute;
- see a child's requests: their social worker, their team manager, the director, their
  IRO (who is consulted and chairs the review a decision may need), and the young person
  themselves;
- record that the young person disputes a decision (where its gates allow it): the young
  person, their social worker or their IRO;
- a restricted record's only if it names them (as everywhere).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from carematters.duties.decisions import Safeguard
from carematters.web.approvals.models import OPEN, Consulted, Request, State
from carematters.web.approvals.safeguards import latest, needs_of
from carematters.web.audit import log
from carematters.web.people import access
from carematters.web.people.access import NOT_FOUND, Purpose, Relationship, relationships_to
from carematters.web.people.models import User
from carematters.web.people.roles import Role

ASKED_BY = frozenset({Relationship.ALLOCATED})
"""Who asks for a decision and records consultations: the child's social worker."""
SEEN_BY = frozenset(
    {
        Relationship.ALLOCATED,
        Relationship.TEAM_MANAGER,
        Relationship.DIRECTOR,
        Relationship.IRO,
        Relationship.OWN,
    }
)
"""Who sees a child's requests."""
DISPUTED_BY = frozenset({Relationship.OWN, Relationship.ALLOCATED, Relationship.IRO})
"""Who records that the young person disputes a decision."""
DECIDED_BY = {
    Role.TEAM_MANAGER.value: Relationship.TEAM_MANAGER,
    Role.DIRECTOR.value: Relationship.DIRECTOR,
}
"""The relationship to the child that makes a user the approver a request names."""

LISTED_BY: dict[Role, tuple[Purpose, ...]] = {
    Role.SOCIAL_WORKER: (Purpose.RECORD,),
    Role.TEAM_MANAGER: (Purpose.RECORD, Purpose.ALLOCATE),
    Role.IRO: (Purpose.REVIEW,),
    Role.DIRECTOR: (Purpose.VIEW,),
    Role.YOUNG_PERSON: (Purpose.VIEW,),
}
"""SEEN_BY as the purposes whose children each role's user sees, so that a list is one
query (`people.access.children_visible_to`): for these roles, recording means the
ALLOCATED relationship, allocating TEAM_MANAGER, reviewing IRO, viewing DIRECTOR and OWN
(a test holds the list to the one-child check)."""


def _related(user: User, child: str) -> frozenset[Relationship]:
    return relationships_to(user, child) if user.is_authenticated else frozenset()


def may_ask(user: User, child: str) -> bool:
    """Whether `user` may ask for a decision about `child`."""
    return bool(_related(user, child) & ASKED_BY)


def may_see(user: User, child: str) -> bool:
    """Whether `user` may see `child`'s requests."""
    return bool(_related(user, child) & SEEN_BY)


def may_decide(user: User, request: Request) -> bool:
    """Whether `user` is the approver `request` names, for its child, today."""
    needed = DECIDED_BY.get(request.approver)
    return needed is not None and needed in _related(user, request.child)


def approvers_for(child: str, approver: str) -> list[User]:
    """The people who decide a request about `child` that names `approver` (a role),
    today: the team manager of the child's team, or the director (none for a restricted
    record that does not name them). A query for each person with that role."""
    needed = DECIDED_BY.get(approver)
    people = User.objects.filter(role=approver, is_active=True).order_by("last_name", "username")
    return [person for person in people if needed in relationships_to(person, child)]


ANSWERED_BY: dict[Relationship, tuple[Consulted, Safeguard]] = {
    Relationship.IRO: (Consulted.IRO, Safeguard.IRO_CONSULTED),
    Relationship.DESIGNATED_TEACHER: (Consulted.DESIGNATED_TEACHER, Safeguard.TEACHER_CONSULTED),
}
"""Who answers a request for themselves: the relationship to the child, as whom they
answer, and the safeguard that asks for them."""


def answers_as(user: User, request: Request) -> Consulted | None:
    """As whom `user` answers `request` (the child's named IRO, or their designated
    teacher), if its gates need that person consulted; None if they do not answer it."""
    related = _related(user, request.child)
    needs = needs_of(request)
    for relationship, (who, safeguard) in ANSWERED_BY.items():
        if relationship in related and safeguard in needs:
            return who
    return None


ASKED_OF: dict[Role, tuple[Purpose, Relationship]] = {
    Role.IRO: (Purpose.REVIEW, Relationship.IRO),
    Role.DESIGNATED_TEACHER: (Purpose.EDUCATION, Relationship.DESIGNATED_TEACHER),
}
"""ANSWERED_BY by role: the purpose whose children each role's user answers for (the
IRO's children, the designated teacher's pupils), and the relationship that makes them
the one who answers (a test holds the list to `answers_as`)."""


def waiting_for_answer(user: User) -> list[Request]:
    """The open requests `user` answers (`answers_as`) and has not answered yet, oldest
    first: two queries."""
    asked = ASKED_OF.get(Role(user.role)) if user.is_authenticated else None
    if asked is None:
        return []
    purpose, relationship = asked
    who, safeguard = ANSWERED_BY[relationship]
    children = access.children_visible_to(user, purpose).values("child")
    found = (
        Request.objects.filter(state__in=OPEN, child__in=children)
        .order_by("asked_on", "id")
        .prefetch_related("consultations")
    )
    return [
        request
        for request in found
        if safeguard in needs_of(request) and latest(request.consultations.all(), who) is None
    ]


def may_dispute(user: User, child: str) -> bool:
    """Whether `user` may record that `child` disputes a decision about them."""
    return bool(_related(user, child) & DISPUTED_BY)


def opened(user: User, child: str, what: str) -> None:
    """Open `what` (a page, in words) of `child`'s requests: Http404 unless `user` may
    see them, else the audit row saying they viewed it."""
    with transaction.atomic():
        if not may_see(user, child):
            raise Http404(NOT_FOUND)
        log.viewed(user, child, what)


def requests_seen_by(user: User) -> QuerySet[Request]:
    """Every request `user` may see, newest first: one query."""
    purposes = LISTED_BY.get(Role(user.role), ()) if user.is_authenticated else ()
    if not purposes:
        return Request.objects.none()
    seen = Q()
    for purpose in purposes:
        seen |= Q(child__in=access.children_visible_to(user, purpose).values("child"))
    return Request.objects.filter(seen)


DECIDES_FOR: dict[Role, Purpose] = {
    Role.TEAM_MANAGER: Purpose.ALLOCATE,
    Role.DIRECTOR: Purpose.VIEW,
}
"""DECIDED_BY as the purpose whose children each approver decides for: the team
manager's team's children, and every child for the director."""


def waiting_on(user: User) -> QuerySet[Request]:
    """The requests waiting for `user`'s decision (those naming their role as approver,
    about children they decide for), oldest first: one query."""
    purpose = DECIDES_FOR.get(Role(user.role)) if user.is_authenticated else None
    if purpose is None:
        return Request.objects.none()
    children = access.children_visible_to(user, purpose).values("child")
    return Request.objects.filter(
        approver=user.role, state=State.WAITING, child__in=children
    ).order_by("asked_on", "id")


def request_for(user: User, pk: int) -> Request:
    """The request `pk`, if `user` may see it (Http404 if not, or if there is none)."""
    found = Request.objects.filter(pk=pk).first()
    if found is None or not may_see(user, found.child):
        raise Http404(NOT_FOUND)
    return found
