"""The validator's outputs built from a validation: the summary's statuses, the line for
what could not be read, and an Excel workbook past the rows one sheet holds."""

import io
import re
import zipfile
from xml.etree import ElementTree

import polars as pl
import pytest

from carematters.ssda903.problems import Problem
from carematters.ssda903.years import CollectionYear
from carematters.validation import outputs
from carematters.validation.context import Return
from carematters.validation.engine import FINDING_SCHEMA, Validation

YEAR = CollectionYear.parse("2024-25")
LAST_YEAR = CollectionYear.parse("2023-24")


def _bad_date(row: int, value: str) -> Problem:
    return Problem("episodes.csv", "is not a date", "bad-date", row, "episodes", "DECOM", value)


def _findings(rows: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "CHILD": [f"C{n}" for n in range(rows)],
            "TABLE": ["header"] * rows,
            "ROW": list(range(2, rows + 2)),
            "FIELDS": ["SEX"] * rows,
            "CODE": ["101"] * rows,
            "MESSAGE": ["Gender code is not valid."] * rows,
        },
        schema=FINDING_SCHEMA,
    )


def test_what_could_not_be_read_is_counted_for_each_return_this_years_first():
    this = Return(YEAR, {}, problems=[_bad_date(2, "2012-06-14")])
    last = Return(LAST_YEAR, {}, problems=[_bad_date(5, "x"), _bad_date(9, "y")])
    problems = outputs.reading_problems(this, last)
    assert problems.select("RETURN", "ROW", "VALUE").rows() == [
        ("2024-25", 2, "2012-06-14"),
        ("2023-24", 5, "x"),
        ("2023-24", 9, "y"),
    ]
    assert outputs.not_read(problems) == (
        "3 problems reading the returns (1 in the 2024-25 return, 2 in the 2023-24 return); "
        "every one is in problems.csv"
    )
    assert outputs.not_read(problems.head(1)) == (
        "1 problem reading the 2024-25 return; every one is in problems.csv"
    )


def test_the_summary_says_first_what_could_not_be_read_and_a_crash_is_its_own_status():
    validation = Validation(
        findings=_findings(2),
        skipped={"203": "needs last year's return (--previous)"},
        crashed={"102": "crashed on this return (KeyError: 'DOB')"},
    )
    problems = outputs.reading_problems(Return(YEAR, {}, problems=[_bad_date(2, "x")]), None)
    summary = outputs.summary(validation, YEAR, problems)
    first = summary.row(0, named=True)
    assert (first["CODE"], first["STATUS"], first["ROWS"]) == (None, "not read", 1)
    assert (first["TABLES"], first["FIELDS"], first["YEARS"]) == ("episodes", "DECOM", "2024-25")
    by_code = {row["CODE"]: row for row in summary.iter_rows(named=True)}
    assert by_code["101"]["STATUS"] == "fails" and by_code["101"]["ROWS"] == 2
    assert by_code["102"]["STATUS"] == "crashed" and by_code["102"]["SKIPPED"] is None
    assert by_code["203"]["STATUS"] == "not run" and by_code["203"]["FAULT"] is None
    assert outputs.summary(validation, YEAR, problems.clear())["STATUS"][0] == "fails"


@pytest.mark.parametrize(("rows", "sheets"), [(0, 1), (3, 1), (4, 2), (6, 2), (7, 3)])
def test_a_table_is_carried_over_as_many_sheets_as_it_needs(monkeypatch, rows, sheets):
    monkeypatch.setattr(outputs, "EXCEL_ROWS", 4)  # a header and 3 rows a sheet
    validation = Validation(findings=_findings(rows))
    problems = outputs.reading_problems(Return(YEAR, {}), None)
    summary = outputs.summary(validation, YEAR, problems).head(2)
    children = outputs.by_child(validation).head(2)
    book = outputs.workbook(validation, summary, children, problems)
    with zipfile.ZipFile(io.BytesIO(book)) as opened:
        names = re.findall(r'<sheet name="([^"]*)"', opened.read("xl/workbook.xml").decode())
        xml = [
            opened.read(f"xl/worksheets/sheet{n}.xml").decode() for n in range(1, 1 + len(names))
        ]
    errors = [(name, x) for name, x in zip(names, xml, strict=True) if name.startswith("Errors")]
    assert [name for name, _ in errors] == [
        "Errors",
        *(f"Errors ({n})" for n in range(2, sheets + 1)),
    ]
    ids = [i for _, x in errors for i in re.findall(r'<t xml:space="preserve">(C\d+)</t>', x)]
    assert ids == [f"C{n}" for n in range(rows)]  # every row once, in order
    held = [min(3, rows - 3 * part) for part in range(sheets)]
    extents = [re.search(r'<dimension ref="([^"]*)"', x)[1] for _, x in errors]
    assert extents == [f"A1:F{1 + n}" for n in held]
    note = outputs.split_note(validation.findings)
    assert (note is None) == (sheets == 1)
    if note:
        assert f"the {rows} failing rows are more than one Excel sheet holds (3)" in note


def test_any_text_is_held_in_well_formed_xml_as_excel_reads_it():
    texts = [
        "a&b<c>",
        "_x0041_ as typed",
        "bell\x07 esc\x1b[2J",
        "cr\r\nlf",
        " edges ",
        "x" * 40_000,
    ]
    findings = _findings(len(texts)).with_columns(CHILD=pl.Series(texts))
    validation = Validation(findings=findings)
    problems = outputs.reading_problems(Return(YEAR, {}), None)
    book = outputs.workbook(
        validation,
        outputs.summary(validation, YEAR, problems),
        outputs.by_child(validation),
        problems,
    )
    with zipfile.ZipFile(io.BytesIO(book)) as opened:
        # Our own output, just written: the test is that it parses at all.
        errors = ElementTree.fromstring(opened.read("xl/worksheets/sheet2.xml"))  # noqa: S314
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    held = [
        cell.findtext(f"{main}is/{main}t")
        for cell in errors.iter(f"{main}c")
        if cell.get("r", "").startswith("A") and cell.get("r") != "A1"
    ]
    assert held == [
        "a&b<c>",
        "_x005F_x0041_ as typed",  # Excel reads _x005F_ as "_", so it shows _x0041_
        "bell_x0007_ esc_x001B_[2J",
        "cr_x000D_\nlf",
        " edges ",
        "x" * outputs.CELL_TEXT_LIMIT,
    ]
