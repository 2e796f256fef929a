"""Reading the CSV form of a return: one file per table, whatever the files are called.

Local authorities' case management systems name the files differently, so each file
is recognised by its header row, never by its name.
"""

from __future__ import annotations

from pathlib import Path

from carematters.ssda903.convert import Source, header_problems, type_frame
from carematters.ssda903.csv_text import ROW_COLUMN, CsvRows, csv_file_rows
from carematters.ssda903.problems import Problem
from carematters.ssda903.returns import ReadResult
from carematters.ssda903.tables import HEADER, TABLES, Table
from carematters.ssda903.years import CollectionYear

_SHARED = frozenset({"CHILD", "DOB"})


def _fit(table: Table, header: set[str]) -> tuple[float, int]:
    """How well a header row fits a table: share of its own columns present, then misses."""
    names = {c.name for c in table.columns}
    own = names - _SHARED
    return len(own & header) / len(own), -len(names - header)


def identify_table(header: list[str]) -> Table | None:
    """The table a header row belongs to, or None if it fits none well enough."""
    present = set(header)
    best = max(TABLES, key=lambda t: _fit(t, present))
    return best if _fit(best, present)[0] >= 0.5 else None


def _table_problem(rows: CsvRows, table: Table | None, year: CollectionYear) -> Problem | None:
    """Why a whole file cannot be read as a table of this year's return, if it cannot."""
    if table is None:
        return Problem(
            file=rows.file,
            row=1,
            value=",".join(rows.header),
            kind="unknown-table",
            message="the header row does not match any SSDA903 table; the file was not read",
        )
    if not table.in_year(year):
        return Problem(
            file=rows.file,
            row=1,
            table=table.name,
            kind="table-not-in-year",
            message=(
                f"this file holds the {table.title} table, which is not part of the "
                f"{year} return (it starts in {table.first_year}); the file was not read"
            ),
        )
    return None


def read_csv_file(path: Path, year: CollectionYear, result: ReadResult) -> None:
    """Read one CSV file into `result`, recognising its table by its header row."""
    start = len(result.problems)
    _read_csv_file(path, year, result)
    result.sort_problems(start)


def _read_csv_file(path: Path, year: CollectionYear, result: ReadResult) -> None:
    rows, problems = csv_file_rows(path)
    result.problems += problems
    if rows is None:
        return
    table = identify_table(rows.header)
    fatal = _table_problem(rows, table, year)
    if fatal or table is None:
        result.problems += [fatal] if fatal else []
        return
    if table.name in result.tables:
        result.problems.append(
            Problem(
                file=path.name,
                row=1,
                table=table.name,
                kind="table-repeated",
                message=(
                    f"the {table.title} table was already read from "
                    f"{', '.join(result.files[table.name])}; the rows of both files were read"
                ),
            )
        )
    readable, layout = header_problems(rows, table, table.columns_in(year), year)
    result.problems += layout
    source = Source(file=path.name, table=table, year=year)
    typed, value_problems = type_frame(
        rows.values.select(*readable, ROW_COLUMN), table.columns_in(year), source
    )
    result.problems += value_problems
    result.add(table, typed, path.name)


def read_csv_return(directory: Path, year: CollectionYear) -> ReadResult:
    """Read every `.csv` file in `directory` as one return for `year`."""
    result = ReadResult(year=year)
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        result.problems.append(
            Problem(
                file=str(directory),
                kind="no-files",
                message="there are no .csv files in this folder",
            )
        )
    for path in files:
        read_csv_file(path, year, result)
    if files and HEADER.name not in result.tables:
        result.problems.append(
            Problem(
                file=str(directory),
                table=HEADER.name,
                kind="missing-table",
                message="no file holds the Header table, which every return needs",
            )
        )
    return result
