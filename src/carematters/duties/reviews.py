"""Reviews of a looked-after child's case (CPPCR 2010 reg 32-33; seed 003 para 7.25-7.33).

First review within 20 working days of becoming looked after; the second within three
months of the first; then at intervals of at most six months, each counted from the
last review actually held. Short-break children (V3/V4) have their own timetable and
are left to the short-break duty.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.months import add_months
from carematters.calendar.working_days import add_working_days
from carematters.duties.rule import Duty
from carematters.duties.status import SHORT_BREAKS, looked_after_on

CPPCR_IN_FORCE = date(2011, 4, 1)
"""The Care Planning, Placement and Case Review (England) Regulations 2010 came into force."""


def _held_this_period(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Children looked after on `as_at` (not on short breaks), with the reviews held in
    their current period of care up to that day, numbered in order."""
    now = looked_after_on(tables["episodes"], as_at).filter(~pl.col("LS").is_in(SHORT_BREAKS))
    children = now.select("CHILD", "PERIOD_START")
    reviews = tables.get("reviews", pl.DataFrame(schema={"CHILD": pl.String, "REVIEW": pl.Date}))
    held = (
        reviews.select("CHILD", "REVIEW")
        .join(children, on="CHILD")
        .filter((pl.col("REVIEW") >= pl.col("PERIOD_START")) & (pl.col("REVIEW") <= as_at))
        .sort("CHILD", "REVIEW")
        .with_columns(NUMBER=pl.col("REVIEW").rank("ordinal").over("CHILD"))
    )
    return children.join(
        held.group_by("CHILD").agg(
            FIRST=pl.col("REVIEW").filter(pl.col("NUMBER") == 1).first(),
            SECOND=pl.col("REVIEW").filter(pl.col("NUMBER") == 2).first(),
            LAST=pl.col("REVIEW").last(),
            COUNT=pl.len(),
        ),
        on="CHILD",
        how="left",
    ).with_columns(pl.col("COUNT").fill_null(0))


def first_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    reviews = _held_this_period(tables, as_at)
    return reviews.select(
        "CHILD",
        DUE_DATE=add_working_days(pl.col("PERIOD_START"), 20),
        LAST_DONE=pl.col("FIRST"),
        DONE=pl.col("FIRST").is_not_null(),
        BASIS=pl.col("PERIOD_START"),
    )


def second_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    reviews = _held_this_period(tables, as_at).filter(pl.col("FIRST").is_not_null())
    return reviews.select(
        "CHILD",
        DUE_DATE=add_months(pl.col("FIRST"), 3),
        LAST_DONE=pl.col("SECOND"),
        DONE=pl.col("SECOND").is_not_null(),
        BASIS=pl.col("FIRST"),
    )


def subsequent_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    reviews = _held_this_period(tables, as_at).filter(pl.col("COUNT") >= 2)
    return reviews.select(
        "CHILD",
        DUE_DATE=add_months(pl.col("LAST"), 6),
        LAST_DONE=pl.col("LAST"),
        DONE=pl.lit(value=False),
        BASIS=pl.col("LAST"),
    )


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
