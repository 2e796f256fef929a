"""Personal education plans (CPPCR 2010 reg 5, 10; CA89 s22(3A); seed 001 ch. 4).

A PEP within 20 working days of becoming looked after (or of reaching school age in
care, taken here as the 4th birthday), reviewed every school term. Terms are a policy
choice (`education.terms`: autumn September to December, spring January to March,
summer April to July); a PEP is due by the end of the term after the term of the last one.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.calendar.school import end_of_next_term
from carematters.calendar.timescales import after
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, once


def _peps(s: Situation) -> pl.LazyFrame:
    start = birthday(pl.col("DOB"), s.p["education.pep_from_age"].number)
    stop = birthday(pl.col("DOB"), s.p["education.pep_until_age"].number)
    owed = s.in_care.filter((start <= s.as_at) & (stop > s.as_at)).select(
        "CHILD", ANCHOR=pl.max_horizontal("PERIOD_START", start)
    )
    return s.shared("peps", lambda: events_since(owed, s.events("peps", "PEP_DATE"), s.as_at))


def initial_pep(s: Situation) -> pl.LazyFrame:
    return once(_peps(s), after(pl.col("ANCHOR"), s.p["education.pep_initial"]))


def termly_pep(s: Situation) -> pl.LazyFrame:
    terms = s.p["education.terms"].value
    if not isinstance(terms, tuple):
        raise TypeError("education.terms must be a list of terms")
    return again(_peps(s), end_of_next_term(pl.col("LAST"), terms))


_AGES = ("education.pep_from_age", "education.pep_until_age")

EDUCATION_DUTIES = (
    Duty(
        id="pep.initial",
        source="CPPCR 2010 reg 5(b)(ii); statutory guidance on promoting education 2018",
        explanation=(
            "A personal education plan must be started within {education.pep_initial} of coming "
            "into care (or reaching school age) on {basis}"
        ),
        rule=initial_pep,
        parameters=("education.pep_initial", *_AGES),
        evidence=("peps",),
    ),
    Duty(
        id="pep.review",
        source="Statutory guidance on promoting the education of looked-after children 2018",
        explanation=(
            "The personal education plan must be reviewed every term; last reviewed on {basis}"
        ),
        rule=termly_pep,
        parameters=("education.terms", *_AGES),
        evidence=("peps",),
    ),
)
