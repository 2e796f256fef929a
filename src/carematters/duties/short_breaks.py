"""Reviews for children on agreed short breaks (CPPCR 2010 reg 48 as modified).

A child accommodated for an agreed series of short breaks (legal status V3, or V4 where
the agreement is recorded) has their first review within three months of the first
break of the arrangement and then at most every six months. The arrangement is taken to
run while breaks are no more than a year apart (policy choice: a year's gap ends it).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.calendar.months import add_months
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.status import SHORT_BREAKS
from carematters.duties.timing import again, events, events_since, once

ARRANGEMENT_GAP = timedelta(days=365)


def _arrangements(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Children with a short-break arrangement running on `as_at`, and when it began."""
    breaks = (
        tables["episodes"]
        .filter(pl.col("LS").is_in(SHORT_BREAKS) & (pl.col("DECOM") <= as_at))
        .sort("CHILD", "DECOM")
        .with_columns(ENDED=pl.coalesce("DEC", pl.lit(as_at)))
    )
    gap = pl.col("DECOM") - pl.col("ENDED").shift(1).over("CHILD")
    started = breaks.with_columns(
        ANCHOR=pl.when(gap.is_null() | (gap > ARRANGEMENT_GAP)).then(pl.col("DECOM"))
    ).with_columns(pl.col("ANCHOR").forward_fill().over("CHILD"))
    latest = started.group_by("CHILD").agg(pl.col("ANCHOR").last(), pl.col("ENDED").max())
    return latest.filter(pl.lit(as_at) - pl.col("ENDED") <= ARRANGEMENT_GAP).select(
        "CHILD", "ANCHOR"
    )


def _reviews(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return events_since(_arrangements(tables, as_at), events(tables, "reviews", "REVIEW"), as_at)


def first_short_break_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(_reviews(tables, as_at), add_months(pl.col("ANCHOR"), 3))


def next_short_break_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return again(_reviews(tables, as_at), add_months(pl.col("LAST"), 6))


SHORT_BREAK_DUTIES = (
    Duty(
        id="review.short_break.first",
        source="CPPCR 2010 reg 48(2), Sch 8",
        explanation="First review must be held within 3 months of the first short break on {basis}",
        rule=first_short_break_review,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="review.short_break",
        source="CPPCR 2010 reg 48(2), Sch 8",
        explanation="Short-break reviews must be held at least every 6 months; last on {basis}",
        rule=next_short_break_review,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
