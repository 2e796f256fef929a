"""Reviews of a looked-after child's case (CPPCR 2010 reg 32-33; seed 003 para 7.25-7.33).

First review within 20 working days of becoming looked after; the second within three
months of the first; then at intervals of at most six months, each counted from the
last review actually held. Short-break children (V3/V4) have their own timetable.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.months import add_months
from carematters.calendar.working_days import add_working_days
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.status import in_care_not_on_short_breaks
from carematters.duties.timing import again, events, events_since, once


def _reviews(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Children in care on `as_at` with the reviews of their current period of care."""
    owed = in_care_not_on_short_breaks(tables, as_at).select("CHILD", ANCHOR="PERIOD_START")
    return events_since(owed, events(tables, "reviews", "REVIEW"), as_at)


def first_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(_reviews(tables, as_at), add_working_days(pl.col("ANCHOR"), 20))


def second_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    held = _reviews(tables, as_at).filter(pl.col("COUNT") >= 1)
    return once(held, add_months(pl.col("FIRST"), 3), basis="FIRST", done_by="SECOND")


def subsequent_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return again(_reviews(tables, as_at), add_months(pl.col("LAST"), 6), after=2)


REVIEW_DUTIES = (
    Duty(
        id="review.first",
        source="CPPCR 2010 reg 33(2)(a)",
        explanation=(
            "First review must be held within 20 working days of coming into care on {basis}"
        ),
        rule=first_review,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="review.second",
        source="CPPCR 2010 reg 33(2)(b)",
        explanation="Second review must be held within 3 months of the first review on {basis}",
        rule=second_review,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="review.subsequent",
        source="CPPCR 2010 reg 33(2)(c)",
        explanation="Next review must be held within 6 months of the last review on {basis}",
        rule=subsequent_review,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
