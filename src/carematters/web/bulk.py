"""Whole frames into and out of the database: in, in one pass (COPY on PostgreSQL,
`executemany` on SQLite), for loading a record and the tables derived from it, where
making a model instance for each of a million rows costs far more than the insert; out,
by SQL Django makes once per shape (`statements`), for pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import polars as pl
from django.db import connection, models
from django.db.models import Q

from carematters.web.statements import Statement, mark, statement_of

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


def read_frame(
    model: type[models.Model],
    fields: Sequence[str],
    schema: pl.Schema | dict[str, pl.DataType],
    children: Sequence[str] | None,
    *,
    order_by: Sequence[str],
    where: Q | None = None,
) -> pl.DataFrame:
    """The rows of `model`'s table of `children` (CHILD ids; everyone's when None) that
    meet `where`, in `order_by`'s order, as a frame of `schema`: its columns are `fields`
    (the model's field names, "pk" for the key), in order. One query."""
    if children is not None and not children:
        return pl.DataFrame(schema=schema)
    count = None if children is None else len(children)
    statement = _select(
        model, tuple(fields), tuple(order_by), where, vendor=connection.vendor, children=count
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(children or ()))
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")


@lru_cache(maxsize=512)
def _select(
    model: type[models.Model],
    fields: tuple[str, ...],
    order_by: tuple[str, ...],
    where: Q | None,
    *,
    vendor: str,
    children: int | None,
) -> Statement:
    """The statement of `read_frame`, made by Django once per shape: with `children`
    CHILD ids (or none, for everyone). `vendor` keys the cache, as the SQL differs between
    SQLite and PostgreSQL."""
    rows = model._default_manager.filter(where or Q()).order_by(*order_by)
    marks = [mark(i) for i in range(children or 0)]
    if children is not None:
        rows = rows.filter(child__in=marks)
    return statement_of(rows.values_list(*fields), marks)
