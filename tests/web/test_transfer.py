"""A performance officer's `carematters web import-903` and `carematters web export`: a
return into the database and the record or a year's return out, every problem located,
the exit codes of the README's table, one audit event each."""

import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carematters.cli import main
from carematters.geography import HOME_LA, postcode_list
from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.records.record import Record
from carematters.records.returns import record_tables
from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.formats import Format, read_return, write_return
from carematters.ssda903.years import CollectionYear
from carematters.synth.authority import simulate
from carematters.web.audit.models import Action, Event
from carematters.web.bridge import load_record, record_from_db
from carematters.web.casework.models import Episode, Header

pytestmark = pytest.mark.django_db

YEAR = CollectionYear.parse("2024-25")
BAD_DATE = Path(__file__).parent.parent / "ssda903" / "malformed" / "bad_date" / "return"


@pytest.fixture(scope="module")
def authority():
    """A small synthetic authority's whole record, from 1 April 2022 to 31 March 2025."""
    return Record.of(simulate(60, 2022, 2024, seed=8))


@pytest.fixture(scope="module")
def csv_return(authority, tmp_path_factory):
    """The authority's 2024-25 return as a folder of CSV files."""
    folder = tmp_path_factory.mktemp("return") / "2024-25"
    write_return(extract_return(authority.tables(), YEAR), YEAR, Format.CSV, folder)
    return folder


@dataclass(frozen=True)
class Run:
    exit_code: int
    output: str


@pytest.fixture
def carematters(capsys, monkeypatch):
    """Run `carematters ARGS...` through its entry point in this process (the test
    database is this process's), giving the exit code and everything it said."""
    monkeypatch.setenv("COLUMNS", "400")

    def run(*args: str) -> Run:
        monkeypatch.setattr(sys, "argv", ["carematters", *args])
        with pytest.raises(SystemExit) as stopped:
            main()
        said = capsys.readouterr()
        return Run(stopped.value.code or 0, said.err + said.out)

    return run


def test_a_return_imported_and_exported_comes_back_the_same(carematters, csv_return, tmp_path):
    imported = carematters("web", "import-903", str(csv_return), "--year", "2024-25")
    assert imported.exit_code == 0, imported.output
    assert "imported" in imported.output and "episodes" in imported.output
    exported = carematters("web", "export", "--out", str(tmp_path / "record"))
    assert exported.exit_code == 0, exported.output
    loaded = directory.load(tmp_path / "record")
    assert loaded.problems == []
    expected = Record.of(record_tables(read_return(csv_return, YEAR).tables, YEAR))
    assert loaded.record.held == expected.held
    assert not loaded.record.holds("visits")
    for table in RECORD_TABLES:
        assert_frame_equal(loaded.record.table(table.name), expected.table(table.name))
    again = carematters("web", "export", "--year", "2024-25", "--out", str(tmp_path / "return"))
    assert again.exit_code == 0, again.output
    for name, frame in read_return(csv_return, YEAR).tables.items():
        assert_frame_equal(read_return(tmp_path / "return", YEAR).tables[name], frame)


def test_import_and_export_each_write_one_audit_event_by_no_one(carematters, csv_return, tmp_path):
    carematters("web", "import-903", str(csv_return), "--year", "2024-25")
    carematters("web", "export", "--out", str(tmp_path / "record"))
    carematters("web", "export", "--year", "2024-25", "--out", str(tmp_path / "return.xml"))
    events = list(Event.objects.order_by("id"))
    assert [(e.action, e.user, e.child) for e in events] == [
        (Action.IMPORTED, None, ""),
        (Action.EXPORTED, None, ""),
        (Action.EXPORTED, None, ""),
    ]
    assert events[0].what == "the 2024-25 SSDA903 return"
    assert events[0].after["rows"]["header"] == Header.objects.count() > 50
    assert events[2].after["out"] == str(tmp_path / "return.xml")
    assert (tmp_path / "return.xml").read_bytes().startswith(b"<?xml")


def test_the_database_s_return_validates_clean(carematters, authority, tmp_path):
    """The demo authority loaded whole, its 2024-25 return exported from the database:
    our validator finds nothing to fix (last year's return and the postcodes given)."""
    load_record(authority)
    for year in ("2023-24", "2024-25"):
        made = carematters("web", "export", "--year", year, "--out", str(tmp_path / f"{year}.xml"))
        assert made.exit_code == 0, made.output
    places = pl.concat([authority.episodes["HOME_POST"], authority.episodes["PL_POST"]])
    postcode_list(places).write_csv(tmp_path / "postcodes.csv")
    checked = carematters(
        "903",
        "validate",
        str(tmp_path / "2024-25.xml"),
        "--year",
        "2024-25",
        "--previous",
        str(tmp_path / "2023-24.xml"),
        "--postcodes",
        str(tmp_path / "postcodes.csv"),
        "--la-code",
        HOME_LA,
        "--out",
        str(tmp_path / "findings"),
    )
    errors = pl.read_csv(tmp_path / "findings" / "errors.csv", infer_schema=False)
    assert errors.is_empty(), errors.group_by("CODE").len()
    assert checked.exit_code == 0, checked.output


def test_a_value_that_cannot_be_read_is_named_and_the_rest_imported(carematters, tmp_path):
    run = carematters("web", "import-903", str(BAD_DATE), "--year", "2024-25")
    assert run.exit_code == 1
    assert (
        "header.csv, row 2, column DOB: value '31/02/2012': is not a real calendar date; "
        "the value was not read"
    ) in run.output
    child = Header.objects.get()
    assert (child.child, child.sex, child.dob, child.ethnic) == ("C1", "F", None, "WBRI")


def test_a_return_that_cannot_be_read_imports_nothing(carematters, tmp_path):
    run = carematters("web", "import-903", str(tmp_path / "nowhere"), "--year", "2024-25")
    assert run.exit_code == 2
    assert "nowhere: this does not exist" in run.output
    assert "nothing was imported" in run.output
    assert not record_from_db().held
    assert not Event.objects.exists()


def test_a_return_of_only_empty_tables_imports_nothing(carematters, tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    (folder / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
    run = carematters("web", "import-903", str(folder), "--year", "2024-25")
    assert run.exit_code == 2
    assert "holds no children, only empty tables; nothing was imported" in run.output
    assert not record_from_db().held


def test_a_second_return_is_refused_and_the_first_kept(carematters, csv_return, tmp_path):
    carematters("web", "import-903", str(csv_return), "--year", "2024-25")
    before = Episode.objects.count()
    run = carematters("web", "import-903", str(BAD_DATE), "--year", "2024-25")
    assert run.exit_code == 2
    assert "the database already holds a care record" in run.output
    assert "nothing was imported" in run.output
    assert Episode.objects.count() == before
    assert Event.objects.filter(action=Action.IMPORTED).count() == 1


def test_an_empty_database_exports_nothing(carematters, tmp_path):
    run = carematters("web", "export", "--out", str(tmp_path / "record"))
    assert run.exit_code == 2
    assert "the database holds no care record" in run.output
    assert not (tmp_path / "record").exists()
    assert not Event.objects.exists()


def test_a_record_cannot_be_written_as_xml(carematters, tmp_path):
    run = carematters("web", "export", "--out", str(tmp_path / "record.xml"))
    assert run.exit_code == 2
    assert "give --year to write a return as XML" in run.output


def test_an_export_never_replaces_what_carematters_did_not_write(carematters, authority, tmp_path):
    load_record(authority)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "payroll.csv").write_text("salary\n1\n")
    run = carematters("web", "export", "--out", str(theirs))
    assert run.exit_code != 0
    assert (theirs / "payroll.csv").read_text() == "salary\n1\n"
    assert not Event.objects.exists()
