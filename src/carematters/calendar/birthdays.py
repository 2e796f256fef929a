"""Birthdays and ages: one rule for everyone, the 29 February child included.

A person reaches an age at the start of the anniversary of their birth (Family Law
Reform Act 1969 s9). In a year with no 29 February, when that is for someone born on
29 February is the parameter `ages.leap_day_birthday` (1 March: the anniversary has
not begun until 28 February is over). Ages, duties, entitlements, the simulator and
the validator all ask here, so no two parts of carematters disagree about who is 18.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import polars as pl

from carematters.parameters import parameter

LEAP_DAY_RULES = ("1 March", "28 February")


@cache
def _leap_day_rule() -> str:
    rule = str(parameter("ages.leap_day_birthday").only().value)
    if rule not in LEAP_DAY_RULES:
        raise ValueError(f"ages.leap_day_birthday must be one of {LEAP_DAY_RULES}, not {rule}")
    return rule


def birthday(dob: pl.Expr, years: int | pl.Expr) -> pl.Expr:
    """The day each person born on `dob` reaches `years` of age (Date).

    `years` is a number or an integer expression (one age per row). Raises nothing on
    nulls: a missing DOB gives a missing birthday.
    """
    shift = pl.format("{}y", years) if isinstance(years, pl.Expr) else f"{years}y"
    shifted = dob.dt.offset_by(shift)
    leapling = (dob.dt.month() == 2) & (dob.dt.day() == 29) & (shifted.dt.day() != 29)
    if _leap_day_rule() == "28 February":
        return shifted
    return pl.when(leapling).then(shifted.dt.offset_by("1d")).otherwise(shifted)


def age_on(dob: pl.Expr, on: date | pl.Expr) -> pl.Expr:
    """Age in whole years (Int32) on a day: the years since birth, less one if this
    year's birthday (as `birthday` places it) has not come yet."""
    day = pl.lit(on) if isinstance(on, date) else on
    years = (day.dt.year() - dob.dt.year()).cast(pl.Int32)
    # Birthdays are compared as month and day (1 March as 301), not found by moving each
    # date of birth on by a number of years: the same ages, four times faster, and the
    # validator asks for ages on a national return in dozens of rules.
    born = _month_day(dob)
    moved = 301 if _leap_day_rule() == "1 March" else 228
    this_year = pl.when((born == 229) & ~day.dt.is_leap_year()).then(moved).otherwise(born)
    return years - (this_year > _month_day(day)).cast(pl.Int32)


def _month_day(day: pl.Expr) -> pl.Expr:
    """The day of the year as month and day: 29 February is 229."""
    return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)
