"""Working days: not a Saturday, a Sunday or a bank holiday in England and Wales.

"Within N working days of D": D is day 0 and the duty falls due on the N-th working day
after D (DUTIES.md). Christmas Day and Good Friday are common-law holidays and are in
the shipped list with the bank holidays, as GOV.UK lists them.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import polars as pl

FIRST_YEAR, LAST_YEAR = 2000, 2030
"""The years the shipped list covers; dates outside it are refused, not guessed."""


class OutsideCalendarError(ValueError):
    """A date the shipped bank holiday list does not cover."""


@cache
def bank_holidays() -> pl.DataFrame:
    """Every bank holiday in England and Wales from 2000 to 2030: DATE and NAME."""
    text = resources.files("carematters.calendar").joinpath("bank_holidays_england_wales.csv")
    return pl.read_csv(
        text.read_bytes(), comment_prefix="#", schema={"DATE": pl.String, "NAME": pl.String}
    ).with_columns(pl.col("DATE").str.strptime(pl.Date, "%d/%m/%Y"))


@cache
def _holidays() -> tuple[date, ...]:
    return tuple(bank_holidays()["DATE"].to_list())


def is_working_day(day: date) -> bool:
    """Whether offices are open on `day`."""
    _check(day)
    return day.weekday() < 5 and day not in _holidays()


def add_working_days(days: pl.Expr, count: int | pl.Expr) -> pl.Expr:
    """The `count`-th working day after each date (the date itself is day 0).

    A date that is not a working day counts from the working day before it, so that a
    Saturday plus one working day is the Monday, as a person counts.
    """
    return days.dt.add_business_days(count, holidays=_holidays(), roll="backward")


def working_days_after(day: date, count: int) -> date:
    """`add_working_days` for one date."""
    _check(day)
    result: date = pl.select(add_working_days(pl.lit(day), count)).item()
    _check(result)
    return result


def _check(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise OutsideCalendarError(
            f"{day:%d/%m/%Y} is outside the bank holidays carematters ships "
            f"({FIRST_YEAR}-{LAST_YEAR}); add the years to bank_holidays_england_wales.csv"
        )
