"""Reading what the validator is given: a return as DfE receives it (a folder of CSV
files or an XML file), or a care record directory, cut to the year's return first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.csv_text import ROW_COLUMN, csv_file_rows, header_of
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


_CHANGED_BY_CUT = frozenset(
    {
        # Taken from the child's Header, or as they stood on 31 March.
        "DOB",
        "SEX",
        "MOTHER",
        "MC_DOB",
        # Periods ending after 31 March are shown open, as they stood on 31 March.
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "MIS_END",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
        "SW_DEC",
        "DOLO_END",
    }
)
"""Columns whose value in the year's return may differ from the record's
(`carematters.records.extract`): every other column of a row is as the record has it."""


def read_for_validation(path: Path, year: CollectionYear) -> Return:
    """The year's return from `path`, with the file rows and reading problems."""
    if is_record(path):
        return _record_for_validation(path, year)
    result = read_return(path, year)
    # Only an XML return (`read_xml.XmlReadResult`) has them; its module, and lxml with
    # it, is not imported for a CSV return (see `formats`).
    characters: dict[str, pl.Series] = getattr(result, "characters", {})
    return Return(
        year=year,
        tables=result.tables,
        rows=result.rows,
        problems=result.problems,
        characters=characters,
    )


def _record_for_validation(path: Path, year: CollectionYear) -> Return:
    """The year's return cut from the record directory `path`, each row named by the row
    of the record's file it was cut from, as the record's reading problems are: so that a
    value the record could not read is held against the right child, and a finding points
    at a row the person can open (none, for a Header row the cut had to make up)."""
    # Imported here, as only a record needs them: a return is checked sooner.
    from carematters.records import directory  # noqa: PLC0415
    from carematters.records.extract import extract_return  # noqa: PLC0415

    loaded = directory.load(path)
    record = loaded.record.tables()
    cut = extract_return(record, year)
    kept = {name: frame for name, frame in cut.items() if frame.height}
    file_rows = _record_rows(path, record)
    rows = {
        name: _rows_cut(frame, record[name], file_rows[name])
        for name, frame in kept.items()
        if name in record and name in file_rows
    }
    return Return(year=year, tables=kept, rows=rows, problems=loaded.problems)


def _record_rows(path: Path, record: dict[str, pl.DataFrame]) -> dict[str, pl.Series]:
    """For each table of the record as loaded, the row of its file each row came from
    (the record keeps its rows in the file's order, without their rows)."""
    from carematters.records.schema import record_table  # noqa: PLC0415

    paths = csv_paths(path)
    if isinstance(paths, Problem):
        return {}
    found: dict[str, pl.Series] = {}
    for each in paths:
        table = record_table(each.stem)
        if table is None or table.name not in record:
            continue
        rows, _ = csv_file_rows(each)
        if rows is None:
            found.pop(table.name, None)
            continue
        numbers = rows.values.get_column(ROW_COLUMN)
        if numbers.len() == record[table.name].height:
            found[table.name] = numbers
        else:  # not the file the record's table was loaded from
            found.pop(table.name, None)
    return found


def _rows_cut(cut: pl.DataFrame, whole: pl.DataFrame, file_rows: pl.Series) -> pl.Series:
    """The row of the record's file (`file_rows`, for each row of `whole`) each row of
    `cut`, cut from `whole`, came from: matched on every column the cut leaves as it was
    and, among rows alike in those, in order (the cut keeps the record's order). None for
    a row no record row gives."""
    schema = whole.schema
    same = [
        c for c, dtype in cut.schema.items() if c not in _CHANGED_BY_CUT and schema.get(c) == dtype
    ]
    if not same:
        return pl.Series("ROW", [None] * cut.height, dtype=pl.Int64)
    alike = pl.int_range(pl.len()).over(same)
    source = whole.select(same).with_columns(alike.alias("_ALIKE"), file_rows.alias("ROW"))
    return (
        cut.select(same)
        .with_columns(alike.alias("_ALIKE"))
        .join(source, on=[*same, "_ALIKE"], how="left", nulls_equal=True, maintain_order="left")
        .get_column("ROW")
        .cast(pl.Int64)
    )


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
