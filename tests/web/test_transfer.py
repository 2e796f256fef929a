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
from carematters.ssda903.tables import EPISODES, HEADER
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


def _small_return(folder: Path, header: list[str], episodes: list[str]) -> Path:
    """A CSV return of the header and episodes tables, `header` and `episodes` their rows
    (after the line of column names, so the first is row 2)."""
    folder.mkdir()
    for table, rows in ((HEADER, header), (EPISODES, episodes)):
        names = ",".join(column.name for column in table.columns_in(YEAR))
        (folder / f"{table.name}.csv").write_text("".join(f"{line}\n" for line in [names, *rows]))
    return folder


def test_a_row_of_no_child_and_a_child_twice_in_the_header_stop_the_import(carematters, tmp_path):
    folder = _small_return(
        tmp_path / "return",
        header=[
            "C1,F,01/02/2012,WBRI,UN1,,",  # row 2
            "C2,M,03/04/2013,WBRI,UN1,,",  # row 3
            "C2,M,03/04/2013,WBRI,UN1,,",  # row 4: C2 again
        ],
        episodes=[
            "C1,01/05/2024,S,C2,N1,U1,PR1,,,,ZZ99 1AA,ZZ99 2AB,",  # row 2
            ",01/06/2024,S,C2,N1,U1,PR1,,,,ZZ99 1AA,ZZ99 2AB,",  # row 3: no CHILD
        ],
    )
    saved = tmp_path / "problems.csv"
    run = carematters(
        "web", "import-903", str(folder), "--year", "2024-25", "--problems", str(saved)
    )
    assert run.exit_code == 2, run.output
    assert run.output.splitlines() == [
        "episodes.csv, row 3, column CHILD: this row has no CHILD, so it belongs to no child; "
        "nothing was imported",
        "header.csv, row 4, column CHILD: value 'C2': this child already has a row in the "
        "Header table (row 3), which holds one per child (DfE's check INT32); nothing was "
        "imported",
        "2 problems: 1 no-child, 1 repeated-child",
        f"{folder} has 2 rows the database cannot hold as one child's (no CHILD, or a second "
        "row for a child where a table has one each); nothing was imported: correct the "
        "return and import it again",
    ]
    assert not record_from_db().held
    assert not Header.objects.exists() and not Episode.objects.exists()
    assert not Event.objects.exists()
    listed = pl.read_csv(saved, infer_schema=False)
    assert listed.select("FILE", "ROW", "TABLE", "COLUMN", "VALUE", "KIND").rows() == [
        ("episodes.csv", "3", "episodes", "CHILD", None, "no-child"),
        ("header.csv", "4", "header", "CHILD", "C2", "repeated-child"),
    ]


def test_the_testers_return_with_a_blanked_child_and_a_header_row_twice_loads_nothing(
    carematters, csv_return, tmp_path
):
    """Issue 12's report: the synthetic authority's return, one episode's CHILD blanked
    and one Header row pasted again after itself."""
    broken = tmp_path / "broken"
    broken.mkdir()
    for file in csv_return.glob("*.csv"):
        (broken / file.name).write_bytes(file.read_bytes())
    episodes = (broken / "episodes.csv").read_text().splitlines(keepends=True)
    blanked = episodes[5].split(",", 1)[1]
    episodes[5] = "," + blanked  # row 6: the first value, CHILD, made blank
    (broken / "episodes.csv").write_text("".join(episodes))
    header = (broken / "header.csv").read_text().splitlines(keepends=True)
    child = header[10].split(",", 1)[0]
    header.insert(11, header[10])  # row 11's child again at row 12
    (broken / "header.csv").write_text("".join(header))
    run = carematters("web", "import-903", str(broken), "--year", "2024-25")
    assert run.exit_code == 2, run.output
    assert (
        "episodes.csv, row 6, column CHILD: this row has no CHILD, so it belongs to no child"
    ) in run.output
    assert (
        f"header.csv, row 12, column CHILD: value '{child}': this child already has a row in "
        "the Header table (row 11)"
    ) in run.output
    assert "has 2 rows the database cannot hold as one child's" in run.output
    assert not Header.objects.exists() and not Episode.objects.exists()
    assert not Event.objects.exists()
    # The same return as it was imports whole.
    assert carematters("web", "import-903", str(csv_return), "--year", "2024-25").exit_code == 0


def test_a_child_twice_in_an_xml_return_and_a_long_id_cut_short(carematters, tmp_path):
    child = "C" + "9" * 60
    record = (
        "  <CHILD>\n    <HEADER>\n      <CHILDID>{}</CHILDID>\n      <SEX>F</SEX>\n"
        "      <DOB>01/02/2012</DOB>\n      <ETHNIC>WBRI</ETHNIC>\n      <UPN>UN1</UPN>\n"
        "    </HEADER>\n  </CHILD>\n"
    )
    xml = tmp_path / "return.xml"
    xml.write_text(f"<EXPSSDA903>\n{record.format(child)}{record.format(child)}</EXPSSDA903>\n")
    run = carematters("web", "import-903", str(xml), "--year", "2024-25")
    assert run.exit_code == 2, run.output
    # The second <CHILD> begins on line 11, its HEADER on line 12; 40 characters shown.
    assert (
        f"return.xml, row 12, column CHILD: value '{child[:40]}…': this child already has a "
        "row in the Header table (row 3)"
    ) in run.output
    assert child not in run.output
    assert not Header.objects.exists()
