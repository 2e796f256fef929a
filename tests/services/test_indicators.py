"""The indicators report through the service: populations given, several authorities
side by side, and the report folder."""

import polars as pl
import pytest

from carematters.services.indicators import indicators_for, populations_given, write_report
from carematters.services.synth import make_authority
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    folder = tmp_path_factory.mktemp("authority") / "record"
    return make_authority(
        folder, children_in_care=60, first_year=2022, last_year=2024, seed=5
    ).record


def test_one_number_is_the_population_of_whichever_authority_in_the_year_asked():
    assert populations_given(None, 20_000, YEAR) == ({"": {"2024-25": 20_000}}, [])
    assert populations_given(None, None, YEAR) == ({}, [])


def test_a_population_file_is_used_instead_of_a_number(tmp_path):
    file = tmp_path / "population.csv"
    file.write_text("LA_CODE,YEAR,CHILDREN\nE1,2023-24,100\nE1,2024-25,oops\n")
    found, problems = populations_given(file, 20_000, YEAR)
    assert found == {"E1": {"2023-24": 100}}
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "CHILDREN", "oops")]


def test_authorities_side_by_side_each_with_its_own_population(record):
    report = indicators_for(
        {"E1": record, "E2": record}, YEAR, {"E1": {"2024-25": 10_000}, "E2": {"2024-25": 20_000}}
    )
    assert report["AUTHORITY"].unique(maintain_order=True).to_list() == ["E1", "E2"]
    latest = report.filter(pl.col("YEAR") == "2024-25")
    in_care = latest.filter(pl.col("INDICATOR") == "at_31_march.in_care")["VALUE"].to_list()
    rates = latest.filter(pl.col("INDICATOR") == "at_31_march.rate_per_10000")["VALUE"]
    assert in_care[0] == in_care[1] > 0
    assert rates.to_list() == [round(in_care[0], 2), round(in_care[0] / 2, 2)]


def test_the_report_folder_holds_the_page_and_its_figures(record, tmp_path):
    report = indicators_for({"demo": record}, YEAR, {})
    write_report(report, tmp_path / "report")
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        ".carematters-output",
        "index.html",
        "indicators.csv",
    ]
    assert (tmp_path / "report" / "indicators.csv").read_text("utf-8") == report.write_csv()
    assert "<!DOCTYPE html>" in (tmp_path / "report" / "index.html").read_text("utf-8")
