"""Database rows <-> the core's care record, both ways (WEB.md "One schema").

`record_from_db` gives the `Record` that `carematters.records.directory.load` would give
for the same record: every table conformed, with the schema's types, rows in the order
they were loaded or recorded, and `held` telling a table the record does not keep apart
from an empty one. It reads one query per table, whatever the number of children.

`load_record` fills an empty database with a record, a whole table per statement batch
(PostgreSQL: COPY), so the demo authority loads in seconds. It refuses a database that
already holds a record: loading a second record on top would put two copies of every
child's history side by side, and no rule can tell which rows are the same event.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import cache
from typing import TYPE_CHECKING

import polars as pl
from django.db import transaction

from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.ssda903.tables import Table
from carematters.web.bulk import insert_frame, read_frame
from carematters.web.casework.models import IN_FORCE, HeldTable, RecordRow
from carematters.web.casework.tables import field_name, model_for, tables_with_models

if TYPE_CHECKING:
    from carematters.web.people.models import User


class RecordPresentError(Exception):
    """The database already holds a care record, so another is not loaded over it."""


def holds_a_record() -> bool:
    """Whether the database holds any row of the care record (withdrawn ones included),
    or keeps any table of it: then it is not empty, and `load_record` refuses it."""
    return HeldTable.objects.exists() or any(
        model.objects.exists() for _, model in tables_with_models()
    )


def mark_held(names: Iterable[str]) -> None:
    """Record that the database's record keeps these tables (by schema name), so that
    they are held even while empty. Recording the first row of a table calls this."""
    for name in names:
        model_for(name)  # a name the schema does not have is a KeyError, not a stray row
        HeldTable.objects.get_or_create(name=name)


def load_record(record: Record, *, user: User | None = None) -> dict[str, int]:
    """Put every held table of `record` into the empty database, all at once or not at
    all (one transaction), each row made by `user` (None for an import or the demo) at
    the database's time, at version 1. Gives how many rows went into each held table.

    Raises RecordPresentError, changing nothing, if the database already holds a record
    (`holds_a_record`): start from an empty database to load another."""
    with transaction.atomic():
        if holds_a_record():
            raise RecordPresentError(
                "the database already holds a care record; a record is only loaded into "
                "an empty database, so that no child's history is doubled or replaced"
            )
        by = None if user is None else user.pk
        counts = {}
        for table, model in tables_with_models():
            if record.holds(table.name):
                frame = record.table(table.name)
                _insert(model, table, frame, by)
                counts[table.name] = frame.height
        HeldTable.objects.bulk_create([HeldTable(name=name) for name in sorted(record.held)])
    return counts


def record_from_db(
    children: Iterable[str] | None = None, only: Collection[str] | None = None
) -> Record:
    """The care record in the database: its current rows (not withdrawn), each table in
    the order its rows were made; with `children` (CHILD ids), only theirs, cut as
    `Record.for_children` cuts (each table grouped by child). `held` is the tables the
    database keeps (`mark_held`) and any table with a row in force. With `only` (table
    names), only those tables are read, the others left empty: for a page that shows a
    few of them, so as not to read the rest on every request.

    One query per table (the children filtered in SQL), never one per child; for every
    child, give no `children` rather than all of them (SQLite binds at most 32,766)."""
    return record_with_keys(children, only)[0]


def record_with_keys(
    children: Iterable[str] | None = None, only: Collection[str] | None = None
) -> tuple[Record, dict[str, list[int]]]:
    """`record_from_db`, and each table's rows' keys in the database, in the order of the
    record's frames (by table name): for a page that leads from what it shows to the
    entry it came from (a chronology's event to its correction)."""
    wanted = None if children is None else sorted(set(children))
    held = set(HeldTable.objects.values_list("name", flat=True))
    tables = {}
    keys = {}
    for table, model in tables_with_models():
        if only is not None and table.name not in only:
            frame = _empty(table)
        else:
            frame = _read(model, table, wanted)
        if wanted is not None and len(wanted) > 1:
            frame = frame.sort("CHILD", maintain_order=True)
        if frame.height:
            held.add(table.name)
        tables[table.name] = frame.drop(_KEY)
        keys[table.name] = frame.get_column(_KEY).to_list()
    return Record.of({name: tables[name] for name in held}), keys


def table_from_db(name: str, children: Iterable[str]) -> pl.DataFrame:
    """The current rows of the record's table `name` (its schema's columns and types) of
    `children` (CHILD ids), in the order they were made: for a page that needs one table
    of a child's record and not the rest. One query. Raises KeyError for a name the
    schema does not have."""
    table = record_table(name)
    if table is None:
        raise KeyError(f"the care record has no table called {name}")
    return _read(model_for(name), table, sorted(set(children))).drop(_KEY)


# Reading --------------------------------------------------------------------------------


_KEY = "_KEY"
"""The column a table is read with that holds each row's key in the database."""


def _read(model: type[RecordRow], table: Table, children: list[str] | None) -> pl.DataFrame:
    """One table's current rows, in the order they were made, as the schema types them,
    with each row's key in the database (_KEY)."""
    fields = (*(field_name(c.name) for c in table.columns), "pk")
    read = read_frame(model, fields, _keyed(table), children, order_by=("pk",), where=IN_FORCE)
    return _empty(table) if read.is_empty() else read


def _keyed(table: Table) -> dict[str, pl.DataType]:
    return {**table.schema(), _KEY: pl.Int64()}


@cache
def _empty(table: Table) -> pl.DataFrame:
    """The table with no rows (and its _KEY column), made once: a page's record is
    mostly empty tables, and a frame is never changed in place, so one copy serves every
    request."""
    return pl.DataFrame(schema=_keyed(table))


# Writing --------------------------------------------------------------------------------


_MADE_BY = ("created_by", "modified_by")
"""The fields naming who made a loaded row, sent only when someone did; every other
bookkeeping field takes the database's default (made now, version 1, not withdrawn)."""


def _insert(model: type[RecordRow], table: Table, frame: pl.DataFrame, user: int | None) -> None:
    """Insert the frame's rows (the table's columns, in order), made by `user` (a primary
    key, or None for no one)."""
    column = {field.name: field.column for field in model._meta.concrete_fields}
    named = [pl.col(c.name).alias(column[field_name(c.name)]) for c in table.columns]
    if user is not None:
        named += [pl.lit(user).alias(column[name]) for name in _MADE_BY]
    insert_frame(model, frame.select(named))
