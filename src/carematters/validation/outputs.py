"""What a performance officer works through: every failing row, a summary by rule, a
view by child; as CSV files, one Excel workbook, and an HTML page."""

from __future__ import annotations

import io
from html import escape

import polars as pl
import xlsxwriter

from carematters.ssda903.years import CollectionYear
from carematters.validation.engine import Validation
from carematters.validation.rule import SOURCE
from carematters.validation.rulesets import ruleset

SHOWN_PER_RULE = 100
"""Rows listed under each rule on the HTML page; every row is in errors.csv."""


def summary(validation: Validation, year: CollectionYear) -> pl.DataFrame:
    """Every rule of the year: how many rows and children fail it, or why it did not run."""
    counts = validation.findings.group_by("CODE").agg(
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
                validation.skipped.get(code, ""),
            )
            for code, rule in ruleset(year).items()
        ],
        schema=["CODE", "MESSAGE", "WHY", "TABLES", "FIELDS", "YEARS", "SKIPPED"],
        orient="row",
    )
    return (
        rules.join(counts, on="CODE", how="left")
        .with_columns(pl.col("ROWS", "CHILDREN").fill_null(0).cast(pl.Int64))
        .with_columns(
            STATUS=pl.when(pl.col("SKIPPED") != "")
            .then(pl.lit("not run"))
            .when(pl.col("ROWS") > 0)
            .then(pl.lit("fails"))
            .otherwise(pl.lit("passes"))
        )
        .sort(pl.col("ROWS"), "CODE", descending=[True, False])
        .with_columns(SOURCE=pl.lit(SOURCE))
        .select(
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
        )
    )


def by_child(validation: Validation) -> pl.DataFrame:
    """Each child with anything failing: how many rows, and which rules."""
    return (
        validation.findings.filter(pl.col("CHILD").is_not_null())
        .group_by("CHILD")
        .agg(ERRORS=pl.len(), CODES=pl.col("CODE").unique().sort().str.join(", "))
        .sort("ERRORS", "CHILD", descending=[True, False])
    )


def workbook(validation: Validation, rules: pl.DataFrame, children: pl.DataFrame) -> bytes:
    """The three views as sheets of one Excel workbook."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        for name, frame in (
            ("Summary", rules),
            ("Errors", validation.findings),
            ("Children", children),
        ):
            frame.write_excel(book, worksheet=name, autofit=True, table_style="Table Style Light 1")
    return buffer.getvalue()


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


def page(validation: Validation, rules: pl.DataFrame, year: CollectionYear, source: str) -> str:
    """One page: the summary first, then each failing rule with its rows."""
    failing = rules.filter(pl.col("STATUS") == "fails")
    sections = []
    for code, message, why, count in failing.select("CODE", "MESSAGE", "WHY", "ROWS").iter_rows():
        rows = validation.findings.filter(pl.col("CODE") == code).select(
            "CHILD", "TABLE", "ROW", "FIELDS"
        )
        more = (
            f'<p class="caption">The first {SHOWN_PER_RULE} of {count:,} rows; every row is in '
            "errors.csv.</p>"
            if count > SHOWN_PER_RULE
            else ""
        )
        sections.append(
            f'<h2 id="rule-{escape(code)}">{escape(code)}: {escape(message)}</h2>'
            f'<p class="caption">Why: {escape(why)}</p>'
            f"{_rows(rows.head(SHOWN_PER_RULE))}{more}"
        )
    overview = rules.select("CODE", "STATUS", "ROWS", "CHILDREN", "MESSAGE", "SKIPPED")
    total = validation.findings.height
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>SSDA903 validation {escape(str(year))}</title><style>{STYLE}</style></head><body>"
        f"<h1>SSDA903 return {escape(str(year))}: validation</h1>"
        f"<p>{escape(source)}: {len(validation.ran)} rules run, {failing.height} failing, "
        f"{total:,} rows to look at, {len(validation.skipped)} rules not run.</p>"
        f"<h2>Every rule</h2>{_rows(overview)}{''.join(sections)}</body></html>\n"
    )
