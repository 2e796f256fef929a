"""The care record in the database: one model per table of `carematters.records.schema`.

Each model is written out by hand with the schema's columns (CHILD, the first of every
table, once in the base `RecordRow`), DfE's names as `db_column` and the same names in
lower case for fields; tests/web/test_schema_agreement.py compares
them with the schema, column by column and type by type, so the two cannot drift. The
columns map as:

- TEXT, CODE and PARTIAL_DATE: `CharField` of any length, NULL for "not given" (the
  record tells a blank apart from nothing, and an imported value is kept however long).
  A CODE column stores DfE's code as given and never has `choices`: a code retired this
  year stays valid on last year's rows; forms check codes against the year's list.
- DATE: `DateField`; INTEGER: `BigIntegerField` (the record's integers are 64-bit).

Every row also says who made it and when, carries a `version` that a save must match
(so a second person's stale save is refused, not silently applied), and is never
deleted: it is withdrawn with a reason, or corrected by a new row that `replaces` it
(the old one then withdrawn as "corrected"). `current()` gives the rows in force.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, TypeVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

if TYPE_CHECKING:
    from carematters.web.people.models import User

CORRECTED = "corrected"
"""The reason a row replaced by a correction is withdrawn with."""


def _text(column: str) -> models.CharField[str | None, str | None]:
    return models.CharField(max_length=None, db_column=column, null=True, blank=True)


def _date(column: str) -> models.DateField[date | None, date | None]:
    return models.DateField(db_column=column, null=True, blank=True)


def _integer(column: str) -> models.BigIntegerField[int | None, int | None]:
    return models.BigIntegerField(db_column=column, null=True, blank=True)


def _user(why: str) -> models.ForeignKey[User | None, User | None]:
    """A user who did something to the row. Not indexed: rows are never looked up by
    who made them (the audit trail answers that), and each index slows every insert."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        help_text=why,
    )


_Row = TypeVar("_Row", bound=models.Model)


IN_FORCE = models.Q(withdrawn_at__isnull=True)
"""A record row in force: neither withdrawn nor replaced by a correction."""


class RecordQuerySet(models.QuerySet[_Row]):
    def current(self) -> RecordQuerySet[_Row]:
        """The rows in force (IN_FORCE)."""
        return self.filter(IN_FORCE)


class RecordRow(models.Model):
    """What every row of the care record has: CHILD, the first column of every table of
    the schema, and the bookkeeping the schema does not hold."""

    child = _text("CHILD")
    """The child's id in the record (indexed, see Meta)."""
    # The database's own defaults as well as Python's, so a whole table loaded in one
    # statement (`bridge.load_record`) need not send them for every row.
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    created_by = _user("Who recorded the row; none for a row imported from a return or a record.")
    modified_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    modified_by = _user("Who saved the row last.")
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    """Raised by one on every save; a save made from an older version is refused."""
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = _user("Who withdrew the row.")
    withdrawn_reason = models.TextField(blank=True, default="", db_default="", editable=False)
    """Why the row no longer stands: given by the person withdrawing it, or CORRECTED."""
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        editable=False,
        db_index=False,
    )
    """The row this one corrects (which is withdrawn, with the reason CORRECTED)."""

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        # Every page reads a child's rows. Corrections are few, so only the rows that
        # replace another are indexed, to find a row's correction.
        indexes: ClassVar[tuple[models.Index, ...]] = (
            models.Index(fields=("child",), name="%(class)s_child"),
            models.Index(
                fields=("replaces",),
                name="%(class)s_replaces",
                condition=models.Q(replaces__isnull=False),
            ),
        )
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(withdrawn_at__isnull=True, withdrawn_reason="")
                    | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawn_reason=""))
                ),
                name="%(app_label)s_%(class)s_withdrawn_with_a_reason",
                violation_error_message="A withdrawn entry needs a reason, and only a "
                "withdrawn entry has one.",
            ),
        )


# The SSDA903 tables -----------------------------------------------------------------


class Header(RecordRow):
    """SSDA903 Header: one row per child."""

    sex = _text("SEX")
    dob = _date("DOB")
    ethnic = _text("ETHNIC")
    upn = _text("UPN")
    mother = _text("MOTHER")
    mc_dob = _date("MC_DOB")

    class Meta(RecordRow.Meta):
        db_table = "record_header"


class Episode(RecordRow):
    """SSDA903 Episodes: a placement and legal status from DECOM to DEC."""

    decom = _date("DECOM")
    rne = _text("RNE")
    ls = _text("LS")
    cin = _text("CIN")
    place = _text("PLACE")
    place_provider = _text("PLACE_PROVIDER")
    dec = _date("DEC")
    rec = _text("REC")
    reason_place_change = _text("REASON_PLACE_CHANGE")
    home_post = _text("HOME_POST")
    pl_post = _text("PL_POST")
    urn = _text("URN")

    class Meta(RecordRow.Meta):
        db_table = "record_episodes"
        # Who is looked after today (DEC null or later) is asked by the Virtual School
        # Head's relationship and for the children a team holds with no social worker
        # (people.access): read from this index alone, without a row of the table.
        indexes = (
            *RecordRow.Meta.indexes,
            models.Index(
                fields=("dec", "decom", "withdrawn_at", "child"), name="%(class)s_in_care"
            ),
        )


class Review(RecordRow):
    """SSDA903 Reviews: a review of the child's case, and how the child took part."""

    dob = _date("DOB")
    review = _date("REVIEW")
    review_code = _text("REVIEW_CODE")

    class Meta(RecordRow.Meta):
        db_table = "record_reviews"


class Uasc(RecordRow):
    """SSDA903 UASC: an unaccompanied asylum-seeking child, and when that status ceased."""

    sex = _text("SEX")
    dob = _date("DOB")
    duc = _date("DUC")

    class Meta(RecordRow.Meta):
        db_table = "record_uasc"


class Oc2(RecordRow):
    """SSDA903 OC2: outcomes of a child looked after for 12 months, for one YEAR."""

    dob = _date("DOB")
    sdq_score = _integer("SDQ_SCORE")
    sdq_reason = _text("SDQ_REASON")
    convicted = _text("CONVICTED")
    health_check = _text("HEALTH_CHECK")
    immunisations = _text("IMMUNISATIONS")
    teeth_check = _text("TEETH_CHECK")
    health_assessment = _text("HEALTH_ASSESSMENT")
    substance_misuse = _text("SUBSTANCE_MISUSE")
    intervention_received = _text("INTERVENTION_RECEIVED")
    intervention_offered = _text("INTERVENTION_OFFERED")
    year = _text("YEAR")

    class Meta(RecordRow.Meta):
        db_table = "record_oc2"


class Oc3(RecordRow):
    """SSDA903 OC3: a care leaver around their 17th to 21st birthday, for one YEAR."""

    dob = _date("DOB")
    in_touch = _text("IN_TOUCH")
    activ = _text("ACTIV")
    accom = _text("ACCOM")
    year = _text("YEAR")

    class Meta(RecordRow.Meta):
        db_table = "record_oc3"


class Ad1(RecordRow):
    """SSDA903 AD1: a child's adoption."""

    dob = _date("DOB")
    date_int = _date("DATE_INT")
    date_match = _date("DATE_MATCH")
    foster_care = _text("FOSTER_CARE")
    nb_adoptr = _text("NB_ADOPTR")
    sex_adoptr = _text("SEX_ADOPTR")
    ls_adoptr = _text("LS_ADOPTR")

    class Meta(RecordRow.Meta):
        db_table = "record_ad1"


class PlacedForAdoption(RecordRow):
    """SSDA903: a decision that the child should be placed for adoption, and its end."""

    dob = _date("DOB")
    date_placed = _date("DATE_PLACED")
    date_placed_ceased = _date("DATE_PLACED_CEASED")
    reason_placed_ceased = _text("REASON_PLACED_CEASED")

    class Meta(RecordRow.Meta):
        db_table = "record_placed_for_adoption"


class PreviousPermanence(RecordRow):
    """SSDA903: the permanence order a child had before coming into care."""

    dob = _date("DOB")
    prev_perm = _text("PREV_PERM")
    la_perm = _text("LA_PERM")
    date_perm = _text("DATE_PERM")
    """A partial date as DfE allows it (dd/mm/yyyy with unknown parts as zz), kept as text."""

    class Meta(RecordRow.Meta):
        db_table = "record_previous_permanence"


class MissingEpisode(RecordRow):
    """SSDA903 Missing: a time the child was missing or away without authorisation."""

    dob = _date("DOB")
    missing = _text("MISSING")
    mis_start = _date("MIS_START")
    mis_end = _date("MIS_END")

    class Meta(RecordRow.Meta):
        db_table = "record_missing"


class SocialWorkerEpisode(RecordRow):
    """SSDA903 social worker episodes: who was the child's social worker, from when."""

    dob = _date("DOB")
    sw_id = _text("SW_ID")
    sw_decom = _date("SW_DECOM")
    sw_dec = _date("SW_DEC")
    sw_reason = _text("SW_REASON")

    class Meta(RecordRow.Meta):
        db_table = "record_sw_episodes"
        # Who may open a record asks whose children a worker has now, by SW_ID, and which
        # children have a social worker today (SW_DEC null or later): each answered from
        # an index alone, as a worker's years of past children are many rows to read.
        indexes = (
            *RecordRow.Meta.indexes,
            models.Index(
                fields=("sw_id", "sw_dec", "sw_decom", "withdrawn_at", "child"),
                name="%(class)s_by_worker",
            ),
            models.Index(
                fields=("sw_dec", "sw_decom", "withdrawn_at", "child", "sw_id"),
                name="%(class)s_current",
            ),
        )


class Dolo(RecordRow):
    """SSDA903 (2026-27 on): a deprivation of liberty order."""

    dob = _date("DOB")
    dolo_start = _date("DOLO_START")
    dolo_end = _date("DOLO_END")

    class Meta(RecordRow.Meta):
        db_table = "record_dolo"


# The care record's own tables ---------------------------------------------------------


class Visit(RecordRow):
    """A social worker's visit to the child, and whether the child was seen alone."""

    visit_date = _date("VISIT_DATE")
    seen_alone = _text("SEEN_ALONE")
    sw_id = _text("SW_ID")
    not_alone_reason = _text("NOT_ALONE_REASON")

    class Meta(RecordRow.Meta):
        db_table = "record_visits"


class HealthAssessment(RecordRow):
    """A health assessment (initial or review)."""

    assessment_date = _date("ASSESSMENT_DATE")
    kind = _text("KIND")

    class Meta(RecordRow.Meta):
        db_table = "record_health_assessments"


class Pep(RecordRow):
    """A personal education plan meeting."""

    pep_date = _date("PEP_DATE")

    class Meta(RecordRow.Meta):
        db_table = "record_peps"


class CarePlan(RecordRow):
    """A care, placement or permanence plan."""

    plan_date = _date("PLAN_DATE")
    kind = _text("KIND")

    class Meta(RecordRow.Meta):
        db_table = "record_care_plans"


class PathwayPlan(RecordRow):
    """A needs assessment or pathway plan for a young person leaving care."""

    event_date = _date("EVENT_DATE")
    kind = _text("KIND")

    class Meta(RecordRow.Meta):
        db_table = "record_pathway_plans"


class PaContact(RecordRow):
    """A personal adviser's contact with a care leaver."""

    contact_date = _date("CONTACT_DATE")
    pa_id = _text("PA_ID")

    class Meta(RecordRow.Meta):
        db_table = "record_pa_contacts"


class IroAssignment(RecordRow):
    """The child's independent reviewing officer, from START_DATE to END_DATE."""

    iro_id = _text("IRO_ID")
    start_date = _date("START_DATE")
    end_date = _date("END_DATE")

    class Meta(RecordRow.Meta):
        db_table = "record_iro"
        # An IRO's children are found by IRO_ID (their caseload, their access).
        indexes = (
            *RecordRow.Meta.indexes,
            models.Index(fields=("iro_id",), name="%(class)s_iro_id"),
        )


class ReturnInterview(RecordRow):
    """When an independent return interview was offered after a missing episode."""

    mis_start = _date("MIS_START")
    offer_date = _date("OFFER_DATE")

    class Meta(RecordRow.Meta):
        db_table = "record_return_interviews"


class Person(RecordRow):
    """What the child is called (SSDA903 holds no names)."""

    given_name = _text("GIVEN_NAME")
    family_name = _text("FAMILY_NAME")
    preferred_name = _text("PREFERRED_NAME")

    class Meta(RecordRow.Meta):
        db_table = "record_people"


class HeldTable(models.Model):
    """A table the database's record keeps, even with no rows in it.

    A record read from a plain SSDA903 return keeps no visits at all, which is not the
    same as "no visit was made"; `Record.holds` tells the two apart, and so must the
    record read back from the database. Set when a record is loaded, and when the first
    row of a table is recorded."""

    name = models.CharField(max_length=40, unique=True)
    """The table's name in `carematters.records.schema` (e.g. visits)."""
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "record_held_tables"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


# Derived from the record, kept beside it. Imported last: these modules read the record
# through the models above.
from carematters.web.casework.chronicle import Event  # noqa: E402, F401
from carematters.web.casework.drafts import Draft  # noqa: E402, F401
from carematters.web.casework.due import Due  # noqa: E402, F401
from carematters.web.casework.lines import Line  # noqa: E402, F401
from carematters.web.casework.unallocated import Unallocated  # noqa: E402, F401
