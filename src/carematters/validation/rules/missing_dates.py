"""Rules on the dates of times a child was missing or away from placement without
authorisation (DfE rules 564-567, 570 and 571).

A date that was given but could not be read counts as completed, not blank: the rules on
valid dates report it, and these rules do not report it a second time as missing.
"""

from __future__ import annotations

import polars as pl

from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank, provided


@rule(
    "564",
    "Child was missing or away from placement without authorisation and the date started is blank.",
    tables=("missing",),
    fields=("MISSING", "MIS_START"),
)
def missing_without_start(context: Context) -> Failures:
    """Each time a child goes missing or away is counted by when it began, so the start
    date is needed."""
    recorded = pl.col("MISSING").is_in(context.codes("missing_type"))
    return context.failing("missing", recorded & left_blank(context, "missing", "MIS_START"))


@rule(
    "565",
    "The date that the child started to be missing or away from placement without "
    "authorisation has been completed but whether the child was missing or away from "
    "placement without authorisation has not been completed.",
    tables=("missing",),
    fields=("MISSING", "MIS_START"),
)
def start_without_kind(context: Context) -> Failures:
    """Missing and away without authorisation are counted apart, so a time that began
    needs to say which it was."""
    return context.failing("missing", provided(context, "missing", "MIS_START") & blank("MISSING"))


@rule(
    "566",
    "The date that the child's episode of being missing or away from placement without "
    "authorisation ended has been completed but whether the child was missing or away "
    "without authorisation has not been completed.",
    tables=("missing",),
    fields=("MISSING", "MIS_END"),
)
def end_without_kind(context: Context) -> Failures:
    """Missing and away without authorisation are counted apart, so a time that ended
    needs to say which it was."""
    return context.failing("missing", provided(context, "missing", "MIS_END") & blank("MISSING"))


@rule(
    "567",
    "The date that the missing episode or episode that the child was away from placement "
    "without authorisation ended is before the date that it started.",
    tables=("missing",),
    fields=("MIS_START", "MIS_END"),
)
def ended_before_started(context: Context) -> Failures:
    """A time missing cannot end before it began: one of the dates is wrong, and how long
    children are missing is reported from them."""
    return context.failing("missing", pl.col("MIS_END") < pl.col("MIS_START"))


@rule(
    "570",
    "The date that the child started to be missing or away from placement without "
    "authorisation is after the end of the collection year.",
    tables=("missing",),
    fields=("MIS_START",),
)
def started_after_year(context: Context) -> Failures:
    """The return covers the year to 31 March, so it cannot hold a time missing that
    began later."""
    return context.failing("missing", pl.col("MIS_START") > context.end)


@rule(
    "571",
    "The date that the child ceased to be missing or away from placement without "
    "authorisation is before the start or after the end of the collection year.",
    tables=("missing",),
    fields=("MIS_END",),
)
def ended_outside_year(context: Context) -> Failures:
    """A time missing that ended before 1 April belongs to an earlier return, and one
    cannot end after 31 March when the return was made."""
    outside = (pl.col("MIS_END") < context.start) | (pl.col("MIS_END") > context.end)
    return context.failing("missing", outside)
