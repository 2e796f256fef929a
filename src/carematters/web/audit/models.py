"""The audit trail: every view of a child's record and every change, append-only.

Rows are only ever added (`carematters.web.audit.log`); the application has no way to
change or remove one, and the database itself refuses to (triggers, see the migrations).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Recorded"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ALLOCATED = "allocated", "Allocated"
    BROKE_GLASS = "broke-glass", "Opened without a relationship"
    IMPORTED = "imported", "Imported"
    EXPORTED = "exported", "Exported"


class Event(models.Model):
    """Who did what to which child's record, when; for a change, the row before and
    after (as the care record's columns and values)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    """Who; None for the command line (an import or export run by a performance officer)."""
    child = models.CharField(max_length=10, blank=True, db_index=True)
    """The child's CHILD id, blank for an event about no one child (an import)."""
    action = models.CharField(max_length=16, choices=Action.choices)
    what = models.CharField(max_length=200)
    """What was viewed or changed, in words: a page, or a table and row."""
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    """Why: required for withdrawing an entry and for opening a record without a
    relationship to the child (break-glass)."""

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("child", "-at")),)

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.action} {self.child} {self.what}"
