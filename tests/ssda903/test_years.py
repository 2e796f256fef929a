import pytest

from carematters.ssda903.years import SUPPORTED_YEARS, CollectionYear, UnknownYearError


def test_a_year_runs_from_april_to_march():
    year = CollectionYear.parse("2024-25")
    assert (year.start.isoformat(), year.end.isoformat()) == ("2024-04-01", "2025-03-31")
    assert str(year) == "2024-25"


def test_supported_years_are_2022_23_to_2026_27():
    assert [str(y) for y in SUPPORTED_YEARS] == [
        "2022-23",
        "2023-24",
        "2024-25",
        "2025-26",
        "2026-27",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2024/25",
            "'2024/25' is not a collection year: write it as DfE does, for example 2024-25",
        ),
        (
            "2024-26",
            "'2024-26' is not a collection year: write it as DfE does, for example 2024-25",
        ),
        (
            "2019-20",
            "collection year 2019-20 is not supported; supported years are "
            "2022-23, 2023-24, 2024-25, 2025-26, 2026-27",
        ),
    ],
)
def test_a_year_that_is_not_one_is_refused_with_a_reason(text, message):
    with pytest.raises(UnknownYearError) as refused:
        CollectionYear.parse(text)
    assert str(refused.value) == message
