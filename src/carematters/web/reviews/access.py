"""Who may do what with the IRO's work, by their relationship to the child
(`people.access`), with the site's one "page not found" for "no such thing" and "not
yours" alike:

- hear a child (record their views): their social worker, their named IRO, and the young
  person on their own record;
- hold, postpone a review, and raise or move on an escalation: the child's named IRO;
- see an escalation: the child's named IRO and the IRO who raised it, the team manager of
  the child's team, whoever holds one of its stages, and the director; a restricted
  record's only if it names them;
- the IRO's own page: an IRO; the IRO service's annual report: the director, the
  performance officer, the IROs (whose service it reports on, and whose manager writes
  it) and the Lead Member, whom Care Matters 2007 para 7.33b and REQUIREMENTS A3 give
  "the IRO information on care planning". The report holds figures only, no child and
  no IRO named (`reviews.report`), so it is fit for the Lead Member, who sees no
  child-level record.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from carematters.web.audit import log
from carematters.web.people import access
from carematters.web.people.access import NOT_FOUND, Purpose, Relationship, relationships_to
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.reviews.models import Escalation

HEARD_BY = frozenset({Relationship.ALLOCATED, Relationship.IRO, Relationship.OWN})
"""Who records what a child says: their social worker, their IRO, the young person."""
CHAIRED_BY = frozenset({Relationship.IRO})
"""Who holds, postpones and escalates: the child's named IRO."""
REPORT_READERS = frozenset({Role.DIRECTOR, Role.PERFORMANCE_OFFICER, Role.IRO, Role.LEAD_MEMBER})
"""Who reads the IRO service's annual report."""
ESCALATION_READERS = frozenset({Role.IRO, Role.TEAM_MANAGER, Role.DIRECTOR})
"""Who has a list of escalations: the IROs who raise them, the managers and director who
answer them."""


def _related(user: User, child: str, allowed: frozenset[Relationship]) -> frozenset[Relationship]:
    """`user`'s relationships to `child`; Http404 unless one of them is `allowed`."""
    related = relationships_to(user, child)
    if not related & allowed:
        raise Http404(NOT_FOUND)
    return related


def may_hear(user: User, child: str) -> bool:
    """Whether `user` may record `child`'s views."""
    return bool(relationships_to(user, child) & HEARD_BY)


def hearing(user: User, child: str) -> bool:
    """Check that `user` may record `child`'s views (Http404 if not), and say whether it
    is the young person writing their own."""
    return Relationship.OWN in _related(user, child, HEARD_BY)


def chairing(user: User, child: str) -> None:
    """Check that `user` is `child`'s named IRO today (Http404 if not)."""
    _related(user, child, CHAIRED_BY)


def is_named_iro(user: User, child: str) -> bool:
    """Whether `user` is `child`'s named IRO today."""
    return bool(relationships_to(user, child) & CHAIRED_BY)


def opened(user: User, child: str, what: str, allowed: frozenset[Relationship]) -> None:
    """Open `what` (a page, in words) of `child`'s record for one of the `allowed`
    relationships: Http404 if `user` has none, else the audit row saying they viewed it."""
    with transaction.atomic():
        _related(user, child, allowed)
        log.viewed(user, child, what)


def escalations_seen_by(user: User) -> QuerySet[Escalation]:
    """Every escalation `user` may see (see the module), newest first: one query."""
    if not user.is_authenticated or not user.is_active:
        return Escalation.objects.none()
    seen = Q(stages__holder=user)
    if user.role == Role.DIRECTOR:
        seen |= Q(child__in=access.children_visible_to(user).values("child"))
    if user.role == Role.TEAM_MANAGER:
        seen |= Q(child__in=access.team_children(user).values("child"))
    if user.role == Role.IRO:
        named = access.children_visible_to(user, Purpose.REVIEW).values("child")
        seen |= Q(child__in=named) | Q(raised_by=user)
    return Escalation.objects.filter(seen).exclude(access.barred(user)).distinct()


def escalation_for(user: User, pk: int) -> Escalation:
    """The escalation `pk`, if `user` may see it (Http404 if not, or if there is none)."""
    found = escalations_seen_by(user).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def reviews_children(user: User) -> bool:
    """Whether `user` has the IRO's page of the children they review: an IRO."""
    return user.is_authenticated and user.role == Role.IRO


def reads_escalations(user: User) -> bool:
    """Whether `user` has a list of escalations (see ESCALATION_READERS)."""
    return user.is_authenticated and user.role in ESCALATION_READERS


def reads_the_report(user: User) -> bool:
    """Whether `user` reads the IRO service's annual report."""
    return user.is_authenticated and user.role in REPORT_READERS
