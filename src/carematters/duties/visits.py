"""Social worker visits (CPPCR 2010 reg 28-29; seed 001 para 3.79-3.83).

Within one week of the start of each placement; then at most six weeks apart in the
placement's first year; after that at most three months apart where the placement is
meant to last until the child is 18 (long-term foster placements, U1 and U4), otherwise
six weeks. A child placed with a parent (P1) is visited weekly until the first review;
then four-weekly under an interim care order, six-weekly otherwise (reg 28(4)-(5)).
Not yet: connected persons with temporary approval (the record does not say which
carers are), and six-monthly visits agreed by the child (nor whether they agreed).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.calendar.months import add_months
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.status import in_care_not_on_short_breaks
from carematters.duties.timing import again, events, events_since, once

LONG_TERM = ("U1", "U4")


def _visits(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Visits in the current placement, with the date of the period's first review."""
    now = in_care_not_on_short_breaks(tables, as_at)
    reviewed = events_since(
        now.select("CHILD", ANCHOR="PERIOD_START"), events(tables, "reviews", "REVIEW"), as_at
    ).select("CHILD", FIRST_REVIEW="FIRST")
    owed = now.select("CHILD", "PLACE", "LS", ANCHOR="PLACEMENT_START").join(reviewed, on="CHILD")
    return events_since(owed, events(tables, "visits", "VISIT_DATE"), as_at)


def first_visit(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(_visits(tables, as_at), pl.col("ANCHOR") + timedelta(days=7))


def next_visit(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    settled = pl.col("PLACE").is_in(LONG_TERM) & (
        pl.col("LAST") >= add_months(pl.col("ANCHOR"), 12)
    )
    with_parent = pl.col("PLACE") == "P1"
    before_review = pl.col("FIRST_REVIEW").is_null() | (pl.col("LAST") < pl.col("FIRST_REVIEW"))
    due = (
        pl.when(with_parent & before_review)
        .then(pl.col("LAST") + timedelta(weeks=1))
        .when(with_parent & (pl.col("LS") == "C1"))
        .then(pl.col("LAST") + timedelta(weeks=4))
        .when(settled)
        .then(add_months(pl.col("LAST"), 3))
        .otherwise(pl.col("LAST") + timedelta(weeks=6))
    )
    return again(_visits(tables, as_at), due)


VISIT_DUTIES = (
    Duty(
        id="visit.placement.first",
        source="CPPCR 2010 reg 28(2)(a)",
        explanation="The child must be visited within a week of the placement starting on {basis}",
        rule=first_visit,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="visit.placement",
        source="CPPCR 2010 reg 28(2)-(5)",
        explanation=(
            "The child must be visited at least every 6 weeks (every 3 months after a long-term "
            "placement's first year; weekly at home with a parent until the first review, then "
            "4-weekly under an interim care order); last visited on {basis}"
        ),
        rule=next_visit,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
