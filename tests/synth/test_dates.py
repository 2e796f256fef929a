"""The simulator's dates follow the package's own rules: one birthday rule, working days
by the bank holiday calendar, calendar months."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from carematters.calendar.birthdays import age_on
from carematters.parameters import parameters
from carematters.synth.dates import (
    EPOCH,
    age_in_years,
    birthdays,
    day,
    later,
    later_by,
    to_dates,
)

LAW = parameters(date(2026, 3, 31))


def _days(*dates: date) -> np.ndarray:
    return np.array([day(d) for d in dates], dtype=np.int64)


def _date(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


def test_a_29_february_child_turns_18_on_1_march_in_a_common_year():
    born = _days(date(2008, 2, 29))
    assert _date(birthdays(born, 18)[0]) == date(2026, 3, 1)
    assert _date(birthdays(born, 16)[0]) == date(2024, 2, 29)


def test_a_29_february_child_is_17_on_28_february_and_18_on_1_march_2026():
    born = _days(date(2008, 2, 29), date(2008, 2, 29))
    on = _days(date(2026, 2, 28), date(2026, 3, 1))
    assert age_in_years(born, on).tolist() == [17, 18]


@pytest.mark.parametrize("size", [50, 200_000])
def test_ages_are_the_packages_ages_for_a_few_people_and_for_a_population(size):
    """Small arrays go to `age_on` itself; large ones look birthdays up in a table: both
    must give age_on's answer, leap-day children and birthdays themselves included."""
    rng = np.random.default_rng(3)
    born = rng.integers(day(date(1990, 1, 1)), day(date(2020, 1, 1)), size)
    born[: size // 10] = day(date(2004, 2, 29))
    on = born + rng.integers(-30, 30 * 365, size)
    on[size // 10 : size // 5] = birthdays(born[size // 10 : size // 5], 16)
    expected = (
        pl.DataFrame({"DOB": to_dates("DOB", born), "ON": to_dates("ON", on)})
        .select(age_on(pl.col("DOB"), pl.col("ON")))[:, 0]
        .to_numpy()
    )
    assert (age_in_years(born, on) == expected).all()


def test_twenty_working_days_skip_the_easter_bank_holidays():
    """Coming into care on Thursday 10 April 2025: four weeks of weekdays would end on
    Thursday 8 May, but Good Friday (18 April), Easter Monday (21 April) and the early May
    bank holiday (5 May) are not working days, so the 20th is Tuesday 13 May."""
    start = _days(date(2025, 4, 10))
    assert _date(later(start, LAW["reviews.first"])[0]) == date(2025, 5, 13)


def test_months_are_calendar_months_clamped_to_the_months_end():
    start = _days(date(2025, 8, 31), date(2025, 11, 30))
    moved = later(start, LAW["reviews.subsequent"])
    assert [_date(d) for d in moved] == [date(2026, 2, 28), date(2026, 5, 30)]


def test_each_row_moves_by_its_own_timescale():
    start = _days(date(2025, 1, 6), date(2025, 1, 6), date(2025, 1, 6))
    which = np.array([0, 1, 0])
    timescales = (LAW["visits.interval"], LAW["visits.settled_interval"])
    assert [_date(d) for d in later_by(start, which, timescales)] == [
        date(2025, 2, 17),
        date(2025, 4, 6),
        date(2025, 2, 17),
    ]
    with pytest.raises(ValueError, match="timescales"):
        later_by(start, np.array([0, 2, 0]), timescales)
