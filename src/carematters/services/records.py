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
from carematters.ssda903.tables import table_named

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


ONE_ROW_PER_CHILD = {
    "header": "INT32",
    "ad1": "INT31",
    "oc2": "INT33",
    "oc3": "INT34",
    "previous_permanence": "INT35",
    "uasc": "INT36",
}
"""The return's tables that hold at most one row per child, each with DfE's internal
check that says so ("Child should only exist once in ..."; `validation.rules.header`
and `validation.rules.integrity`)."""


def rows_of_no_one_child(result: ReadResult) -> list[Problem]:
    """The rows of the return read as `result` that a record cannot hold as one child's,
    each a problem at its row (also added to `result.problems`): a row with no CHILD,
    which belongs to no child (kind "no-child"), and a second or later row for a child
    in a table of `ONE_ROW_PER_CHILD`, which would give the child two answers where they
    have one (kind "repeated-child", naming the row of the first); in file order. For an
    import that must take the return whole or not at all; empty when there is none."""
    found = []
    for name, frame in result.tables.items():
        file = ", ".join(result.files[name])
        rows = result.rows[name]
        children = frame.get_column("CHILD")
        for row in rows.filter(children.is_null()):
            found.append(
                Problem(
                    file=file,
                    row=row,
                    table=name,
                    column="CHILD",
                    kind="no-child",
                    message="this row has no CHILD, so it belongs to no child; nothing was "
                    "imported",
                )
            )
        if name not in ONE_ROW_PER_CHILD:
            continue
        numbered = pl.DataFrame({"CHILD": children, "ROW": rows}).filter(
            pl.col("CHILD").is_not_null()
        )
        repeated = numbered.with_columns(FIRST=pl.col("ROW").first().over("CHILD")).filter(
            pl.int_range(pl.len()).over("CHILD") > 0
        )
        title = table_named(name).title
        for child, row, first in repeated.iter_rows():
            found.append(
                Problem(
                    file=file,
                    row=row,
                    table=name,
                    column="CHILD",
                    value=child,
                    kind="repeated-child",
                    message=f"this child already has a row in the {title} table (row {first}), "
                    f"which holds one per child (DfE's check {ONE_ROW_PER_CHILD[name]}); "
                    "nothing was imported",
                )
            )
    start = len(result.problems)
    result.problems.extend(found)
    result.sort_problems(start)
    return result.problems[start:]


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
