"""Whole frames into and out of the database: in, in one pass (COPY on PostgreSQL,
`executemany` on SQLite), for loading a record and the tables derived from it, where
making a model instance for each of a million rows costs far more than the insert; out,
by SQL Django makes once per shape, for pages, where building a query for a child's few
rows costs more than running it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl
from django.db import connection, models
from django.db.models import Q

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
    params = list(statement.fixed)
    for child, slot in zip(children or (), statement.slots, strict=True):
        params[slot] = child
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")


@dataclass(frozen=True)
class _Statement:
    """The SQL of `read_frame` for one shape: its parameters are `fixed` (those of the
    condition) with the children put in at `slots`, in order."""

    sql: str
    fixed: tuple[Any, ...]
    slots: tuple[int, ...]


_MARK = "\x00child {}\x00"
"""Stands for a child while a statement is built, so its place among the parameters can
be found; no CHILD id holds a NUL."""


@lru_cache(maxsize=512)
def _select(
    model: type[models.Model],
    fields: tuple[str, ...],
    order_by: tuple[str, ...],
    where: Q | None,
    *,
    vendor: str,
    children: int | None,
) -> _Statement:
    """The statement of `read_frame`, made by Django once per shape: with `children`
    CHILD ids (or none, for everyone). `vendor` keys the cache, as the SQL differs between
    SQLite and PostgreSQL."""
    rows = model._default_manager.filter(where or Q()).order_by(*order_by)
    marks = [_MARK.format(i) for i in range(children or 0)]
    if children is not None:
        rows = rows.filter(child__in=marks)
    sql, params = rows.values_list(*fields).query.sql_with_params()
    slots = tuple(i for i, value in enumerate(params) if value in marks)
    if [params[i] for i in slots] != marks:  # each child once, in order
        raise AssertionError(f"unexpected parameters reading {model.__name__}: {params}")
    return _Statement(sql, tuple(params), slots)
