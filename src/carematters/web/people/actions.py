"""Every write about people: users, teams, allocations, break-glass and restrictions.

Each runs in one transaction with the audit row it owes, and refuses bad input with a
`ValidationError` whose messages name the field, in words a form can show. A change to
who may see a child is a change to that child's record's history, so it is audited
against the child; a change to a user or a team is audited against no child (or, for a
young person's own account, against the record they sign in as), its before and after
naming the user (`account`, their username) or the team (`team`, its name), so that
their page can show their history. `acting_user` is who made the change: None for the
command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from rules.predicates import Predicate
from rules.rulesets import add_rule

from carematters.web.audit import log
from carematters.web.audit.models import Action, Event
from carematters.web.casework.models import Header
from carematters.web.people.access import (
    NOT_FOUND,
    Relationship,
    is_break_glass_role,
    may_break_glass,
    relationships_to,
)
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
STAFF_ID_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.PERSONAL_ADVISER})
"""Who the care record knows by a staff id: SSDA903's SW_ID (a social worker, or a team
manager who holds cases), the IRO_ID and the PA_ID of the extension tables."""
RESERVED_USERNAMES = frozenset({"add", "teams"})
"""Usernames that are the addresses of the administrator's pages (/users/add/,
/users/teams/), so no user's page could be reached at /users/<username>/."""
RESTRICTS = frozenset({Relationship.DIRECTOR, Relationship.TEAM_MANAGER})
"""Who may restrict a child's record, change who it names and lift it: the director, or
the child's team manager (and, once it is restricted, only if it names them)."""
NEVER_NAMED = frozenset({Role.ADMINISTRATOR, Role.LEAD_MEMBER})
"""Roles that never see a child's record, so naming them on a restriction means nothing."""


def _name(name: str) -> tuple[str, str]:
    """A full name as given and family names: the last word is the family name."""
    given, _, family = name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


def _account(user: User, **values: Any) -> dict[str, Any]:
    """An audit row's before or after for a change to `user`: their username, and the
    values changed."""
    return {"account": user.username, **values}


def _audit_account(
    acting_user: User | None,
    user: User,
    action: Action,
    what: str,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    # A young person's account opens their record: a change to it is in the record's
    # history too (their `child`); a member of staff's is about no one child ("").
    log.changed(acting_user, user.child, action, what, before=before, after=after)


def _staff_id_refused(role: str, staff_id: str, kept: str = "") -> str | None:
    """Why `role` may not have `staff_id`, or None. A staff id already held (`kept`) stays
    whatever the role, so the record's entries still name the person."""
    if not staff_id or staff_id == kept or role in STAFF_ID_ROLES:
        return None
    return "Only social workers, team managers, IROs and personal advisers have a staff id."


def create_user(
    username: str,
    role: str,
    password: str,
    *,
    name: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    staff_id: str = "",
    child: str = "",
    acting_user: User | None = None,
) -> User:
    """Add someone who signs in, audited. `role` is one of `Role`'s values (e.g.
    "social-worker"); their name is `first_name` and `last_name`, or else `name` (a full
    name: the last word is the family name); `staff_id` is the id the care record uses
    for them (SW_ID, IRO_ID, PA_ID; only for `STAFF_ID_ROLES`); a young person signs in
    as their own record, `child` (a CHILD id the record has). The password is checked by
    the site's password validators. Raises ValidationError naming each field that is
    wrong (unknown role, username or staff id taken, weak password, ...)."""
    if role not in Role.values:
        raise ValidationError(
            {"role": f"There is no role called {role!r}. Roles: {', '.join(Role.values)}."}
        )
    if role == Role.YOUNG_PERSON and child and not Header.objects.filter(child=child).exists():
        raise ValidationError({"child": f"There is no child {child} in the record."})
    given, family = (
        (first_name.strip(), last_name.strip()) if first_name or last_name else (_name(name))
    )
    user = User(
        username=username,
        role=role,
        first_name=given,
        last_name=family,
        email=email.strip(),
        staff_id=staff_id.strip(),
        child=child.strip(),
    )
    problems: dict[str, list[str]] = {}
    if username.lower() in RESERVED_USERNAMES:
        problems["username"] = [f"{username} is the name of a page: choose another username."]
    if refused := _staff_id_refused(role, user.staff_id):
        problems["staff_id"] = [refused]
    try:
        user.full_clean(exclude={"password"})
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    try:
        validate_password(password, user)
    except ValidationError as error:
        problems.setdefault("password", []).extend(error.messages)
    if problems:
        raise ValidationError(problems)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        _audit_account(
            acting_user,
            user,
            Action.CREATED,
            "User added",
            before=None,
            after=_account(
                user,
                name=user.get_full_name(),
                email=user.email,
                role=user.role,
                staff_id=user.staff_id,
                child=user.child,
            ),
        )
    return user


def join_team(
    user: User, team: Team, start: date, *, acting_user: User | None = None
) -> Membership:
    """Put a social worker or personal adviser in `team` from `start`, ending the team
    they were in the day before (`start` is the first day in the new one), audited.
    Raises ValidationError for anyone else, the team they are in already, or a start
    not after their last team's."""
    if user.role not in IN_TEAMS:
        raise ValidationError({"user": "Only social workers and personal advisers are in teams."})
    with transaction.atomic():
        current = list(
            Membership.objects.select_for_update()
            .select_related("team")
            .filter(user=user, end__isnull=True)
        )
        for membership in current:
            if membership.team == team:
                raise ValidationError({"team": f"{user} is in {team} already."})
            if membership.start >= start:
                raise ValidationError(
                    {
                        "start": f"{user} joined {membership.team} on "
                        f"{membership.start:%d/%m/%Y}; a move must start after that."
                    }
                )
            membership.end = start
            membership.save(update_fields=["end"])
        joined = Membership.objects.create(team=team, user=user, start=start)
        left = current[0] if current else None  # one at most: one team at a time
        _audit_account(
            acting_user,
            user,
            Action.CORRECTED if left else Action.CREATED,
            "Moved team" if left else "Joined a team",
            before=_account(user, team=left.team.name, start=left.start.isoformat())
            if left
            else None,
            after=_account(user, team=team.name, start=start.isoformat()),
        )
    return joined


def _leave_team(user: User, day: date, *, acting_user: User | None) -> None:
    """End `user`'s current team membership on `day` (their last day is the day before),
    audited; nothing if they are in no team. Raises ValidationError (on "role") if they
    joined it on `day` or later: a membership lasts a day at least."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("team")
        .filter(user=user, end__isnull=True)
        .first()
    )
    if membership is None:
        return
    if membership.start >= day:
        raise ValidationError(
            {
                "role": f"{user} joined {membership.team} on {membership.start:%d/%m/%Y}; "
                "their role can change from the day after."
            }
        )
    membership.end = day
    membership.save(update_fields=["end"])
    start = membership.start.isoformat()
    _audit_account(
        acting_user,
        user,
        Action.CORRECTED,
        "Left their team",
        before=_account(user, team=membership.team.name, start=start),
        after=_account(user, team=membership.team.name, start=start, end=day.isoformat()),
    )


def _manager_refused(manager: User | None) -> str | None:
    """Why `manager` cannot manage a team, or None (no manager is allowed)."""
    if manager is None:
        return None
    if manager.role != Role.TEAM_MANAGER:
        return f"{manager} is not a team manager."
    if not manager.is_active:
        return f"{manager} cannot sign in: reactivate them first."
    return None


def _team_row(team: Team) -> dict[str, Any]:
    """A team as its audit rows keep it: its name and its manager's username."""
    return {"team": team.name, "manager": team.manager.username if team.manager else None}


def add_team(name: str, manager: User | None, *, acting_user: User | None) -> Team:
    """Add a team called `name`, managed by `manager` (a team manager, or None for now),
    audited. Raises ValidationError on "name" (blank, too long, a team of that name
    already) or "manager"."""
    team = Team(name=name.strip(), manager=manager)
    problems: dict[str, list[str]] = {}
    if refused := _manager_refused(manager):
        problems["manager"] = [refused]
    if not team.name:
        problems["name"] = ["Enter the team's name."]
    elif Team.objects.filter(name__iexact=team.name).exists():
        problems["name"] = [f"There is a team called {team.name} already."]
    else:
        try:
            team.full_clean(exclude={"manager"})
        except ValidationError as error:
            problems.update(error.message_dict)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        team.save()
        log.changed(acting_user, "", Action.CREATED, "Team added", after=_team_row(team))
    return team


def set_team_manager(team: Team, manager: User | None, *, acting_user: User | None) -> Team:
    """Make `manager` (a team manager who can sign in, or None) the manager of `team`,
    audited; nothing if they manage it already. The team's children are theirs to
    oversee from now. Raises ValidationError on "manager"."""
    if refused := _manager_refused(manager):
        raise ValidationError({"manager": refused})
    with transaction.atomic():
        locked = (
            Team.objects.select_for_update(of=("self",)).select_related("manager").get(pk=team.pk)
        )
        if locked.manager == manager:
            return locked
        before = _team_row(locked)
        locked.manager = manager
        locked.save(update_fields=["manager"])
        log.changed(
            acting_user,
            "",
            Action.CORRECTED,
            "Manager changed",
            before=before,
            after=_team_row(locked),
        )
    team.manager = manager
    return locked


NO_SUCH_TEAM = "no-such-team"
"""The code of `place_in_team`'s refusal of a team name that is no team's, so that the
caller can say how to ask for a new team instead."""


def _no_such_team(name: str) -> ValidationError:
    teams = sorted(Team.objects.values_list("name", flat=True))
    known = f"The teams are: {', '.join(teams)}." if teams else "There are no teams yet."
    return ValidationError(
        {"team": ValidationError(f"There is no team called {name}. {known}", code=NO_SUCH_TEAM)}
    )


def place_in_team(
    user: User,
    name: str,
    day: date,
    *,
    new_team: bool = False,
    acting_user: User | None = None,
) -> Team:
    """Put `user` in the team called `name` from `day`: a team manager manages it, a
    social worker or personal adviser joins it (leaving the team they were in, see
    `join_team`); audited. With `new_team`, the team is added if there is none of that
    name. Raises ValidationError (on "team") for anyone else, a blank name, a name that is
    no team's without `new_team` (code `NO_SUCH_TEAM`, listing the teams: a misspelt name
    must not make a second team), or a team another manager already manages."""
    name = name.strip()
    if not name:
        raise ValidationError({"team": "Give the team's name."})
    if user.role != Role.TEAM_MANAGER and user.role not in IN_TEAMS:
        raise ValidationError(
            {"team": "Only social workers, personal advisers and team managers are in teams."}
        )
    with transaction.atomic():
        team = (
            Team.objects.select_for_update(of=("self",))
            .select_related("manager")
            .filter(name=name)
            .first()
        )
        if team is None:
            if not new_team:
                raise _no_such_team(name)
            try:
                team = add_team(name, None, acting_user=acting_user)
            except ValidationError as refused:
                raise ValidationError({"team": refused.messages}) from refused
        if user.role != Role.TEAM_MANAGER:
            join_team(user, team, day, acting_user=acting_user)
        elif team.manager is not None and team.manager != user:
            raise ValidationError({"team": f"{team} is managed by {team.manager} already."})
        else:
            set_team_manager(team, user, acting_user=acting_user)
    return team


def change_role(
    user: User,
    role: str,
    *,
    staff_id: str,
    acting_user: User | None,
    day: date | None = None,
) -> User:
    """Give `user` the role `role` and the staff id `staff_id` from `day` (today, in
    London, by default), audited; nothing if neither changes. Someone leaving a role
    that works in a team leaves their team that day. Raises ValidationError for an
    unknown role, a member of staff becoming a young person or the other way (their
    sign-in is another kind: add a new user), a team manager still managing a team, a
    staff id for a role without one, or one another user has."""
    if role not in Role.values:
        raise ValidationError({"role": f"There is no role called {role!r}."})
    if (role == Role.YOUNG_PERSON) != (user.role == Role.YOUNG_PERSON):
        raise ValidationError(
            {
                "role": "A young person's sign-in cannot become a member of staff's, nor the "
                "other way round: add a new user instead."
            }
        )
    staff_id = staff_id.strip()
    if refused := _staff_id_refused(role, staff_id, kept=user.staff_id):
        raise ValidationError({"staff_id": refused})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _account(locked, role=locked.role, staff_id=locked.staff_id)
        managed = [str(t) for t in Team.objects.filter(manager=locked)]
        if role != Role.TEAM_MANAGER and managed:
            raise ValidationError(
                {
                    "role": f"{locked} manages {' and '.join(managed)}: give "
                    f"{'that team' if len(managed) == 1 else 'those teams'} another manager "
                    "first."
                }
            )
        locked.role, locked.staff_id = role, staff_id
        after = _account(locked, role=locked.role, staff_id=locked.staff_id)
        if after == before:
            return locked
        locked.full_clean(exclude={"password"})
        if role not in IN_TEAMS:
            _leave_team(locked, day or timezone.localdate(), acting_user=acting_user)
        locked.save(update_fields=["role", "staff_id"])
        _audit_account(
            acting_user, locked, Action.CORRECTED, "Role changed", before=before, after=after
        )
    user.role, user.staff_id = locked.role, locked.staff_id
    return locked


def set_active(user: User, active: bool, *, acting_user: User | None) -> User:
    """Let `user` sign in again (`active`) or stop them (a deactivated user is signed
    out at their next page, and never deleted: the audit trail names them), audited;
    nothing if they are so already. Raises ValidationError (on "user") for someone
    deactivating themselves."""
    if not active and acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(
            {"user": "You cannot deactivate yourself: ask another administrator."}
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        _audit_account(
            acting_user,
            locked,
            Action.CORRECTED,
            "Reactivated: can sign in" if active else "Deactivated: cannot sign in",
            before=_account(locked, can_sign_in=not active),
            after=_account(locked, can_sign_in=active),
        )
    user.is_active = active
    return locked


def set_password(user: User, password: str, *, acting_user: User | None) -> User:
    """Give `user` a new password (checked by the site's password validators), audited
    (never the password itself). Their other sessions end, and any lock from wrong
    passwords is lifted. Raises ValidationError on "password"."""
    return _new_password(user, password, "password", acting_user, "Password reset")


def change_own_password(user: User, current: str, new: str) -> User:
    """`user` changes their own password from `current` to `new` (checked by the site's
    password validators, and not the same as `current`), audited as done by them (never
    the password itself); their other sessions end. Raises ValidationError, changing
    nothing, on "current" (not their password) or "new" (weak, or unchanged)."""
    if not user.check_password(current):
        raise ValidationError({"current": "Your current password is not right"})
    if new == current:
        raise ValidationError({"new": "Your new password must be different from your current one"})
    return _new_password(user, new, "new", user, "Password changed by its holder")


def _new_password(
    user: User, password: str, field: str, acting_user: User | None, what: str
) -> User:
    try:
        validate_password(password, user)
    except ValidationError as weak:
        raise ValidationError({field: weak.messages}) from weak
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        reset_sign_in_failures(username=locked.username)
        _audit_account(
            acting_user, locked, Action.CORRECTED, what, before=None, after=_account(locked)
        )
    user.password = locked.password
    return locked


def unlock(user: User, *, acting_user: User | None) -> int:
    """Lift the lock that too many wrong passwords put on `user`'s sign-in (django-axes'
    failed attempts for their username, from every address), audited. Gives how many
    failed attempts were cleared (0: nothing to unlock, and nothing audited)."""
    with transaction.atomic():
        cleared = int(reset_sign_in_failures(username=user.username))
        if cleared:
            _audit_account(
                acting_user,
                user,
                Action.CORRECTED,
                "Unlocked after too many wrong passwords",
                before=None,
                after=_account(user),
            )
    return cleared


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


NOT_OPENED = "Asked to open the record without a relationship to the child: not opened"
"""The audit row's words for a reason given for a record that did not open by it (no
such child, or a record restricted to the people it names)."""


def break_glass(user: User, child: str, reason: str) -> BreakGlass:
    """Let `user` see `child`'s record (not change it) until midnight, because of
    `reason`: the break-glass row and its audit row, in one transaction.

    Raises ValidationError (on "reason") for a blank reason, or one with fewer letters
    and digits than `settings.BREAK_GLASS_REASON_LEAST`, before anything else is asked,
    so the answer is the same whether the child exists or not. Raises Http404, as for a
    record they cannot see, when the user may not: for a role that never may (the Lead
    Member, the administrator, a young person, a designated teacher) nothing is written;
    for staff who may break glass, asking for a child who does not exist or a restricted
    record, the attempt is written to the audit trail first (who, the CHILD id asked
    for, their reason, `NOT_OPENED`), so that it can be seen someone tried."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you need to open this record."})
    least = settings.BREAK_GLASS_REASON_LEAST
    if sum(character.isalnum() for character in reason) < least:
        raise ValidationError({"reason": f"Enter a reason of at least {least} letters or numbers"})
    if not is_break_glass_role.test(user):
        raise Http404(NOT_FOUND)
    with transaction.atomic():
        if may_break_glass.test(user, child):
            glass = BreakGlass.objects.create(
                user=user, child=child, reason=reason, until=_end_of_today()
            )
            log.broke_glass(user, child, reason)
            return glass
        Event.objects.create(
            user=user, child=child, action=Action.BROKE_GLASS, what=NOT_OPENED, reason=reason
        )
    # Raised once the attempt's audit row is saved: inside the transaction, it would
    # undo it.
    raise Http404(NOT_FOUND)


# Restricted records -------------------------------------------------------------------


def _may_restrict(user: User, child: str) -> bool:
    """`user` is the director or `child`'s team manager, and the record, if restricted,
    names them: one query, none for any other role."""
    return (
        isinstance(user, User)
        and user.role in {Role.DIRECTOR, Role.TEAM_MANAGER}
        and bool(relationships_to(user, child, RESTRICTS))
    )


may_restrict = Predicate(_may_restrict, name="may_restrict")
"""(user, CHILD) -> bool: `user` may restrict the child's record, change whom it names
and lift it. Registered as the rule `child.restrict` for templates (this module is
loaded with the URLs, before any page is drawn)."""
add_rule("child.restrict", may_restrict)  # type: ignore[no-untyped-call]  # rules does not annotate it


def _usernames(people: Iterable[User]) -> list[str]:
    return sorted(person.username for person in people)


def _refuse_unnameable(child: str, people: Iterable[User]) -> None:
    """Raise ValidationError (on "people") naming anyone who could never see `child`'s
    record: the administrator, the Lead Member, another child's young person."""
    never = [
        str(person)
        for person in people
        if person.role in NEVER_NAMED
        or (person.role == Role.YOUNG_PERSON and person.child != child)
    ]
    if never:
        raise ValidationError(
            {"people": f"{' and '.join(never)} never see this child's record, so cannot be named."}
        )


def restrict(child: str, reason: str, allowed: Sequence[User], *, acting_user: User) -> Restriction:
    """Restrict `child`'s record to the people `allowed` and `acting_user` (who is always
    named, so as not to lock themselves out). The director or the child's team manager
    may (`may_restrict`). Raises Http404 for anyone else or no such child,
    ValidationError for a blank reason, someone who cannot be named, or a record
    already restricted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this record is restricted."})
    named = {acting_user, *allowed}
    with transaction.atomic():
        if not may_restrict.test(acting_user, child):
            raise Http404(NOT_FOUND)
        if Restriction.objects.filter(child=child).exists():
            raise ValidationError({"child": "This record is already restricted."})
        _refuse_unnameable(child, named)
        restriction = Restriction.objects.create(child=child, reason=reason, by=acting_user)
        restriction.allowed.set(named)
        log.restricted(acting_user, child, reason, _usernames(named))
    return restriction


def _restriction_to_change(child: str, acting_user: User) -> Restriction:
    """`child`'s restriction, locked for a change by `acting_user`. Raises Http404 unless
    they may (`may_restrict`), ValidationError (on "child") if there is none."""
    if not may_restrict.test(acting_user, child):
        raise Http404(NOT_FOUND)
    restriction = Restriction.objects.select_for_update().filter(child=child).first()
    if restriction is None:
        raise ValidationError({"child": "This record is not restricted."})
    return restriction


def name_in_restriction(child: str, people: Sequence[User], *, acting_user: User) -> Restriction:
    """Let `people` see `child`'s restricted record too (a named person still needs their
    relationship to the child), audited. Raises Http404 as `restrict`; ValidationError
    (on "people") for nobody new, or someone who cannot be named."""
    with transaction.atomic():
        restriction = _restriction_to_change(child, acting_user)
        before = set(restriction.allowed.all())
        new = [person for person in people if person not in before]
        if not new:
            raise ValidationError({"people": "Choose someone who is not named already."})
        _refuse_unnameable(child, new)
        restriction.allowed.add(*new)
        log.changed(
            acting_user,
            child,
            Action.RESTRICTED,
            "Named more people on the restriction",
            before={"allowed": _usernames(before)},
            after={"allowed": _usernames(before | set(new))},
        )
    return restriction


def remove_from_restriction(child: str, person: User, *, acting_user: User) -> Restriction:
    """Stop `person` seeing `child`'s restricted record, audited. Raises Http404 as
    `restrict`; ValidationError (on "people") for someone not named, or for
    `acting_user` themselves (who would lock themselves out: lift the restriction, or
    ask another named person)."""
    with transaction.atomic():
        restriction = _restriction_to_change(child, acting_user)
        before = set(restriction.allowed.all())
        if person == acting_user:
            raise ValidationError(
                {"people": "You cannot remove yourself: ask another person named to do it."}
            )
        if person not in before:
            raise ValidationError({"people": f"{person} is not named on the restriction."})
        restriction.allowed.remove(person)
        log.changed(
            acting_user,
            child,
            Action.RESTRICTED,
            "Removed someone from the restriction",
            before={"allowed": _usernames(before)},
            after={"allowed": _usernames(before - {person})},
        )
    return restriction


def lift_restriction(child: str, reason: str, *, acting_user: User) -> None:
    """Lift `child`'s restriction because of `reason`: the record is seen again by
    everyone whose relationship to the child allows. The restriction is kept, marked lifted
    (by whom, when, why), and the audit row says what it was (reason, people named, by whom
    and when). Raises Http404 as
    `restrict`; ValidationError for a blank reason or a record not restricted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the restriction is lifted."})
    with transaction.atomic():
        restriction = _restriction_to_change(child, acting_user)
        before = {
            "allowed": _usernames(restriction.allowed.all()),
            "reason": restriction.reason,
            "by": restriction.by.username if restriction.by else None,
            "at": restriction.at.isoformat(),
        }
        restriction.lifted_at = timezone.now()
        restriction.lifted_by = acting_user
        restriction.lifted_reason = reason
        restriction.save(update_fields=("lifted_at", "lifted_by", "lifted_reason"))
        log.changed(
            acting_user,
            child,
            Action.UNRESTRICTED,
            "Lifted the restriction",
            before=before,
            after=None,
            reason=reason,
        )
