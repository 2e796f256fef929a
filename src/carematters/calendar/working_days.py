"""Working days: not a Saturday, a Sunday or a bank holiday in England and Wales.

"Within N working days of D": D is day 0 and the duty falls due on the N-th working day
after D (DUTIES.md). Christmas Day and Good Friday are common-law holidays and count with
the bank holidays, as GOV.UK lists them.

Where the bank holidays come from, by year:

- 2000-2030 (`FIRST_YEAR` to `SHIPPED_LAST_YEAR`): bank_holidays_england_wales.csv,
  shipped with the package: GOV.UK's list, with the one-off days royal proclamations
  added (the 2022 state funeral, the 2023 coronation); years GOV.UK has yet to publish
  follow the standing rules, as the file's header says. It is the authority for its years.
- 2031-2099 (to `LAST_YEAR`): the `holidays` package, country GB, subdivision ENG
  (England and Wales share their bank holidays; WLS gives the same days). It computes
  the standing days of the Banking and Financial Dealings Act 1971 with their
  substitute days, offline. A proclamation for one of these years is not in it
  until the package learns of it: to correct a year, ship it in the CSV and move
  `SHIPPED_LAST_YEAR`. tests/calendar checks that the package agrees with the shipped
  list on every shipped year.

Nothing is fetched at run time. A date outside 2000-2099, given or reached by counting,
raises OutsideCalendarError rather than being counted as if it had no bank holidays.
2099, the end of the century, keeps within the package's own range (to 2100; after that
it silently returns no holidays at all, so the bound must never pass it); no duty falls
due that far ahead, so a later date is a mistyped one.
"""

from __future__ import annotations

from datetime import date
from functools import cache, partial
from importlib import resources

import holidays
import polars as pl

FIRST_YEAR = 2000
"""The first year of the shipped list, and of the calendar."""

SHIPPED_LAST_YEAR = 2030
"""The last year of the shipped list; the `holidays` package gives the years after it."""

LAST_YEAR = 2099
"""The last year of the calendar: dates outside `FIRST_YEAR`-`LAST_YEAR` are refused."""


class OutsideCalendarError(ValueError):
    """A date in a year whose bank holidays carematters does not know."""


@cache
def shipped_bank_holidays() -> pl.DataFrame:
    """The shipped list: every bank holiday in England and Wales from `FIRST_YEAR` to
    `SHIPPED_LAST_YEAR` that falls on a weekday, DATE and NAME."""
    text = resources.files("carematters.calendar").joinpath("bank_holidays_england_wales.csv")
    return pl.read_csv(
        text.read_bytes(), comment_prefix="#", schema={"DATE": pl.String, "NAME": pl.String}
    ).with_columns(pl.col("DATE").str.strptime(pl.Date, "%d/%m/%Y"))


@cache
def bank_holidays() -> pl.DataFrame:
    """Every bank holiday in England and Wales from `FIRST_YEAR` to `LAST_YEAR` that
    falls on a weekday, DATE and NAME (as each source names it): the shipped list, then
    the `holidays` package's days for the years after it."""
    computed = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(SHIPPED_LAST_YEAR + 1, LAST_YEAR + 1)
    )
    later = (
        pl.DataFrame(
            {"DATE": list(computed.keys()), "NAME": list(computed.values())},
            schema={"DATE": pl.Date, "NAME": pl.String},
        )
        # The package also lists a Christmas, Boxing or New Year's Day that falls at a
        # weekend; the shipped list leaves those out, as weekends are never working days,
        # and both list the substitute day.
        .filter(pl.col("DATE").dt.weekday() <= 5)
        .sort("DATE")
    )
    return pl.concat([shipped_bank_holidays(), later])


@cache
def _holidays() -> tuple[date, ...]:
    return tuple(bank_holidays()["DATE"].to_list())


@cache
def _holiday_series() -> pl.Series:
    # Given as a Series, not the tuple: Polars would turn a tuple of some 800 dates into
    # a Series again for every due date a duty works out.
    return bank_holidays().get_column("DATE")


def is_working_day(day: date) -> bool:
    """Whether offices are open on `day`; OutsideCalendarError outside the calendar."""
    check_in_calendar(day)
    return day.weekday() < 5 and day not in _holidays()


def add_working_days(days: pl.Expr, count: int | pl.Expr) -> pl.Expr:
    """The `count`-th working day after each date (the date itself is day 0).

    A date that is not a working day counts from the working day before it, so that a
    Saturday plus one working day is the Monday, as a person counts. Evaluating the
    expression raises OutsideCalendarError if a date, or the date it reaches, is outside
    the calendar; a null date stays null.
    """
    moved = _checked(days).dt.add_business_days(count, holidays=_holiday_series(), roll="backward")
    return _checked(moved, reached=True)


def working_days_after(day: date, count: int) -> date:
    """`add_working_days` for one date."""
    result: date = pl.select(add_working_days(pl.lit(day), count)).item()
    return result


def _checked(days: pl.Expr, *, reached: bool = False) -> pl.Expr:
    """`days` as they are, once each has been found inside the calendar."""
    check = partial(_check_all, reached=reached)
    return days.map_batches(check, return_dtype=pl.Date, is_elementwise=True)


def _check_all(days: pl.Series, *, reached: bool) -> pl.Series:
    # The earliest and latest dates are within the calendar only if all the others are,
    # and finding them is native work, not a Python loop over the dates.
    for day in (days.min(), days.max()):
        if isinstance(day, date):  # not None, which is all a column of nulls gives
            check_in_calendar(day, reached=reached)
    return days


def check_in_calendar(day: date, *, reached: bool = False) -> None:
    """Raise OutsideCalendarError, naming the day and the years covered, if `day` is
    outside the calendar (`reached`: it was reached by counting, not given)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # A date reached by counting is named as such: it is not one the caller gave.
        which = ", reached by counting working days," if reached else ""
        raise OutsideCalendarError(
            f"{day:%d/%m/%Y}{which} is outside the years whose bank holidays carematters knows, "
            f"{FIRST_YEAR}-{LAST_YEAR} ({FIRST_YEAR}-{SHIPPED_LAST_YEAR} from the shipped "
            f"GOV.UK list, {SHIPPED_LAST_YEAR + 1}-{LAST_YEAR} from the holidays package)"
        )
