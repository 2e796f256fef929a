"""Health assessments (CPPCR 2010 reg 7-8; statutory guidance 2015; seed 001 ch. 5).

An initial health assessment within 20 working days of becoming looked after; then a
review every six months before the 5th birthday and every twelve months after. A
Strengths and Difficulties Questionnaire at least yearly from 4 to 16, and a dental check
at least yearly (the SSDA903 OC2 measures); the first of each within a year of coming
into care (or of the 4th birthday, for the SDQ), as a policy choice.
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
    done = events(tables, "health_assessments", "ASSESSMENT_DATE", ("IHA", "RHA"))
    return with_birth(events_since(owed, done, as_at), tables)


def _yearly(frame: pl.DataFrame) -> pl.DataFrame:
    """Due a year after the last one, or a year after the starting point if none yet."""
    since = pl.coalesce("LAST", "ANCHOR")
    return frame.select(
        "CHILD",
        DUE_DATE=add_months(since, 12),
        LAST_DONE=pl.col("LAST"),
        DONE=pl.lit(value=False),
        BASIS=since,
    )


def strengths_and_difficulties(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    children = with_birth(in_care_not_on_short_breaks(tables, as_at), tables)
    four, seventeen = pl.col("DOB").dt.offset_by("4y"), pl.col("DOB").dt.offset_by("17y")
    owed = children.filter((four <= as_at) & (seventeen > as_at)).select(
        "CHILD", ANCHOR=pl.max_horizontal("PERIOD_START", four)
    )
    done = events(tables, "health_assessments", "ASSESSMENT_DATE", ("SDQ",))
    return _yearly(events_since(owed, done, as_at))


def dental_check(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    owed = in_care_not_on_short_breaks(tables, as_at).select("CHILD", ANCHOR="PERIOD_START")
    done = events(tables, "health_assessments", "ASSESSMENT_DATE", ("DENTAL",))
    return _yearly(events_since(owed, done, as_at))


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
        id="health.sdq",
        source="Promoting the health and well-being of looked-after children 2015; SSDA903 OC2",
        explanation=(
            "A Strengths and Difficulties Questionnaire is due at least yearly from 4 to 16; "
            "last done (or due from) {basis}"
        ),
        rule=strengths_and_difficulties,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="health.dental",
        source="Promoting the health and well-being of looked-after children 2015; SSDA903 OC2",
        explanation="A dental check is due at least yearly; last done (or due from) {basis}",
        rule=dental_check,
        in_force_from=CPPCR_IN_FORCE,
    ),
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
