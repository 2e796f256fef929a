"""Reading what the validator is given: a return as DfE receives it (a folder of CSV
files or an XML file), or a care record directory, cut to the year's return first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.formats import read_return
from carematters.ssda903.tables import TABLES
from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Return

EXTENSION_TABLES = frozenset(t.name for t in RECORD_TABLES) - {t.name for t in TABLES}
"""Tables only the care record keeps, never a return."""


def is_record(path: Path) -> bool:
    """A record directory, not a return: it holds a table only the care record keeps,
    or yearly tables carrying their YEAR column."""
    if not path.is_dir():
        return False
    names = {p.stem for p in path.glob("*.csv")}
    if names & EXTENSION_TABLES:
        return True
    yearly = [path / f"{name}.csv" for name in ("oc2", "oc3") if name in names]
    return any("YEAR" in _header(p) for p in yearly)


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", errors="replace") as file:
        return file.readline().strip().split(",")


def read_for_validation(path: Path, year: CollectionYear) -> Return:
    """The year's return from `path`, with the file rows and reading problems."""
    if is_record(path):
        loaded = directory.load(path)
        cut = extract_return(loaded.record.tables(), year)
        kept = {name: frame for name, frame in cut.items() if frame.height}
        rows = {
            name: pl.Series("_ROW", range(2, frame.height + 2), dtype=pl.Int64)
            for name, frame in kept.items()
        }
        return Return(year=year, tables=kept, rows=rows, problems=loaded.problems)
    result = read_return(path, year)
    return Return(year=year, tables=result.tables, rows=result.rows, problems=result.problems)


def read_both(this: Path, year: CollectionYear, last: Path | None) -> tuple[Return, Return | None]:
    """This year's return and, if given, last year's, read side by side in two threads."""
    with ThreadPoolExecutor(2) as pool:
        now = pool.submit(read_for_validation, this, year)
        before = (
            pool.submit(read_for_validation, last, CollectionYear(year.start_year - 1))
            if last is not None
            else None
        )
        return now.result(), before.result() if before is not None else None
