"""Each child's caseload line, stored (WEB.md "What is due, on the page": pages read what
was worked out, they do not recompute it): their name, placement with its distance and
area, legal status, IRO, social worker, how many social workers they had in the year,
and their work (overdue, due this week and next), as `services.team.lines_on` works them
out from the record and what is due.

Like `due.Due`, `Line` is derived data, not the record: `store_lines` replaces the lines
of the children whose duties `due.refresh_due` has just worked out, from the same record
in the same transaction, so a line and what is due always agree, and both move with a
write to the child's record or the daily refresh. Ages are not stored: they are worked
out on the day a page is read, from DOB.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl
from django.db import models

from carematters.calendar.birthdays import age_on
from carematters.records.record import Record
from carematters.services.caseload import CASELOAD, WORST_FIRST
from carematters.services.team import lines_on
from carematters.web.bulk import insert_frame, read_frame
from carematters.web.casework.places import places_for

LINE_SCHEMA = pl.Schema(
    {
        "CHILD": pl.String(),
        "NAME": pl.String(),
        "KNOWN_AS": pl.String(),
        "SORT_NAME": pl.String(),
        **{name: dtype for name, dtype in CASELOAD.items() if name not in {"CHILD", "AGE"}},
        "SW_ID": pl.String(),
        "SOCIAL_WORKERS": pl.UInt32(),
        "AS_AT": pl.Date(),
    }
)
"""A stored line: the child's names (see `child_names`), the caseload's columns but AGE
(`services.caseload.CASELOAD`), their social worker and how many they had in the year
(`services.team.lines_on`), and the day it was worked out on."""


def _text(column: str, *, null: bool = True) -> models.TextField[str | None, str | None]:
    return models.TextField(db_column=column, null=null, blank=null)


def _date(column: str) -> models.DateField[date | None, date | None]:
    return models.DateField(db_column=column, null=True, blank=True)


def _count(column: str, *, null: bool = False) -> models.BigIntegerField[int | None, int | None]:
    return models.BigIntegerField(db_column=column, null=null, blank=null)


class Line(models.Model):
    """One child's caseload line, as worked out on AS_AT (see LINE_SCHEMA)."""

    child = models.CharField(max_length=None, db_column="CHILD", unique=True)
    name = _text("NAME", null=False)
    known_as = _text("KNOWN_AS")
    sort_name = _text("SORT_NAME", null=False)
    dob = _date("DOB")
    looked_after = models.BooleanField(db_column="LOOKED_AFTER")
    place = _text("PLACE")
    placement = _text("PLACEMENT")
    placement_start = _date("PLACEMENT_START")
    pl_distance = models.FloatField(db_column="PL_DISTANCE", null=True, blank=True)
    out_of_area = models.BooleanField(db_column="OUT_OF_AREA", null=True, blank=True)
    ls = _text("LS")
    legal_status = _text("LEGAL_STATUS")
    iro_id = _text("IRO_ID")
    overdue = _count("OVERDUE")
    due_this_week = _count("DUE_THIS_WEEK")
    due_next_week = _count("DUE_NEXT_WEEK")
    next_due = _date("NEXT_DUE")
    most_days_overdue = _count("MOST_DAYS_OVERDUE", null=True)
    sw_id = _text("SW_ID")
    social_workers = _count("SOCIAL_WORKERS")
    as_at = models.DateField(db_column="AS_AT")

    class Meta:
        db_table = "casework_line"

    def __str__(self) -> str:
        return f"{self.child} as at {self.as_at}"


_FIELDS = tuple(column.lower() for column in LINE_SCHEMA)
"""Line's fields in LINE_SCHEMA's order (each column's name in lower case)."""


def child_names(people: pl.DataFrame) -> pl.DataFrame:
    """Each child's name from the record's `people` table: CHILD; NAME, their given and
    family names; KNOWN_AS, the name they go by where it is not their given name (else
    null); SORT_NAME, family name first, for sorting. A child without a row has none."""
    given = pl.col("GIVEN_NAME").fill_null("")
    family = pl.col("FAMILY_NAME").fill_null("")
    return people.select(
        "CHILD",
        NAME=pl.concat_str(given, family, separator=" ").str.strip_chars(),
        KNOWN_AS=pl.when(
            pl.col("PREFERRED_NAME").is_not_null() & (pl.col("PREFERRED_NAME") != given)
        ).then(pl.col("PREFERRED_NAME")),
        SORT_NAME=pl.concat_str(family, given, separator=" ").str.strip_chars().str.to_lowercase(),
    ).unique("CHILD", keep="last", maintain_order=True)


def postcodes_of(record: Record) -> pl.Series:
    """Every home and placement postcode the record's episodes name, to locate them."""
    episodes = record.episodes
    return pl.concat([episodes.get_column("HOME_POST"), episodes.get_column("PL_POST")])


def lines_from(record: Record, duties: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """The lines (LINE_SCHEMA's columns) of every child with a Header row in `record`, on
    `as_at`, from their `duties` (`due.DUE_SCHEMA`'s columns). A child with no name in
    the record is "Name not recorded"."""
    return (
        lines_on(record, duties, as_at, places_for(postcodes_of(record)))
        .join(child_names(record.people), on="CHILD", how="left")
        .with_columns(pl.col("NAME").fill_null("Name not recorded"), AS_AT=pl.lit(as_at))
        .with_columns(pl.col("SORT_NAME").fill_null(pl.col("NAME").str.to_lowercase()))
        .select(LINE_SCHEMA.names())
        .cast(LINE_SCHEMA)
    )


def store_lines(children: Iterable[str], lines: pl.DataFrame) -> None:
    """Replace the stored lines of `children` (CHILD ids) with `lines` (LINE_SCHEMA's
    columns; a child without a line, no longer in the record, keeps none). Call it inside
    the transaction that worked them out (`due.refresh_due` does)."""
    Line.objects.filter(child__in=sorted(set(children))).delete()
    insert_frame(Line, lines.select(LINE_SCHEMA.names()))


def lines_of(children: Iterable[str], as_at: date) -> pl.DataFrame:
    """The stored lines of `children` (CHILD ids), with AGE on `as_at`, worst first (see
    `services.caseload.WORST_FIRST`). One query."""
    columns, descending = WORST_FIRST
    return (
        read_frame(Line, _FIELDS, LINE_SCHEMA, sorted(set(children)), order_by=("pk",))
        .with_columns(AGE=age_on(pl.col("DOB"), as_at).cast(pl.Int64))
        .sort(columns, descending=descending, nulls_last=True)
    )
