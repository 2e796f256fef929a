"""The school calendar: year groups by age on 31 August, and the end of the term after
the one a day falls in (the terms in the parameter `education.terms`)."""

from datetime import date

import polars as pl
import pytest

from carematters.calendar.school import end_of_next_term, school_year
from carematters.parameters import parameters

D = date


@pytest.mark.parametrize(
    ("dob", "on", "year"),
    [
        (D(2009, 10, 15), D(2025, 5, 1), 10),  # 15 on 31/08/2024: Year 10 in 2024-25
        (D(2009, 8, 31), D(2024, 9, 1), 11),  # youngest in the year: 15 on 31/08/2024
        (D(2009, 9, 1), D(2024, 9, 1), 10),  # oldest in the year below
        (D(2009, 2, 1), D(2025, 6, 20), 11),
        (D(2019, 8, 31), D(2024, 9, 2), 1),  # 5 on 31 August: Year 1
        (D(2020, 8, 31), D(2024, 9, 2), 0),  # 4 on 31 August: Reception
    ],
)
def test_school_years_follow_the_age_on_31_august(dob, on, year):
    assert school_year(dob, on) == year


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (D(2024, 9, 1), D(2025, 3, 31)),  # autumn: by the end of spring
        (D(2024, 12, 31), D(2025, 3, 31)),
        (D(2025, 1, 5), D(2025, 7, 31)),  # spring: by the end of summer
        (D(2025, 3, 31), D(2025, 7, 31)),
        (D(2025, 4, 1), D(2025, 12, 31)),  # summer: by the end of autumn
        (D(2024, 8, 15), D(2024, 12, 31)),  # the summer holidays belong to summer
    ],
)
def test_a_plan_is_due_by_the_end_of_the_next_term(day, due):
    terms = parameters(day)["education.terms"].value
    found = pl.select(end_of_next_term(pl.lit(day), terms)).item()
    assert found == due
