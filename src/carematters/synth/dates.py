"""Dates as whole days since 1 January 1970, so a population's dates are one array.

Birthdays, ages and the law's timescales on these arrays are the package's own rules
(`carematters.calendar`), applied a whole column at a time: a 29 February child turns
18 on the day the duties engine and the validator say, and "20 working days" skips the
same bank holidays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from carematters.calendar.birthdays import age_on, birthday
from carematters.calendar.timescales import after
from carematters.parameters import Quantity

Days = npt.NDArray[np.int64]
EPOCH = date(1970, 1, 1)
"""Not law: day 0 of the day numbers, as NumPy and Polars count them."""
YEAR_DAYS = 365.25
NEVER = np.iinfo(np.int64).max
"""A day no span reaches: for a change that never comes (compare with it, never move it)."""


def day(value: date) -> int:
    """A date as a day number."""
    return (value - EPOCH).days


def to_dates(name: str, days: Days) -> pl.Series:
    """Day numbers as a Polars date column."""
    return pl.Series(name, days, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)


def _to_days(dates: pl.Series) -> Days:
    days: Days = dates.cast(pl.Int32).cast(pl.Int64).to_numpy()
    return days


def each_day(days: Days, rule: Callable[[pl.Expr], pl.Expr]) -> Days:
    """`rule` (from a Date column to a Date column) applied to each day number.

    A population's millions of dates fall on a few thousand days, so where that is
    fewer than the dates the rule is worked out once for each day from the earliest to
    the latest, and looked up.
    """
    if not len(days):
        return np.zeros(0, dtype=np.int64)
    first, last = int(days.min()), int(days.max())
    every = last - first + 1 < len(days)
    given = np.arange(first, last + 1, dtype=np.int64) if every else days
    found = _to_days(to_dates("D", given).to_frame().select(rule(pl.col("D")))[:, 0])
    return found[days - first] if every else found


def birthdays(dob: Days, years: int) -> Days:
    """The day each person turns `years` old, by `calendar.birthdays.birthday` (a
    29 February child's birthday in a common year is the parameter ages.leap_day_birthday:
    1 March)."""
    return each_day(dob, lambda born: birthday(born, years))


def _year(days: Days) -> npt.NDArray[np.int64]:
    years: npt.NDArray[np.int64] = (
        days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    )
    return years


def age_in_years(dob: Days, on: Days) -> npt.NDArray[np.int64]:
    """Completed years of age on each day, by `calendar.birthdays.age_on`: the years
    between the two dates, less one if that year's birthday is still to come."""
    if not len(dob):
        return np.zeros(0, dtype=np.int64)
    years = _year(on) - _year(dob)
    fewest, first = int(years.min()), int(dob.min())
    born = np.arange(first, int(dob.max()) + 1, dtype=np.int64)
    counts = range(fewest, int(years.max()) + 1)
    if len(dob) < len(born) * len(counts):
        frame = pl.DataFrame({"DOB": to_dates("DOB", dob), "ON": to_dates("ON", on)})
        found: npt.NDArray[np.int64] = (
            frame.select(age_on(pl.col("DOB"), pl.col("ON")))[:, 0].cast(pl.Int64).to_numpy()
        )
        return found
    # More people than birthdays to know: each birthday of everyone born from the first
    # date of birth to the last, worked out once and looked up, as age_on counts.
    table = np.stack([birthdays(born, count) for count in counts])
    still_to_come = table[years - fewest, dob - first] > on
    ages: npt.NDArray[np.int64] = years - still_to_come
    return ages


def later(days: Days, timescale: Quantity) -> Days:
    """Each day moved on by one of the law's timescales (`calendar.timescales.after`):
    working days skip weekends and bank holidays, months are calendar months clamped to
    the month's end. Raises OutsideCalendarError for a working day count from or to a
    date outside the bank holiday calendar."""
    return each_day(days, lambda given: after(given, timescale))


def later_by(days: Days, which: npt.NDArray[np.int64], timescales: tuple[Quantity, ...]) -> Days:
    """Each day moved on by `timescales[which]`: one timescale per row, each row's date
    worked out once, by `later`. Raises ValueError for a row with no timescale."""
    if len(which) and not 0 <= which.min() <= which.max() < len(timescales):
        raise ValueError(f"each row needs one of {len(timescales)} timescales, not {which}")
    moved = np.empty(len(days), dtype=np.int64)
    for index, timescale in enumerate(timescales):
        rows = which == index
        if rows.any():
            moved[rows] = later(days[rows], timescale)
    return moved


def text_where(
    name: str, keep: npt.NDArray[np.bool_], values: npt.NDArray[np.str_] | str
) -> pl.Series:
    """`values` where `keep` holds and blank elsewhere, as a string column."""
    shown = pl.Series(values.tolist() if isinstance(values, np.ndarray) else [values] * len(keep))
    return pl.select(pl.when(pl.Series(keep)).then(shown.cast(pl.String))).to_series().alias(name)
