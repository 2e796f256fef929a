"""Rules about periods a child was missing, or away from placement without authorisation
(DfE rules 574-578, 580, 581, 586 and 1004-1006).

A missing period belongs to a placement: the episode that had started by the day the
child went missing (the child's latest episode starting on or before MIS_START).
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.validation.checks import code_rule, date_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import (
    NEVER,
    end_or,
    law,
    left_blank,
    left_care,
    not_carried_over,
    open_when_care_ended,
    overlapping_earlier,
    rows_of,
)

MISSING_WHEN_EIGHTEEN = "E8"
"""A young person missing on their 18th birthday leaves care for 'any other reason'."""


def _placement_gone_missing_from(context: Context) -> pl.DataFrame:
    """Each dated missing period with the DECOM and DEC of the episode it started in (both
    null when the child had no episode started by then), worked out once."""

    def match() -> pl.DataFrame:
        missing = context.table("missing").filter(pl.col("MIS_START").is_not_null())
        episodes = (
            context.table("episodes")
            .select("CHILD", pl.col("DECOM").alias("_DECOM"), pl.col("DEC").alias("_DEC"))
            .filter(pl.col("_DECOM").is_not_null())
        )
        return missing.sort("CHILD", "MIS_START").join_asof(
            episodes.sort("CHILD", "_DECOM"),
            left_on="MIS_START",
            right_on="_DECOM",
            by="CHILD",
            check_sortedness=False,
        )

    return context.derived("missing periods with the episode they began in", match)


@rule(
    "574",
    "A new missing/away from placement without authorisation period cannot start when the "
    "previous missing/away from placement without authorisation period is still open. "
    "Missing/away from placement without authorisation periods should also not overlap.",
    tables=("missing",),
    fields=("MIS_START", "MIS_END"),
)
def missing_periods_overlap(context: Context) -> Failures:
    """A child can only be missing once at a time: overlapping periods count the same
    days twice, or leave an earlier period wrongly open, so both periods of an overlap
    are shown."""
    return overlapping_earlier(context, "missing", "MIS_START", "MIS_END", both=True)


@rule(
    "575",
    "If the placement from which the child goes missing/away from placement without "
    "authorisation ends, the missing/away from placement without authorisation period in the "
    "missing module must also have an end date.",
    tables=("missing",),
    fields=("MIS_END",),
)
def missing_open_after_placement_ended(context: Context) -> Failures:
    """Once the placement a child went missing from has ended, the missing period must
    have ended too, or the child would be shown missing from a placement they have left.
    An end date given but not readable is an end date (rule 1005's to report)."""
    found = _placement_gone_missing_from(context).filter(
        (pl.col("_DEC") >= pl.col("MIS_START")) & left_blank(context, "missing", "MIS_END")
    )
    return rows_of(context, "missing", found)


@rule(
    "576",
    "There is an open missing/away from placement without authorisation period in last "
    "year\u2019s return and there is no corresponding period recorded at the start of this year.",
    tables=("missing", "header"),
    fields=("CHILD",),
    needs="previous",
)
def missing_not_carried_over(context: Context) -> Failures:
    """A child still missing at the end of last year was still missing when this year
    began, so this year's return must carry that period on, with the same start date."""
    return not_carried_over(context, "missing", "MIS_START", "MIS_END")


@rule(
    "577",
    "Child ceased to be looked after but there is a missing/away from placement without "
    "authorisation period without an end date.",
    tables=("missing",),
    fields=("MIS_END",),
)
def missing_open_after_care_ended(context: Context) -> Failures:
    """When a child leaves care the authority stops recording their missing periods, so
    any period open then must be given an end date."""
    return open_when_care_ended(context, "missing", "MIS_START", "MIS_END")


@rule(
    "578",
    "The date that the child started to be missing is after the child ceased to be looked after.",
    tables=("missing",),
    fields=("MIS_START",),
)
def missing_after_care_ended(context: Context) -> Failures:
    """Missing periods are recorded only while a child is looked after, not once their
    placement has ended and no other has begun."""
    found = _placement_gone_missing_from(context).filter(pl.col("_DEC") < pl.col("MIS_START"))
    return rows_of(context, "missing", found)


@rule(
    "580",
    "Child is missing when cease being looked after but reason episode ceased not \u2018E8\u2019.",
    tables=("episodes",),
    fields=("REC",),
)
def missing_at_eighteen_not_e8(context: Context) -> Failures:
    """A young person who is missing when they turn 18 and leave care has not been seen
    to leave for any particular reason, so DfE asks for E8 (any other reason)."""
    # A missing period whose end date could not be read may have ended before: it is
    # left out, not taken as still open.
    missing = context.table("missing").select(
        "CHILD",
        "DOB",
        "MIS_START",
        end_or(context, "missing", "MIS_END", NEVER),
    )
    endings = context.table("episodes").filter(left_care(context)).join(missing, on="CHILD")
    at_eighteen = pl.col("DEC") == birthday(pl.col("DOB"), law(context, "ages.adulthood"))
    missing_that_day = (pl.col("MIS_START") <= pl.col("DEC")) & (pl.col("MIS_END") >= pl.col("DEC"))
    found = endings.filter(
        at_eighteen & missing_that_day & pl.col("REC").ne_missing(MISSING_WHEN_EIGHTEEN)
    )
    return rows_of(context, "episodes", found)


@rule(
    "581",
    "Child is missing but has not yet started to be looked after.",
    tables=("missing",),
    fields=("MIS_START",),
)
def missing_before_care_started(context: Context) -> Failures:
    """Missing periods are recorded only while a child is looked after, not before their
    first episode of care began.

    A child whose first episode this year does not start a period of care (RNE S) was
    already looked after before it, in last year's return, so a missing period that began
    then is not before their care, unless it began before they were born. A child with
    an episode whose start date could not be read is left out: it may have begun first."""
    episodes = context.table("episodes").sort("CHILD", "DECOM")
    first = episodes.group_by("CHILD", maintain_order=True).first()
    started = context.group("reason_new_episode", "started_care")
    already_in_care = first.filter(~pl.col("RNE").is_in(started))["CHILD"].implode()
    before_care = ~pl.col("CHILD").is_in(already_in_care) | (pl.col("MIS_START") <= pl.col("DOB"))
    undated = episodes.filter(context.unreadable("episodes", "DECOM"))["CHILD"].implode()
    found = _placement_gone_missing_from(context).filter(
        pl.col("_DECOM").is_null() & before_care.fill_null(False) & ~pl.col("CHILD").is_in(undated)
    )
    return rows_of(context, "missing", found)


@rule(
    "586",
    "Dates of missing periods are before child\u2019s date of birth.",
    tables=("missing",),
    fields=("MIS_START",),
)
def missing_before_birth(context: Context) -> Failures:
    """A child cannot go missing before they were born: one of the two dates is wrong."""
    return context.failing("missing", pl.col("MIS_START") <= pl.col("DOB"))


@rule(
    "1004",
    "The start date of the missing episode or episode that the child was away from placement "
    "without authorisation is not a valid date.",
    tables=("missing",),
    fields=("MIS_START",),
)
def missing_start_date(context: Context) -> Failures:
    """Every missing period needs the real date it began, to count the times and days
    children in care go missing."""
    return date_rule(context, "missing", "MIS_START", required=True)


@rule(
    "1005",
    "The end date of the missing episode or episode that the child was away from placement "
    "without authorisation is not a valid date.",
    tables=("missing",),
    fields=("MIS_END",),
)
def missing_end_date(context: Context) -> Failures:
    """A missing period that has ended needs the real date it ended, to count how long
    the child was missing."""
    return date_rule(context, "missing", "MIS_END", required=False)


@rule("1006", "Missing type invalid.", tables=("missing",), fields=("MISSING",))
def missing_type(context: Context) -> Failures:
    """Each period must say whether the child was missing or away without authorisation:
    the two are counted separately."""
    return code_rule(context, "missing", "MISSING", "missing_type", required=True)
