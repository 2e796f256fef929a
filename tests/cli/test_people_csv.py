"""Nothing a person opens may run: a value that a spreadsheet would take for a formula
(OWASP's CSV injection) is written as text in every CSV meant for people, while the
return files themselves keep it exactly as given."""

import shutil
from pathlib import Path

import polars as pl
import pytest

from carematters.services.people_csv import defused, people_csv
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")
HOSTILE = ["=1+1", "+441234", "-2+3", "@SUM(A1)"]
"""Child ids as a hostile or careless export might give them, one per formula start."""


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ('=HYPERLINK("http://example.invalid","x")', '\'=HYPERLINK("http://example.invalid","x")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("", ""),
        (None, None),
    ],
)
def test_a_value_starting_like_a_formula_is_begun_with_a_quote(given, written):
    frame = pl.DataFrame(
        {"CHILD": [given], "ROWS": [-3]}, schema={"CHILD": pl.String, "ROWS": pl.Int64}
    )
    safe = defused(frame)
    assert safe["CHILD"].to_list() == [written]
    assert safe["ROWS"].to_list() == [-3]  # a number is a number, never text to defuse
    assert frame["CHILD"].to_list() == [given]  # the caller's frame is left as it was


def test_every_text_column_of_a_csv_is_defused_and_dates_keep_their_form():
    frame = pl.DataFrame(
        {"CHILD": ["=1+1", "7"], "NOTE": ["ok", "@x"], "DUE": [None, None]},
        schema={"CHILD": pl.String, "NOTE": pl.String, "DUE": pl.Date},
    ).with_columns(pl.lit("2025-03-31").str.to_date().alias("DUE"))
    text = people_csv(frame, date_format="%d/%m/%Y").decode("utf-8")
    assert text == "CHILD,NOTE,DUE\n'=1+1,ok,31/03/2025\n7,'@x,31/03/2025\n"


def _with_children(record: Path, out: Path, ids: list[str]) -> Path:
    """A copy of `record` with its first children's ids replaced by `ids`, in every table."""
    shutil.copytree(record, out)
    header = pl.read_csv(record / "header.csv", infer_schema=False)
    renamed = dict(zip(header["CHILD"].head(len(ids)), ids, strict=True))
    for path in out.glob("*.csv"):
        table = pl.read_csv(path, infer_schema=False)
        if "CHILD" in table.columns:
            table.with_columns(pl.col("CHILD").replace(renamed)).write_csv(path)
    return out


def test_duties_and_entitlements_csvs_hold_formula_like_ids_as_text(small_authority, tmp_path):
    record = _with_children(small_authority, tmp_path / "record", HOSTILE)
    for command in ("duties", "entitlements"):
        run = carematters(
            command, str(record), "--as-at", "2025-03-31", "--out", str(tmp_path / f"{command}.csv")
        )
        assert run.returncode == 0, run.stderr
        written = pl.read_csv(tmp_path / f"{command}.csv", infer_schema=False)
        ids = set(written["CHILD"])
        assert not any(child.startswith(("=", "+", "-", "@")) for child in ids), command
        assert ids & {f"'{child}" for child in HOSTILE}, command
    printed = carematters("duties", str(record), "--as-at", "2025-03-31")
    assert printed.returncode == 0, printed.stderr
    assert "\n'=1+1," in printed.stdout and "\n=1+1," not in printed.stdout


def test_the_indicators_csv_holds_a_formula_like_authority_name_as_text(small_authority, tmp_path):
    record = tmp_path / "=SUM(1)"
    shutil.copytree(small_authority, record)
    as_csv = carematters(
        "indicators",
        str(record),
        "--year",
        "2024-25",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "i.csv"),
    )
    assert as_csv.returncode == 0, as_csv.stderr
    assert set(pl.read_csv(tmp_path / "i.csv", infer_schema=False)["AUTHORITY"]) == {"'=SUM(1)"}
    as_html = carematters(
        "indicators", str(record), "--year", "2024-25", "--out", str(tmp_path / "r")
    )
    assert as_html.returncode == 0, as_html.stderr
    figures = pl.read_csv(tmp_path / "r" / "indicators.csv", infer_schema=False)
    assert set(figures["AUTHORITY"]) == {"'=SUM(1)"}


def _hostile_return(folder: Path) -> Path:
    """The 2024-25 sample return of 6 children, the first four with `HOSTILE` ids."""
    tables = sample_return(6, YEAR, seed=3)
    renamed = dict(zip(tables["header"]["CHILD"].head(len(HOSTILE)), HOSTILE, strict=True))
    tables = {
        name: frame.with_columns(pl.col("CHILD").replace(renamed)) for name, frame in tables.items()
    }
    write_return(tables, YEAR, Format.CSV, folder)
    return folder


def test_the_return_files_keep_a_formula_like_id_byte_for_byte(tmp_path):
    source = _hostile_return(tmp_path / "return")
    read = carematters(
        "903", "read", str(source), "--year", "2024-25", "--out", str(tmp_path / "rec")
    )
    assert read.returncode == 0, read.stderr
    assert "=1+1" in pl.read_csv(tmp_path / "rec" / "header.csv", infer_schema=False)["CHILD"]
    wrote = carematters(
        "903", "write", str(tmp_path / "rec"), "--year", "2024-25", "--format", "csv",
        "--out", str(tmp_path / "again"),
    )  # fmt: skip
    assert wrote.returncode == 0, wrote.stderr
    for path in sorted(source.glob("*.csv")):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_problems_file_holds_a_formula_like_value_as_text(tmp_path):
    source = _hostile_return(tmp_path / "return")
    header = (source / "header.csv").read_text("utf-8").splitlines()
    columns = header[0].split(",")
    row = header[5].split(",")  # the fifth child, whose id is harmless
    row[columns.index("DOB")] = "=1+1"
    header[5] = ",".join(row)
    (source / "header.csv").write_text("\n".join(header) + "\n", "utf-8")
    run = carematters(
        "903", "read", str(source), "--year", "2024-25", "--out", str(tmp_path / "rec"),
        "--problems", str(tmp_path / "problems.csv"),
    )  # fmt: skip
    assert run.returncode != 0  # read, with a problem
    assert "header.csv, row 6, column DOB: value '=1+1'" in run.stderr
    problems = pl.read_csv(tmp_path / "problems.csv", infer_schema=False)
    assert problems.filter(pl.col("COLUMN") == "DOB")["VALUE"].to_list() == ["'=1+1"]
