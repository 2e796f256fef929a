"""People who sign in, the teams staff work in, and the relationships to children that the
care record itself does not hold.

Who a child's social worker is comes from the record (SSDA903's social worker episodes),
and so does their IRO (the `iro` extension table); they are never copied here. What the
record has no table for yet is kept here, dated from/to like the record's own episodes:
a personal adviser's care leavers and a designated teacher's pupils (`Allocation`).
`BreakGlass` and `Restriction` widen and narrow who may open a record
(`carematters.web.people.access`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carematters.web.people.roles import Role


class User(AbstractUser):
    """A member of staff or a young person who signs in. `staff_id` is the id the care
    record uses for them (SSDA903's SW_ID, the IRO_ID and PA_ID of the extension tables);
    a young person's `child` is their own CHILD id, and only a young person has one."""

    role = models.CharField(max_length=32, choices=Role.choices)
    staff_id = models.CharField(max_length=12, blank=True, db_index=True)
    child = models.CharField(max_length=None, blank=True, db_index=True)

    class Meta:
        constraints = (
            # Two people with one staff id would share one caseload.
            models.UniqueConstraint(
                fields=("staff_id",),
                condition=~Q(staff_id=""),
                name="people_user_one_person_per_staff_id",
                violation_error_message="Another user already has this staff id.",
            ),
            models.UniqueConstraint(
                fields=("child",),
                condition=~Q(child=""),
                name="people_user_one_sign_in_per_child",
                violation_error_message="Another user already signs in as this child.",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(role=Role.YOUNG_PERSON) & ~Q(child="") & Q(staff_id=""))
                    | (~Q(role=Role.YOUNG_PERSON) & Q(child=""))
                ),
                name="people_user_child_only_for_a_young_person",
                violation_error_message="A young person signs in as their own record (a "
                "child id and no staff id); nobody else has a child id.",
            ),
        )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def current_on(start: str, end: str, day: date) -> Q:
    """Rows whose dated span holds `day`: begun on or before it, and not ended (no end,
    or an end after it). An end on `day` itself has ended: SSDA903's next social worker
    episode starts the day the last one ends, and only one of them is current."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


_Dated = TypeVar("_Dated", bound=models.Model)


class DatedQuerySet(models.QuerySet[_Dated]):
    def current(self, day: date | None = None) -> DatedQuerySet[_Dated]:
        """The rows in force on `day` (today, in London, by default)."""
        return self.filter(current_on("start", "end", day or timezone.localdate()))


class Team(models.Model):
    """A team of social workers (or personal advisers) and its manager. A team's children
    are those whose current social worker, or personal adviser, is one of its members."""

    name = models.CharField(max_length=100, unique=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_teams",
        limit_choices_to={"role": Role.TEAM_MANAGER},
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A social worker's or personal adviser's time in a team, from `start` to `end`
    (None while they are still in it). Ended, never deleted, so the team a worker was in
    stays known."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects: ClassVar[DatedQuerySet[Membership]] = DatedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("user",),
                condition=Q(end__isnull=True),
                name="people_membership_one_team_at_a_time",
                violation_error_message="This person is already in a team; end that "
                "membership first.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="people_membership_ends_after_it_starts",
                violation_error_message="A membership must end after it starts.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} in {self.team} from {self.start:%d/%m/%Y}"


class AllocationKind(models.TextChoices):
    PERSONAL_ADVISER = "personal-adviser", "Personal adviser"
    DESIGNATED_TEACHER = "designated-teacher", "Designated teacher"


class Allocation(models.Model):
    """A person given to a child from `start` to `end` (None: still), where the care
    record has no table saying so: a care leaver's personal adviser, or the designated
    teacher at a child's school."""

    kind = models.CharField(max_length=32, choices=AllocationKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    child = models.CharField(max_length=None, db_index=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects: ClassVar[DatedQuerySet[Allocation]] = DatedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="people_allocation_ends_after_it_starts",
                violation_error_message="An allocation must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=("kind", "child"),
                condition=Q(end__isnull=True),
                name="people_allocation_one_of_each_kind_at_a_time",
                violation_error_message="The child already has one; end it first.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user} for {self.child}"


class BreakGlass(models.Model):
    """A member of staff opening a child's record outside their relationship to the
    child, with their reason: it lets them see the record (not change it) until `until`,
    the end of the day it was given, and is shown to the child's team manager."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broken_glass"
    )
    child = models.CharField(max_length=None, db_index=True)
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField()

    class Meta:
        ordering = ("-at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="people_breakglass_with_a_reason",
                violation_error_message="Opening a record without a relationship needs a reason.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} opened {self.child} at {self.at:%d/%m/%Y %H:%M}"

    def in_force(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) < self.until


class InForce(models.Manager["Restriction"]):
    """Restrictions not lifted: the only ones that narrow who sees a record."""

    def get_queryset(self) -> models.QuerySet[Restriction]:
        return super().get_queryset().filter(lifted_at__isnull=True)


class Restriction(models.Model):
    """A record only the people named may see (sealed after adoption, a member of staff's
    child): nobody else sees it or finds it in a list, and it cannot be opened by giving a
    reason. A restriction only narrows: a named person still needs their relationship.

    Lifting one keeps it, with who lifted it, when and why (`lifted_at`); `objects` gives
    only those in force, so every check of access leaves lifted ones out, and `history`
    every one."""

    child = models.CharField(max_length=None, db_index=True)
    reason = models.TextField()
    allowed = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_reason = models.TextField(blank=True, default="")

    objects: ClassVar[InForce] = InForce()
    history: ClassVar[models.Manager[Restriction]] = models.Manager()

    class Meta:
        base_manager_name = "history"
        constraints = (
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="people_restriction_with_a_reason",
                violation_error_message="A restricted record needs a reason.",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lifted_reason=""),
                name="people_restriction_lifted_with_a_reason",
                violation_error_message="Lifting a restriction needs a reason.",
            ),
            models.UniqueConstraint(
                fields=("child",),
                condition=Q(lifted_at__isnull=True),
                name="people_restriction_one_in_force",
                violation_error_message="This record is already restricted.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.child} restricted"
