"""Bank holidays after the shipped list, from the `holidays` package, and the calendar's
edges: worked by hand, one date at a time and over a whole column."""

from datetime import date

import holidays
import polars as pl
import pytest

from carematters.calendar.working_days import (
    FIRST_YEAR,
    LAST_YEAR,
    SHIPPED_LAST_YEAR,
    OutsideCalendarError,
    add_working_days,
    bank_holidays,
    is_working_day,
    shipped_bank_holidays,
    working_days_after,
)

COVERED = "is outside the years whose bank holidays carematters knows, 2000-2099"


def test_the_shipped_list_covers_exactly_the_shipped_years():
    years = shipped_bank_holidays()["DATE"].dt.year().unique().sort()
    assert years.to_list() == list(range(FIRST_YEAR, SHIPPED_LAST_YEAR + 1))


@pytest.mark.parametrize("year", range(FIRST_YEAR, SHIPPED_LAST_YEAR + 1))
def test_the_holidays_package_agrees_with_the_shipped_list(year):
    shipped = shipped_bank_holidays().filter(pl.col("DATE").dt.year() == year)
    package = holidays.country_holidays("GB", subdiv="ENG", years=year)
    on_weekdays = {day for day in package if day.weekday() < 5}
    assert sorted(on_weekdays - set(shipped["DATE"])) == []
    assert sorted(set(shipped["DATE"]) - on_weekdays) == []
    # The only difference is one of form: the package also lists New Year's, Christmas
    # or Boxing Day on the day itself when it falls at a weekend, which the shipped list
    # leaves out (a weekend is never a working day); both list its substitute day.
    for day, name in package.items():
        if day.weekday() >= 5:
            assert f"{name} (substitute day)" in set(shipped["NAME"])


def test_england_and_wales_share_their_bank_holidays_in_the_holidays_package():
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    england = holidays.country_holidays("GB", subdiv="ENG", years=years)
    wales = holidays.country_holidays("GB", subdiv="WLS", years=years)
    assert dict(england) == dict(wales)


def test_the_shipped_list_then_the_packages_weekdays_make_the_calendar():
    shipped_years = pl.col("DATE").dt.year() <= SHIPPED_LAST_YEAR
    assert bank_holidays().filter(shipped_years).equals(shipped_bank_holidays())
    later = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(SHIPPED_LAST_YEAR + 1, LAST_YEAR + 1)
    )
    assert set(bank_holidays().filter(~shipped_years)["DATE"]) == {
        day for day in later if day.weekday() < 5
    }


WORKED = [
    # From Friday 19/12/2031: Mon 22 (1), Tue 23 (2), Wed 24 (3); Christmas Day is the
    # Thursday and Boxing Day the Friday, then the weekend; Mon 29 (4), Tue 30 (5).
    (date(2031, 12, 19), 5, date(2031, 12, 30)),
    # Easter Day 2035 is Sunday 25 March. From Thursday 22/03: Good Friday 23, the
    # weekend and Easter Monday 26 are passed over; Tue 27 (1).
    (date(2035, 3, 22), 1, date(2035, 3, 27)),
    # Across the end of the shipped list, from Tuesday 24/12/2030: Christmas Wed 25 and
    # Boxing Day Thu 26 (shipped); Fri 27 (1), Mon 30 (2), Tue 31 (3); New Year's Day
    # Wed 01/01/2031 (the package); Thu 2 (4), Fri 3 (5).
    (date(2030, 12, 24), 5, date(2031, 1, 3)),
    # Christmas 2032 and New Year's Day 2033 fall on Saturdays, so the substitute days
    # are Mon 27 and Tue 28 December and Mon 3 January. From Friday 24/12/2032:
    # Wed 29 (1), Thu 30 (2), Fri 31 (3), Tue 04/01/2033 (4).
    (date(2032, 12, 24), 4, date(2033, 1, 4)),
    # Back across the end of the shipped list, from Friday 03/01/2031: Thu 2 (-1),
    # New Year's Day passed over, Tue 31/12/2030 (-2).
    (date(2031, 1, 3), -2, date(2030, 12, 31)),
]


@pytest.mark.parametrize(("start", "count", "due"), WORKED)
def test_working_days_after_the_shipped_list_one_date_at_a_time(start, count, due):
    assert working_days_after(start, count) == due


def test_working_days_after_the_shipped_list_over_a_whole_column():
    frame = pl.DataFrame(
        {"START": [s for s, _, _ in WORKED], "COUNT": [c for _, c, _ in WORKED]},
        schema={"START": pl.Date, "COUNT": pl.Int32},
    )
    due = frame.select(add_working_days(pl.col("START"), pl.col("COUNT")))
    assert due["START"].to_list() == [d for _, _, d in WORKED]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2031, 12, 24), True),
        (date(2031, 12, 25), False),  # Christmas Day, a Thursday
        (date(2031, 12, 26), False),  # Boxing Day, a Friday
        (date(2035, 3, 22), True),
        (date(2035, 3, 23), False),  # Good Friday
        (date(2035, 3, 26), False),  # Easter Monday
        (date(2035, 3, 27), True),
        (date(2032, 12, 27), False),  # Christmas Day (substitute day)
        (date(2032, 12, 28), False),  # Boxing Day (substitute day)
        (date(2033, 1, 3), False),  # New Year's Day (substitute day)
        (date(2099, 12, 31), True),  # the calendar's last day, a Thursday
    ],
)
def test_bank_holidays_after_the_shipped_list_are_not_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize("day", [date(2150, 6, 1), date(2100, 1, 1), date(1999, 12, 31)])
def test_a_date_outside_the_calendar_raises_one_at_a_time(day):
    with pytest.raises(OutsideCalendarError, match=f"^{day:%d/%m/%Y} {COVERED}"):
        working_days_after(day, 1)
    with pytest.raises(OutsideCalendarError, match=f"^{day:%d/%m/%Y} {COVERED}"):
        is_working_day(day)


@pytest.mark.parametrize("lazy", [False, True])
def test_a_date_outside_the_calendar_raises_over_a_whole_column(lazy):
    frame = pl.DataFrame({"D": [date(2025, 3, 3), None, date(2150, 6, 1), date(2031, 12, 19)]})
    due = add_working_days(pl.col("D"), 5)
    with pytest.raises(OutsideCalendarError, match=f"^01/06/2150 {COVERED}"):
        frame.lazy().select(due).collect() if lazy else frame.select(due)


@pytest.mark.parametrize(
    ("start", "count", "year"),
    [
        # Thursday 31/12/2099 is in the calendar; the working day after it is not.
        (date(2099, 12, 31), 1, 2100),
        # Tuesday 04/01/2000 is in the calendar; two working days before it are not.
        (date(2000, 1, 4), -2, 1999),
    ],
)
def test_a_date_reached_outside_the_calendar_raises(start, count, year):
    reached = f"/{year}, reached by counting working days, {COVERED}"
    with pytest.raises(OutsideCalendarError, match=reached):
        working_days_after(start, count)
    frame = pl.DataFrame({"D": [date(2025, 3, 3), None, start]})
    with pytest.raises(OutsideCalendarError, match=reached):
        frame.select(add_working_days(pl.col("D"), count))


def test_nulls_stay_null_and_are_never_an_error():
    frame = pl.DataFrame(
        {"D": [None, date(2031, 12, 19), date(2031, 12, 19), None], "N": [5, 5, None, None]},
        schema={"D": pl.Date, "N": pl.Int32},
    )
    due = frame.select(add_working_days(pl.col("D"), pl.col("N")))["D"]
    assert due.to_list() == [None, date(2031, 12, 30), None, None]
    for empty in (frame.filter(pl.col("D").is_null()), frame.clear()):
        assert empty.select(add_working_days(pl.col("D"), 5))["D"].null_count() == empty.height
