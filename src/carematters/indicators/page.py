"""The indicators report as one HTML page a director can read: each indicator with what
it counts, a chart, and the numbers in a table beneath it for anyone who cannot see
the chart or wants the exact figure. A figure the report could not work out (its
NOT_COMPUTED says why) gets a sentence saying so in place of the number, and is named
at the top, so a missing input never reads as a result.
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
.not-measured{border-left:5px solid #b1b4b6;padding:4px 0 4px 15px;margin:16px 0}
"""


KEY = (
    '<span class="key" style="color:#1d70b8">Blue</span>: this authority. '
    '<span class="key">Black mark</span>: England, where DfE publishes the figure '
    "for the same year."
)
COMPARISON_KEY = (
    "A bar for each authority. "
    '<span class="key">Black mark</span>: England, where DfE publishes the figure for that year.'
)


WHOLE_OF_ENGLAND = 95
"""England's shares are drawn as a bar of their own only when DfE gives (nearly, after
rounding) every group; a bar of a few groups would look like a whole."""


def _cell(value: object) -> str:
    return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _table(rows: pl.DataFrame, years: list[str], groups: list[str]) -> str:
    """Groups (or the one figure) down the side, years across, England last (its figure
    for the latest year it was published in)."""
    head = "".join(f'<th scope="col">{escape(y)}</th>' for y in years)
    body = []
    for group in groups:
        mine = rows.filter(pl.col("GROUP") == group)
        by_year = dict(zip(mine["YEAR"], mine["VALUE"], strict=True))
        england = mine.sort("YEAR")["ENGLAND"].drop_nulls()
        cells = "".join(f"<td>{_cell(by_year.get(y))}</td>" for y in years)
        national = _cell(england[-1]) if england.len() else ""
        body.append(
            f'<tr><th scope="row">{escape(_label(group))}</th>{cells}<td>{national}</td></tr>'
        )
    return (
        f'<table><thead><tr><th scope="col"></th>{head}<th scope="col">England</th></tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _label(group: str) -> str:
    return group.replace("_", " ") or "this authority"


def _chart(rows: pl.DataFrame, years: list[str], title: str) -> str:
    """One authority: the figure's trend, or this year's shares beside England's."""
    latest = rows.filter(pl.col("YEAR") == years[-1]).drop_nulls("VALUE")
    if rows["GROUP"].unique().to_list() == [""]:
        values = dict(zip(rows["YEAR"], rows["VALUE"], strict=True))
        england = dict(zip(rows["YEAR"], rows["ENGLAND"], strict=True))
        return charts.trend(
            title, years, [values.get(y) for y in years], [england.get(y) for y in years]
        )
    if latest.is_empty():
        return f"<p>Nobody was counted in {escape(years[-1])}.</p>"
    return charts.shares(
        title, latest["GROUP"].to_list(), latest["VALUE"].to_list(), latest["ENGLAND"].to_list()
    )


def _not_measured(rows: pl.DataFrame) -> str:
    """In place of a figure not computed for anyone in the report: why, and England's
    figure in the latest year DfE published it."""
    reasons = rows["NOT_COMPUTED"].unique(maintain_order=True).to_list()
    england = rows.drop_nulls("ENGLAND").sort("YEAR")
    national = (
        f" England: {_cell(england['ENGLAND'][-1])} in {escape(england['YEAR'][-1])}."
        if england.height
        else ""
    )
    return (
        '<p class="not-measured"><strong>Not measured in this report.</strong> '
        f"It {escape('; '.join(reasons))}.{national}</p>"
    )


def _comparison(rows: pl.DataFrame, year: str, title: str) -> str:
    """Several authorities in `year`: a bar each, or each one's mix, and the numbers; an
    authority whose figure was not computed is said to be not measured, and why."""
    latest = rows.filter(pl.col("YEAR") == year)
    authorities = latest["AUTHORITY"].unique(maintain_order=True).to_list()
    unmeasured = {
        a: why for a, why in latest.select("AUTHORITY", "NOT_COMPUTED").iter_rows() if why
    }
    groups = [g for g in latest["GROUP"].unique(maintain_order=True).to_list() if g] or [""]
    value = {
        (a, g): v
        for a, g, v in latest.select("AUTHORITY", "GROUP", "VALUE").iter_rows()
        if v is not None
    }
    england = {g: e for g, e in latest.select("GROUP", "ENGLAND").iter_rows() if e is not None}
    shown = [a for a in authorities if any((a, g) in value for g in groups)]
    if not shown:
        chart = f"<p>Nobody was counted in {escape(year)}.</p>"
    elif groups == [""]:
        numbers = [value[(a, "")] for a in shown]
        chart = charts.shares(title, shown, numbers, [england.get("")] * len(shown))
    else:
        matrix = [[value.get((a, g), 0.0) for g in groups] for a in shown]
        if sum(england.values()) >= WHOLE_OF_ENGLAND:
            shown, matrix = [*shown, "England"], [*matrix, [england.get(g, 0.0) for g in groups]]
        chart = charts.mix(title, shown, groups, matrix)
    head = "".join(f'<th scope="col">{escape(a)}</th>' for a in authorities)
    body = "".join(
        f'<tr><th scope="row">{escape(_label(g))}</th>'
        + "".join(
            f"<td>{'not measured' if a in unmeasured else _cell(value.get((a, g)))}</td>"
            for a in authorities
        )
        + f"<td>{_cell(england.get(g))}</td></tr>"
        for g in groups
    )
    notes = "".join(
        f"<p>Not measured for {escape(a)}: it {escape(why)}.</p>" for a, why in unmeasured.items()
    )
    return (
        f'{chart}<table><caption>{escape(year)}</caption><thead><tr><th scope="col"></th>'
        f'{head}<th scope="col">England</th></tr></thead><tbody>{body}</tbody></table>{notes}'
    )


def _section(rows: pl.DataFrame, years: list[str], indicator: str, *, measured: bool) -> str:
    definition = DEFINITIONS[indicator]
    first = rows.row(0, named=True)
    if not measured:
        body = _not_measured(rows)
    elif rows["AUTHORITY"].n_unique() > 1:
        body = _comparison(rows, years[-1], definition.title)
    else:
        groups = rows["GROUP"].unique(maintain_order=True).to_list()
        body = _chart(rows, years, definition.title) + _table(
            rows, years, [g for g in groups if g] or [""]
        )
    return (
        f'<h2 id="{escape(indicator)}">{escape(definition.title)}</h2>'
        f"<p>{escape(first['DEFINITION'])}</p>"
        f'<p class="caption">Unit: {escape(first["UNIT"])}. Source: {escape(first["SOURCE"])}.</p>'
        f"{body}"
    )


def _unmeasured(report: pl.DataFrame) -> list[str]:
    """The indicators in `report` computed for no authority in no year, in the order
    they are defined."""
    found = set(
        report.group_by("INDICATOR")
        .agg(pl.col("NOT_COMPUTED").is_not_null().all())
        .filter(pl.col("NOT_COMPUTED"))["INDICATOR"]
    )
    return [indicator for indicator in DEFINITIONS if indicator in found]


def _missing_figures(unmeasured: list[str]) -> str:
    """A sentence naming, with links to them, the figures the report could not work out."""
    links = [
        f'<a href="#{escape(indicator)}">{escape(DEFINITIONS[indicator].title)}</a>'
        for indicator in unmeasured
    ]
    if not links:
        return ""
    listed = ", ".join(links[:-1]) + " and " + links[-1] if len(links) > 1 else links[0]
    return f"<p>Not measured, as this report was not given what they need: {listed}.</p>"


def report_page(report: pl.DataFrame) -> str:
    """The whole report (the frame `indicators_report` gives, or several concatenated),
    one section per indicator, in the order they are defined."""
    years = sorted(report["YEAR"].unique().to_list())
    authorities = report["AUTHORITY"].unique(maintain_order=True).to_list()
    present = set(report["INDICATOR"])
    unmeasured = _unmeasured(report)
    sections = [
        _section(
            report.filter(pl.col("INDICATOR") == indicator),
            years,
            indicator,
            measured=indicator not in unmeasured,
        )
        for indicator in DEFINITIONS
        if indicator in present
    ]
    who = (
        f"{len(authorities)} authorities side by side in {escape(years[-1])}"
        if len(authorities) > 1
        else f"for {escape(span(years))}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Children looked after: indicators {escape(years[-1])}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>How our children are doing: {escape(years[-1])}</h1>"
        f'<p class="figure">Indicators measured from the care record as DfE measures England, '
        f"{who}.</p><p>{KEY if len(authorities) == 1 else COMPARISON_KEY}</p>"
        f"{_missing_figures(unmeasured)}{''.join(sections)}</body></html>\n"
    )
