"""Dates as whole days since 1 January 1970, so a population's dates are one array."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

Days = npt.NDArray[np.int64]
EPOCH = date(1970, 1, 1)
YEAR_DAYS = 365.25


def day(value: date) -> int:
    """A date as a day number."""
    return (value - EPOCH).days


def to_dates(name: str, days: Days) -> pl.Series:
    """Day numbers as a Polars date column."""
    return pl.Series(name, days, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)


def birthdays(dob: Days, years: int) -> Days:
    """The day each person turns `years` old (29 February birthdays fall on 28 February)."""
    shifted = to_dates("DOB", dob).dt.offset_by(f"{years}y")
    return shifted.cast(pl.Int32).cast(pl.Int64).to_numpy()


def age_in_years(dob: Days, on: Days) -> npt.NDArray[np.int64]:
    """Completed years of age on a day, as a birthday party would count them."""
    born, then = to_dates("DOB", dob), to_dates("ON", on)
    years = then.dt.year() - born.dt.year()
    before_birthday = (then.dt.month() < born.dt.month()) | (
        (then.dt.month() == born.dt.month()) & (then.dt.day() < born.dt.day())
    )
    return (years - before_birthday.cast(pl.Int32)).cast(pl.Int64).to_numpy()


def text_where(
    name: str, keep: npt.NDArray[np.bool_], values: npt.NDArray[np.str_] | str
) -> pl.Series:
    """`values` where `keep` holds and blank elsewhere, as a string column."""
    shown = pl.Series(values.tolist() if isinstance(values, np.ndarray) else [values] * len(keep))
    return pl.select(pl.when(pl.Series(keep)).then(shown.cast(pl.String))).to_series().alias(name)
