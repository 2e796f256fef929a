"""Whole frames into the database in one pass: COPY on PostgreSQL, `executemany` on
SQLite. For loading a record and for the tables derived from it (`casework.chronicle`),
where making a model instance for each of a million rows costs far more than the insert.
"""

from __future__ import annotations

import polars as pl
from django.db import connection, models

BATCH_ROWS = 5_000
"""Rows sent to SQLite in one `executemany`: large enough to be quick, small enough not
to build a whole table's rows in memory twice."""


def insert_frame(model: type[models.Model], frame: pl.DataFrame) -> None:
    """Insert `frame`'s rows into `model`'s table, the frame's columns named as the
    table's columns (its fields' `db_column`, or `<name>_id` for a foreign key); the
    table's other columns take their defaults in the database (the key is numbered by
    it). Nothing is checked but what the database checks."""
    if frame.is_empty():
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in frame.columns)
    into = f"{quote(model._meta.db_table)} ({columns})"
    if connection.vendor == "postgresql":
        _copy_into(into, frame)
    else:
        _execute_many(into, frame)


def _copy_into(into: str, frame: pl.DataFrame) -> None:
    """PostgreSQL: the rows as CSV through COPY, the quickest way in. Polars writes a
    null as nothing and an empty text as "", which COPY reads back as NULL and ''."""
    data = frame.write_csv(include_header=False, date_format="%Y-%m-%d").encode("utf-8")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {into} FROM STDIN WITH (FORMAT csv)") as copy,
    ):
        copy.write(data)


def _execute_many(into: str, frame: pl.DataFrame) -> None:
    """SQLite: the rows through `executemany`, dates as the ISO text Django stores."""
    iso_dates = frame.with_columns(
        pl.col(name).dt.strftime("%Y-%m-%d")
        for name, dtype in frame.schema.items()
        if dtype == pl.Date
    )
    # Only quoted names from the models' metadata go into the statement; values are bound.
    sql = f"INSERT INTO {into} VALUES ({', '.join(['%s'] * frame.width)})"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in iso_dates.iter_slices(BATCH_ROWS):
            cursor.executemany(sql, batch.rows())
