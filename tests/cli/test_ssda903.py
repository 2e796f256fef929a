"""`carematters 903 ...`: reading, writing, cutting and looking up the return."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carematters.cli.ssda903 import ReturnFormat
from carematters.records import directory
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")


def write_xml(record: Path, out: Path):
    """`903 write` of a record as the 2024-25 XML return."""
    return carematters(
        "903", "write", str(record), "--year", "2024-25", "--format", "xml", "--out", str(out)
    )


def test_the_format_option_offers_exactly_the_forms_a_return_is_written_in():
    assert [f.value for f in ReturnFormat] == [f.value for f in Format]


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
    for path in sorted((tmp_path / "record").glob("*.csv")):
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
    assert run.returncode == 1, "a record was written, but not every value could be read"
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
    assert "nothing was written: the XML form cannot hold these rows as they are" in run.stderr
    assert not (tmp_path / "return.xml").exists()


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


def test_a_return_with_nothing_readable_writes_nothing_and_exits_2(tmp_path):
    (tmp_path / "return").mkdir()
    (tmp_path / "return" / "contacts.csv").write_text("NAME,PHONE\nAlex Fictional,0000\n")
    run = carematters(
        "903", "read", str(tmp_path / "return"), "--year", "2024-25", "--out", str(tmp_path / "r")
    )
    assert run.returncode == 2
    assert "nothing could be read from" in run.stderr
    assert not (tmp_path / "r").exists()


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


@pytest.mark.parametrize(
    "command",
    [
        ("903", "sample", "--year", "2024-25", "--children", "3"),
        ("synth", "--children-in-care", "5", "--years", "2023-2025"),
    ],
    ids=["903 sample", "synth"],
)
def test_a_negative_seed_is_a_usage_error_not_a_traceback(tmp_path, command):
    run = carematters(*command, "--seed", "-1", "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "--seed" in run.stderr
    assert not (tmp_path / "out").exists()
