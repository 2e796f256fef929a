"""Personal education plans (CPPCR 2010 reg 5, 10; CA89 s22(3A); seed 001 ch. 4).

A PEP within 20 working days of becoming looked after (or of reaching school age in
care, taken here as the 4th birthday), reviewed every school term. Terms are a policy
choice (DUTIES.md): autumn September to December, spring January to March, summer April
to July; a PEP is due by the end of the term after the term of the last one.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.working_days import add_working_days
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.status import in_care_not_on_short_breaks, with_birth
from carematters.duties.timing import again, events, events_since, once

SCHOOL_FROM, SCHOOL_UNTIL = 4, 18


def _peps(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    children = with_birth(in_care_not_on_short_breaks(tables, as_at), tables)
    school_age = children.filter(
        (pl.col("DOB").dt.offset_by(f"{SCHOOL_FROM}y") <= as_at)
        & (pl.col("DOB").dt.offset_by(f"{SCHOOL_UNTIL}y") > as_at)
    )
    owed = school_age.select(
        "CHILD",
        ANCHOR=pl.max_horizontal("PERIOD_START", pl.col("DOB").dt.offset_by(f"{SCHOOL_FROM}y")),
    )
    return events_since(owed, events(tables, "peps", "PEP_DATE"), as_at)


def _end_of_next_term(day: pl.Expr) -> pl.Expr:
    """The last day of the school term after the one `day` falls in (August: autumn's)."""
    month, year = day.dt.month(), day.dt.year()
    return (
        pl.when(month >= 9)
        .then(pl.date(year + 1, 3, 31))
        .when(month <= 3)
        .then(pl.date(year, 7, 31))
        .otherwise(pl.date(year, 12, 31))
    )


def initial_pep(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(_peps(tables, as_at), add_working_days(pl.col("ANCHOR"), 20))


def termly_pep(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return again(_peps(tables, as_at), _end_of_next_term(pl.col("LAST")))


EDUCATION_DUTIES = (
    Duty(
        id="pep.initial",
        source="CPPCR 2010 reg 5(b)(ii); statutory guidance on promoting education 2018",
        explanation=(
            "A personal education plan must be started within 20 working days of coming into "
            "care (or starting school age) on {basis}"
        ),
        rule=initial_pep,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="pep.review",
        source="Statutory guidance on promoting the education of looked-after children 2018",
        explanation=(
            "The personal education plan must be reviewed every term; last reviewed on {basis}"
        ),
        rule=termly_pep,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
