"""A return as read: typed tables, where each row came from, and what could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.problems import Problem
from carematters.ssda903.tables import Table
from carematters.ssda903.years import CollectionYear


@dataclass
class ReadResult:
    """Everything a reader found in one return.

    `tables` holds only the tables the return had, typed, keyed by record name.
    `rows` gives, for each table, the file row each of its rows came from, so later
    checks (the validator) can point people back to the line in their own file.
    """

    year: CollectionYear
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    rows: dict[str, pl.Series] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def sort_problems(self, start: int = 0) -> None:
        """Put the problems found since `start` in file order, as a person reads the file."""
        found = self.problems[start:]
        found.sort(key=lambda p: (p.file, p.row or 0))
        self.problems[start:] = found

    def add(self, table: Table, typed: pl.DataFrame, file: str) -> None:
        """Add rows read from `file` (typed, with `_ROW`) to `table`."""
        data = typed.clone()  # a copy of the columns' list, not of their values
        rows = data.drop_in_place(ROW_COLUMN)
        if table.name in self.tables:
            data = pl.concat([self.tables[table.name], data])
            rows = pl.concat([self.rows[table.name], rows])
        self.tables[table.name] = data
        self.rows[table.name] = rows
        self.files.setdefault(table.name, []).append(file)
