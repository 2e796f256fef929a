"""The law's numbers: each parameter's value on the days the law set or changed it, a
reference for every one, and a test file for every parameter file (the two trees mirror
each other, so a new parameter cannot arrive untested)."""

from datetime import date, datetime
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
import yaml

from carematters.calendar.timescales import after, in_days
from carematters.parameters import NotInForceError, all_parameters, parameter, parameters
from carematters.parameters.values import UNITS

HERE = Path(__file__).parent
SOURCE = Path(str(resources.files("carematters.parameters")))
CASES = sorted(HERE.rglob("*.yaml"))


def _name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def test_the_tests_tree_mirrors_the_parameters_tree():
    tested = {_name(path, HERE) for path in CASES}
    assert tested == {p.name for p in all_parameters()}


@pytest.mark.parametrize("path", CASES, ids=lambda p: _name(p, HERE))
def test_value_on_each_day(path: Path):
    name = _name(path, HERE)
    for case in yaml.safe_load(path.read_text(encoding="utf-8")):
        day = datetime.strptime(case["on"], "%d/%m/%Y").date()  # noqa: DTZ007
        found = parameter(name).on(day)
        expected = case["value"]
        if expected is None:
            assert found is None, (name, day)
        else:
            value = list(found.value) if isinstance(found.value, tuple) else found.value
            assert value == expected, (name, day)


@pytest.mark.parametrize("found", all_parameters(), ids=lambda p: p.name)
def test_every_parameter_has_a_label_a_unit_and_a_reference_with_a_link(found):
    assert found.label.strip() and found.description.strip()
    assert found.unit in UNITS
    for _day, _value, own in found.values:
        for reference in own + found.reference:
            assert reference.title.strip()
            assert reference.href.startswith("https://"), reference
    assert found.reference or all(own for _, _, own in found.values)


def test_the_personal_adviser_to_25_starts_on_1_april_2018():
    assert parameters(date(2018, 3, 31)).get("leaving_care.adviser_on_request_until_age") is None
    assert parameters(date(2018, 4, 1))["leaving_care.adviser_on_request_until_age"].number == 25
    with pytest.raises(NotInForceError, match="not in force on 31/03/2018"):
        parameters(date(2018, 3, 31))["leaving_care.adviser_on_request_until_age"]


def test_staying_put_starts_on_13_may_2014_and_the_regulations_on_1_april_2011():
    assert parameters(date(2014, 5, 12)).get("entitlements.staying_put_until_age") is None
    assert parameters(date(2014, 5, 13))["entitlements.staying_put_until_age"].number == 21
    assert parameters(date(2011, 3, 31)).get("reviews.first") is None
    assert str(parameters(date(2011, 4, 1))["reviews.first"]) == "20 working days"


def test_sentences_are_written_from_the_values():
    p = parameters(date(2025, 4, 1))
    assert p.text("within {reviews.first} of {basis}") == "within 20 working days of {basis}"
    assert p.text("{entitlements.pupil_premium_plus} a year") == "£2,630 a year"
    assert p.text("until {leaving_care.duties_until_age:n}") == "until 21"


def test_timescales_move_dates_by_their_unit():
    frame = pl.DataFrame({"DAY": [date(2025, 1, 31)]})
    p = parameters(date(2025, 4, 1))

    def moved(name: str) -> date:
        return frame.select(after(pl.col("DAY"), p[name])).item()

    assert moved("reviews.second") == date(2025, 4, 30)  # 3 months on from 31 January
    assert moved("visits.interval") == date(2025, 3, 14)  # 6 weeks = 42 days
    assert moved("missing.return_interview") == date(2025, 2, 3)  # 72 hours = 3 days
    assert moved("plans.placement") == date(2025, 2, 7)  # 5 working days, Fri 31 Jan = day 0
    with pytest.raises(ValueError, match="is not a time that can follow a date"):
        moved("entitlements.pupil_premium_plus")


def test_every_parameter_file_is_read_into_the_package():
    files = {_name(path, SOURCE) for path in SOURCE.rglob("*.yaml")}
    assert files == {p.name for p in all_parameters()}


def test_only_a_fixed_length_of_time_has_a_number_of_days():
    p = parameters(date(2025, 4, 1))
    assert in_days(p["leaving_care.care_needed"]) == 91  # 13 weeks
    with pytest.raises(ValueError, match="is not a whole number of days"):
        in_days(p["reviews.second"])


def test_a_list_of_one_reads_as_that_one():
    # From 1 April 2025 the only placement type that means independent living is K3.
    one = parameter("decisions.independent_living").on(date(2025, 4, 1))
    several = parameter("decisions.independent_living").on(date(2024, 4, 1))
    assert str(one) == "K3"
    assert str(several) == "H5, P2 or K3"
