"""`carematters 903 validate` as a performance officer uses it: a return in, the rows to
fix out, in CSV, Excel and HTML, with an exit code a scheduled job can act on."""

from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path

import polars as pl
import pytest

from carematters.geography import HOME_LA, postcode_list
from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.years import CollectionYear
from carematters.synth.authority import simulate
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")
LAST_YEAR = CollectionYear.parse("2023-24")
OUTPUTS = ["children.csv", "errors.csv", "errors.xlsx", "index.html", "summary.csv"]


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic authority's record and its 2023-24 and 2024-25 returns as CSV."""
    folder = tmp_path_factory.mktemp("returns")
    record = simulate(120, 2021, 2024, seed=11)
    directory.save(record, folder / "record")
    places = pl.concat([record["episodes"]["HOME_POST"], record["episodes"]["PL_POST"]])
    postcode_list(places).write_csv(folder / "postcodes.csv")
    for year in (LAST_YEAR, YEAR):
        write_return(extract_return(record, year), year, Format.CSV, folder / str(year))
    return folder


def _validate(source: Path, out: Path, *more: str) -> tuple[int, str]:
    run = carematters("903", "validate", str(source), "--year", "2024-25", "--out", str(out), *more)
    assert "Traceback" not in run.stderr
    return run.returncode, run.stderr


def test_the_synthetic_authoritys_return_validates_clean(returns: Path, tmp_path: Path) -> None:
    code, said = _validate(
        returns / "2024-25",
        tmp_path / "v",
        "--previous",
        str(returns / "2023-24"),
        "--postcodes",
        str(returns / "postcodes.csv"),
        "--la-code",
        HOME_LA,
    )
    errors = pl.read_csv(tmp_path / "v" / "errors.csv", infer_schema=False)
    assert errors.is_empty(), errors.group_by("CODE").len()
    assert code == 0, said
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == OUTPUTS
    # Only the rules needing Ofsted's registers, which were not given, did not run.
    summary = pl.read_csv(tmp_path / "v" / "summary.csv", infer_schema=False)
    skipped = summary.filter(pl.col("STATUS") == "not run")
    assert sorted(skipped["CODE"], key=int) == [
        "219",
        "221",
        "224",
        "227",
        "228",
        "229",
        "1008",
    ]
    assert skipped["SKIPPED"].str.contains("ofsted_providers").all()
    assert summary.filter(pl.col("STATUS") == "passes").height > 250


def test_a_list_that_cannot_be_used_is_named_and_nothing_is_written(
    returns: Path, tmp_path: Path
) -> None:
    wrong = tmp_path / "postcodes.csv"
    wrong.write_text("POSTCODE,LA,X,Y\nZZ1 1AA,999,east,100\n")
    code, said = _validate(returns / "2024-25", tmp_path / "v", "--postcodes", str(wrong))
    assert code == 2
    assert "postcodes.csv, row 2, column X" in said
    assert not (tmp_path / "v").exists()


def test_a_record_directory_is_cut_to_the_years_return_and_validated(
    returns: Path, tmp_path: Path
) -> None:
    code, said = _validate(returns / "record", tmp_path / "v")
    assert code == 0, said
    summary = pl.read_csv(tmp_path / "v" / "summary.csv", infer_schema=False)
    # Without last year's return, the rules comparing with it say why they did not run.
    skipped = summary.filter(pl.col("STATUS") == "not run")
    comparing = skipped.filter(pl.col("SKIPPED").str.contains("--previous"))
    assert comparing.height > 0
    assert "203" in comparing["CODE"].to_list()  # compares DOBs with last year's return


def test_spoiled_values_are_found_with_their_child_row_and_rule(
    returns: Path, tmp_path: Path
) -> None:
    spoiled = tmp_path / "spoiled"
    spoiled.mkdir()
    for path in (returns / "2024-25").iterdir():
        (spoiled / path.name).write_bytes(path.read_bytes())
    header = (spoiled / "header.csv").read_text().splitlines()
    columns = header[0].split(",")
    first = header[1].split(",")
    first[columns.index("SEX")] = "X"
    second = header[2].split(",")
    second[columns.index("DOB")] = "31/02/2015"
    header[1], header[2] = ",".join(first), ",".join(second)
    (spoiled / "header.csv").write_text("\n".join(header) + "\n")
    code, _ = _validate(spoiled, tmp_path / "v")
    assert code == 1
    errors = pl.read_csv(tmp_path / "v" / "errors.csv", infer_schema=False)
    found = set(errors.select("CODE", "TABLE", "ROW", "CHILD").iter_rows())
    assert ("101", "header", "2", first[0]) in found
    assert ("102", "header", "3", second[0]) in found
    children = pl.read_csv(tmp_path / "v" / "children.csv", infer_schema=False)
    assert {first[0], second[0]} <= set(children["CHILD"])
    page = (tmp_path / "v" / "index.html").read_text("utf-8")
    assert "101: Gender code is not valid." in page
    # Each rule says why it exists, in plain words, and when it applies.
    summary = pl.read_csv(tmp_path / "v" / "summary.csv", infer_schema=False)
    assert summary["WHY"].null_count() == 0 and summary["YEARS"].null_count() == 0
    sex = summary.filter(pl.col("CODE") == "101").row(0, named=True)
    assert sex["YEARS"] == "2023-24 onwards" and sex["STATUS"] == "fails"
    assert f"Why: {escape(sex['WHY'])}" in page
    with zipfile.ZipFile(tmp_path / "v" / "errors.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 3


def test_a_return_that_cannot_be_read_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    code, said = _validate(tmp_path / "nowhere", tmp_path / "v")
    assert code == 2
    assert "nothing could be read" in said
    assert not (tmp_path / "v").exists()
