"""What the validator is given is told apart by the files' headers, never their names: a
return folder holding a stray `visits.csv` is still a return, and a care record is still
a record whatever else lies beside it."""

from pathlib import Path

import polars as pl
import pytest

from carematters.records import directory
from carematters.records.returns import record_tables
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear
from carematters.validation.inputs import is_record, read_for_validation
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")
UNRELATED = "NAME,PHONE\nMade-up Person,07700900123\n"


def _return(folder: Path) -> Path:
    write_return(sample_return(6, YEAR, seed=5), YEAR, Format.CSV, folder)
    return folder


def _record(folder: Path) -> Path:
    directory.save(record_tables(sample_return(6, YEAR, seed=5), YEAR), folder)
    return folder


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("visits.csv", UNRELATED),
        ("peps.csv", UNRELATED),
        ("iro.csv", "A\n1\n"),
        ("return_interviews.csv", ""),
        ("health_assessments.csv", "CHILD,ASSESSMENT_DATE\n1,01/01/2025\n"),
    ],
)
def test_a_return_with_a_file_named_like_a_record_table_is_still_a_return(tmp_path, name, text):
    folder = _return(tmp_path / "return")
    (folder / name).write_text(text)
    assert not is_record(folder)
    given = read_for_validation(folder, YEAR)
    assert given.tables["header"].height == 6
    assert [p.file for p in given.problems] == [name]


def test_a_returns_own_oc2_without_a_year_column_keeps_it_a_return(tmp_path):
    folder = _return(tmp_path / "return")
    assert "oc2.csv" in {p.name for p in folder.iterdir()}
    assert not is_record(folder)


def test_a_record_is_known_by_its_headers_whatever_lies_beside_it(tmp_path):
    folder = _record(tmp_path / "record")
    (folder / "notes.csv").write_text(UNRELATED)
    assert is_record(folder)


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("visits.csv", "CHILD,VISIT_DATE,SEEN_ALONE,SW_ID,NOT_ALONE_REASON"),
        ("visits.csv", "CHILD,VISIT_DATE,SEEN_ALONE,SW_ID"),  # saved before NOT_ALONE_REASON
        ("anything.csv", "child, visit_date ,SEEN_ALONE,SW_ID,not_alone_reason"),
        ("oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM,YEAR"),
        ("peps.csv", "sep=,\nCHILD,PEP_DATE"),
    ],
)
def test_one_record_only_header_makes_a_record(tmp_path, name, header):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / name).write_text(f"{header}\n")
    assert is_record(folder)


def test_a_folder_named_like_a_csv_file_or_nothing_is_not_a_record(tmp_path):
    (tmp_path / "empty").mkdir()
    assert not is_record(tmp_path / "empty")
    assert not is_record(tmp_path / "nowhere")
    (tmp_path / "odd" / "visits.csv").mkdir(parents=True)
    assert not is_record(tmp_path / "odd")


def test_validate_counts_the_same_failures_with_a_stray_visits_file(tmp_path):
    clean = _return(tmp_path / "clean")
    stray = _return(tmp_path / "stray")
    (stray / "visits.csv").write_text(UNRELATED)
    first = carematters(
        "903", "validate", str(clean), "--year", "2024-25", "--out", str(tmp_path / "a")
    )
    second = carematters(
        "903", "validate", str(stray), "--year", "2024-25", "--out", str(tmp_path / "b")
    )
    assert "Traceback" not in first.stderr + second.stderr
    assert (
        "visits.csv, row 1: the header row (2 columns, none of them an SSDA903 column name) "
        "does not match any SSDA903 table; the file was not read"
    ) in second.stderr
    errors = [pl.read_csv(tmp_path / out / "errors.csv", infer_schema=False) for out in "ab"]
    assert errors[0].height > 0
    assert errors[0].equals(errors[1])
