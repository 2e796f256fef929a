"""Ages on a day, the 29 February child included, under either reading of the leap-day
birthday (the parameter `ages.leap_day_birthday`)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from carematters.calendar import birthdays
from carematters.calendar.birthdays import age_on, birthday


def ages(dob: date | None, *days: date | None) -> list[int | None]:
    """`dob`'s age on each of `days`."""
    frame = pl.DataFrame(
        {"DOB": [dob] * len(days), "ON": list(days)}, schema={"DOB": pl.Date, "ON": pl.Date}
    )
    return frame.select(age_on(pl.col("DOB"), pl.col("ON")))[:, 0].to_list()


def test_a_child_turns_a_year_older_on_the_birthday_itself():
    assert ages(date(2008, 6, 15), date(2026, 6, 14), date(2026, 6, 15), date(2026, 12, 31)) == [
        17,
        18,
        18,
    ]


def test_a_leap_day_child_turns_18_on_1_march_in_a_common_year():
    # Family Law Reform Act 1969 s9: the anniversary has not begun until 28 February is over.
    assert ages(date(2008, 2, 29), date(2026, 2, 28), date(2026, 3, 1)) == [17, 18]


def test_a_leap_day_child_turns_a_year_older_on_29_february_in_a_leap_year():
    assert ages(date(2008, 2, 29), date(2028, 2, 28), date(2028, 2, 29)) == [19, 20]


def test_with_the_parameter_at_28_february_the_leap_day_child_is_18_a_day_earlier(monkeypatch):
    monkeypatch.setattr(birthdays, "_leap_day_rule", lambda: "28 February")
    assert ages(date(2008, 2, 29), date(2026, 2, 27), date(2026, 2, 28)) == [17, 18]
    assert ages(date(2008, 2, 29), date(2028, 2, 28), date(2028, 2, 29)) == [19, 20]


def test_a_missing_date_gives_no_age_and_a_day_before_birth_a_negative_one():
    assert ages(None, date(2026, 1, 1)) == [None]
    assert ages(date(2008, 6, 15), None) == [None]
    assert ages(date(2026, 6, 15), date(2025, 6, 15), date(2025, 6, 14)) == [-1, -2]


def test_an_age_on_a_fixed_day_is_the_same_as_on_a_column():
    frame = pl.DataFrame({"DOB": [date(2008, 3, 31), date(2008, 4, 1), date(2012, 2, 29)]})
    on = date(2025, 3, 31)
    assert frame.select(age_on(pl.col("DOB"), on))[:, 0].to_list() == [17, 16, 13]


@pytest.mark.parametrize("rule", ["1 March", "28 February"])
def test_ages_agree_with_birthday_on_every_day_around_the_leap_days(monkeypatch, rule):
    """The age is the years since birth, less one while this year's `birthday` is still to
    come, whichever reading of the leap day is chosen."""
    monkeypatch.setattr(birthdays, "_leap_day_rule", lambda: rule)
    born = [date(2004, 2, 29), date(2004, 2, 28), date(2004, 3, 1), date(2003, 12, 31)]
    days = pl.date_range(date(2019, 1, 1), date(2025, 12, 31), eager=True)
    frame = pl.DataFrame({"DOB": born}).join(pl.DataFrame({"ON": days}), how="cross")
    years = (pl.col("ON").dt.year() - pl.col("DOB").dt.year()).cast(pl.Int32)
    expected = years - (birthday(pl.col("DOB"), years) > pl.col("ON")).cast(pl.Int32)
    found = frame.select(AGE=age_on(pl.col("DOB"), pl.col("ON")), EXPECTED=expected)
    assert found.height == 4 * days.len()
    assert (found["AGE"] == found["EXPECTED"]).all()
