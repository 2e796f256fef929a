"""Working days and months as a social worker counts them."""

from datetime import date

import polars as pl
import pytest

from carematters.calendar.months import add_months, months_after
from carematters.calendar.working_days import (
    FIRST_YEAR,
    LAST_YEAR,
    add_working_days,
    bank_holidays,
    is_working_day,
    shipped_bank_holidays,
    working_days_after,
)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
        (date(2022, 6, 3), "Platinum Jubilee bank holiday"),
        (date(2020, 5, 8), "Early May bank holiday (VE day)"),
        (date(2011, 4, 29), "Royal wedding"),
        (date(2021, 12, 27), "Christmas Day (substitute day)"),
        (date(2021, 12, 28), "Boxing Day (substitute day)"),
        (date(2023, 1, 2), "New Year's Day (substitute day)"),
        (date(2025, 4, 18), "Good Friday"),
        (date(2030, 12, 25), "Christmas Day"),
    ],
)
def test_one_off_and_substitute_days_are_in_the_shipped_list(day, name):
    holidays = dict(shipped_bank_holidays().iter_rows())
    assert holidays[day] == name
    assert not is_working_day(day)


def test_every_year_has_at_least_eight_bank_holidays_and_none_at_a_weekend():
    # Every year of the calendar, so a `holidays` release that stopped short of LAST_YEAR
    # (it returns nothing past its own range, silently) would fail here.
    by_year = bank_holidays().group_by(pl.col("DATE").dt.year()).len()
    assert sorted(by_year["DATE"]) == list(range(FIRST_YEAR, LAST_YEAR + 1))
    assert by_year["len"].min() == 8
    assert (bank_holidays()["DATE"].dt.weekday() <= 5).all()
    assert bank_holidays()["DATE"].is_sorted()
    assert bank_holidays()["DATE"].is_unique().all()


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (date(2025, 3, 3), 20, date(2025, 3, 31)),  # first review: 20 working days
        (date(2025, 4, 17), 1, date(2025, 4, 22)),  # over Good Friday and Easter Monday
        (date(2022, 9, 16), 1, date(2022, 9, 20)),  # over the state funeral
        (date(2021, 12, 23), 2, date(2021, 12, 29)),  # over Christmas substitute days
        (date(2025, 3, 1), 1, date(2025, 3, 3)),  # a Saturday counts from Friday
        (date(2025, 12, 24), 5, date(2026, 1, 5)),  # over Christmas, Boxing Day and New Year
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, count, due):
    assert working_days_after(start, count) == due


def test_a_whole_column_of_dates_counts_as_a_person_would():
    starts = [date(2025, 3, 3), date(2025, 4, 17), date(2022, 9, 16)]
    frame = pl.DataFrame({"D": starts}).select(add_working_days(pl.col("D"), 20))
    assert frame["D"].to_list() == [
        date(2025, 3, 31),  # four clear weeks of March
        date(2025, 5, 20),  # Good Friday, Easter Monday and 5 May skipped
        date(2022, 10, 17),  # the Queen's funeral, 19 September 2022, skipped
    ]


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2025, 3, 15), 3, date(2025, 6, 15)),
    ],
)
def test_months_clamp_to_the_end_of_a_shorter_month(start, count, due):
    assert months_after(start, count) == due
    assert pl.select(add_months(pl.lit(start), count)).item() == due
