"""The indicators report as one HTML page a director can read: each indicator with what
it counts, a chart, and the numbers in a table beneath it for anyone who cannot see
the chart or wants the exact figure.
"""

from __future__ import annotations

from html import escape

import polars as pl

from carematters.indicators import charts
from carematters.indicators.report import DEFINITIONS, span

STYLE = """
body{font-family:Arial,sans-serif;color:#0b0c0c;max-width:960px;margin:0 auto;
padding:0 16px 48px;line-height:1.4}
h1{font-size:2.2rem;margin:32px 0 8px}
h2{font-size:1.4rem;margin:40px 0 4px;border-top:1px solid #b1b4b6;padding-top:16px}
.caption{color:#505a5f}.key{font-weight:bold}.figure{font-size:1.2rem}
table{border-collapse:collapse;margin:12px 0;font-size:0.95rem}
th,td{border-bottom:1px solid #b1b4b6;padding:6px 12px 6px 0;text-align:right}
th:first-child,td:first-child{text-align:left}
"""


def _cell(value: object) -> str:
    return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _heading(indicator: str) -> str:
    section, name = indicator.split(".", 1)
    return f"{section.replace('_', ' ').capitalize()}: {name.replace('_', ' ')}"


def _table(rows: pl.DataFrame, years: list[str], groups: list[str]) -> str:
    """Groups (or the one figure) down the side, years across, England last."""
    head = "".join(f'<th scope="col">{escape(y)}</th>' for y in years)
    body = []
    for group in groups:
        mine = rows.filter(pl.col("GROUP") == group)
        by_year = dict(zip(mine["YEAR"], mine["VALUE"], strict=True))
        england = mine["ENGLAND"].drop_nulls()
        cells = "".join(f"<td>{_cell(by_year.get(y))}</td>" for y in years)
        national = _cell(england[0]) if england.len() else ""
        body.append(
            f'<tr><th scope="row">{escape(group.replace("_", " ") or "this authority")}</th>{cells}'
            f"<td>{national}</td></tr>"
        )
    return (
        f'<table><thead><tr><th scope="col"></th>{head}<th scope="col">England</th></tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _section(rows: pl.DataFrame, years: list[str]) -> str:
    first = rows.row(0, named=True)
    title = _heading(first["INDICATOR"])
    latest = rows.filter(pl.col("YEAR") == years[-1]).drop_nulls("VALUE")
    groups = rows["GROUP"].unique(maintain_order=True).to_list()
    if groups == [""]:
        values = dict(zip(rows["YEAR"], rows["VALUE"], strict=True))
        england = latest["ENGLAND"].drop_nulls()
        chart = charts.trend(
            title,
            years,
            [values.get(y) for y in years],
            england[0] if england.len() else None,
        )
    elif latest.is_empty():
        chart = f"<p>Nobody was counted in {escape(years[-1])}.</p>"
    else:
        chart = charts.shares(
            title, latest["GROUP"].to_list(), latest["VALUE"].to_list(), latest["ENGLAND"].to_list()
        )
    return (
        f"<h2>{escape(title)}</h2><p>{escape(first['DEFINITION'])}</p>"
        f'<p class="caption">Unit: {escape(first["UNIT"])}. Source: {escape(first["SOURCE"])}.</p>'
        f"{chart}{_table(rows, years, [g for g in groups if g] or [''])}"
    )


def report_page(report: pl.DataFrame) -> str:
    """The whole report, one section per indicator, in the order they are defined."""
    years = report["YEAR"].unique(maintain_order=True).to_list()
    present = set(report["INDICATOR"])
    sections = [
        _section(report.filter(pl.col("INDICATOR") == indicator), years)
        for indicator in DEFINITIONS
        if indicator in present
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Children looked after: indicators {escape(years[-1])}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>How our children are doing: {escape(years[-1])}</h1>"
        f'<p class="figure">Indicators measured from the care record as DfE measures England, '
        f"for {escape(span(years))}.</p>"
        '<p><span class="key" style="color:#1d70b8">Blue</span>: this authority. '
        '<span class="key">Black mark</span>: England, where DfE publishes the figure '
        f"for the same year.</p>{''.join(sections)}</body></html>\n"
    )
