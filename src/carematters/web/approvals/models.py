"""Decisions that need approval before they change a child's life (`duties.decisions`'
gates): a social worker's request, the people consulted, the approver's answer, the
young person's dispute, and the request's history.

A `Request` is one proposed decision about one child (the proposal as the core's
`Proposal` has it, and why), with the gates it met when it was asked (`gates`) and who
approves it (`approver`: a role). It moves from waiting to approved or refused, or is
returned to the social worker for more and sent again; a dispute upheld withdraws it.
Every step is a `Step`, so the request's history is its own, and each has its audit
row against the child (`audit.log`). Nothing here is deleted: rows are added, and a
request's state is moved on (its `version` raised, so two people deciding at once
cannot both win). Every write goes through `approvals.actions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carematters.duties.decisions import Decision

if TYPE_CHECKING:
    from carematters.web.people.models import User


def _person(why: str, *, null: bool = False) -> models.ForeignKey[User, User]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=null,
        blank=null,
        help_text=why,
    )


DECISIONS = [(Decision.PLACEMENT_MOVE.value, "A move"), (Decision.CEASE_CARE.value, "Leaving care")]
"""The decisions a request can be for (`duties.decisions.Decision`), in words."""


class State(models.TextChoices):
    """Where a request stands."""

    WAITING = "waiting", "Waiting for a decision"
    RETURNED = "returned", "Returned for more information"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn after a dispute"


OPEN = (State.WAITING, State.RETURNED)
"""States in which a request is still being worked on."""


class Request(models.Model):
    """A social worker asking for a decision about a child that needs approval: what
    (`decision`), when (`on`), for a move where to (placement type and postcode; bed and
    breakfast, to leave on `until`; a permanent placement separating brothers and
    sisters; "independent" living), and why. `gates` are the ids of the gates it met
    when asked, `approver` the role that decides it (the most senior the gates name)."""

    child = models.CharField(max_length=None, db_index=True)
    decision = models.CharField(max_length=32, choices=DECISIONS)
    on = models.DateField()
    to_placement = models.CharField(max_length=8, blank=True, default="")
    to_postcode = models.CharField(max_length=16, blank=True, default="")
    bed_and_breakfast = models.BooleanField(default=False)
    until = models.DateField(null=True, blank=True)
    separates_siblings = models.BooleanField(default=False)
    independent_living = models.BooleanField(default=False)
    """The social worker says the move is to "independent" living, whatever the
    placement's code (`duties.decisions.Proposal.independent_living`)."""
    why = models.TextField()
    gates = models.JSONField()
    approver = models.CharField(max_length=32)
    """The role that decides: "team-manager" (the team manager of the child's team) or
    "director"."""
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    asked_by = _person("The social worker who asked.")
    asked_on = models.DateField()
    decided_by = _person("Who approved or refused it.", null=True)
    decided_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-asked_on", "-id")
        indexes = (models.Index(fields=("child", "decision", "on"), name="approvals_request_for"),)
        constraints = (
            models.CheckConstraint(
                condition=~Q(why=""),
                name="approvals_request_with_a_reason",
                violation_error_message="A request says why.",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(state__in=(State.APPROVED, State.REFUSED, State.WITHDRAWN)),
                name="approvals_request_decided_once_decided",
                violation_error_message="Only a decided request has a decision date.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.child} on {self.on:%d/%m/%Y}"


class Consulted(models.TextChoices):
    """Who was consulted, or told, about a request."""

    DESIGNATED_TEACHER = "designated-teacher", "The designated teacher at their school"
    IRO = "iro", "Their independent reviewing officer (IRO)"
    HOST_AUTHORITY = "host-authority", "The authority where they would live"
    YOUNG_PERSON = "young-person", "The young person"
    OTHER = "other", "Someone else"


class Consultation(models.Model):
    """Someone consulted about a request (or told of it: the host authority): who, their
    name, when, what they said and whether they agree with the proposal; for the young
    person, whether they understand it and positively agree to it (which they must say).

    The child's IRO and designated teacher answer for themselves, signed in
    (`own_answer`): only such an answer counts as theirs (`safeguards`). A social worker
    records the others: the young person, the host authority, someone else."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="consultations")
    who = models.CharField(max_length=32, choices=Consulted.choices)
    name = models.CharField(max_length=200)
    on = models.DateField()
    said = models.TextField()
    agrees = models.BooleanField(null=True, blank=True)
    """Whether they agree with the proposal (None: not said); the young person always
    says. False is an objection, which the request's page shows first."""
    own_answer = models.BooleanField(default=False)
    """Recorded by the person consulted, signed in as the child's IRO or designated
    teacher (`actions.answer_request`)."""
    recorded_by = _person("Who recorded it.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=~Q(said=""),
                name="approvals_consultation_with_what_they_said",
                violation_error_message="A consultation records what they said.",
            ),
            models.CheckConstraint(
                condition=~Q(who=Consulted.YOUNG_PERSON) | Q(agrees__isnull=False),
                name="approvals_consultation_the_young_person_says_if_they_agree",
                violation_error_message="The young person says whether they agree.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_who_display()} on {self.on:%d/%m/%Y}"


class Did(models.TextChoices):
    """What happened to a request, as its history says it."""

    ASKED = "asked", "Asked for the decision"
    CONSULTED = "consulted", "Recorded a consultation"
    ANSWERED = "answered", "Gave their answer, as the person consulted"
    RETURNED = "returned", "Returned it for more information"
    SENT_AGAIN = "sent-again", "Sent it again"
    APPROVED = "approved", "Approved it"
    REFUSED = "refused", "Refused it"
    DISPUTED = "disputed", "Recorded that the young person disputes it"
    DISPUTE_ENDED = "dispute-ended", "Recorded the end of the dispute"


class Step(models.Model):
    """One thing done to a request, by whom and when, with their words (a reason)."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="steps")
    did = models.CharField(max_length=16, choices=Did.choices)
    by = _person("Who did it.")
    at = models.DateTimeField(default=timezone.now)
    words = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.get_did_display()} at {self.at:%d/%m/%Y %H:%M}"


class Outcome(models.TextChoices):
    """How a dispute ended."""

    STANDS = "stands", "The decision stands"
    WITHDRAWN = "withdrawn", "The proposal is withdrawn"


class Dispute(models.Model):
    """The young person disputing a decision about leaving care or a move to
    independence, in their words; while it is open (no `ended_on`) the change may not
    be recorded (Care Matters 2007 para 6.15-6.16). Someone other than the approver holds
    it, due by a day (`approvals.disputes`); it ends with the authority's dispute
    resolution: the decision stands, or the proposal is withdrawn."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="disputes")
    words = models.TextField()
    """What the young person disagrees with, in their words."""
    raised_on = models.DateField()
    raised_by = _person("Who recorded it: the young person, their social worker or IRO.")
    held_by = _person(
        "Who holds its resolution: a manager or the director, never who approved the decision "
        "(blank on disputes recorded before it was asked).",
        null=True,
    )
    due_on = models.DateField(
        null=True, blank=True, help_text="When it is due to be resolved (decisions.dispute_within)."
    )
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    resolution = models.TextField(blank=True, default="")
    ended_by = _person("Who recorded its end.", null=True)

    class Meta:
        ordering = ("-raised_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("request",),
                condition=Q(ended_on__isnull=True),
                name="approvals_dispute_one_open_at_a_time",
                violation_error_message="The young person already disputes this decision.",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(outcome=""))
                | (Q(ended_on__isnull=False) & ~Q(outcome="") & ~Q(resolution="")),
                name="approvals_dispute_ended_with_an_outcome",
                violation_error_message="A dispute ends with its outcome and why.",
            ),
        )

    def __str__(self) -> str:
        return f"Dispute of {self.request} from {self.raised_on:%d/%m/%Y}"
