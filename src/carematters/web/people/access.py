"""Who may see and change which child's record: one function per question.

Access follows the person's relationship to the child (WEB.md "Who sees what"), and each
relationship is defined once, as a condition on CHILD (`_children_related`); the same
definition answers "may this user open this child?" (a `rules` predicate, for one child)
and "which children may this user see?" (one query, for a list). A relationship holds
today, in London:

- ALLOCATED: the child's current social worker (SSDA903 social worker episode) is you;
- TEAM_MEMBER / TEAM_MANAGER: their current social worker or personal adviser is in a
  team you are in / manage, or they are in care with no social worker and their last
  one is (for a list, as `casework.unallocated` stores it);
- IRO: you are their current independent reviewing officer (the `iro` table);
- PERSONAL_ADVISER, DESIGNATED_TEACHER: an `Allocation` of you to them;
- VIRTUAL_SCHOOL: they are in care today, and you are the Virtual School Head;
- OWN: it is your own record (a young person);
- DIRECTOR, PERFORMANCE: every record;
- BREAK_GLASS: you gave a reason to open it today.

A `Purpose` (view, record, review, allocate, ...) is allowed by some of these. A
restricted record is seen only by the people it names, whatever the relationship.
"Not allowed" and "no such child" are the same `Http404`, so a URL never tells whether a
child exists.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache, reduce
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Now
from django.db.models.lookups import In
from django.http import Http404
from django.utils import timezone
from rules.predicates import Predicate
from rules.rulesets import add_rule

from carematters.web.audit import log
from carematters.web.casework.models import Episode, Header, IroAssignment, SocialWorkerEpisode
from carematters.web.casework.unallocated import Unallocated
from carematters.web.people.models import (
    Allocation,
    AllocationKind,
    BreakGlass,
    Membership,
    Restriction,
    Team,
    User,
    current_on,
)
from carematters.web.people.roles import Role
from carematters.web.statements import Statement, mark, statement_of

NOT_FOUND = "Page not found"
"""The one message for a child who does not exist and a child you may not see."""


class Relationship(StrEnum):
    """How a user stands to a child, in the order a page names it (the first that holds)."""

    OWN = "own"
    ALLOCATED = "allocated"
    PERSONAL_ADVISER = "personal-adviser"
    IRO = "iro"
    TEAM_MANAGER = "team-manager"
    TEAM_MEMBER = "team-member"
    DIRECTOR = "director"
    PERFORMANCE = "performance"
    VIRTUAL_SCHOOL = "virtual-school"
    DESIGNATED_TEACHER = "designated-teacher"
    BREAK_GLASS = "break-glass"


class Purpose(StrEnum):
    """What a user wants to do with a child's record."""

    VIEW = "view"
    """Open the record (every page of it)."""
    RECORD = "record"
    """Record casework: visits, plans, placements, legal status, missing, leaving care."""
    REVIEW = "review"
    """Record a review of the child's case."""
    ALLOCATE = "allocate"
    """Allocate or re-allocate the child's social worker."""
    EDUCATION = "education"
    """Open the education section (PEP, attendance, exclusions) only."""
    PEP = "pep"
    """Record (or correct) a personal education plan meeting: those who record casework,
    the Virtual School Head for any child in care, a designated teacher for their pupils."""
    PATHWAY_PLAN = "pathway-plan"
    """Record (or correct) a needs assessment, pathway plan or its review: the allocated
    social worker (an eligible child's plan is theirs while they are looked after) or
    the personal adviser."""
    ADVISE = "advise"
    """Record (or correct) a personal adviser's contact with a care leaver: their
    personal adviser only (the contact is theirs: PA_ID names them)."""
    ACCESS_LOG = "access-log"
    """See who viewed or changed the record."""


_VIEWERS = frozenset(Relationship) - {Relationship.VIRTUAL_SCHOOL, Relationship.DESIGNATED_TEACHER}
ALLOWED_BY: dict[Purpose, frozenset[Relationship]] = {
    Purpose.VIEW: _VIEWERS,
    # A personal adviser records a care leaver's contacts and pathway plan (WEB.md), not
    # what happens in care.
    Purpose.RECORD: frozenset({Relationship.ALLOCATED}),
    Purpose.PATHWAY_PLAN: frozenset({Relationship.ALLOCATED, Relationship.PERSONAL_ADVISER}),
    Purpose.REVIEW: frozenset({Relationship.ALLOCATED, Relationship.IRO}),
    Purpose.ALLOCATE: frozenset({Relationship.TEAM_MANAGER}),
    Purpose.EDUCATION: frozenset(Relationship),
    Purpose.PEP: frozenset(
        {
            Relationship.ALLOCATED,
            Relationship.PERSONAL_ADVISER,
            Relationship.VIRTUAL_SCHOOL,
            Relationship.DESIGNATED_TEACHER,
        }
    ),
    Purpose.ADVISE: frozenset({Relationship.PERSONAL_ADVISER}),
    Purpose.ACCESS_LOG: frozenset({Relationship.TEAM_MANAGER, Relationship.DIRECTOR}),
}
"""Which relationships allow each purpose: WEB.md's table, by relationship."""

BREAK_GLASS_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.IRO,
        Role.PERSONAL_ADVISER,
        Role.VIRTUAL_SCHOOL_HEAD,
        Role.DIRECTOR,
        Role.PERFORMANCE_OFFICER,
    }
)
"""Who may open a record outside their relationship by giving a reason: the authority's
own staff who work with children's records. Not the Lead Member (figures only), the
administrator (no child records), a young person, nor a designated teacher (who works for
a school, not the authority)."""


# Each relationship as a condition on CHILD: None where it cannot hold for this user.
# `one_child` says the condition will be asked of one child's row (opening a record)
# rather than of every child (a list): see `_among`.


def _today_q(start: str, end: str) -> Q:
    return current_on(start, end, timezone.localdate())


def _among(rows: QuerySet[Any, Any], one_child: bool) -> Q:
    """CHILD is one of the children of `rows` (any queryset of a model with a `child`
    field). For a list, `rows` are read once, as a list the children are looked up in;
    for one child, they are searched for that child alone, by its index: SQLite reads the
    whole list for `IN (subquery)` even to answer for one row, which for the children in
    care today of a 3,000-child authority cost ten times the rest of the question, on
    every page of a child's record."""
    if one_child:
        return Q(Exists(rows.filter(child=OuterRef("child"))))
    return Q(child__in=rows.values("child"))


def _social_workers_children(staff_ids: QuerySet[Any, Any] | list[str], one_child: bool) -> Q:
    episodes = SocialWorkerEpisode.objects.current().filter(
        _today_q("sw_decom", "sw_dec"), sw_id__in=staff_ids
    )
    return _among(episodes, one_child)


def _last_social_workers_children(staff_ids: QuerySet[Any, Any] | list[str], one_child: bool) -> Q:
    """Children looked after today with no social worker today whose last one (the
    latest begun) is one of `staff_ids`: that worker's team holds them until one is
    allocated, so that their team manager can allocate them and nobody loses sight of
    them meanwhile. Asked of one child's record itself; for a list, read from the
    stretches worked out with what is due (`casework.unallocated`, which says why)."""
    today = timezone.localdate()
    if not one_child:
        waiting = Unallocated.objects.filter(current_on("start", "end", today), sw_id__in=staff_ids)
        return _among(waiting, one_child)
    episodes = SocialWorkerEpisode.objects.current()
    in_care = Episode.objects.current().filter(_today_q("decom", "dec"))
    allocated = episodes.filter(_today_q("sw_decom", "sw_dec"))
    last = (
        episodes.filter(child=OuterRef("child"), sw_decom__lte=today)
        .order_by("-sw_decom", "-pk")
        .values("sw_id")[:1]
    )
    return (
        _among(in_care, one_child)
        & ~_among(allocated, one_child)
        & Q(In(Subquery(last), staff_ids))
    )


def _allocated_children(
    kind: AllocationKind, users: QuerySet[Any, Any] | list[int], one_child: bool
) -> Q:
    return _among(Allocation.objects.current().filter(kind=kind, user__in=users), one_child)


def _teams_children(teams: QuerySet[Any, Any], one_child: bool) -> Q:
    """Children whose current social worker or personal adviser is in one of `teams`, and
    those in care with no social worker now whose last one is."""
    members = Membership.objects.current().filter(team__in=teams)
    staff_ids = (
        User.objects.filter(pk__in=members.values("user")).exclude(staff_id="").values("staff_id")
    )
    advisers = members.values("user")
    return (
        _social_workers_children(staff_ids, one_child)
        | _last_social_workers_children(staff_ids, one_child)
        | _allocated_children(AllocationKind.PERSONAL_ADVISER, advisers, one_child)
    )


def _allocated(user: User, one_child: bool) -> Q | None:
    # A team manager may hold cases of their own, as many do.
    if user.role not in {Role.SOCIAL_WORKER, Role.TEAM_MANAGER} or not user.staff_id:
        return None
    return _social_workers_children([user.staff_id], one_child)


def _team_member(user: User, one_child: bool) -> Q | None:
    if user.role != Role.SOCIAL_WORKER:
        return None
    teams = Membership.objects.current().filter(user=user).values("team")
    return _teams_children(teams, one_child)


def _team_manager(user: User, one_child: bool) -> Q | None:
    if user.role != Role.TEAM_MANAGER:
        return None
    return _teams_children(Team.objects.filter(manager=user).values("pk"), one_child)


def _iro(user: User, one_child: bool) -> Q | None:
    if user.role != Role.IRO or not user.staff_id:
        return None
    named = IroAssignment.objects.current().filter(
        _today_q("start_date", "end_date"), iro_id=user.staff_id
    )
    return _among(named, one_child)


def _personal_adviser(user: User, one_child: bool) -> Q | None:
    if user.role != Role.PERSONAL_ADVISER:
        return None
    return _allocated_children(AllocationKind.PERSONAL_ADVISER, [user.pk], one_child)


def _designated_teacher(user: User, one_child: bool) -> Q | None:
    if user.role != Role.DESIGNATED_TEACHER:
        return None
    return _allocated_children(AllocationKind.DESIGNATED_TEACHER, [user.pk], one_child)


def _virtual_school(user: User, one_child: bool) -> Q | None:
    if user.role != Role.VIRTUAL_SCHOOL_HEAD:
        return None
    return _among(Episode.objects.current().filter(_today_q("decom", "dec")), one_child)


def _own(user: User, _one_child: bool) -> Q | None:
    if user.role != Role.YOUNG_PERSON or not user.child:
        return None
    return Q(child=user.child)


EVERY_CHILD = Q(child__isnull=False)
"""A condition every child meets (not `Q()`, which OR-ed with another condition vanishes)."""


def _every_record(role: Role) -> Callable[[User, bool], Q | None]:
    def every(user: User, _one_child: bool) -> Q | None:
        return EVERY_CHILD if user.role == role else None

    return every


def _break_glass(user: User, one_child: bool) -> Q | None:
    if user.role not in BREAK_GLASS_ROLES:
        return None
    # The database's clock, not this process's: the condition is then the same SQL at
    # every moment, so `relationships_to` can build it once a day.
    return _among(BreakGlass.objects.filter(user=user, until__gt=Now()), one_child)


_RELATED: dict[Relationship, Callable[[User, bool], Q | None]] = {
    Relationship.OWN: _own,
    Relationship.ALLOCATED: _allocated,
    Relationship.PERSONAL_ADVISER: _personal_adviser,
    Relationship.IRO: _iro,
    Relationship.TEAM_MANAGER: _team_manager,
    Relationship.TEAM_MEMBER: _team_member,
    Relationship.DIRECTOR: _every_record(Role.DIRECTOR),
    Relationship.PERFORMANCE: _every_record(Role.PERFORMANCE_OFFICER),
    Relationship.VIRTUAL_SCHOOL: _virtual_school,
    Relationship.DESIGNATED_TEACHER: _designated_teacher,
    Relationship.BREAK_GLASS: _break_glass,
}


def barred(user: User) -> Q:
    """Restricted children that `user` is not named on, as a condition on any model with
    a `child` field: exclude it from what they may see."""
    return Q(child__in=Restriction.objects.exclude(allowed=user).values("child"))


def _records() -> QuerySet[Header]:
    """Every child in the database: one Header row in force each."""
    return Header.objects.current()


# For one child: rules predicates, each one query at most.


def _relationship_predicate(relationship: Relationship) -> Predicate:
    related = _RELATED[relationship]

    def holds(user: User, child: str) -> bool:
        condition = related(user, True) if isinstance(user, User) else None
        return condition is not None and _records().filter(condition, child=child).exists()

    return Predicate(holds, name=f"is_{relationship.value.replace('-', '_')}")


def _is_barred(user: User, child: str) -> bool:
    """The child's record is restricted and does not name `user`."""
    restricted = Restriction.objects.filter(child=child)
    if isinstance(user, User):
        restricted = restricted.exclude(allowed=user)
    return restricted.exists()


is_barred = Predicate(_is_barred, name="is_barred")


def _is_a_child(_user: User, child: str) -> bool:
    """There is such a child in the record."""
    return _records().filter(child=child).exists()


is_a_child = Predicate(_is_a_child, name="is_a_child")


RELATED: dict[Relationship, Predicate] = {
    relationship: _relationship_predicate(relationship) for relationship in Relationship
}
"""Each relationship as a predicate (user, CHILD) -> bool."""


def _any_of(relationships: frozenset[Relationship]) -> Predicate:
    return reduce(operator.or_, (RELATED[r] for r in Relationship if r in relationships))


MAY: dict[Purpose, Predicate] = {
    purpose: ~is_barred & _any_of(allowed) for purpose, allowed in ALLOWED_BY.items()
}
"""Each purpose as a predicate (user, CHILD) -> bool, registered as the rule
`child.<purpose>` for templates: `{% test_rule "child.record" user child as can_record %}`."""


def _is_break_glass_role(user: User) -> bool:
    return isinstance(user, User) and user.role in BREAK_GLASS_ROLES


is_break_glass_role = Predicate(_is_break_glass_role, name="is_break_glass_role")


may_break_glass: Predicate = (
    is_break_glass_role & is_a_child & ~is_barred & ~_any_of(ALLOWED_BY[Purpose.VIEW])
)
"""`user` may open this child's record by giving a reason: one of the authority's staff,
the child in the record and not restricted (a restricted record is never opened that
way), and no relationship that would let them view it already."""


def _sees_figures(user: User) -> bool:
    """The authority's figures (counts, indicators, no child named): the director, the
    Lead Member, the performance officer, team managers and the Virtual School Head."""
    return isinstance(user, User) and user.role in {
        Role.DIRECTOR,
        Role.LEAD_MEMBER,
        Role.PERFORMANCE_OFFICER,
        Role.TEAM_MANAGER,
        Role.VIRTUAL_SCHOOL_HEAD,
    }


sees_figures = Predicate(_sees_figures, name="sees_figures")


def _manages_users(user: User) -> bool:
    """Adding users, changing their roles and teams: the administrator."""
    return isinstance(user, User) and user.role == Role.ADMINISTRATOR


manages_users = Predicate(_manages_users, name="manages_users")


def _exchanges_returns(user: User) -> bool:
    """Importing an SSDA903 return and exporting the record: the performance officer."""
    return isinstance(user, User) and user.role == Role.PERFORMANCE_OFFICER


exchanges_returns = Predicate(_exchanges_returns, name="exchanges_returns")


RULES: dict[str, Predicate] = {
    **{f"child.{purpose.value}": rule for purpose, rule in MAY.items()},
    "child.break-glass": may_break_glass,
    "figures": sees_figures,
    "users": manages_users,
    "returns": exchanges_returns,
}
"""The predicates by the names templates test them with (rules' shared rule set)."""
for _name, _rule in RULES.items():
    add_rule(_name, _rule)  # type: ignore[no-untyped-call]  # rules does not annotate it


@dataclass(frozen=True)
class ChildAccess:
    """A user's way into one child's record: which child, for what, by which relationship
    (the first that holds), and the break-glass it rests on, if that is the way in."""

    child: str
    purpose: Purpose
    relationship: Relationship
    break_glass: BreakGlass | None
    relationships: frozenset[Relationship]
    """Every relationship the user has to the child, so that a page asks what else they
    may do (`may`) without asking the database again."""

    def may(self, purpose: Purpose) -> bool:
        """Whether the user may also have `purpose` with this child's record."""
        return bool(self.relationships & ALLOWED_BY[purpose])


def relationships_to(
    user: User, child: str, among: frozenset[Relationship] = frozenset(Relationship)
) -> frozenset[Relationship]:
    """The relationships of `among` that `user` has to `child` today (none for a child who
    does not exist, or whose record is restricted and does not name them), in one query:
    the same conditions as `RELATED` and `children_visible_to`, asked together."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    question = _question(_Asker.of(user), timezone.localdate(), connection.vendor)
    if question is None:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(question.statement.sql, question.statement.params([child]))
        rows = cursor.fetchall()
    held = {
        r for row in rows for r, holds in zip(question.relationships, row, strict=True) if holds
    }
    return frozenset(held & among)


@dataclass(frozen=True)
class _Asker:
    """What the conditions of `_RELATED` read of a user: their key, role, staff id and,
    for a young person, their own CHILD id. Who they work with (teams, allocations,
    break-glass, restrictions) is not here: the statement asks the database for it."""

    pk: int
    role: Role
    staff_id: str
    child: str

    @classmethod
    def of(cls, user: User) -> _Asker:
        return cls(user.pk, Role(user.role), user.staff_id, user.child)

    def user(self) -> User:
        """A stand-in for the user, holding only what the conditions read."""
        return User(pk=self.pk, role=self.role, staff_id=self.staff_id, child=self.child)


@dataclass(frozen=True)
class _Question:
    """The query of `relationships_to` for one asker on one day, run with the child's id:
    a row per Header row of the child, a column per relationship in `relationships`
    (true where it holds)."""

    statement: Statement
    relationships: tuple[Relationship, ...]


@lru_cache(maxsize=4096)
def _question(asker: _Asker, today: date, vendor: str) -> _Question | None:
    """The query of `relationships_to` for `asker` on `today` (None: no relationship can
    hold), built by Django once per asker and day: building a query with a condition per
    relationship costs several times what running it does, on every page of a child.
    What the query depends on is all in the key (the day, and `vendor`, whose SQL it
    is); who works with whom is read by the query itself, each time it runs."""
    user = asker.user()
    conditions = {
        relationship: condition
        for relationship in Relationship
        if (condition := _RELATED[relationship](user, True)) is not None
    }
    if not conditions:
        return None
    rows = (
        _records()
        .filter(child=mark(0))
        .exclude(barred(user))
        .values_list(
            *(ExpressionWrapper(q, output_field=BooleanField()) for q in conditions.values())
        )
    )
    return _Question(statement_of(rows, [mark(0)]), tuple(conditions))


def child_for(user: User, child: str, purpose: Purpose = Purpose.VIEW) -> ChildAccess:
    """`user`'s access to `child` (a CHILD id) for `purpose`. Raises `Http404` alike when
    there is no such child and when the user may not: a page never says which. One query
    for the relationships (`relationships_to`), and one more for the reason when the way
    in is break-glass."""
    related = relationships_to(user, child)
    way_in = next((r for r in Relationship if r in related & ALLOWED_BY[purpose]), None)
    if way_in is None:
        raise Http404(NOT_FOUND)
    glass = (
        BreakGlass.objects.filter(user=user, child=child, until__gt=timezone.now())
        .order_by("-at")
        .first()
        if way_in is Relationship.BREAK_GLASS
        else None
    )
    return ChildAccess(child, purpose, way_in, glass, related)


def view_child(user: User, child: str, what: str, purpose: Purpose = Purpose.VIEW) -> ChildAccess:
    """Open `what` (a page, in words: "Chronology") of `child`'s record: `child_for`, then
    the audit row saying so (with the break-glass reason, if that is the way in), written
    before any of the record is read. Raises `Http404` as `child_for` does, writing
    nothing. The question is asked outside the write: on SQLite a transaction that writes
    holds the database's one write lock from its start, and every other page waits."""
    access = child_for(user, child, purpose)
    log.viewed(user, child, what, reason=access.break_glass.reason if access.break_glass else "")
    return access


def children_visible_to(user: User, purpose: Purpose = Purpose.VIEW) -> QuerySet[Header]:
    """The Header row of every child `user` may open for `purpose`, restricted records
    they are not named on left out: one query, however many children (filter or annotate
    it further; `.values_list("child", flat=True)` gives the CHILD ids). Empty for a user
    with no relationship to any child (the Lead Member, the administrator)."""
    if not user.is_authenticated or not user.is_active:
        return _records().none()
    conditions = [
        condition
        for relationship in ALLOWED_BY[purpose]
        if (condition := _RELATED[relationship](user, False)) is not None
    ]
    if not conditions:
        return _records().none()
    return _records().filter(reduce(operator.or_, conditions)).exclude(barred(user))


def team_children(user: User) -> QuerySet[Header]:
    """The children of the teams `user` manages (team manager) or is in (social worker),
    restricted records they are not named on left out: one query."""
    manages = user.role == Role.TEAM_MANAGER
    condition = _team_manager(user, False) if manages else _team_member(user, False)
    if condition is None:
        return _records().none()
    return _records().filter(condition).exclude(barred(user))


def child_ids_visible_to(user: User, purpose: Purpose = Purpose.VIEW) -> list[str]:
    """The CHILD ids of `children_visible_to(user, purpose)`, for a page that lists
    them: the same query, built once per user and day (`_list_statement`)."""
    return _child_ids(user, purpose)


def team_child_ids(user: User) -> list[str]:
    """The CHILD ids of `team_children(user)`, for a team's page: the same query, built
    once per user and day (`_list_statement`)."""
    return _child_ids(user, None)


def _child_ids(user: User, purpose: Purpose | None) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    statement = _list_statement(_Asker.of(user), timezone.localdate(), connection.vendor, purpose)
    if statement is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(()))
        return [child for (child,) in cursor.fetchall()]


@lru_cache(maxsize=4096)
def _list_statement(
    asker: _Asker, today: date, vendor: str, purpose: Purpose | None
) -> Statement | None:
    """The SQL and parameters of the CHILD ids of `children_visible_to` for `purpose`, or
    of `team_children` (`purpose` None), for `asker` on `today` (None: no child can be
    among them). Built once per asker and day, as `_question` is and for its reason: for
    a team, Django took three times as long to build the query as the database to run
    it."""
    user = asker.user()
    rows = team_children(user) if purpose is None else children_visible_to(user, purpose)
    try:
        return statement_of(rows.values_list("child", flat=True), [])
    except EmptyResultSet:
        return None


def broken_glass_on(children: Iterable[str]) -> QuerySet[BreakGlass]:
    """Every opening by break-glass of the records of `children` (CHILD ids the caller
    may show them for: for a team manager's page, their team's children as it is now, as
    `team_children` gives them, restricted records they are not named on left out),
    newest first. One query (the user's name joined in)."""
    glass = BreakGlass.objects.filter(child__in=sorted(set(children)))
    return glass.select_related("user").order_by("-at", "-id")
