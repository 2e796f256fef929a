"""Import and export: a return read into a record, a record written as a return, one
collection year's return cut out of a record holding every year, and a made-up return."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.records.returns import record_tables, return_tables
from carematters.ssda903.formats import read_return, write_return
from carematters.ssda903.problems import Problem, WriteRefusedError
from carematters.ssda903.sample import sample_return

if TYPE_CHECKING:
    from pathlib import Path

    from carematters.records.record import Record
    from carematters.ssda903.formats import Format
    from carematters.ssda903.returns import ReadResult
    from carematters.ssda903.years import CollectionYear


def import_return(source: Path, year: CollectionYear, out: Path) -> ReadResult:
    """Read the return for `year` at `source` (a folder of CSV files, or an XML file) and
    save everything that could be read as the record directory `out` (nothing is saved
    when nothing could be read). Gives the tables read and every problem found, with
    one more for each row of which nothing at all could be read: such a row cannot be
    kept (a line of commas is no row), so it is left out of the record and said so.

    Raises `WriteRefusedError`, saving nothing, when what was read still cannot be kept
    as it is; its problems begin with the reading problems that led there."""
    result = read_for_record(source, year)
    if result.tables:
        try:
            directory.save(record_tables(result.tables, year), out)
        except WriteRefusedError as refused:
            raise WriteRefusedError(result.problems + refused.problems) from refused
    return result


def read_for_record(source: Path, year: CollectionYear) -> ReadResult:
    """Read the return for `year` at `source` (a folder of CSV files, or an XML file) as a
    record can keep it: every row of which nothing at all could be read is left out, with
    a problem at its row (a line of commas is no row). Tables as the return names them
    (see `records.returns.record_tables` for the record's)."""
    result = read_return(source, year)
    for name in result.tables:
        _leave_out_rows_without_values(result, name)
    return result


def _leave_out_rows_without_values(result: ReadResult, name: str) -> None:
    """Take out of table `name` (and its row numbers) the rows of which nothing could
    be read, adding a problem (at the row of the file it came from) for each."""
    frame = result.tables[name]
    nothing = frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    for row in result.rows[name].filter(nothing):
        result.problems.append(
            Problem(
                file=", ".join(result.files[name]),
                row=row,
                table=name,
                kind="nothing-read",
                message="nothing in this row could be read, so it is not in the record",
            )
        )
    result.tables[name] = frame.filter(~nothing)
    result.rows[name] = result.rows[name].filter(~nothing)


def export_return(record: Record, year: CollectionYear, form: Format, out: Path) -> None:
    """Write the record, which holds one return's rows, as the return for `year` in DfE's
    layout: a folder of CSV files or one XML file at `out`. Raises `WriteRefusedError`,
    writing nothing, when the form cannot hold the rows as they are."""
    write_return(return_tables(record.tables(), year), year, form, out)


def extract(
    record: Record, year: CollectionYear, form: Format, out: Path
) -> dict[str, pl.DataFrame]:
    """Cut the return for `year` out of a record holding every year, as DfE scopes it,
    and write it at `out`; gives the tables written. Raises `WriteRefusedError`, writing
    nothing, when the form cannot hold the rows."""
    cut = extract_return(record.tables(), year)
    write_return(cut, year, form, out)
    return cut


def write_sample(children: int, year: CollectionYear, seed: int, form: Format, out: Path) -> None:
    """Write a made-up, well-formed return of `children` children for `year` at `out`;
    the same seed always gives the same return."""
    write_return(sample_return(children, year, seed), year, form, out)
