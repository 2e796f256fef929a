"""`carematters 903 validate` as a performance officer uses it: a return in, the rows to
fix out, in CSV, Excel and HTML, with an exit code a scheduled job can act on."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import zipfile
from html import escape, unescape
from pathlib import Path

import polars as pl
import pytest

from carematters.geography import HOME_LA, postcode_list
from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.problems import PROBLEM_COLUMNS
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear
from carematters.synth.authority import simulate
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")
LAST_YEAR = CollectionYear.parse("2023-24")
OUTPUTS = [
    ".carematters-output",
    "children.csv",
    "errors.csv",
    "errors.xlsx",
    "index.html",
    "problems.csv",
    "summary.csv",
]
SHEETS = ["Summary", "Errors", "Children", "Reading problems"]


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
    # Everything was read: the problems file has its header only, the summary no line for it.
    assert (tmp_path / "v" / "problems.csv").read_text("utf-8") == (
        ",".join(("RETURN", *PROBLEM_COLUMNS)) + "\n"
    )
    assert "crashed" not in said and "problems reading" not in said
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
    assert set(summary["STATUS"]) == {"passes", "not run"}


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
    assert [name for name, _ in _sheets(tmp_path / "v" / "errors.xlsx")] == SHEETS


def test_a_return_that_cannot_be_read_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    code, said = _validate(tmp_path / "nowhere", tmp_path / "v")
    assert code == 2
    assert "nothing could be read" in said
    assert not (tmp_path / "v").exists()


def _sheets(book: Path) -> list[tuple[str, str]]:
    """Each worksheet of an .xlsx file in order: its name and its XML."""
    with zipfile.ZipFile(book) as opened:
        names = re.findall(r'<sheet name="([^"]*)"', opened.read("xl/workbook.xml").decode())
        return [
            (unescape(name), opened.read(f"xl/worksheets/sheet{n}.xml").decode())
            for n, name in enumerate(names, start=1)
        ]


def _texts(sheet: str) -> list[str]:
    """The text cells of a worksheet's rows, in order, as a person sees them."""
    return [unescape(text) for text in re.findall(r"<is><t[^>]*>([^<]*)</t></is>", sheet)]


def _copy(folder: Path, to: Path) -> Path:
    """A copy of a return's folder, to spoil."""
    to.mkdir()
    for path in folder.iterdir():
        (to / path.name).write_bytes(path.read_bytes())
    return to


def _spoil(path: Path, row: int, column: str, value: str) -> str:
    """Write `value` in `column` at file row `row` (header = row 1) of a plain CSV file
    (no quoted commas) and give that row's CHILD."""
    lines = path.read_text("utf-8").splitlines()
    columns = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[columns.index(column)] = value
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return cells[columns.index("CHILD")]


def _clean_args(returns: Path) -> list[str]:
    """The options under which the synthetic return validates clean."""
    return [
        "--previous", str(returns / "2023-24"), "--postcodes", str(returns / "postcodes.csv"),
        "--la-code", HOME_LA,
    ]  # fmt: skip


HOSTILE = [
    '=HYPERLINK("http://example.invalid/?q=1","click")',
    "=cmd|' /C calc'!A0",
    "+44",
    "-1+2",
    "@SUM(A1)",
    "<b>bold</b>",
]
"""Child ids a hostile or careless export might hold: formulas, a link, and markup."""


def test_no_output_of_the_validator_holds_a_live_formula_or_link(tmp_path: Path) -> None:
    tables = sample_return(8, YEAR, seed=5)
    renamed = dict(zip(tables["header"]["CHILD"].head(len(HOSTILE)), HOSTILE, strict=True))
    tables = {n: f.with_columns(pl.col("CHILD").replace(renamed)) for n, f in tables.items()}
    write_return(tables, YEAR, Format.CSV, tmp_path / "return")
    # A DOB that cannot be read puts a formula-like value in problems.csv too.
    _spoil(tmp_path / "return" / "header.csv", 8, "DOB", "=2+2")
    code, said = _validate(tmp_path / "return", tmp_path / "v")
    assert code == 1, said
    out = tmp_path / "v"
    for name in ("errors.csv", "children.csv"):
        ids = set(pl.read_csv(out / name, infer_schema=False)["CHILD"])
        assert {f"'{child}" for child in HOSTILE[:5]} <= ids, name
        assert not any(child.startswith(("=", "+", "-", "@")) for child in ids), name
    problems = pl.read_csv(out / "problems.csv", infer_schema=False)
    assert problems.filter(pl.col("COLUMN") == "DOB")["VALUE"].to_list() == ["'=2+2"]
    with zipfile.ZipFile(out / "errors.xlsx") as book:
        files = book.namelist()
        xml = {name: book.read(name).decode() for name in files if name.endswith(".xml")}
    assert not any("<f>" in text or "<f " in text for text in xml.values())
    assert not any("<hyperlink" in text for name, text in xml.items() if "worksheets" in name)
    assert not [name for name in files if name.startswith("xl/worksheets/_rels/")]
    with zipfile.ZipFile(out / "errors.xlsx") as book:
        relationships = [book.read(name).decode() for name in files if name.endswith(".rels")]
    assert not any("relationships/hyperlink" in text for text in relationships)
    # The workbook holds each id as the text it is.
    sheets = dict(_sheets(out / "errors.xlsx"))
    assert set(HOSTILE) <= set(_texts(sheets["Errors"]))
    assert "=2+2" in _texts(sheets["Reading problems"])
    page = (out / "index.html").read_text("utf-8")
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("contents", "said"),
    [
        ({"return.xml": "<EXPSSDA903/>"}, "holds no children"),
        ({"return.xml": "<EXPSSDA903><Header/></EXPSSDA903>"}, ""),
        ({"header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"}, "holds no children"),
        ({"header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n", "notes.txt": "x"}, ""),
        ({}, "nothing could be read"),
    ],
)
def test_a_return_with_no_children_is_never_called_clean(
    tmp_path: Path, contents: dict[str, str], said: str
) -> None:
    folder = tmp_path / "return"
    folder.mkdir()
    for name, text in contents.items():
        (folder / name).write_text(text, "utf-8")
    source = folder / "return.xml" if "return.xml" in contents else folder
    code, told = _validate(source, tmp_path / "v")
    assert code == 2, told
    assert said in told and "nothing was written" in told
    assert not (tmp_path / "v").exists()


def test_last_years_return_with_no_children_stops_too(returns: Path, tmp_path: Path) -> None:
    (tmp_path / "last.xml").write_text("<EXPSSDA903/>", "utf-8")
    code, said = _validate(
        returns / "2024-25", tmp_path / "v", "--previous", str(tmp_path / "last.xml")
    )
    assert code == 2
    assert "holds no children" in said and f"last year's return {tmp_path / 'last.xml'}" in said
    assert not (tmp_path / "v").exists()


def _reading_problems_shown(out: Path, returned: str, value: str) -> None:
    """`value`, unreadable in the return for `returned`, is in every output of `out`."""
    problems = pl.read_csv(out / "problems.csv", infer_schema=False)
    assert problems.filter(pl.col("VALUE") == value)["RETURN"].to_list() == [returned]
    summary = pl.read_csv(out / "summary.csv", infer_schema=False)
    line = summary.row(0, named=True)
    assert line["STATUS"] == "not read" and line["ROWS"] == str(problems.height)
    assert line["MESSAGE"] == (
        f"{problems.height} problem{'s' * (problems.height > 1)} reading the {returned} return; "
        "every one is in problems.csv"
    )
    sheets = dict(_sheets(out / "errors.xlsx"))
    assert _texts(sheets["Reading problems"])[0] == returned
    assert value in _texts(sheets["Reading problems"])
    page = (out / "index.html").read_text("utf-8")
    assert '<h2 id="reading-problems">Reading problems</h2>' in page
    assert f"<td>{escape(value)}</td>" in page


def test_a_clean_return_saved_by_excel_with_empty_columns_is_still_clean(
    returns: Path, tmp_path: Path
) -> None:
    saved = _copy(returns / "2024-25", tmp_path / "saved")
    for path in saved.glob("*.csv"):
        lines = path.read_text("utf-8").splitlines()
        path.write_text("".join(f"{line},,\r\n" for line in lines), "utf-8")
    code, said = _validate(saved, tmp_path / "v", *_clean_args(returns))
    # The empty columns of Excel's used range are said once per file; nothing was lost.
    assert code == 0, said
    problems = pl.read_csv(tmp_path / "v" / "problems.csv", infer_schema=False)
    assert set(problems["KIND"]) == {"empty-columns"}


def test_a_column_that_could_not_be_read_is_never_called_clean(
    returns: Path, tmp_path: Path
) -> None:
    spoiled = _copy(returns / "2024-25", tmp_path / "spoiled")
    lines = (spoiled / "header.csv").read_text("utf-8").splitlines()
    lines = [lines[0] + ",NOTES"] + [line + ",call back" for line in lines[1:]]
    (spoiled / "header.csv").write_text("\n".join(lines) + "\n", "utf-8")
    code, said = _validate(spoiled, tmp_path / "v", *_clean_args(returns))
    # No rule fails: only what could not be read keeps the return from being clean.
    assert pl.read_csv(tmp_path / "v" / "errors.csv").is_empty()
    assert code == 1, said
    assert "header.csv, row 1, column NOTES" in said
    assert "0 failing on 0 rows" in said
    problems = pl.read_csv(tmp_path / "v" / "problems.csv", infer_schema=False)
    assert problems.select("RETURN", "FILE", "ROW", "COLUMN", "KIND").rows() == [
        ("2024-25", "header.csv", "1", "NOTES", "unknown-column")
    ]
    summary = pl.read_csv(tmp_path / "v" / "summary.csv", infer_schema=False)
    assert summary.row(0, named=True)["STATUS"] == "not read"
    assert "Reading problems" in (tmp_path / "v" / "index.html").read_text("utf-8")


def test_a_date_last_year_that_could_not_be_read_is_in_every_output(
    returns: Path, tmp_path: Path
) -> None:
    last = _copy(returns / "2023-24", tmp_path / "last")
    _spoil(last / "episodes.csv", 2, "DECOM", "2012-06-14")
    args = _clean_args(returns)
    args[1] = str(last)
    code, said = _validate(returns / "2024-25", tmp_path / "v", *args)
    assert code == 1, said
    assert f"in last year's return {last}:" in said
    assert "episodes.csv, row 2, column DECOM: value '2012-06-14'" in said
    _reading_problems_shown(tmp_path / "v", "2023-24", "2012-06-14")


def test_a_value_blanked_as_unreadable_this_year_is_in_every_output(
    returns: Path, tmp_path: Path
) -> None:
    spoiled = _copy(returns / "2024-25", tmp_path / "spoiled")
    _spoil(spoiled / "episodes.csv", 3, "DEC", "31/04/2025")
    code, said = _validate(spoiled, tmp_path / "v", *_clean_args(returns))
    assert code == 1, said
    assert "episodes.csv, row 3, column DEC: value '31/04/2025'" in said
    _reading_problems_shown(tmp_path / "v", "2024-25", "31/04/2025")


def test_past_the_first_50_problems_the_terminal_says_how_many_more_and_where(
    returns: Path, tmp_path: Path
) -> None:
    spoiled = _copy(returns / "2024-25", tmp_path / "spoiled")
    for row in range(2, 62):
        _spoil(spoiled / "header.csv", row, "DOB", "2012-06-14")
    code, said = _validate(spoiled, tmp_path / "v")
    assert code == 1
    assert said.count("column DOB: value '2012-06-14'") == 50
    assert f"... and 10 more (all in {tmp_path / 'v' / 'problems.csv'})" in said
    assert pl.read_csv(tmp_path / "v" / "problems.csv").height == 60


def _validate_patched(patch: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`carematters 903 validate ARGS...` in a process of its own, after running `patch`."""
    script = f"import sys\n{patch}\nfrom carematters.cli import main\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", script, "903", "validate", "--year", "2024-25", *args],
        capture_output=True,
        text=True,
        check=False,
    )


CRASH_101 = '''
import dataclasses
from carematters.validation import rulesets
from carematters.validation.rule import RULES

def broken(context):
    """Stands in for a rule with a fault in it."""
    raise KeyError("SEX")

rulesets.changes(rulesets.FIRST_RULE_YEAR)  # every rule module registered
RULES[:] = [dataclasses.replace(r, check=broken) if r.code == "101" else r for r in RULES]
'''


def test_a_rule_that_crashes_is_its_own_status_and_never_clean(
    returns: Path, tmp_path: Path
) -> None:
    run = _validate_patched(
        CRASH_101, str(returns / "2024-25"), "--out", str(tmp_path / "v"), *_clean_args(returns)
    )
    assert "Traceback" not in run.stderr
    assert run.returncode == 1, run.stderr
    assert "rule 101 crashed on this return (KeyError: 'SEX')" in run.stderr
    assert "rules run, 7 not run (need inputs), 1 crashed, 0 failing" in run.stderr
    summary = pl.read_csv(tmp_path / "v" / "summary.csv", infer_schema=False)
    crashed = summary.filter(pl.col("STATUS") == "crashed")
    assert crashed["CODE"].to_list() == ["101"]
    assert crashed["FAULT"].to_list() == ["crashed on this return (KeyError: 'SEX')"]
    assert crashed["SKIPPED"].to_list() == [None]  # not a rule left out for want of input
    assert summary.filter(pl.col("STATUS") == "not run").height == 7
    page = (tmp_path / "v" / "index.html").read_text("utf-8")
    assert "1 crashed" in page and "<td>crashed</td>" in page
    sheets = dict(_sheets(tmp_path / "v" / "errors.xlsx"))
    assert "Summary" in sheets


def test_more_failing_rows_than_a_sheet_holds_go_on_over_more_sheets(tmp_path: Path) -> None:
    write_return(sample_return(6, YEAR, seed=5), YEAR, Format.CSV, tmp_path / "return")
    patch = "import carematters.validation.outputs as outputs\noutputs.EXCEL_ROWS = 4"
    run = _validate_patched(patch, str(tmp_path / "return"), "--out", str(tmp_path / "v"))
    assert run.returncode == 1, run.stderr
    errors = pl.read_csv(tmp_path / "v" / "errors.csv", infer_schema=False)
    assert errors.height > 6
    sheets = math.ceil(errors.height / 3)
    names = [name for name, _ in _sheets(tmp_path / "v" / "errors.xlsx")]
    assert [name for name in names if name.startswith("Errors")] == [
        "Errors",
        *(f"Errors ({n})" for n in range(2, sheets + 1)),
    ]
    rows = sum(
        xml.count("<row ") - 1
        for name, xml in _sheets(tmp_path / "v" / "errors.xlsx")
        if name.startswith("Errors")
    )
    assert rows == errors.height  # every row in the workbook, none twice
    note = f"errors.xlsx carries them over the sheets Errors to Errors ({sheets})"
    assert note in run.stderr
    assert note in (tmp_path / "v" / "index.html").read_text("utf-8")
