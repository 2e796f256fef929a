"""Reviews for children on agreed short breaks (CPPCR 2010 reg 48 as modified).

A child accommodated for an agreed series of short breaks (legal status V3, or V4 where
the agreement is recorded) has their first review within three months of the first
break of the arrangement and then at most every six months. The arrangement is taken to
run while breaks are no more than a year apart (a policy choice, the parameter
`short_breaks.arrangement_lapses`: a year's gap ends it).
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.timescales import after
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, once
from carematters.ssda903.codelists import code_group


def _arrangements(s: Situation) -> pl.LazyFrame:
    """Children with a short-break arrangement running on the day (CHILD), and the day
    its first break began (ANCHOR)."""
    lapse = s.p["short_breaks.arrangement_lapses"]
    breaks = (
        s.table("episodes")
        .filter(
            pl.col("LS").is_in(code_group("legal_status", "short_breaks"))
            & (pl.col("DECOM") <= s.as_at)
        )
        .sort("CHILD", "DECOM")
        .with_columns(ENDED=pl.coalesce("DEC", pl.lit(s.as_at)))
    )
    lapsed = pl.col("DECOM") > after(pl.col("ENDED").shift(1).over("CHILD"), lapse)
    started = breaks.with_columns(
        ANCHOR=pl.when(lapsed.fill_null(value=True)).then(pl.col("DECOM"))
    ).with_columns(pl.col("ANCHOR").forward_fill().over("CHILD"))
    latest = started.group_by("CHILD").agg(pl.col("ANCHOR").last(), pl.col("ENDED").max())
    return latest.filter(after(pl.col("ENDED"), lapse) >= s.as_at).select("CHILD", "ANCHOR")


def _reviews(s: Situation) -> pl.LazyFrame:
    return s.shared(
        "short_break_reviews",
        lambda: events_since(_arrangements(s), s.events("reviews", "REVIEW"), s.as_at),
    )


def first_short_break_review(s: Situation) -> pl.LazyFrame:
    return once(_reviews(s), after(pl.col("ANCHOR"), s.p["short_breaks.first_review"]))


def next_short_break_review(s: Situation) -> pl.LazyFrame:
    return again(_reviews(s), after(pl.col("LAST"), s.p["short_breaks.review"]))


SHORT_BREAK_DUTIES = (
    Duty(
        id="review.short_break.first",
        source="CPPCR 2010 reg 48(2), Sch 7",
        explanation=(
            "The first review must be held within {short_breaks.first_review} of the first "
            "short break on {basis}"
        ),
        rule=first_short_break_review,
        parameters=("short_breaks.first_review", "short_breaks.arrangement_lapses"),
        evidence=("reviews",),
    ),
    Duty(
        id="review.short_break",
        source="CPPCR 2010 reg 48(2), Sch 7",
        explanation=(
            "Short-break reviews must be held at least every {short_breaks.review}; last on {basis}"
        ),
        rule=next_short_break_review,
        parameters=("short_breaks.review", "short_breaks.arrangement_lapses"),
        evidence=("reviews",),
    ),
)
