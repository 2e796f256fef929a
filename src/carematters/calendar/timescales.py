"""A timescale from the law added to dates: "within 20 working days of", "within 3
months of", "until the 21st birthday". The unit comes with the parameter, so a duty
says only which parameter it follows (`after(pl.col("ANCHOR"), p["reviews.first"])`)
and the arithmetic for each unit is written once, here.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.calendar.months import add_months
from carematters.calendar.working_days import add_working_days
from carematters.parameters import Quantity

HOURS_IN_A_DAY = 24
DAYS_IN_A_WEEK = 7

_MOVE: dict[str, Callable[[pl.Expr, int], pl.Expr]] = {
    "working day": add_working_days,
    "day": lambda days, n: days.dt.offset_by(f"{n}d"),
    "week": lambda days, n: days.dt.offset_by(f"{n}w"),
    "month": add_months,
    "year": lambda days, n: days.dt.offset_by(f"{n}y"),
    "age": birthday,
}
"""How a date moves on by a count of each unit."""


def after(days: pl.Expr, timescale: Quantity, *, times: int = 1) -> pl.Expr:
    """Each date moved on by `timescale` (`times` over; -1 to go back), as a Date.

    Working days count as `add_working_days` does; months are calendar months clamped
    to the month's end; an age (unit `age`) read from a date of birth gives the
    birthday. Hours are whole days here, since the record holds dates, not times.
    Raises ValueError for a unit that is not a length of time, or hours that are not
    whole days.
    """
    count = timescale.number * times
    if timescale.unit == "hour" and count % HOURS_IN_A_DAY == 0:
        return days.dt.offset_by(f"{count // HOURS_IN_A_DAY}d")
    if timescale.unit not in _MOVE:
        raise ValueError(f"{timescale.name} ({timescale}) is not a time that can follow a date")
    return _MOVE[timescale.unit](days, count)


def in_days(timescale: Quantity) -> int:
    """A timescale in days or weeks as a number of days; ValueError for other units,
    whose length in days varies (months, working days)."""
    if timescale.unit == "day":
        return timescale.number
    if timescale.unit == "week":
        return timescale.number * DAYS_IN_A_WEEK
    raise ValueError(f"{timescale.name} ({timescale}) is not a whole number of days")


def day_before(days: pl.Expr) -> pl.Expr:
    """Each date's previous day: the last day of something that ends when `days` begins."""
    return days.dt.offset_by("-1d")
