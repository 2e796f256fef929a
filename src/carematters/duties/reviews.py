"""Reviews of a looked-after child's case (CPPCR 2010 reg 32-33; seed 003 para 7.25-7.33).

First review within 20 working days of becoming looked after; the second within three
months of the first; then at intervals of at most six months, each counted from the
last review actually held. Short-break children (V3/V4) have their own timetable
(`short_breaks`). Reviews end when care ends, and at 18.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.timescales import after
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, once


def current_reviews(s: Situation) -> pl.LazyFrame:
    """Children in care on the day with the reviews of their current period of care."""
    owed = s.in_care.select("CHILD", ANCHOR="PERIOD_START")
    return s.shared("reviews", lambda: events_since(owed, s.events("reviews", "REVIEW"), s.as_at))


def first_review(s: Situation) -> pl.LazyFrame:
    return once(current_reviews(s), after(pl.col("ANCHOR"), s.p["reviews.first"]))


def second_review(s: Situation) -> pl.LazyFrame:
    held = current_reviews(s).filter(pl.col("COUNT") >= 1)
    due = after(pl.col("FIRST"), s.p["reviews.second"])
    return once(held, due, basis="FIRST", done_by="SECOND")


def subsequent_review(s: Situation) -> pl.LazyFrame:
    return again(current_reviews(s), after(pl.col("LAST"), s.p["reviews.subsequent"]), after=2)


REVIEW_DUTIES = (
    Duty(
        id="review.first",
        source="CPPCR 2010 reg 33(1)",
        explanation=(
            "The first review must be held within {reviews.first} of coming into care on {basis}"
        ),
        rule=first_review,
        parameters=("reviews.first",),
        evidence=("reviews",),
    ),
    Duty(
        id="review.second",
        source="CPPCR 2010 reg 33(2)(a)",
        explanation=(
            "The second review must be held within {reviews.second} of the first review on {basis}"
        ),
        rule=second_review,
        parameters=("reviews.second",),
        evidence=("reviews",),
    ),
    Duty(
        id="review.subsequent",
        source="CPPCR 2010 reg 33(2)(b)",
        explanation=(
            "The next review must be held within {reviews.subsequent} of the last review on {basis}"
        ),
        rule=subsequent_review,
        parameters=("reviews.subsequent",),
        evidence=("reviews",),
    ),
)
