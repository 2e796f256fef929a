"""Rules about deprivation of liberty orders (DoLOs), collected from 2026-27 (DfE rules
700-710).

A placement is held to overlap a DoLO if the child was in it on any day the order ran:
it began on or before the order ended (an open order still runs) and ended after the
order began (a placement left on the day the order began is not the order's placement).
"""

from __future__ import annotations

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import date_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import (
    NEVER,
    end_or,
    not_carried_over,
    open_when_care_ended,
    overlapping_earlier,
    rows_of,
)

SINCE = "2026-27"
EXPECTED_PLACEMENTS = ("K2", "Z12", "Z13")
"""Children's homes and the other settings DfE expects a child under a DoLO to live in."""
FORBIDDEN_PLACEMENTS = ("K1", "P1", "R5", "K3")
"""Secure children's homes, with parents, young offender institutions and supported
accommodation: a DoLO is not how a child comes to be in any of them."""


@rule(
    "700",
    "The start date of the DoLO is not a valid date.",
    tables=("dolo",),
    fields=("DOLO_START",),
    since=SINCE,
)
def dolo_start_date(context: Context) -> Failures:
    """Every DoLO needs the real date it began, to count the children deprived of their
    liberty and for how long."""
    return date_rule(context, "dolo", "DOLO_START", required=True)


@rule(
    "701",
    "The end date of the DoLO is not a valid date.",
    tables=("dolo",),
    fields=("DOLO_END",),
    since=SINCE,
)
def dolo_end_date(context: Context) -> Failures:
    """A DoLO that has ended needs the real date it ended, to know how long the child was
    deprived of their liberty."""
    return date_rule(context, "dolo", "DOLO_END", required=False)


@rule(
    "702",
    "The date that the DoLO ended is before the date that it started.",
    tables=("dolo",),
    fields=("DOLO_START", "DOLO_END"),
    since=SINCE,
)
def dolo_ends_before_start(context: Context) -> Failures:
    """An order cannot end before it began: one of its two dates is wrong."""
    return context.failing("dolo", pl.col("DOLO_END") < pl.col("DOLO_START"))


@rule(
    "703",
    "The date that the DoLO started is after the end of the collection year.",
    tables=("dolo",),
    fields=("DOLO_START",),
    since=SINCE,
)
def dolo_starts_after_year(context: Context) -> Failures:
    """The return describes the year to 31 March: an order starting later belongs in next
    year's return."""
    return context.failing("dolo", pl.col("DOLO_START") > context.end)


@rule(
    "704",
    "The date that the DoLO ended is before the start or after the end of the collection year.",
    tables=("dolo",),
    fields=("DOLO_END",),
    since=SINCE,
)
def dolo_ends_outside_year(context: Context) -> Failures:
    """The return holds orders running during the year: one that ended before 1 April
    belongs to an earlier return, and none can be known to end after 31 March."""
    return context.failing("dolo", ~pl.col("DOLO_END").is_between(context.start, context.end))


@rule(
    "705",
    "A DoLO cannot start when the previous DoLO is still open.",
    tables=("dolo",),
    fields=("DOLO_START", "DOLO_END"),
    since=SINCE,
)
def dolo_while_previous_open(context: Context) -> Failures:
    """A child is under one DoLO at a time: a new order can only begin once the last has
    ended."""
    return overlapping_earlier(context, "dolo", "DOLO_START", "DOLO_END")


@rule(
    "706",
    "There is an open DoLO in last year\u2019s return and there is no corresponding DoLO "
    "recorded at the start of this year..",
    tables=("dolo", "header"),
    fields=("DOLO_START",),
    since=SINCE,
    needs="previous",
)
def dolo_not_carried_over(context: Context) -> Failures:
    """An order still running at the end of last year was still running when this year
    began, so this year's return must carry it on, with the same start date."""
    return not_carried_over(context, "dolo", "DOLO_START", "DOLO_END")


@rule(
    "707",
    "Child ceased to be looked after but there is a DoLO without an end date.",
    tables=("dolo",),
    fields=("DOLO_END",),
    since=SINCE,
)
def dolo_open_after_care_ended(context: Context) -> Failures:
    """The return records DoLOs while a child is looked after, so an order still open
    when the child left care must be given the date it ended."""
    return open_when_care_ended(context, "dolo", "DOLO_START", "DOLO_END")


@rule(
    "708",
    "Dates of DoLOs are before child\u2019s date of birth.",
    tables=("dolo",),
    fields=("DOLO_START",),
    since=SINCE,
)
def dolo_before_birth(context: Context) -> Failures:
    """No order can be made for a child not yet born: one of the two dates is wrong."""
    return context.failing("dolo", pl.col("DOLO_START") <= pl.col("DOB"))


def _placements_during_dolo(context: Context, wrong: pl.Expr) -> Failures:
    """The DoLOs, and the episodes overlapping them, whose placement type is `wrong`. An
    end date that could not be read is not taken as open: the pair is left out."""
    dec = end_or(context, "episodes", "DEC", NEVER)
    episodes = context.table("episodes").select("CHILD", "DECOM", dec, "PLACE", ROW_COLUMN)
    dolo_end = end_or(context, "dolo", "DOLO_END", NEVER)
    dolos = context.table("dolo").select("CHILD", "DOLO_START", dolo_end, ROW_COLUMN)
    overlaps = dolos.join(episodes, on="CHILD", suffix="_EPISODE").filter(
        (pl.col("DECOM") <= pl.col("DOLO_END")) & (pl.col("DEC") > pl.col("DOLO_START")) & wrong
    )
    return rows_of(context, "dolo", overlaps) | rows_of(
        context, "episodes", overlaps.select(pl.col(f"{ROW_COLUMN}_EPISODE").alias(ROW_COLUMN))
    )


@rule(
    "709",
    "Child with a DoLO is in an unexpected placement type.",
    tables=("dolo", "episodes"),
    fields=("DOLO_START", "PLACE"),
    since=SINCE,
)
def dolo_unexpected_placement(context: Context) -> Failures:
    """Children under a DoLO are expected to live in children's homes or the other
    settings made for them; any other placement is worth checking."""
    return _placements_during_dolo(context, ~pl.col("PLACE").is_in(EXPECTED_PLACEMENTS))


@rule(
    "710",
    "Child with a DoLO can not be placed in secure children's homes, with parents, young "
    "offender institutions, or supported accommodation.",
    tables=("dolo", "episodes"),
    fields=("DOLO_START", "PLACE"),
    since=SINCE,
)
def dolo_forbidden_placement(context: Context) -> Failures:
    """A DoLO deprives a child of liberty outside the settings with their own legal basis
    (secure homes, custody) and is not for a child at home or in supported accommodation,
    so such a placement contradicts the order."""
    return _placements_during_dolo(context, pl.col("PLACE").is_in(FORBIDDEN_PLACEMENTS))
