"""`carematters indicators`: how an authority's children are doing, beside England."""

import io
import json

import polars as pl

from carematters.geography import postcode_list
from tests.cli import carematters


def test_indicators_are_written_as_csv_or_json_beside_england(small_authority, tmp_path):
    as_csv = carematters(
        "indicators",
        str(small_authority),
        "--year",
        "2024-25",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "i.csv"),
    )
    assert as_csv.returncode == 0, as_csv.stderr
    assert "indicators for" in as_csv.stderr
    figures = pl.read_csv(tmp_path / "i.csv")
    assert figures.columns[:6] == ["AUTHORITY", "INDICATOR", "GROUP", "YEAR", "VALUE", "ENGLAND"]
    assert figures["AUTHORITY"].unique().to_list() == ["record"]
    latest = figures.filter(pl.col("YEAR") == "2024-25")
    assert latest.filter(pl.col("INDICATOR") == "at_31_march.in_care")["VALUE"].item() > 50
    assert latest["ENGLAND"].drop_nulls().len() > 50
    as_json = carematters(
        "indicators", str(small_authority), "--year", "2024-25", "--format", "json"
    )
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert len(rows) == figures.height
    assert {row["INDICATOR"] for row in rows} == set(figures["INDICATOR"])


def test_the_indicators_report_is_a_page_with_a_chart_for_each_and_its_figures(
    small_authority, tmp_path
):
    run = carematters(
        "indicators", str(small_authority), "--year", "2024-25", "--out", str(tmp_path / "r")
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        ".carematters-output",
        "index.html",
        "indicators.csv",
    ]
    page = (tmp_path / "r" / "index.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") > 30
    assert "How our children are doing: 2024-25" in page
    no_folder = carematters("indicators", str(small_authority), "--year", "2024-25")
    assert no_folder.returncode == 2 and "--out FOLDER" in no_folder.stderr


def test_indicators_of_a_folder_that_is_not_a_record_say_so(tmp_path):
    run = carematters(
        "indicators", str(tmp_path / "nowhere"), "--year", "2024-25", "--out", str(tmp_path / "i")
    )
    assert run.returncode == 2
    assert "not a folder" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "i").exists()


def test_two_authorities_side_by_side_with_rates_from_a_population_file(small_authority, tmp_path):
    population = tmp_path / "population.csv"
    population.write_text(
        'LA_CODE,YEAR,CHILDREN\nE09000027,2024-25,"20,000"\nE06000001,2024-25,40000\n'
    )
    run = carematters(
        "indicators",
        str(small_authority),
        str(small_authority),
        "--year",
        "2024-25",
        "--la-code",
        "E09000027",
        "--la-code",
        "E06000001",
        "--population",
        str(population),
        "--out",
        str(tmp_path / "compared"),
    )
    assert run.returncode == 0, run.stderr
    assert "and 2 authorities" in run.stderr
    figures = pl.read_csv(tmp_path / "compared" / "indicators.csv")
    rates = figures.filter(pl.col("INDICATOR") == "at_31_march.rate_per_10000")
    in_care = figures.filter(
        (pl.col("INDICATOR") == "at_31_march.in_care") & (pl.col("YEAR") == "2024-25")
    )["VALUE"][0]
    # The same children over twice the child population: half the rate.
    assert rates.sort("AUTHORITY", descending=True)["VALUE"].to_list() == [
        round(10_000 * in_care / 20_000, 2),
        round(10_000 * in_care / 40_000, 2),
    ]
    page = (tmp_path / "compared" / "index.html").read_text("utf-8")
    assert "2 authorities side by side" in page


def test_a_bad_population_file_names_the_row_and_writes_nothing(small_authority, tmp_path):
    population = tmp_path / "population.csv"
    population.write_text("YEAR,CHILDREN\n2024-25,none\n2024/25,100\n")
    run = carematters(
        "indicators",
        str(small_authority),
        "--year",
        "2024-25",
        "--population",
        str(population),
        "--out",
        str(tmp_path / "r"),
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "population.csv, row 2, column CHILDREN" in run.stderr
    assert "population.csv, row 3, column YEAR" in run.stderr
    assert not (tmp_path / "r").exists()
    mismatched = carematters(
        "indicators",
        str(small_authority),
        str(small_authority),
        "--year",
        "2024-25",
        "--format",
        "csv",
    )
    assert mismatched.returncode == 2 and "--la-code" in mismatched.stderr


def test_placements_are_located_only_with_a_postcode_list_and_the_authority_s_code(
    small_authority, tmp_path
):
    """The synthetic authority's postcodes as a list (the authority is LA 999): with it,
    distances and placements outside the authority are measured; without it they are
    reported as not measured, with why, never as 0% or 100%."""
    places = pl.concat(
        pl.read_csv(small_authority / "episodes.csv", infer_schema=False).select(column).to_series()
        for column in ("HOME_POST", "PL_POST")
    )
    postcode_list(places).write_csv(tmp_path / "postcodes.csv")
    asked = ("indicators", str(small_authority), "--year", "2024-25", "--format", "csv")
    located = carematters(
        *asked, "--postcodes", str(tmp_path / "postcodes.csv"), "--la-code", "999"
    )
    unlocated = carematters(*asked)
    assert located.returncode == unlocated.returncode == 0, located.stderr + unlocated.stderr

    def outside(run) -> dict:
        figures = pl.read_csv(io.StringIO(run.stdout), infer_schema=False)
        return figures.filter(
            (pl.col("INDICATOR") == "at_31_march.outside_la_boundary")
            & (pl.col("YEAR") == "2024-25")
        ).row(0, named=True)

    measured, not_measured = outside(located), outside(unlocated)
    assert 0 < float(measured["VALUE"]) < 100
    assert measured["NOT_COMPUTED"] is None
    assert not_measured["VALUE"] is None
    assert "--postcodes" in not_measured["NOT_COMPUTED"]


def test_a_postcode_list_without_its_columns_is_refused(small_authority, tmp_path):
    (tmp_path / "postcodes.csv").write_text("POSTCODE,LA\nZZ1 1AA,999\n", encoding="utf-8")
    run = carematters(
        "indicators",
        str(small_authority),
        "--year",
        "2024-25",
        "--format",
        "csv",
        "--postcodes",
        str(tmp_path / "postcodes.csv"),
        "--la-code",
        "999",
    )
    assert run.returncode == 2
    assert "postcodes.csv: the postcodes list needs the columns POSTCODE, LA, X, Y" in run.stderr
    assert run.stdout == ""
