"""Health assessments (CPPCR 2010 reg 7; statutory guidance 2015; seed 001 ch. 5).

An initial health assessment within 20 working days of becoming looked after; then a
review every six months before the 5th birthday and every twelve months after. A
Strengths and Difficulties Questionnaire at least yearly from 4 to 16, and a dental check
at least yearly (the SSDA903 OC2 measures); the first of each within a year of coming
into care (or of the 4th birthday, for the SDQ), as a policy choice.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.calendar.timescales import after
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, every, once

_ASSESSMENTS = ("IHA", "RHA")


def _assessments(s: Situation) -> pl.LazyFrame:
    owed = s.in_care.select("CHILD", "DOB", ANCHOR="PERIOD_START")
    done = s.events("health_assessments", "ASSESSMENT_DATE", _ASSESSMENTS)
    return s.shared("health_assessments", lambda: events_since(owed, done, s.as_at))


def strengths_and_difficulties(s: Situation) -> pl.LazyFrame:
    start = birthday(pl.col("DOB"), s.p["health.sdq_from_age"].number)
    stop = birthday(pl.col("DOB"), s.p["health.sdq_until_age"].number)
    owed = s.in_care.filter((start <= s.as_at) & (stop > s.as_at)).select(
        "CHILD", ANCHOR=pl.max_horizontal("PERIOD_START", start)
    )
    done = events_since(owed, s.events("health_assessments", "ASSESSMENT_DATE", ("SDQ",)), s.as_at)
    return every(done, s.p["health.sdq_interval"])


def dental_check(s: Situation) -> pl.LazyFrame:
    owed = s.in_care.select("CHILD", ANCHOR="PERIOD_START")
    done = events_since(
        owed, s.events("health_assessments", "ASSESSMENT_DATE", ("DENTAL",)), s.as_at
    )
    return every(done, s.p["health.dental_interval"])


def initial_assessment(s: Situation) -> pl.LazyFrame:
    return once(_assessments(s), after(pl.col("ANCHOR"), s.p["health.initial_assessment"]))


def review_assessment(s: Situation) -> pl.LazyFrame:
    fifth = birthday(pl.col("DOB"), s.p["health.yearly_from_age"].number)
    due = (
        pl.when(pl.col("LAST") < fifth)
        .then(after(pl.col("LAST"), s.p["health.review_under_five"]))
        .otherwise(after(pl.col("LAST"), s.p["health.review_from_five"]))
    )
    return again(_assessments(s), due)


HEALTH_DUTIES = (
    Duty(
        id="health.sdq",
        source="Promoting the health and well-being of looked-after children 2015; SSDA903 OC2",
        explanation=(
            "A Strengths and Difficulties Questionnaire is due at least every "
            "{health.sdq_interval} from {health.sdq_from_age} until the {health.sdq_until_age:n}th "
            "birthday; last done (or due from) {basis}"
        ),
        rule=strengths_and_difficulties,
        parameters=("health.sdq_interval", "health.sdq_from_age", "health.sdq_until_age"),
        evidence=("health_assessments",),
    ),
    Duty(
        id="health.dental",
        source="Promoting the health and well-being of looked-after children 2015; SSDA903 OC2",
        explanation=(
            "A dental check is due at least every {health.dental_interval}; last done (or due "
            "from) {basis}"
        ),
        rule=dental_check,
        parameters=("health.dental_interval",),
        evidence=("health_assessments",),
    ),
    Duty(
        id="health.initial",
        source="CPPCR 2010 reg 7(1)",
        explanation=(
            "An initial health assessment must be done within {health.initial_assessment} of "
            "coming into care on {basis}"
        ),
        rule=initial_assessment,
        parameters=("health.initial_assessment",),
        evidence=("health_assessments",),
    ),
    Duty(
        id="health.review",
        source="CPPCR 2010 reg 7(2)",
        explanation=(
            "Health must be reviewed every {health.review_under_five} before the "
            "{health.yearly_from_age:n}th birthday and every {health.review_from_five} after; "
            "last assessed on {basis}"
        ),
        rule=review_assessment,
        parameters=(
            "health.review_under_five",
            "health.review_from_five",
            "health.yearly_from_age",
        ),
        evidence=("health_assessments",),
    ),
)
