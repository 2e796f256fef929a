"""Loading and saving a record directory: one CSV file per table, named for the table.

A table that is absent means "no such events recorded", never an error by itself.
Loading never raises on bad data: like the return readers it reports every value it
cannot read. Saving is atomic: the whole directory appears at once or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from carematters.escapes import bytes_shown
from carematters.files import OutputKind, write_directory_atomically
from carematters.records.record import Record
from carematters.records.schema import RECORD_TABLES, record_table
from carematters.ssda903.convert import Source, header_problems, type_frame
from carematters.ssda903.csv_text import ROW_COLUMN, csv_file_rows
from carematters.ssda903.problems import Problem
from carematters.ssda903.read_csv import csv_paths
from carematters.ssda903.tables import Table
from carematters.ssda903.write_csv import csv_bytes


@dataclass
class Loaded:
    """A record directory as loaded: the record, and what could not be read in it."""

    record: Record
    problems: list[Problem] = field(default_factory=list)


def _load_table(
    path: Path, table: Table, tables: dict[str, pl.DataFrame], problems: list[Problem]
) -> None:
    rows, found = csv_file_rows(path)
    problems.extend(found)
    if rows is None:
        return
    readable, layout = header_problems(rows, table, table.columns, None)
    problems.extend(layout)
    typed, value_problems = type_frame(
        rows.values.select(*readable, ROW_COLUMN),
        table.columns,
        Source(file=rows.file, table=table, year=None),
        spaced=rows.spaced,
    )
    problems.extend(value_problems)
    tables[table.name] = typed.drop(ROW_COLUMN)


def load(directory: Path) -> Loaded:
    """Load every table file in a record directory into a `Record`, with a `Problem`
    for each value, row or file that could not be read (never raising on bad data).
    A table with no file is not held by the record (`Record.holds`)."""
    tables: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    if not directory.is_dir():
        problems.append(
            Problem(
                file=bytes_shown(str(directory)), kind="no-record", message="this is not a folder"
            )
        )
        return Loaded(Record.of(tables), problems)
    paths = csv_paths(directory)
    if isinstance(paths, Problem):
        return Loaded(Record.of(tables), [paths])
    for path in paths:
        table = record_table(path.stem)
        if table is None:
            problems.append(
                Problem(
                    file=bytes_shown(path.name),
                    kind="unknown-table",
                    message="this file is not a table of the care record; it was not read",
                )
            )
            continue
        _load_table(path, table, tables, problems)
    return Loaded(Record.of(tables), problems)


def save(tables: dict[str, pl.DataFrame], directory: Path) -> None:
    """Save the given tables as a record directory, replacing what was there at once."""
    unknown = [name for name in tables if record_table(name) is None]
    if unknown:
        raise KeyError(f"not tables of the care record: {', '.join(unknown)}")
    files = {}
    for table in RECORD_TABLES:
        if table.name in tables:
            try:
                files[f"{table.name}.csv"] = csv_bytes(table, tables[table.name], table.columns)
            except TypeError as error:
                raise TypeError(f"the {table.title} table cannot be saved: {error}") from error
    write_directory_atomically(directory, files, OutputKind.RECORD)
