"""Reviews of a looked-after child's case (CPPCR 2010 reg 32-33; seed 003 para 7.25-7.33).

First review within 20 working days of becoming looked after; the second within three
months of the first; then at intervals of at most six months, each counted from the
last review actually held. Short-break children (V3/V4) have their own timetable
(`short_breaks`). Reviews end when care ends, and at 18.

The reviews are chaired by the child's independent reviewing officer, whom the local
authority must appoint for every child it looks after (Children Act 1989 s25A(1); seed
003 para 7.33 asks for a named IRO for every child). The Act sets no time for it; the
IRO Handbook (statutory guidance, in force with the regulations on 1 April 2011) asks
for the appointment within 5 working days of the child becoming looked after
(`iro.named_within`). An IRO who was the child's before a new period of care and was
still in post when it began carries on, and counts as named on its first day.
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


def iro_named(s: Situation) -> pl.LazyFrame:
    """Children in care on the day, due a named IRO `iro.named_within` after the start of
    their current period of care, done by the first IRO in post on or after that start: an
    appointment from then on counts from its START_DATE; one made before the period and
    not ended before it (END_DATE blank, or on or after the start) counts from the start."""
    owed = s.in_care.select("CHILD", ANCHOR="PERIOD_START")
    officers = s.table("iro").select("CHILD", "START_DATE", "END_DATE").drop_nulls("START_DATE")
    in_post = (
        officers.join(owed, on="CHILD")
        .filter(pl.col("END_DATE").is_null() | (pl.col("END_DATE") >= pl.col("ANCHOR")))
        .select("CHILD", EVENT=pl.max_horizontal("START_DATE", "ANCHOR").cast(pl.Date))
    )
    named = events_since(owed, in_post, s.as_at)
    return once(named, after(pl.col("ANCHOR"), s.p["iro.named_within"]))


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
        id="review.iro_named",
        source=(
            "CA89 s25A(1); IRO Handbook 2010 (statutory guidance); "
            "Care Matters: Time for Change (2007) para 7.33"
        ),
        explanation=(
            "A named independent reviewing officer (IRO) must be appointed within "
            "{iro.named_within} of coming into care on {basis}"
        ),
        rule=iro_named,
        parameters=("iro.named_within",),
        evidence=("iro",),
    ),
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
