"""Health assessments (CPPCR 2010 reg 7-8; statutory guidance 2015; seed 001 ch. 5).

An initial health assessment within 20 working days of becoming looked after; then a
review every six months before the 5th birthday and every twelve months after.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.months import add_months
from carematters.calendar.working_days import add_working_days
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.status import in_care_not_on_short_breaks, with_birth
from carematters.duties.timing import again, events, events_since, once


def _assessments(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    owed = in_care_not_on_short_breaks(tables, as_at).select("CHILD", ANCHOR="PERIOD_START")
    found = events_since(owed, events(tables, "health_assessments", "ASSESSMENT_DATE"), as_at)
    return with_birth(found, tables)


def initial_assessment(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(_assessments(tables, as_at), add_working_days(pl.col("ANCHOR"), 20))


def review_assessment(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    under_5 = pl.col("LAST") < pl.col("DOB").dt.offset_by("5y")
    due = (
        pl.when(under_5)
        .then(add_months(pl.col("LAST"), 6))
        .otherwise(add_months(pl.col("LAST"), 12))
    )
    return again(_assessments(tables, as_at), due)


HEALTH_DUTIES = (
    Duty(
        id="health.initial",
        source="CPPCR 2010 reg 7(1)",
        explanation=(
            "An initial health assessment must be done within 20 working days of coming into "
            "care on {basis}"
        ),
        rule=initial_assessment,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="health.review",
        source="CPPCR 2010 reg 8",
        explanation=(
            "Health must be reviewed every 6 months before the 5th birthday and every 12 months "
            "after; last assessed on {basis}"
        ),
        rule=review_assessment,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
