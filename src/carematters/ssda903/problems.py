"""Problems found while reading a return: what could not be read, where, and why.

Readers never raise on bad data and never drop it quietly: every value they cannot
read becomes a Problem naming the file, row, column and value, so a performance
officer can find it in the file they exported and fix it at source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

PROBLEM_COLUMNS = (
    "FILE",
    "ROW",
    "CHARACTER",
    "CHILD",
    "TABLE",
    "COLUMN",
    "VALUE",
    "KIND",
    "MESSAGE",
)
VALUE_KEPT = frozenset({"unknown-code", "spaces", "empty-columns"})
"""Kinds of problem where the value was still read (as given, or without its spaces), or
nothing was there to read (columns with no name and no values): worth reporting, but
nothing was lost."""


@dataclass(frozen=True)
class Problem:
    """One thing in an input that could not be read as it stands.

    `row` is the row a person sees when they open the file: for CSV the line
    number counting the header as row 1, for XML the line the element starts on.
    `kind` is a short stable name (for example "bad-date") for filtering and tests;
    `message` is the plain-English reason shown to people. For XML, `position` is the
    character within the line where the element starts (a file exported on one line has
    everything on line 1) and `child` the CHILDID of the <CHILD> the problem is inside.
    """

    file: str
    message: str
    kind: str
    row: int | None = None
    table: str | None = None
    column: str | None = None
    value: str | None = None
    position: int | None = None
    child: str | None = None

    @property
    def lost_something(self) -> bool:
        """Whether a value, row or file could not be read, rather than read and queried."""
        return self.kind not in VALUE_KEPT

    def describe(self) -> str:
        """One line a person can act on, most specific location first."""
        place = [self.file]
        if self.row is not None and self.position is not None:
            place.append(f"line {self.row}, character {self.position}")
        elif self.row is not None:
            place.append(f"row {self.row}")
        if self.child is not None:
            place.append(f"child {self.child}")
        if self.column is not None:
            place.append(f"column {self.column}")
        where = ", ".join(place)
        shown = f" value '{_one_line(self.value)}':" if self.value is not None else ""
        return f"{where}:{shown} {self.message}"


class WriteRefusedError(Exception):
    """Tables that cannot be written in the asked-for form without losing data."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.describe() for p in problems[:3]))
        self.problems = problems


SHOWN_LENGTH = 40
"""How much of a value a message shows: enough to find it, never a whole case note."""


def cut(value: str, length: int = SHOWN_LENGTH) -> str:
    """The value's first `length` characters, with "…" if it was longer: what every reader
    message shows of a value, since a value may hold anything, however long or private."""
    return value if len(value) <= length else f"{value[:length]}…"


def _one_line(value: str) -> str:
    """A value as it stands (cut short), with line breaks shown as \\n so the report stays
    one line each."""
    return cut(value).replace("\r", "\\r").replace("\n", "\\n")


def problems_frame(problems: Iterable[Problem]) -> pl.DataFrame:
    """The problems as a table, in the order they were found, for the CSV report."""
    rows = [
        (p.file, p.row, p.position, p.child, p.table, p.column, p.value, p.kind, p.message)
        for p in problems
    ]
    schema = {
        "FILE": pl.String,
        "ROW": pl.Int64,
        "CHARACTER": pl.Int64,
        "CHILD": pl.String,
        "TABLE": pl.String,
        "COLUMN": pl.String,
        "VALUE": pl.String,
        "KIND": pl.String,
        "MESSAGE": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_file(path: Path) -> bytes | Problem:
    """The file's bytes, or a problem saying why it could not be opened."""
    try:
        return path.read_bytes()
    except OSError as error:
        return Problem(
            file=path.name,
            kind="cannot-open",
            message=f"the file could not be opened ({error.strerror or error}); it was not read",
        )
