"""What is due, stored (WEB.md "What is due, on the page"): the duties engine's rows for
every child, worked out on a day and kept, so that pages read them instead of running
the engine.

`Due` holds the duties table of `carematters.duties.engine` (its columns, DfE-style
names as `db_column`) plus AS_AT, the day it was worked out on. It is derived data, not
the record: `refresh_due` replaces a child's rows wholesale, from the record as it now
is, and their caseload line and chronology with them (`lines`, `chronicle`). A write to
a child's record refreshes that child at once (the actions call
`refresh_due([child], today)` inside their own transaction); `refresh_all_due`, run
daily by `carematters web refresh-due`, refreshes everyone, since statuses move with the
date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl
from django.db import models, transaction

from carematters.duties.engine import SCHEMA as DUTIES_SCHEMA
from carematters.services.caseload import duties_for
from carematters.web.bridge import record_with_keys
from carematters.web.bulk import insert_frame, read_frame
from carematters.web.casework.chronicle import Event, chronology_from, store_chronology
from carematters.web.casework.lines import Line, lines_from, store_lines
from carematters.web.casework.models import Header
from carematters.web.casework.unallocated import Unallocated, store_unallocated, unallocated_from
from carematters.web.leaving.lines import leaver_lines_from, store_leaver_lines
from carematters.web.leaving.models import LeaverLine

CHUNK = 2_000
"""Children refreshed in one transaction by `refresh_all_due`: few enough to keep each
transaction short and its record in memory small, many enough to be quick."""

DUE_SCHEMA = pl.Schema({**DUTIES_SCHEMA, "AS_AT": pl.Date()})
"""The stored table: the duties engine's columns, then the day they were worked out on."""


class Due(models.Model):
    """One duty owed to one child, as the duties engine worked it out on AS_AT: when it
    falls due, when it was last done, its status on AS_AT (done, not recorded, missed,
    overdue, due, upcoming), days overdue, the law it comes from and the sentence that
    explains it for this child."""

    child = models.CharField(max_length=None, db_column="CHILD")
    duty = models.CharField(max_length=None, db_column="DUTY")
    due_date = models.DateField(null=True, blank=True, db_column="DUE_DATE")
    last_done = models.DateField(null=True, blank=True, db_column="LAST_DONE")
    status = models.CharField(max_length=None, db_column="STATUS")
    days_overdue = models.BigIntegerField(null=True, blank=True, db_column="DAYS_OVERDUE")
    source = models.TextField(db_column="SOURCE")
    explanation = models.TextField(db_column="EXPLANATION")
    as_at = models.DateField(db_column="AS_AT")

    class Meta:
        db_table = "casework_due"
        indexes = (models.Index(fields=("child",), name="casework_due_child"),)

    def __str__(self) -> str:
        return f"{self.child} {self.duty} {self.status} ({self.due_date})"


_FIELDS = tuple(column.lower() for column in DUE_SCHEMA)
"""Due's fields in DUE_SCHEMA's order (each column's name in lower case)."""


def due_table(children: Iterable[str] | None = None) -> pl.DataFrame:
    """The stored duties (DUE_SCHEMA's columns) of `children` (CHILD ids; every child
    when None), by child, due date and duty, as the engine orders them. One query."""
    wanted = None if children is None else sorted(set(children))
    return read_frame(
        Due, _FIELDS, DUE_SCHEMA, wanted, order_by=("child", "due_date", "duty", "pk")
    )


def refresh_due(children: Iterable[str], as_at: date) -> int:
    """Work out again what is due to `children` (CHILD ids) on `as_at`, their caseload
    lines (`lines.Line`), their chronologies (`chronicle.Event`) and their leaving-care
    lines (`leaving.lines`), from their record in the database as it now is, and replace
    their stored rows with them, in one transaction (inside the caller's, if there is
    one). Gives how many duties are stored.

    Their Header rows are locked first (PostgreSQL), so two refreshes of one child, or a
    refresh and a write that refreshes, take turns: the last to finish has read the
    record the first left. Raises `OutsideCalendarError` for a day the bank holiday
    calendar does not cover, changing nothing."""
    wanted = sorted(set(children))
    if not wanted:
        return 0
    with transaction.atomic():
        list(Header.objects.select_for_update().filter(child__in=wanted).values_list("pk"))
        record, keys = record_with_keys(wanted)
        duties = duties_for(record, as_at).with_columns(AS_AT=pl.lit(as_at))
        Due.objects.filter(child__in=wanted).delete()
        insert_frame(Due, duties.select(DUE_SCHEMA.names()))
        store_lines(wanted, lines_from(record, duties, as_at))
        store_chronology(wanted, chronology_from(record, keys))
        store_unallocated(wanted, unallocated_from(record))
        store_leaver_lines(wanted, leaver_lines_from(record, duties, as_at))
    return duties.height


def refresh_all_due(as_at: date, chunk: int = CHUNK) -> int:
    """`refresh_due` for every child in the record, `chunk` children at a time (each
    chunk its own transaction), and the rows of children no longer in the record
    removed. Gives how many rows are stored."""
    children = sorted({c for c in Header.objects.current().values_list("child", flat=True) if c})
    stored = sum(
        refresh_due(children[start : start + chunk], as_at)
        for start in range(0, len(children), chunk)
    )
    in_record = Header.objects.current().values("child")
    Due.objects.exclude(child__in=in_record).delete()
    Line.objects.exclude(child__in=in_record).delete()
    Event.objects.exclude(child__in=in_record).delete()
    Unallocated.objects.exclude(child__in=in_record).delete()
    LeaverLine.objects.exclude(child__in=in_record).delete()
    return stored


def stored_on(rows: pl.DataFrame) -> date | None:
    """The earliest day the given stored rows were worked out on (None for no rows): a
    page says so when it is not today."""
    earliest = rows.get_column("AS_AT").min()
    return earliest if isinstance(earliest, date) else None


DUTY_TITLES = {
    "review.iro_named": "Named independent reviewing officer",
    "review.first": "First review",
    "review.second": "Second review",
    "review.subsequent": "Review",
    "review.short_break.first": "First short-break review",
    "review.short_break": "Short-break review",
    "visit.placement.first": "First visit in a new placement",
    "visit.placement": "Visit",
    "plan.care": "Care plan",
    "plan.placement": "Placement plan",
    "plan.permanence": "Permanence plan",
    "health.sdq": "Strengths and Difficulties Questionnaire",
    "health.dental": "Dental check",
    "health.initial": "Initial health assessment",
    "health.review": "Review health assessment",
    "pep.initial": "Personal education plan",
    "pep.review": "Personal education plan review",
    "leaving_care.needs_assessment": "Leaving care needs assessment",
    "leaving_care.pathway_plan": "Pathway plan",
    "leaving_care.pathway_review": "Pathway plan review",
    "leaving_care.pa_contact": "Contact with personal adviser",
    "leaving_care.oc3_contact": "Birthday contact for the care leavers' return",
    "missing.return_interview": "Return interview offer",
}
"""Each duty's name on a page, by its id in the duties engine (a test holds every duty
to having one); its EXPLANATION says the rest."""

STATUS_TAGS = {
    "overdue": ("Overdue", "red"),
    "due": ("Due soon", "orange"),
    "upcoming": ("Upcoming", "blue"),
    "done": ("Done", "green"),
    "missed": ("Missed", "grey"),
    "not recorded": ("Not recorded", "grey"),
}
"""Each status as a page shows it: its words and the colour of its GOV.UK tag."""

TO_DO = ("overdue", "due", "upcoming")
"""The statuses of work still to do; the others are done, or past doing."""


def in_words(duties: pl.DataFrame) -> pl.DataFrame:
    """Stored duties (DUE_SCHEMA) with TITLE (the duty's name, its id where it has none),
    STATUS_WORDS and TAG (the status's words and tag colour) and TO_DO (still to do)."""
    status = pl.col("STATUS")
    return duties.with_columns(
        TITLE=pl.col("DUTY").replace_strict(
            list(DUTY_TITLES), list(DUTY_TITLES.values()), default=pl.col("DUTY")
        ),
        STATUS_WORDS=status.replace_strict(
            list(STATUS_TAGS), [words for words, _ in STATUS_TAGS.values()], default=status
        ),
        TAG=status.replace_strict(
            list(STATUS_TAGS), [tag for _, tag in STATUS_TAGS.values()], default="grey"
        ),
        TO_DO=status.is_in(TO_DO),
    )
