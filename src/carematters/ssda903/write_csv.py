"""Writing the CSV form of a return (and of a record directory): one file per table.

Output is byte-stable: the same tables always give the same bytes, dates are written
dd/mm/yyyy as DfE does, blanks are empty, and lines end with a line feed.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from carematters.files import OutputKind, write_directory_atomically
from carematters.ssda903.problems import Problem, WriteRefusedError
from carematters.ssda903.tables import Column, Table, tables_in
from carematters.ssda903.years import CollectionYear

DATE_FORMAT = "%d/%m/%Y"


def conform(frame: pl.DataFrame | None, columns: tuple[Column, ...]) -> pl.DataFrame:
    """The frame with exactly `columns`, in order; a missing column or frame is blank.

    A column of the wrong type is refused rather than written, so nothing is saved
    that could not be read back as the same value.
    """
    if frame is None:
        return pl.DataFrame(schema={c.name: c.kind.dtype for c in columns})
    schema = frame.schema  # made anew on each asking, so asked once
    for c in columns:
        if c.name in schema and schema[c.name] != c.kind.dtype:
            raise TypeError(
                f"column {c.name} holds {schema[c.name]} values, but it is a "
                f"{c.kind} column ({c.kind.dtype})"
            )
    names = [c.name for c in columns]
    if frame.columns == names:
        return frame  # already conformed: most frames are, and a page conforms many
    missing = [
        pl.lit(None, dtype=c.kind.dtype).alias(c.name)
        for c in columns
        if c.name not in frame.columns
    ]
    return frame.with_columns(missing).select(names)


def csv_bytes(table: Table, frame: pl.DataFrame | None, columns: tuple[Column, ...]) -> bytes:
    """One table as CSV bytes with exactly `columns`.

    A row with no values at all would be written as a line of commas, which readers
    take for padding, so such rows are refused rather than lost on the way back.
    """
    conformed = conform(frame, columns)
    empty = conformed.filter(pl.all_horizontal(pl.all().is_null())).height
    if empty:
        raise WriteRefusedError(
            [
                Problem(
                    file=f"{table.name}.csv",
                    table=table.name,
                    kind="empty-row",
                    message=f"{empty} rows have no values at all; nothing was written",
                )
            ]
        )
    buffer = io.BytesIO()
    conformed.write_csv(
        buffer, date_format=DATE_FORMAT, line_terminator="\n", quote_style="necessary"
    )
    return buffer.getvalue()


def return_files(
    tables: dict[str, pl.DataFrame], year: CollectionYear
) -> dict[str, tuple[Table, bytes]]:
    """File name, table and bytes of every table in the `year` return."""
    return {
        f"{table.name}.csv": (
            table,
            csv_bytes(table, tables.get(table.name), table.columns_in(year)),
        )
        for table in tables_in(year)
    }


def write_csv_return(tables: dict[str, pl.DataFrame], year: CollectionYear, out: Path) -> None:
    """Write the return for `year` as a folder of CSV files, all at once or not at all."""
    files = return_files(tables, year)
    write_directory_atomically(
        out, {name: content for name, (_, content) in files.items()}, OutputKind.RETURN
    )
