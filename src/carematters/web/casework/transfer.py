"""A performance officer's import and export: an SSDA903 return into the database, and
the database's care record out, whole as a record directory or as one year's return.

Each writes one audit event (IMPORTED or EXPORTED, by no user: the command line), in
the same transaction as what it records and written before any file, so the trail
never says less than what happened: an export whose files cannot be written takes its
audit row back with it. An import goes only into an empty database (see `bridge.load_record`):
a second return would repeat every child still in care, and no rule can tell which of
its rows are the events already held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from carematters.escapes import bytes_shown
from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.records.record import Record
from carematters.records.returns import record_tables
from carematters.services.records import read_for_record, rows_of_no_one_child
from carematters.ssda903.formats import write_return
from carematters.web.audit.log import changed
from carematters.web.audit.models import Action
from carematters.web.bridge import RecordPresentError, holds_a_record, load_record, record_from_db
from carematters.web.casework.due import refresh_all_due

if TYPE_CHECKING:
    from pathlib import Path

    from carematters.ssda903.formats import Format
    from carematters.ssda903.problems import Problem
    from carematters.ssda903.returns import ReadResult
    from carematters.ssda903.years import CollectionYear


class NoRecordError(Exception):
    """The database holds no care record, so there is nothing to export."""


@dataclass(frozen=True)
class Imported:
    """What reading the return found (its problems, located), and how many rows went
    into each table of the database: none at all when the return held no row, or held
    rows that stopped the import (`refused`)."""

    read: ReadResult
    counts: dict[str, int]
    refused: list[Problem] = field(default_factory=list)
    """The problems (also among `read.problems`) that stopped the import: rows the
    database cannot hold as one child's (`services.records.rows_of_no_one_child`)."""


def import_return(source: Path, year: CollectionYear) -> Imported:
    """Read the return for `year` at `source` (a folder of CSV files or an XML file) and
    load every row that could be read into the empty database, with one IMPORTED audit
    event, in one transaction, then works out what is due to every child and their lines
    (`due.refresh_all_due`). Rows of which nothing could be read are left out, each
    with a problem. A return with no row at all loads nothing (counts empty); nor does
    one with a row of no child, or a second row for a child in a table that holds one
    per child (each a problem at its row, in `refused`): the record would hold a row
    nobody can open, or two answers for one child.

    Raises RecordPresentError, before reading anything, if the database already holds a
    record."""
    if holds_a_record():
        raise RecordPresentError(
            "the database already holds a care record; a return is only imported into an "
            "empty database, so that no child's history is doubled or replaced"
        )
    read = read_for_record(source, year)
    if not any(frame.height for frame in read.tables.values()):
        return Imported(read, {})
    if refused := rows_of_no_one_child(read):
        return Imported(read, {}, refused)
    record = Record.of(record_tables(read.tables, year))
    with transaction.atomic():
        counts = load_record(record)
        changed(
            None,
            "",
            Action.IMPORTED,
            f"the {year} SSDA903 return",
            after={
                "source": bytes_shown(str(source)),
                "year": str(year),
                "rows": counts,
                "problems": len(read.problems),
            },
        )
    # What is due, and each child's line, so that pages show the imported children at once.
    refresh_all_due(timezone.localdate())
    return Imported(read, counts)


def export_record(out: Path) -> dict[str, int]:
    """Write the database's care record (its rows in force) as the record directory
    `out`, all at once, with one EXPORTED audit event; gives the rows of each table
    written. Raises NoRecordError, writing nothing, when the database holds no record."""
    with transaction.atomic():
        tables = _current_record().tables()
        counts = {name: frame.height for name, frame in tables.items()}
        _exported("the care record", out, counts)
        directory.save(tables, out)
    return counts


def export_return(year: CollectionYear, form: Format, out: Path) -> dict[str, int]:
    """Cut the SSDA903 return for `year` out of the database's care record, as DfE
    scopes it (`records.extract`, as `903 extract` does), and write it at `out` in
    `form` (a folder of CSV files or an XML file), with one EXPORTED audit event; gives
    the rows of each table written.
    Raises NoRecordError when the database holds no record, and WriteRefusedError when
    the form cannot hold the rows as they are; either way nothing is written."""
    with transaction.atomic():
        cut = extract_return(_current_record().tables(), year)
        counts = {name: frame.height for name, frame in cut.items()}
        _exported(f"the {year} SSDA903 return", out, counts)
        write_return(cut, year, form, out)
    return counts


def _current_record() -> Record:
    record = record_from_db()
    if not record.held:
        raise NoRecordError("the database holds no care record: import one first")
    return record


def _exported(what: str, out: Path, counts: dict[str, int]) -> None:
    changed(
        None,
        "",
        Action.EXPORTED,
        what,
        after={"out": bytes_shown(str(out)), "rows": counts},
    )
