"""Options several commands share, parsed into the core's own types.

Only light modules are imported here: everything in this package is loaded for
`carematters --help`, which must not wait for Polars.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from carematters.ssda903.years import CollectionYear, UnknownYearError


def parse_year(text: str) -> CollectionYear:
    """A collection year written as DfE writes it ("2024-25"); a usage error otherwise."""
    try:
        return CollectionYear.parse(text)
    except UnknownYearError as error:
        raise typer.BadParameter(str(error)) from error


def parse_date(text: str) -> date:
    """A day written yyyy-mm-dd; a usage error otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(
            f"'{text}' is not a date written yyyy-mm-dd, like 2025-03-31"
        ) from error


YearOption = Annotated[
    CollectionYear,
    typer.Option(
        "--year", parser=parse_year, metavar="YYYY-YY", help="Collection year, e.g. 2024-25."
    ),
]
AsAtOption = Annotated[
    date,
    typer.Option("--as-at", parser=parse_date, metavar="YYYY-MM-DD", help="The day to ask about."),
]
CsvOutOption = Annotated[
    Path | None, typer.Option("--out", help="CSV file to write (default: print it).")
]
RecordArgument = Annotated[Path, typer.Argument(help="Record directory.")]
