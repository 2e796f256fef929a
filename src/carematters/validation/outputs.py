"""What a performance officer works through: every failing row, a summary by rule, a
view by child, and everything that could not be read; as CSV files, one Excel workbook,
and an HTML page."""

from __future__ import annotations

import io
import re
import zipfile
from html import escape

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from carematters.ssda903.problems import PROBLEM_COLUMNS, problems_frame
from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Return
from carematters.validation.engine import Validation
from carematters.validation.rule import SOURCE
from carematters.validation.rulesets import ruleset

SHOWN_PER_RULE = 100
"""Rows listed under each rule, and reading problems listed, on the HTML page; every row
is in errors.csv and every problem in problems.csv."""
EXCEL_ROWS = 1_048_576
"""Rows one Excel worksheet holds, its header row among them (Excel's specifications and
limits); a longer table is carried on over further sheets."""
WIDEST_COLUMN = 60
"""Characters, the widest a column of the workbook is opened at; longer text still fits."""
BOOK_OPTIONS = {
    "in_memory": True,
    # A value is only ever text or a number: a child id typed as `=HYPERLINK(...)` or a
    # web address must not become a live formula or link in the officer's spreadsheet.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
PROBLEMS_FILE = "problems.csv"
"""Where, in the findings folder, every problem reading the returns is listed."""


def reading_problems(this: Return, previous: Return | None) -> pl.DataFrame:
    """Every problem reading this year's return, then last year's, as `problems_frame`
    gives them with RETURN (the return's collection year, e.g. "2024-25") first, since
    both returns hold files of the same names."""
    returns = [this] if previous is None else [this, previous]
    return pl.concat(
        [
            problems_frame(given.problems).select(
                pl.lit(str(given.year)).alias("RETURN"), *PROBLEM_COLUMNS
            )
            for given in returns
        ]
    )


def not_read(problems: pl.DataFrame) -> str:
    """How many problems there were reading each return, in one sentence: "3 problems
    reading the returns (1 in the 2024-25 return, 2 in the 2023-24 return); every one is
    in problems.csv", or "1 problem reading the 2024-25 return; ..."."""
    per_return = problems.group_by("RETURN", maintain_order=True).len()
    what = (
        f"the {per_return['RETURN'][0]} return"
        if per_return.height == 1
        else "the returns ("
        + ", ".join(f"{count:,} in the {name} return" for name, count in per_return.iter_rows())
        + ")"
    )
    plural = "" if problems.height == 1 else "s"
    return f"{problems.height:,} problem{plural} reading {what}; every one is in {PROBLEMS_FILE}"


def summary(validation: Validation, year: CollectionYear, problems: pl.DataFrame) -> pl.DataFrame:
    """Every rule of the year: how many rows and children fail it, or why it did not run
    (SKIPPED: an input it needs was not given) or crashed (FAULT); first, when anything
    could not be read, a line saying how much (STATUS "not read", no CODE)."""
    per_rule = validation.findings.group_by("CODE").agg(
        ROWS=pl.len(), CHILDREN=pl.col("CHILD").n_unique()
    )
    rules = pl.DataFrame(
        [
            (
                code,
                rule.message,
                rule.explanation,
                ", ".join(rule.tables),
                ", ".join(rule.fields),
                rule.years,
                validation.skipped.get(code),
                validation.crashed.get(code),
            )
            for code, rule in ruleset(year).items()
        ],
        schema=dict.fromkeys(
            ("CODE", "MESSAGE", "WHY", "TABLES", "FIELDS", "YEARS", "SKIPPED", "FAULT"), pl.String
        ),
        orient="row",
    )
    by_rule = (
        rules.join(per_rule, on="CODE", how="left")
        .with_columns(pl.col("ROWS", "CHILDREN").fill_null(0).cast(pl.Int64))
        .with_columns(
            STATUS=pl.when(pl.col("FAULT").is_not_null())
            .then(pl.lit("crashed"))
            .when(pl.col("SKIPPED").is_not_null())
            .then(pl.lit("not run"))
            .when(pl.col("ROWS") > 0)
            .then(pl.lit("fails"))
            .otherwise(pl.lit("passes")),
            SOURCE=pl.lit(SOURCE),
        )
        .sort(pl.col("ROWS"), "CODE", descending=[True, False])
    )
    return pl.concat([_reading_line(problems), by_rule], how="diagonal").select(
        "CODE",
        "STATUS",
        "ROWS",
        "CHILDREN",
        "MESSAGE",
        "WHY",
        "TABLES",
        "FIELDS",
        "YEARS",
        "SOURCE",
        "SKIPPED",
        "FAULT",
    )


def _reading_line(problems: pl.DataFrame) -> pl.DataFrame:
    """The summary's line for what could not be read: none when everything was read."""
    if problems.is_empty():
        return pl.DataFrame()
    listed = problems.select(
        TABLES=pl.col("TABLE").drop_nulls().unique().sort().str.join(", "),
        FIELDS=pl.col("COLUMN").drop_nulls().unique().sort().str.join(", "),
        YEARS=pl.col("RETURN").unique(maintain_order=True).str.join(", "),
    ).row(0, named=True)
    return pl.DataFrame(
        {
            "CODE": None,
            "STATUS": "not read",
            "ROWS": problems.height,
            "MESSAGE": not_read(problems),
            "WHY": "No rule checks a value that could not be read: the return is not clean "
            "until each is put right where it was exported from.",
            **listed,
        },
        schema_overrides={"CODE": pl.String, "ROWS": pl.Int64},
    )


def counts(validation: Validation, rules: pl.DataFrame, children: pl.DataFrame) -> str:
    """The outcome in one line, as the terminal and the page say it: "280 rules run, 21
    not run (need inputs), 1 crashed, 80 failing on 72,396 rows and 3,000 children"."""
    crashed = f", {len(validation.crashed)} crashed" if validation.crashed else ""
    failing = rules.filter(pl.col("STATUS") == "fails").height
    return (
        f"{len(validation.ran)} rules run, {len(validation.skipped)} not run (need inputs)"
        f"{crashed}, {failing} failing on {validation.findings.height:,} rows and "
        f"{children.height:,} children"
    )


def by_child(validation: Validation) -> pl.DataFrame:
    """Each child with anything failing: how many rows, and which rules."""
    return (
        validation.findings.filter(pl.col("CHILD").is_not_null())
        .group_by("CHILD")
        .agg(ERRORS=pl.len(), CODES=pl.col("CODE").unique().sort().str.join(", "))
        .sort("ERRORS", "CHILD", descending=[True, False])
    )


def sheets_for(rows: int) -> int:
    """How many worksheets a table of `rows` rows (and a header) is carried over."""
    per_sheet = EXCEL_ROWS - 1
    return max(1, -(-rows // per_sheet))


def split_note(findings: pl.DataFrame) -> str | None:
    """What to tell a person when the failing rows are more than one Excel sheet holds:
    None when they fit."""
    sheets = sheets_for(findings.height)
    if sheets == 1:
        return None
    return (
        f"the {findings.height:,} failing rows are more than one Excel sheet holds "
        f"({EXCEL_ROWS - 1:,}): errors.xlsx carries them over the sheets Errors to "
        f"Errors ({sheets}); every row is also in errors.csv"
    )


CELL_TEXT_LIMIT = 32_767
"""Characters one Excel cell holds (Excel's specifications and limits)."""
EXCEL_ESCAPE = r"(_x[0-9A-Fa-f]{4}_)"
"""Text Excel would read as an escaped character (_xHHHH_), so written escaped itself."""
XML_TEXT = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    # Control characters XML cannot hold (and the carriage return, which it would read
    # as a line feed), and the two non-characters, written as Excel and xlsxwriter do.
    **{chr(code): f"_x{code:04X}_" for code in (*range(0x09), *range(0x0B, 0x20))},
    "\ufffe": "_xFFFE_",
    "\uffff": "_xFFFF_",
}
"""What each character of a text cell is written as in a worksheet's XML."""


def workbook(
    validation: Validation, rules: pl.DataFrame, children: pl.DataFrame, problems: pl.DataFrame
) -> bytes:
    """The summary, the failing rows, the children and the reading problems as sheets of
    one Excel workbook (a table too long for one sheet carried on over "Errors (2)" and
    so on), every value written as text or a whole number, never a formula or a link.

    xlsxwriter lays out each sheet (its header, widths, filter and frozen first row);
    the rows themselves are written as the sheet's XML by Polars (`_rows_xml`), as
    xlsxwriter, writing a cell at a time in Python, took most of the time of a whole
    validation on a large return."""
    buffer = io.BytesIO()
    rows: dict[str, tuple[str, int]] = {}
    with xlsxwriter.Workbook(buffer, BOOK_OPTIONS) as book:
        bold = book.add_format({"bold": True})
        for name, frame in (
            ("Summary", rules),
            ("Errors", validation.findings),
            ("Children", children),
            ("Reading problems", problems),
        ):
            per_sheet = EXCEL_ROWS - 1
            for part in range(sheets_for(frame.height)):
                sheet = book.add_worksheet(name if part == 0 else f"{name} ({part + 1})")
                piece = frame.slice(part * per_sheet, per_sheet)
                _lay_out(sheet, piece, bold)
                if piece.height:
                    path = f"xl/worksheets/sheet{len(book.worksheets())}.xml"
                    rows[path] = (_rows_xml(piece), piece.height)
    return _with_rows(buffer.getvalue(), rows)


def _lay_out(
    sheet: xlsxwriter.worksheet.Worksheet, frame: pl.DataFrame, bold: xlsxwriter.format.Format
) -> None:
    """Write `frame`'s column names to `sheet` in bold, with a filter on every column over
    all of `frame`'s rows, columns as wide as their values (up to WIDEST_COLUMN) and the
    names kept in view."""
    widths = frame.select(pl.all().cast(pl.String).str.len_chars().max().fill_null(0))
    for column, name in enumerate(frame.columns):
        sheet.write_string(0, column, name, bold)
        sheet.set_column(column, column, min(WIDEST_COLUMN, max(len(name), widths[name][0]) + 2))
    sheet.autofilter(0, 0, frame.height, max(0, frame.width - 1))
    sheet.freeze_panes(1, 0)


def _rows_xml(frame: pl.DataFrame) -> str:
    """`frame`'s rows as worksheet XML, from row 2: a whole number as a number, anything
    else as text held in its cell (`XML_TEXT`, cut to CELL_TEXT_LIMIT), which a
    spreadsheet never takes for a formula or a link; an empty value as no cell."""
    row = pl.int_range(2, pl.len() + 2).cast(pl.String)
    cells = []
    for column, (name, dtype) in enumerate(frame.schema.items()):
        place = pl.concat_str(pl.lit(f'<c r="{xl_col_to_name(column)}'), row)
        if dtype.is_integer():
            value = pl.col(name).cast(pl.String)
            cell = pl.concat_str(place, pl.lit('"><v>'), value, pl.lit("</v></c>"))
        else:
            text = pl.col(name).cast(pl.String).str.slice(0, CELL_TEXT_LIMIT)
            cell = pl.concat_str(
                place,
                pl.lit('" t="inlineStr"><is><t xml:space="preserve">'),
                text.str.replace_all(EXCEL_ESCAPE, "_x005F$1").str.replace_many(XML_TEXT),
                pl.lit("</t></is></c>"),
            )
        cells.append(cell.fill_null(""))
    xml = pl.concat_str(pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>"))
    return str(frame.select(xml.str.join("")).item())


def _with_rows(book: bytes, rows: dict[str, tuple[str, int]]) -> bytes:
    """The workbook `book` with each worksheet named in `rows` given that XML of rows
    after its header row, and its stated extent (`<dimension>`) made to cover how many
    rows it says."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as laid_out,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as whole,
    ):
        for item in laid_out.infolist():
            content = laid_out.read(item)
            if item.filename in rows:
                xml, height = rows[item.filename]
                extent = rb"\g<1>%d" % (height + 1)
                content = re.sub(rb'(<dimension ref="A1:[A-Z]+)1(?=")', extent, content, count=1)
                content = content.replace(b"</sheetData>", xml.encode() + b"</sheetData>", 1)
            # The fastest compression: the rows are most of the file and compress well.
            whole.writestr(item, content, compresslevel=1)
    return out.getvalue()


STYLE = """
body{font-family:Arial,sans-serif;color:#0b0c0c;max-width:1100px;margin:0 auto;padding:0 16px 48px}
h1{font-size:2rem}h2{font-size:1.3rem;margin-top:32px;border-top:1px solid #b1b4b6;padding-top:12px}
table{border-collapse:collapse;margin:8px 0;font-size:0.9rem}
th,td{border-bottom:1px solid #b1b4b6;padding:4px 10px 4px 0;text-align:left;vertical-align:top}
.fails{color:#d4351c;font-weight:bold}.passes{color:#00703c}.caption{color:#505a5f}
"""


def _rows(frame: pl.DataFrame) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in frame.iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _first_of(shown: pl.DataFrame, count: int, what: str, where: str) -> str:
    """A table of the first SHOWN_PER_RULE rows of `shown`, saying so when there are more."""
    more = (
        f'<p class="caption">The first {SHOWN_PER_RULE} of {count:,} {what}; every one is in '
        f"{where}.</p>"
        if count > SHOWN_PER_RULE
        else ""
    )
    return f"{_rows(shown.head(SHOWN_PER_RULE))}{more}"


def page(
    validation: Validation,
    rules: pl.DataFrame,
    children: pl.DataFrame,
    problems: pl.DataFrame,
    *,
    year: CollectionYear,
    source: str,
) -> str:
    """One page: the outcome, what could not be read, every rule, then each failing rule
    with its rows."""
    failing = rules.filter(pl.col("STATUS") == "fails")
    findings = validation.findings
    # The character within the line only where rows have one (XML on one line).
    placed = (
        "CHARACTER" in findings.columns and findings["CHARACTER"].null_count() < findings.height
    )
    shown = ("CODE", "CHILD", "TABLE", "ROW", *(("CHARACTER",) if placed else ()), "FIELDS")
    by_code = findings.select(shown).partition_by("CODE", as_dict=True, include_key=False)
    sections = []
    for code, message, why, count in failing.select("CODE", "MESSAGE", "WHY", "ROWS").iter_rows():
        rows = by_code[(code,)]
        sections.append(
            f'<h2 id="rule-{escape(code)}">{escape(code)}: {escape(message)}</h2>'
            f'<p class="caption">Why: {escape(why)}</p>'
            f"{_first_of(rows, count, 'rows', 'errors.csv')}"
        )
    reading = (
        '<h2 id="reading-problems">Reading problems</h2>'
        f"{_first_of(problems, problems.height, 'problems', PROBLEMS_FILE)}"
        if problems.height
        else ""
    )
    split = split_note(validation.findings)
    overview = rules.filter(pl.col("CODE").is_not_null()).select(
        "CODE", "STATUS", "ROWS", "CHILDREN", "MESSAGE", "SKIPPED", "FAULT"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>SSDA903 validation {escape(str(year))}</title><style>{STYLE}</style></head><body>"
        f"<h1>SSDA903 return {escape(str(year))}: validation</h1>"
        f"<p>{escape(source)}: {escape(counts(validation, rules, children))}.</p>"
        + (
            f'<p><a href="#reading-problems">{escape(not_read(problems))}</a>.</p>'
            if problems.height
            else ""
        )
        + (f"<p>{escape(split[0].upper() + split[1:])}.</p>" if split else "")
        + f"{reading}<h2>Every rule</h2>{_rows(overview)}{''.join(sections)}</body></html>\n"
    )
