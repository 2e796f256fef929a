"""Writing the audit trail. Call these inside the transaction that does the thing they
record, so that a view or change is never without its audit row, nor the other way round."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carematters.web.audit.models import Action, Event

if TYPE_CHECKING:
    from carematters.web.people.models import User


def viewed(user: User, child: str, what: str, *, reason: str = "") -> Event:
    """Record that `user` opened `what` (a page) of `child`'s record."""
    return Event.objects.create(
        user=user, child=child, action=Action.VIEWED, what=what, reason=reason
    )


def changed(
    user: User | None,
    child: str,
    action: Action,
    what: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> Event:
    """Record a change to `child`'s record: `before` and `after` are the row's columns
    and values (None for a row that did not exist before, or no longer exists after)."""
    return Event.objects.create(
        user=user,
        child=child,
        action=action,
        what=what,
        before=before,
        after=after,
        reason=reason,
    )


def broke_glass(user: User, child: str, reason: str) -> Event:
    """Record that `user` opened `child`'s record outside their relationship to the child,
    and why (carematters.web.people.actions.break_glass)."""
    return Event.objects.create(
        user=user,
        child=child,
        action=Action.BROKE_GLASS,
        what="Opened the record without a relationship to the child",
        reason=reason,
    )


def restricted(user: User | None, child: str, reason: str, allowed: list[str]) -> Event:
    """Record that `child`'s record was restricted to the people `allowed` (usernames)."""
    return Event.objects.create(
        user=user,
        child=child,
        action=Action.RESTRICTED,
        what="Restricted the record to the people named",
        after={"allowed": allowed},
        reason=reason,
    )
