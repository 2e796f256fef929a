"""The school calendar: which National Curriculum year a child is in, and when a school
term ends.

A child's year group follows their age on 31 August, the day before the school year
starts (Education Act 1996 s8 and the school admissions code): a child who is 5 on
31 August is in Year 1. Terms are a parameter (`education.terms`), each "1 September to
31 December"; a day in the holidays belongs to the term before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

import polars as pl

SCHOOL_YEAR_STARTS = (9, 1)
"""1 September: the first day of the school year, as year groups count it."""
AGE_IN_YEAR_1 = 5
"""Age on 31 August of a child starting Year 1 (Reception is the year before)."""


def school_year(dob: date, on: date) -> int:
    """The National Curriculum year a child born on `dob` is in on `on` (Reception is
    0, Year 1 is 1; negative before Reception)."""
    starts = on.year if (on.month, on.day) >= SCHOOL_YEAR_STARTS else on.year - 1
    born_after_august = (dob.month, dob.day) >= SCHOOL_YEAR_STARTS
    age_on_31_august = starts - dob.year - born_after_august
    return age_on_31_august - AGE_IN_YEAR_1 + 1


@dataclass(frozen=True)
class Term:
    """A school term's first and last day as (month, day)."""

    first: tuple[int, int]
    last: tuple[int, int]

    @classmethod
    def parse(cls, text: str) -> Term:
        """A term written "1 September to 31 December"; ValueError if it is not."""
        first, _, last = text.partition(" to ")
        return cls(_month_day(first), _month_day(last))


def _month_day(text: str) -> tuple[int, int]:
    parsed = datetime.strptime(text.strip(), "%d %B")  # noqa: DTZ007 (a day of the year, no time)
    return parsed.month, parsed.day


def end_of_next_term(day: pl.Expr, terms: tuple[str, ...]) -> pl.Expr:
    """The last day (Date) of the term after the one each date falls in.

    `terms` are written as `Term.parse` reads them, each starting and ending in one
    calendar year. The term a day falls in is the latest to have started by then.
    """
    ordered = sorted((Term.parse(text) for text in terms), key=lambda term: term.first)
    year = day.dt.year()
    # Every term start from last calendar year to next, in date order: the day is in
    # the latest one begun, and the answer is the end of the one after that.
    sequence = [(offset, term) for offset in (-1, 0, 1) for term in ordered]
    due = pl.lit(None, dtype=pl.Date)
    for (offset, term), (next_offset, following) in pairwise(sequence):
        begun = day >= pl.date(year + offset, *term.first)
        due = pl.when(begun).then(pl.date(year + next_offset, *following.last)).otherwise(due)
    return due
