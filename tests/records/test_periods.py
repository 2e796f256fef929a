"""Periods of care and who is looked after on a day, worked by hand on one child's
episodes: in care from 1 May 2024, moved on 1 August (REC X1, RNE P), home on
10 October 2024, back from 1 January 2025."""

from datetime import date

import polars as pl

from carematters.records.periods import open_during, open_on, periods_of_care

EPISODES = pl.DataFrame(
    {
        "CHILD": ["A", "A", "A"],
        "DECOM": [date(2024, 5, 1), date(2024, 8, 1), date(2025, 1, 1)],
        "DEC": [date(2024, 8, 1), date(2024, 10, 10), None],
        "RNE": ["S", "P", "S"],
        "REC": ["X1", "E13", None],
    }
)


def test_a_move_continues_the_period_and_a_return_starts_a_new_one():
    periods = periods_of_care(EPISODES)
    assert periods["PERIOD_START"].to_list() == [date(2024, 5, 1)] * 2 + [date(2025, 1, 1)]
    assert periods["PLACEMENT_START"].to_list() == [
        date(2024, 5, 1),
        date(2024, 8, 1),
        date(2025, 1, 1),
    ]


def test_the_day_care_ends_is_not_a_day_looked_after_but_was_partly_one():
    went_home = date(2024, 10, 10)
    assert open_on(EPISODES, went_home).is_empty()
    assert open_during(EPISODES, went_home)["DECOM"].to_list() == [date(2024, 8, 1)]
    assert open_on(EPISODES, date(2024, 10, 9))["DECOM"].to_list() == [date(2024, 8, 1)]
    assert open_during(EPISODES, date(2024, 12, 31)).is_empty()


def test_each_row_can_ask_about_its_own_day():
    days = pl.DataFrame(
        {"CHILD": ["A"] * 3, "DAY": [date(2024, 9, 1), date(2024, 11, 1), date(2025, 2, 1)]}
    )
    in_care = open_on(days.join(EPISODES, on="CHILD"), pl.col("DAY"))
    assert in_care["DAY"].to_list() == [date(2024, 9, 1), date(2025, 2, 1)]
