"""Reading what the validator is given: a return as DfE receives it (a folder of CSV
files or an XML file), or a care record directory, cut to the year's return first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.csv_text import header_of
from carematters.ssda903.formats import read_return
from carematters.ssda903.problems import Problem
from carematters.ssda903.read_csv import csv_paths
from carematters.ssda903.tables import TABLES
from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Return

_RETURN_COLUMNS = frozenset(c.name for t in TABLES for c in t.columns)
_RECORD_ONLY_HEADERS = tuple(
    frozenset(c.name for c in t.columns if not c.optional)
    for t in RECORD_TABLES
    if any(c.name not in _RETURN_COLUMNS for c in t.columns)
)
"""The headers only a care record's tables have: its own tables (visits, plans, ...) and
the yearly tables carrying their YEAR."""


def is_record(path: Path) -> bool:
    """A record directory, not a return: a folder with a CSV file whose header has every
    column of a table only the care record keeps (a return never has these columns).

    Decided by the headers, never by the file names: a return folder holding a stray
    `visits.csv` of something else is still a return (whose reader reports that file).
    """
    if not path.is_dir():
        return False
    paths = csv_paths(path)
    if isinstance(paths, Problem):
        return False
    headers = (set(header_of(p)) for p in paths if p.is_file())
    return any(columns <= header for header in headers for columns in _RECORD_ONLY_HEADERS)


def read_for_validation(path: Path, year: CollectionYear) -> Return:
    """The year's return from `path`, with the file rows and reading problems."""
    if is_record(path):
        # Imported here, as only a record needs them: a return is checked sooner.
        from carematters.records import directory  # noqa: PLC0415
        from carematters.records.extract import extract_return  # noqa: PLC0415

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
