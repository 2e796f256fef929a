"""The `carematters` command as a performance officer uses it."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carematters.records import directory
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")


def carematters(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carematters", *args], capture_output=True, text=True, check=False
    )


def write_xml(record: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`903 write` of a record as the 2024-25 XML return."""
    return carematters(
        "903", "write", str(record), "--year", "2024-25", "--format", "xml", "--out", str(out)
    )


def test_read_then_write_then_read_again_gives_the_same_record(tmp_path):
    write_return(sample_return(60, YEAR, seed=4), YEAR, Format.CSV, tmp_path / "return")
    first = carematters(
        "903",
        "read",
        str(tmp_path / "return"),
        "--year",
        "2024-25",
        "--out",
        str(tmp_path / "record"),
    )
    assert first.returncode == 0, first.stderr
    assert "read " in first.stderr and "header 60" in first.stderr
    wrote = write_xml(tmp_path / "record", tmp_path / "return.xml")
    assert wrote.returncode == 0, wrote.stderr
    again = carematters(
        "903",
        "read",
        str(tmp_path / "return.xml"),
        "--year",
        "2024-25",
        "--out",
        str(tmp_path / "record2"),
    )
    assert again.returncode == 0, again.stderr
    for path in sorted((tmp_path / "record").iterdir()):
        assert (tmp_path / "record2" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_year_that_is_not_supported_is_a_clear_usage_error(tmp_path):
    run = carematters(
        "903", "read", str(tmp_path), "--year", "2019-20", "--out", str(tmp_path / "r")
    )
    assert run.returncode == 2
    assert "collection year 2019-20 is not supported" in run.stderr
    assert "Traceback" not in run.stderr


def test_every_problem_is_saved_when_asked_and_the_readable_rest_is_kept(tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    (folder / "h.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,F,31/02/2012,WBRI,UN1,,\nA2,X,01/02/2012,WBRI,UN1,,\n"
    )
    run = carematters(
        "903",
        "read",
        str(folder),
        "--year",
        "2024-25",
        "--out",
        str(tmp_path / "record"),
        "--problems",
        str(tmp_path / "problems.csv"),
    )
    assert run.returncode == 2
    report = pl.read_csv(tmp_path / "problems.csv", infer_schema=False)
    assert report.select("FILE", "ROW", "COLUMN", "VALUE", "KIND").rows() == [
        ("h.csv", "2", "DOB", "31/02/2012", "bad-date"),
        ("h.csv", "3", "SEX", "X", "unknown-code"),
    ]
    kept = directory.load(tmp_path / "record").record.header
    assert kept.get_column("CHILD").to_list() == ["A1", "A2"]
    assert kept.get_column("SEX").to_list() == ["F", "X"]
    assert "2 problems: 1 bad-date, 1 unknown-code" in run.stderr


def test_xml_refuses_rows_it_cannot_hold_and_writes_nothing(tmp_path):
    tables = sample_return(5, YEAR, seed=1)
    reviews = tables["reviews"].with_columns(
        pl.when(pl.col("CHILD") == "000002")
        .then(date(2000, 1, 1))
        .otherwise(pl.col("DOB"))
        .alias("DOB")
    )
    directory.save(tables | {"reviews": reviews}, tmp_path / "record")
    run = write_xml(tmp_path / "record", tmp_path / "return.xml")
    assert run.returncode == 2
    assert (
        "reviews.csv, column DOB: child 000002: DOB differs from the Header's, "
        "and XML keeps only one" in run.stderr
    )
    assert not (tmp_path / "return.xml").exists()


def test_the_demo_summarises_the_demo_authority(tmp_path):
    run = carematters("demo", "--folder", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert "looked after on 31/03/2025: " in run.stdout
    assert "problems reading the return back: 0" in run.stdout
    assert (tmp_path / "record" / "episodes.csv").exists()
    # The demo's report has a rate per 10,000 near England's for every year it covers.
    figures = pl.read_csv(tmp_path / "report" / "indicators.csv")
    rates = figures.filter(pl.col("INDICATOR") == "at_31_march.rate_per_10000")
    assert rates.height == 5
    assert ((rates["VALUE"] - rates["ENGLAND"]).abs() < 15).all()


def test_an_output_folder_holding_other_things_is_refused_without_a_traceback(tmp_path):
    write_return(sample_return(3, YEAR, seed=4), YEAR, Format.CSV, tmp_path / "return")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "diary.txt").write_text("private")
    run = carematters(
        "903",
        "read",
        str(tmp_path / "return"),
        "--year",
        "2024-25",
        "--out",
        str(tmp_path / "mine"),
    )
    assert run.returncode == 2
    assert "already holds other things (diary.txt)" in run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "mine" / "diary.txt").read_text() == "private"


def test_code_lists_can_be_looked_up_by_year():
    later = carematters("903", "codes", "placement_type", "--year", "2025-26")
    assert later.returncode == 0
    assert "  Z11 " in later.stdout
    assert "  Z1 " not in later.stdout
    earlier = carematters("903", "codes", "placement_type", "--year", "2024-25")
    assert "  Z1      Other placements" in earlier.stdout
    assert "[valid from 2022-23 to 2024-25]" in earlier.stdout
    listing = carematters("903", "codes")
    assert "sex                        Sex (header.SEX, uasc.SEX)" in listing.stdout
    assert "seen_alone                 Seen alone (visits.SEEN_ALONE)" in listing.stdout
    unknown = carematters("903", "codes", "nope")
    assert unknown.returncode == 2
    assert "there is no code list called nope" in unknown.stderr


def test_a_synthetic_authority_with_injected_errors_still_cuts_a_return(tmp_path):
    made = carematters(
        "synth",
        "--children-in-care",
        "150",
        "--years",
        "2022-2025",
        "--seed",
        "2",
        "--inject-errors",
        "0.02",
        "--out",
        str(tmp_path / "record"),
    )
    assert made.returncode == 0, made.stderr
    assert "injected" in made.stderr
    listing = pl.read_csv(tmp_path / "injected.csv")
    assert listing.columns == ["KIND", "TABLE", "ROW", "CHILD", "COLUMN", "BEFORE", "AFTER"]
    assert listing.height > 0
    cut = carematters(
        "903",
        "extract",
        str(tmp_path / "record"),
        "--year",
        "2024-25",
        "--out",
        str(tmp_path / "return"),
    )
    assert cut.returncode == 0, cut.stderr
    assert "kept as given" in cut.stderr
    assert (tmp_path / "return" / "episodes.csv").exists()


def test_a_span_of_years_into_the_future_is_refused(tmp_path):
    run = carematters("synth", "--years", "2024-2031", "--out", str(tmp_path / "r"))
    assert run.returncode == 2
    assert "runs into the future" in run.stderr
    assert not (tmp_path / "r").exists()


@pytest.fixture(scope="module")
def small_authority(tmp_path_factory) -> Path:
    """A synthetic record of about 100 children in care, made once for these tests."""
    folder = tmp_path_factory.mktemp("authority") / "record"
    made = carematters(
        "synth",
        "--children-in-care",
        "100",
        "--years",
        "2023-2025",
        "--seed",
        "3",
        "--out",
        str(folder),
    )
    assert made.returncode == 0, made.stderr
    return folder


def test_duties_are_listed_for_a_record_as_at_a_date(small_authority, tmp_path):
    run = carematters(
        "duties",
        str(small_authority),
        "--as-at",
        "2025-03-31",
        "--out",
        str(tmp_path / "d.csv"),
    )
    assert run.returncode == 0, run.stderr
    duties = pl.read_csv(tmp_path / "d.csv", infer_schema=False)
    assert duties.columns == [
        "CHILD",
        "DUTY",
        "DUE_DATE",
        "LAST_DONE",
        "STATUS",
        "DAYS_OVERDUE",
        "SOURCE",
        "EXPLANATION",
    ]
    assert set(duties["STATUS"]) <= {"done", "due", "upcoming", "overdue"}
    assert duties["EXPLANATION"].str.contains("/20").all()
    bad = carematters("duties", str(small_authority), "--as-at", "31/03/2025")
    assert bad.returncode == 2
    assert "is not a date written yyyy-mm-dd" in bad.stderr


def test_a_decision_is_checked_for_the_safeguards_it_needs(small_authority):
    episodes = pl.read_csv(small_authority / "episodes.csv", infer_schema=False)
    child = episodes.filter(pl.col("DEC").is_null())["CHILD"][0]
    run = carematters(
        "check-decision",
        str(small_authority),
        "--child",
        child,
        "--decision",
        "placement-move",
        "--date",
        "2025-03-31",
        "--to-postcode",
        "ZP3 4AB",
    )
    assert run.returncode == 0, run.stderr
    assert "gate.move.at_a_distance" in run.stdout
    gone = carematters(
        "check-decision",
        str(small_authority),
        "--child",
        "nobody",
        "--decision",
        "cease-care",
        "--date",
        "2025-03-31",
    )
    assert gone.returncode == 2
    assert "child nobody is not looked after on 31/03/2025" in gone.stderr


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
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["index.html", "indicators.csv"]
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
