"""The HTML report and its charts, as a director opening it would find them."""

import re
from html import escape

import polars as pl

from carematters.geography import Places
from carematters.indicators import charts
from carematters.indicators.page import report_page
from carematters.indicators.report import DEFINITIONS, indicators_report
from carematters.ssda903.years import CollectionYear
from tests.indicators.test_report import AUTHORITY, MOVED_AND_SETTLED, PLACED, POSTCODES

YEAR = CollectionYear.parse("2024-25")
PAGE = report_page(indicators_report(MOVED_AND_SETTLED, YEAR, population={"2024-25": 400}))
"""A report made without a list of postcodes: two figures are not measured."""
NOT_MEASURED = ("at_31_march.outside_la_boundary", "at_31_march.more_than_20_miles")


def _section(page: str, indicator: str) -> str:
    return page.split(f'id="{indicator}"')[1].split("<h2", maxsplit=1)[0]


def test_each_indicator_has_a_heading_its_definition_a_chart_and_a_table():
    assert PAGE.count("<h2 ") == len(DEFINITIONS)
    charted = len(re.findall(r"<svg [^>]*role=\"img\"", PAGE)) + PAGE.count("Nobody was counted")
    assert charted == len(DEFINITIONS) - len(NOT_MEASURED)
    assert PAGE.count("<table>") == len(DEFINITIONS) - len(NOT_MEASURED)
    assert PAGE.count("Not measured in this report.</strong>") == len(NOT_MEASURED)
    assert all(escape(definition.words) in PAGE for definition in DEFINITIONS.values())


def test_a_figure_not_measured_says_why_in_place_of_a_number_and_is_named_at_the_top():
    section = _section(PAGE, "at_31_march.outside_la_boundary")
    assert "<svg" not in section and "<table>" not in section
    assert (
        "It needs a list of postcodes (--postcodes) and the authority&#x27;s code (--la-code). "
        "England: 44 in 2024-25." in section
    )
    assert "It needs a list of postcodes (--postcodes). England: 22 in 2024-25." in _section(
        PAGE, "at_31_march.more_than_20_miles"
    )
    top = PAGE.split("<h2", maxsplit=1)[0]
    assert '<a href="#at_31_march.outside_la_boundary">Living outside the authority</a>' in top
    assert '<a href="#at_31_march.more_than_20_miles">' in top


def test_with_the_postcode_list_the_figure_is_drawn_and_tabled_like_any_other():
    page = report_page(indicators_report(PLACED, YEAR, places=Places(POSTCODES, AUTHORITY)))
    assert "Not measured" not in page
    section = _section(page, "at_31_march.outside_la_boundary")
    assert "<svg" in section
    assert re.findall(r"<td>([^<]*)</td>", section) == ["33.33", "44"]


def test_sections_follow_the_order_of_the_definitions():
    headings = re.findall(r"<h2 [^>]*>([^<]*)</h2>", PAGE)
    assert headings[:2] == ["Children looked after", "Rate of children looked after"]
    assert len(set(headings)) == len(headings)


def test_the_table_under_long_term_stability_reads_across_the_years_to_england():
    section = _section(PAGE, "stability.long_term_stability")
    header = re.findall(r"<th scope=\"col\">([^<]*)</th>", section)
    assert header == ["", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25", "England"]
    row = re.findall(r"<td>([^<]*)</td>", section)
    # B has been in care since January 2020, so counts from 2022-23 (two and a half
    # years in care); before that nobody is counted, which is a gap, not a zero.
    assert row[:5] == ["", "", "100", "100", "100"]
    assert row[5] != ""


def test_a_higher_figure_is_drawn_higher_and_a_missing_year_leaves_a_gap():
    svg = charts.trend(
        "t", ["2022-23", "2023-24", "2024-25"], [10.0, None, 30.0], [None, None, 20.0]
    )
    points = [(float(x), float(y)) for x, y in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg)]
    assert len(points) == 2
    assert points[1][1] < points[0][1]
    england = re.search(r'y1="([\d.]+)" y2="[\d.]+" stroke="#0b0c0c" stroke-width="4"', svg)
    assert england is not None and points[1][1] < float(england[1]) < points[0][1]


def test_shares_mark_england_beside_each_bar_and_names_are_escaped():
    svg = charts.shares("<mix>", ["own_la", "private"], [60.0, 40.0], [43.0, None])
    assert "&lt;mix&gt;" in svg and "<mix>" not in svg
    assert svg.count("<rect") == 2
    assert svg.count('stroke-width="3"') == 1
    assert "own la" in svg


def test_an_authority_not_measured_beside_one_measured_says_which_and_why():
    both = pl.concat(
        [
            indicators_report(PLACED, YEAR, authority="202", places=Places(POSTCODES, AUTHORITY)),
            indicators_report(PLACED, YEAR, authority="E06000001"),
        ]
    )
    section = _section(report_page(both), "at_31_march.more_than_20_miles")
    assert re.findall(r"<td>([^<]*)</td>", section) == ["66.67", "not measured", "22"]
    assert "Not measured for E06000001: it needs a list of postcodes (--postcodes)." in section


def test_several_authorities_stand_side_by_side_in_the_latest_year():
    year = CollectionYear.parse("2024-25")
    both = pl.concat(
        [
            indicators_report(MOVED_AND_SETTLED, year, authority="E09000027"),
            indicators_report(MOVED_AND_SETTLED, year, authority="E06000001"),
        ]
    )
    page = report_page(both)
    assert "2 authorities side by side in 2024-25" in page
    section = _section(page, "stability.long_term_stability")
    header = re.findall(r"<th scope=\"col\">([^<]*)</th>", section)
    assert header == ["", "E09000027", "E06000001", "England"]
    assert re.findall(r"<td>([^<]*)</td>", section)[:2] == ["100", "100"]
    # A share is one bar to 100% for each authority, with a key to its groups.
    placements = _section(page, "at_31_march.placement")
    assert "foster" in placements and placements.count("<svg") == 1


def test_a_mix_gives_each_group_its_own_colour_and_fills_the_bar():
    svg = charts.mix("m", ["A", "B"], ["x", "y", "z"], [[50.0, 25.0, 25.0], [100.0, 0.0, 0.0]])
    widths = [
        float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="20"', svg)
    ]
    assert sum(widths[:3]) == sum(widths[3:]) and widths[0] == 2 * widths[1]
    key = re.findall(r'width="14" height="14" fill="(#[0-9a-f]+)"', svg)
    assert len(set(key)) == 3
