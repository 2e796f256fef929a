"""The demo authority: a fictional authority's whole record, its 2024-25 return cut out
and read back as DfE would, the lists the validator and the report need beside it, and
its indicators report. `make run` shows it; the web loads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from carematters.files import OutputKind, guard_outputs, write_file_atomically
from carematters.geography import fictional_places
from carematters.indicators.report import indicators_report
from carematters.records.periods import looked_after_on
from carematters.services.indicators import write_report
from carematters.services.records import extract
from carematters.services.synth import make_authority
from carematters.ssda903.codelists import code_list
from carematters.ssda903.formats import Format, read_return
from carematters.ssda903.years import CollectionYear
from carematters.synth.population import children_in_area

if TYPE_CHECKING:
    from pathlib import Path

IN_CARE = 600
"""About how many children the demo authority has in care on each 31 March."""
FIRST_YEAR, LAST_YEAR = 2019, 2025
"""Simulated from 1 April 2019 to 31 March 2026, as collection years 2019-20 to 2025-26."""
SEED = 7
YEAR = CollectionYear(2024)
"""The year whose return the demo cuts and reports on."""
PLACEMENTS_SHOWN = 8


@dataclass(frozen=True)
class Placements:
    """How many children in the return are placed in one placement type on 31 March,
    with DfE's meaning of the code (None if DfE never defined it)."""

    code: str
    children: int
    meaning: str | None


@dataclass(frozen=True)
class Demo:
    """What the demo made, and where, and what reading its return back found."""

    record: Path
    xml: Path
    report: Path
    year: CollectionYear
    children_in_record: int
    children_in_return: int
    looked_after_at_end: int
    problems_reading_back: int
    placements: list[Placements]
    """The most common placement types on 31 March, most common first."""


def make_demo(folder: Path) -> Demo:
    """Make the demo authority in `folder`: its record (record/), its 2024-25 return as
    XML (return-2024-25.xml), read back, the child population by year (population.csv),
    every postcode in the record as the validator's list (postcodes.csv, the fictional
    map's places with the authority as LA 999) and the indicators report (report/),
    distances and placements outside the authority included. The record is made once
    and used for all of them.

    Raises OutputRefusedError, having written nothing, when any of these may not be
    written (`carematters.files.guard_outputs`): something in `folder` that carematters
    did not write, or a place this user cannot write to."""
    xml = folder / f"return-{YEAR}.xml"
    guard_outputs(
        folders={folder / "record": OutputKind.RECORD, folder / "report": OutputKind.INDICATORS},
        files=[xml, folder / "population.csv", folder / "postcodes.csv"],
    )
    authority = make_authority(
        folder / "record",
        children_in_care=IN_CARE,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        seed=SEED,
    )
    record = authority.record
    extract(record, YEAR, Format.XML, xml)
    read_back = read_return(xml, YEAR)
    at_end = looked_after_on(read_back.tables["episodes"], YEAR.end)
    population = children_in_area(IN_CARE)
    write_file_atomically(folder / "population.csv", population.write_csv().encode("utf-8"))
    places = fictional_places(pl.concat([record.episodes["HOME_POST"], record.episodes["PL_POST"]]))
    write_file_atomically(folder / "postcodes.csv", places.postcodes.write_csv().encode("utf-8"))
    by_year = dict(zip(population["YEAR"], population["CHILDREN"], strict=True))
    report = indicators_report(record, YEAR, by_year, authority="demo", places=places)
    write_report(report, folder / "report")
    return Demo(
        record=folder / "record",
        xml=xml,
        report=folder / "report" / "index.html",
        year=YEAR,
        children_in_record=record.header.height,
        children_in_return=read_back.tables["header"].height,
        looked_after_at_end=at_end["CHILD"].n_unique(),
        problems_reading_back=len(read_back.problems),
        placements=_placements(at_end),
    )


def _placements(episodes: pl.DataFrame) -> list[Placements]:
    """The most common placement types among the episodes, most common first."""
    types = code_list("placement_type")
    counts = episodes.get_column("PLACE").value_counts(sort=True).head(PLACEMENTS_SHOWN)
    return [
        Placements(code, count, found.description if (found := types.find(code)) else None)
        for code, count in counts.iter_rows()
    ]
