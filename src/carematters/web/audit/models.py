"""The audit trail: every view of a child's record and every change, append-only.

Rows are only ever added (`carematters.web.audit.log`); the application has no way to
change or remove one, and the database itself refuses to (triggers, see the migrations).
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised for any attempt to change or remove a row of the audit trail."""

    def __init__(self) -> None:
        super().__init__("The audit trail cannot be changed or deleted: rows are only added.")


class Action(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Recorded"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ALLOCATED = "allocated", "Allocated"
    BROKE_GLASS = "broke-glass", "Opened without a relationship"
    RESTRICTED = "restricted", "Restricted"
    UNRESTRICTED = "unrestricted", "Restriction lifted"
    IMPORTED = "imported", "Imported"
    EXPORTED = "exported", "Exported"


class EventQuerySet(models.QuerySet["Event"]):
    """Reading the audit trail; the bulk writes that would change or remove rows refuse."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def delete(self) -> NoReturn:
        raise AppendOnlyError

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError


class Event(models.Model):
    """Who did what to which child's record, when; for a change, the row before and
    after (as the care record's columns and values)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    """Who; None for the command line (an import or export run by a performance officer)."""
    child = models.CharField(max_length=None, blank=True, db_index=True)
    """The child's CHILD id, blank for an event about no one child (an import)."""
    action = models.CharField(max_length=16, choices=Action.choices)
    what = models.CharField(max_length=200)
    """What was viewed or changed, in words: a page, or a table and row."""
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    """Why: required for withdrawing an entry and for opening a record without a
    relationship to the child (break-glass)."""

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("child", "-at")),)

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.action} {self.child} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Add the row; refuses (AppendOnlyError) for a row already saved."""
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError
