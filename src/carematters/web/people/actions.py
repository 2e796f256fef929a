"""Every write about people: users, teams, allocations, break-glass and restrictions.

Each runs in one transaction with the audit row it owes (a change to who may see a
child is a change to that child's record's history), and refuses bad input with a
`ValidationError` whose messages name the field, in words a form can show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from carematters.web.audit import log
from carematters.web.audit.models import Action, Event
from carematters.web.casework.models import Header
from carematters.web.people.access import NOT_FOUND, RELATED, Relationship, may_break_glass
from carematters.web.people.models import (
    Allocation,
    AllocationKind,
    BreakGlass,
    Membership,
    Restriction,
    Team,
    User,
)
from carematters.web.people.roles import Role

IN_TEAMS = frozenset({Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER})
"""Who works in a team: a team's children are its social workers' and personal advisers'."""
ALLOCATED_AS = {
    AllocationKind.PERSONAL_ADVISER: Role.PERSONAL_ADVISER,
    AllocationKind.DESIGNATED_TEACHER: Role.DESIGNATED_TEACHER,
}
"""The role a person must have to be allocated to a child as each kind."""


def _name(name: str) -> tuple[str, str]:
    """A full name as given and family names: the last word is the family name."""
    given, _, family = name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


def create_user(
    username: str,
    role: str,
    password: str,
    *,
    name: str = "",
    staff_id: str = "",
    child: str = "",
) -> User:
    """Add someone who signs in. `role` is one of `Role`'s values (e.g. "social-worker");
    `staff_id` is the id the care record uses for them (SW_ID, IRO_ID); a young person
    signs in as their own record, `child` (a CHILD id the record has). The password is
    checked by the site's password validators. Raises ValidationError naming each field
    that is wrong (unknown role, username or staff id taken, weak password, ...)."""
    if role not in Role.values:
        raise ValidationError(
            {"role": f"There is no role called {role!r}. Roles: {', '.join(Role.values)}."}
        )
    if role == Role.YOUNG_PERSON and child and not Header.objects.filter(child=child).exists():
        raise ValidationError({"child": f"There is no child {child} in the record."})
    given, family = _name(name)
    user = User(
        username=username,
        role=role,
        first_name=given,
        last_name=family,
        staff_id=staff_id.strip(),
        child=child.strip(),
    )
    problems: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude={"password"})
    except ValidationError as error:
        problems.update(error.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as error:
        problems.setdefault("password", []).extend(error.messages)
    if problems:
        raise ValidationError(problems)
    user.set_password(password)
    user.save()
    return user


def join_team(user: User, team: Team, start: date) -> Membership:
    """Put a social worker or personal adviser in `team` from `start`, ending the team
    they were in the day before (`start` is the first day in the new one). Raises
    ValidationError for anyone else, or a start not after their last team's."""
    if user.role not in IN_TEAMS:
        raise ValidationError({"user": "Only social workers and personal advisers are in teams."})
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(user=user, end__isnull=True)
        for membership in current:
            if membership.start >= start:
                raise ValidationError(
                    {
                        "start": f"{user} joined {membership.team} on "
                        f"{membership.start:%d/%m/%Y}; a move must start after that."
                    }
                )
            membership.end = start
            membership.save(update_fields=["end"])
        return Membership.objects.create(team=team, user=user, start=start)


def place_in_team(user: User, name: str, day: date) -> Team:
    """Put `user` in the team called `name` from `day`, making the team if there is none:
    a team manager manages it, a social worker or personal adviser joins it (leaving the
    team they were in, see `join_team`). Raises ValidationError (on "team") for anyone
    else, a blank name, or a team another manager already manages."""
    name = name.strip()
    if not name:
        raise ValidationError({"team": "Give the team's name."})
    if user.role != Role.TEAM_MANAGER and user.role not in IN_TEAMS:
        raise ValidationError(
            {"team": "Only social workers, personal advisers and team managers are in teams."}
        )
    with transaction.atomic():
        team, _ = Team.objects.select_for_update().get_or_create(name=name)
        if user.role != Role.TEAM_MANAGER:
            join_team(user, team, day)
        elif team.manager is not None and team.manager != user:
            raise ValidationError({"team": f"{team} is managed by {team.manager} already."})
        else:
            team.manager = user
            team.save(update_fields=["manager"])
    return team


def allocate(
    kind: AllocationKind,
    user: User,
    starts: Mapping[str, date],
    *,
    acting_user: User | None,
) -> list[Allocation]:
    """Allocate `user` as personal adviser or designated teacher to each child of `starts`
    (CHILD id: the first day), in one transaction, each with its audit row. A child's
    allocation of that kind to someone else ends the day the new one starts (kept, with
    its end; a child has one personal adviser, one designated teacher). Raises
    ValidationError, allocating nobody, if the user's role is not that kind, a child is
    not in the record, or a new start is not after the one it replaces."""
    if user.role != ALLOCATED_AS[kind]:
        raise ValidationError(
            {"user": f"Only a {ALLOCATED_AS[kind].label.lower()} can be allocated as one."}
        )
    known = set(Header.objects.filter(child__in=list(starts)).values_list("child", flat=True))
    if missing := sorted(set(starts) - known):
        raise ValidationError({"children": f"Not in the record: {', '.join(missing)}."})
    with transaction.atomic():
        replaced = list(
            Allocation.objects.select_for_update()
            .select_related("user")
            .filter(kind=kind, child__in=list(starts), end__isnull=True)
        )
        if early := sorted(a.child for a in replaced if a.start >= starts[a.child]):
            raise ValidationError(
                {"start": f"Must be after the current allocation's start for {', '.join(early)}."}
            )
        for old in replaced:
            old.end = starts[old.child]
        Allocation.objects.bulk_update(replaced, ["end"])
        before = {
            a.child: {"user": a.user.username, "start": a.start.isoformat()} for a in replaced
        }
        allocations = Allocation.objects.bulk_create(
            Allocation(kind=kind, user=user, child=child, start=start)
            for child, start in starts.items()
        )
        Event.objects.bulk_create(
            Event(
                user=acting_user,
                child=child,
                action=Action.ALLOCATED,
                what=AllocationKind(kind).label,
                before=before.get(child),
                after={"user": user.username, "start": start.isoformat()},
            )
            for child, start in starts.items()
        )
    return allocations


def _end_of_today() -> datetime:
    """Midnight at the end of today, in London."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def break_glass(user: User, child: str, reason: str) -> BreakGlass:
    """Let `user` see `child`'s record (not change it) until midnight, because of
    `reason`: the break-glass row and its audit row, in one transaction. Raises Http404
    when the user may not (no such child, a restricted record, a role that never may:
    the Lead Member, the administrator, a young person, a designated teacher), as for a
    record they cannot see; ValidationError for a blank reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you need to open this record."})
    with transaction.atomic():
        if not may_break_glass.test(user, child):
            raise Http404(NOT_FOUND)
        glass = BreakGlass.objects.create(
            user=user, child=child, reason=reason, until=_end_of_today()
        )
        log.broke_glass(user, child, reason)
    return glass


def restrict(child: str, reason: str, allowed: Sequence[User], *, acting_user: User) -> Restriction:
    """Restrict `child`'s record to the people `allowed` and `acting_user` (who is always
    named, so as not to lock themselves out). The director or the child's team manager
    may. Raises Http404 for anyone else or no such child, ValidationError for a blank
    reason or a record already restricted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this record is restricted."})
    named = {acting_user, *allowed}
    with transaction.atomic():
        if not (
            RELATED[Relationship.DIRECTOR].test(acting_user, child)
            or RELATED[Relationship.TEAM_MANAGER].test(acting_user, child)
        ):
            raise Http404(NOT_FOUND)
        if Restriction.objects.filter(child=child).exists():
            raise ValidationError({"child": "This record is already restricted."})
        restriction = Restriction.objects.create(child=child, reason=reason, by=acting_user)
        restriction.allowed.set(named)
        log.restricted(acting_user, child, reason, sorted(u.username for u in named))
    return restriction
