"""The indicators report: how one or several authorities' children are doing, beside
England, and the page a director reads with its figures beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from carematters.files import OutputKind, write_directory_atomically
from carematters.geography import Places
from carematters.indicators.page import report_page
from carematters.indicators.population import (
    ANY_AUTHORITY,
    Populations,
    population_for,
    read_populations,
)
from carematters.indicators.report import indicators_report
from carematters.services.people_csv import people_csv
from carematters.validation.lists import read_list

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from carematters.records.record import Record
    from carematters.ssda903.problems import Problem
    from carematters.ssda903.years import CollectionYear


def populations_given(
    file: Path | None, child_population: int | None, year: CollectionYear
) -> tuple[Populations, list[Problem]]:
    """The child populations a report is given, with whatever in them could not be read:
    those in a CSV file (LA_CODE, YEAR, CHILDREN) when there is one, else one number
    for the year asked for and whichever authority; none when neither is given."""
    if file is not None:
        return read_populations(file)
    return ({ANY_AUTHORITY: {str(year): child_population}} if child_population else {}), []


def places_given(
    file: Path | None, la_codes: Mapping[str, str | None]
) -> tuple[dict[str, Places], list[Problem]]:
    """Where each authority's placements are, from the postcode list in `file` (the
    validator's POSTCODE, LA, X, Y) and each authority's own code (by the name the
    report gives it; None where none was given): none without a list, so distances and
    placements outside the authority are reported as not measured."""
    if file is None:
        return {}, []
    postcodes, problems = read_list("postcodes", file)
    if postcodes is None:
        return {}, problems
    return {name: Places(postcodes, la_code=code) for name, code in la_codes.items()}, problems


def indicators_for(
    records: Mapping[str, Record],
    year: CollectionYear,
    populations: Populations,
    places: Mapping[str, Places] | None = None,
) -> pl.DataFrame:
    """Every indicator for `year` and the years before it, for each authority's record
    (by the name the report gives it), one after another in one table, each with its
    own child population for the rate per 10,000 and its places (`places_given`)."""
    located = places or {}
    return pl.concat(
        [
            indicators_report(
                record,
                year,
                population_for(populations, name),
                authority=name,
                places=located.get(name),
            )
            for name, record in records.items()
        ]
    )


def write_report(report: pl.DataFrame, folder: Path) -> None:
    """Write the page a director reads (index.html) and its figures beside it for anyone
    to reuse (indicators.csv, safe to open in a spreadsheet: `people_csv`) as the folder
    `folder`, all at once."""
    write_directory_atomically(
        folder,
        {
            "index.html": report_page(report).encode("utf-8"),
            "indicators.csv": people_csv(report),
        },
        OutputKind.INDICATORS,
    )
