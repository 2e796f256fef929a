"""What the IRO's work adds to the care record: the child heard (`ChildView`), reviews as
the IRO chaired them (who took part, the decisions made, with an owner and a date), reviews
postponed and why, and escalations of a child's plan through the authority's stages to
their end, resolved or referred to Cafcass.

The review itself, its date and how the child took part (DfE's PN code), stays where the
SSDA903 return reads it, the record's `reviews` table (`casework.models.Review`); a
`HeldReview` points at that row and holds what the return does not.

Nothing here is deleted: rows are added, and an escalation's stage is ended (never
removed) when the concern moves on. Every write goes through `reviews.actions`, with its
audit row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carematters.web.casework.models import Review

if TYPE_CHECKING:
    from carematters.web.people.models import User


def _person(why: str) -> models.ForeignKey[User, User]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text=why
    )


class HeardFor(models.TextChoices):
    """Why a child's views were asked for."""

    REVIEW = "review", "Their next review"
    DECISION = "decision", "A decision about them"
    OTHER = "other", "Something else"


class ChildView(models.Model):
    """What a child wishes and feels, in their words, as heard on a day by their social
    worker or IRO, or written by the young person themselves; with how they were heard:
    alone or not, what helps them communicate, whether an advocate was offered and took
    part, and an independent person of their choosing who took part."""

    child = models.CharField(max_length=None, db_index=True)
    heard_on = models.DateField()
    recorded_by = _person("Who heard the child and recorded it (the young person, if theirs).")
    by_young_person = models.BooleanField(default=False)
    """The young person wrote it themselves."""
    wishes = models.TextField()
    """What the child wishes and feels, in their own words."""
    seen_alone = models.BooleanField(null=True, blank=True)
    """Whether the IRO or social worker saw the child alone (None: not asked, as when the
    young person writes it themselves, or when they were not seen in person)."""
    communication_needs = models.TextField(blank=True, default="")
    advocate_offered = models.BooleanField(default=False)
    advocate_took_part = models.BooleanField(default=False)
    independent_person = models.TextField(blank=True, default="")
    """A person of the child's choosing who took part (blank: none)."""
    purpose = models.CharField(max_length=16, choices=HeardFor.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-heard_on", "-recorded_at", "-id")
        indexes = (models.Index(fields=("child", "-heard_on"), name="reviews_view_child_heard"),)
        constraints = (
            models.CheckConstraint(
                condition=~Q(wishes=""),
                name="reviews_childview_with_the_childs_words",
                violation_error_message="A child's views need their words.",
            ),
            models.CheckConstraint(
                condition=Q(advocate_offered=True) | Q(advocate_took_part=False),
                name="reviews_childview_advocate_offered_before_taking_part",
                violation_error_message="An advocate who took part was offered.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.child} heard on {self.heard_on:%d/%m/%Y}"


class HeldReview(models.Model):
    """A review of the child's case as the IRO chaired it: the record's review row (date
    and how the child took part) and who took part; its decisions are `Decision`s."""

    child = models.CharField(max_length=None, db_index=True)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    chaired_by = _person("The IRO who chaired it.")
    took_part = models.TextField()
    """Who took part, in words: the child, carers, parents, professionals."""
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-held_on", "-id")

    def __str__(self) -> str:
        return f"{self.child} reviewed on {self.held_on:%d/%m/%Y}"


class Decision(models.Model):
    """A decision made at a review: what is to be done, by whom, by when."""

    review = models.ForeignKey(HeldReview, on_delete=models.PROTECT, related_name="decisions")
    decision = models.TextField()
    owner = models.CharField(max_length=200)
    """Who is to carry it out, in words ("Social worker", "Foster carer", a name)."""
    due = models.DateField()
    recorded_by = _person("The IRO who recorded it.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("due", "id")

    def __str__(self) -> str:
        return f"{self.decision[:40]} ({self.owner}, by {self.due:%d/%m/%Y})"


class PostponedBecause(models.TextChoices):
    """Why a review was postponed."""

    EVIDENCE = "evidence", "The evidence is not ready (an up-to-date assessment or plan)"
    OTHER = "other", "Another reason"


class Postponement(models.Model):
    """An IRO postponing a child's review: when it was due, when it is now to be held,
    and why (Care Matters 2007 para 6.12: the IRO requires a review to be postponed when
    the evidence for a proposed change is not there)."""

    child = models.CharField(max_length=None, db_index=True)
    due_on = models.DateField(null=True, blank=True)
    """When the review was due, as the stored duties had it that day (None: none known)."""
    until = models.DateField()
    """The day it is now to be held."""
    because = models.CharField(max_length=16, choices=PostponedBecause.choices)
    reason = models.TextField()
    postponed_on = models.DateField()
    postponed_by = _person("The IRO who postponed it.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-postponed_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="reviews_postponement_with_a_reason",
                violation_error_message="A postponed review needs a reason.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.child} review postponed to {self.until:%d/%m/%Y}"


class Outcome(models.TextChoices):
    """Where an escalation stands."""

    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    CAFCASS = "cafcass", "Referred to Cafcass"


class Escalation(models.Model):
    """An IRO's concern about a child's plan, raised through the authority's dispute
    resolution process (its stages are `EscalationStage`s), until it is resolved or the
    IRO refers the case to Cafcass (CPPCR 2010 reg 45; Care Matters 2007 para 7.33)."""

    child = models.CharField(max_length=None, db_index=True)
    concern = models.TextField()
    raised_by = _person("The IRO who raised it.")
    raised_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    """The day it was resolved or referred to Cafcass (None while open)."""
    resolution = models.TextField(blank=True, default="")
    """How it ended, in words."""
    cafcass_reference = models.CharField(max_length=100, blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-raised_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.OPEN) & Q(closed_on__isnull=True))
                | (~Q(outcome=Outcome.OPEN) & Q(closed_on__isnull=False)),
                name="reviews_escalation_closed_on_the_day_it_ended",
                violation_error_message="An escalation has an end date once, and only once, "
                "it is resolved or referred to Cafcass.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.CAFCASS) | ~Q(cafcass_reference=""),
                name="reviews_escalation_cafcass_with_a_reference",
                violation_error_message="A referral to Cafcass needs its reference.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.child} escalation raised {self.raised_on:%d/%m/%Y}"


class EscalationStage(models.Model):
    """One stage an escalation reached: its number and name (as the authority's stages
    were when it began), who held it, since when, the day their answer is due, and when
    it ended (None while it is the current stage) with their response."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    holder = _person("Who holds the concern at this stage.")
    since = models.DateField()
    due = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("escalation", "number")
        constraints = (
            models.UniqueConstraint(
                fields=("escalation", "number"),
                name="reviews_escalationstage_each_stage_once",
                violation_error_message="An escalation reaches each stage once.",
            ),
            models.UniqueConstraint(
                fields=("escalation",),
                condition=Q(ended_on__isnull=True),
                name="reviews_escalationstage_one_current_stage",
                violation_error_message="An escalation is at one stage at a time.",
            ),
        )

    def __str__(self) -> str:
        return f"Stage {self.number} ({self.name}) from {self.since:%d/%m/%Y}"
