"""Drafts: a recording form saved part-way, to finish later (issue 12, "Recording").

A draft is not part of the care record: it is the form's fields as the person typed
them, kept for that person only, checked for shape (the form's own field names, text
of a bounded size) but not for sense, since a draft is by nature unfinished. It is
resumed by opening its form with `?draft=<id>`, and goes once the entry is saved.

A draft of a correction also names the entry it corrects and that entry's version when
the correction began: finished after someone else changed the entry, it is refused as
any stale save is, never applied over their change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Draft(models.Model):
    """One unfinished recording form: whose, about which child, which form (its URL
    slug, e.g. "visit"), and the fields as typed (name: text)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    child = models.CharField(max_length=None)
    kind = models.CharField(max_length=32)
    """The form's slug: `/children/<CHILD>/record-<kind>/` is where it is finished."""
    data = models.JSONField(default=dict)
    """The form's fields as typed, by input name: text only, never checked for sense."""
    entry = models.CharField(max_length=32, blank=True, default="")
    """For a correction, the entry corrected, as its page's address names it (a record
    table, or leaving-care); blank for a new entry."""
    row = models.BigIntegerField(null=True, blank=True)
    """For a correction, the key of the row it corrects."""
    version = models.PositiveIntegerField(null=True, blank=True)
    """For a correction, the row's version when the correction began."""
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-updated_at", "-id")
        # Drafts are only ever looked up as one person's for one child.
        indexes = (models.Index(fields=("user", "child"), name="casework_draft_user_child"),)
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(entry="", row__isnull=True, version__isnull=True)
                    | (~models.Q(entry="") & models.Q(row__isnull=False, version__isnull=False))
                ),
                name="casework_draft_correction_whole",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} {self.kind} for {self.child} ({self.updated_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self) -> str:
        """Where the draft is finished: its form, filled in as it was left."""
        if self.row is not None:
            page = reverse("change-entry", args=[self.child, self.entry, self.row])
        else:
            page = reverse("record-entry", args=[self.child, self.kind])
        return f"{page}?draft={self.pk}"
