"""Reading the CSV form of a return: one file per table, whatever the files are called.

Local authorities' case management systems name the files differently, so each file
is recognised by its header row, never by its name.
"""

from __future__ import annotations

from pathlib import Path

from carematters.escapes import bytes_shown
from carematters.ssda903.convert import Source, header_problems, type_frame
from carematters.ssda903.csv_text import CsvRows, csv_file_rows
from carematters.ssda903.problems import Problem
from carematters.ssda903.returns import ReadResult
from carematters.ssda903.tables import HEADER, TABLES, Table
from carematters.ssda903.years import CollectionYear

_SHARED = frozenset({"CHILD", "DOB"})
_NAMES_SHOWN = 3
_SSDA903_NAMES = frozenset(c.name for t in TABLES for c in t.columns)
"""Every column name of the return, in any year: the only names a message shows of a
header row that matches no table."""


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


def _header_shown(header: list[str]) -> str:
    """A header named by its count of columns and, of its names, only those that are
    SSDA903 column names (the first few): the first line of a file that is no SSDA903
    table may be anything, even a row of someone's data (a name, a National Insurance
    number), which looks like column names as much as any."""
    count = f"{len(header)} column{'s' if len(header) != 1 else ''}"
    known = [name for name in dict.fromkeys(header) if name in _SSDA903_NAMES]
    if not known:
        return f"{count}, none of them an SSDA903 column name"
    more = ", ..." if len(known) > _NAMES_SHOWN else ""
    return f"{count}, among them the SSDA903 names {', '.join(known[:_NAMES_SHOWN])}{more}"


def _table_problem(rows: CsvRows, table: Table | None, year: CollectionYear) -> Problem | None:
    """Why a whole file cannot be read as a table of this year's return, if it cannot."""
    if table is None:
        return Problem(
            file=rows.file,
            row=rows.header_row,
            kind="unknown-table",
            message=(
                f"the header row ({_header_shown(rows.header)}) does not match any "
                "SSDA903 table; the file was not read"
            ),
        )
    if not table.in_year(year):
        return Problem(
            file=rows.file,
            row=rows.header_row,
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
    table = identify_table(rows.header) if rows else None
    fatal = _table_problem(rows, table, year) if rows else None
    # A file that is no table of the return is reported as such, not row by row.
    result.problems += [fatal] if fatal else problems
    if rows is None or table is None or fatal:
        return
    if table.name in result.tables:
        result.problems.append(
            Problem(
                file=rows.file,
                row=rows.header_row,
                table=table.name,
                kind="table-repeated",
                message=(
                    f"the {table.title} table was already read from "
                    f"{', '.join(result.files[table.name])}; the rows of both files were read"
                ),
            )
        )
    _, layout = header_problems(rows, table, table.columns_in(year), year)
    result.problems += layout
    source = Source(file=rows.file, table=table, year=year)
    # Typing reads only the year's columns: the others, reported just now, are left.
    typed, value_problems = type_frame(
        rows.values, table.columns_in(year), source, spaced=rows.spaced
    )
    result.problems += value_problems
    result.add(table, typed, rows.file)


def csv_paths(directory: Path) -> list[Path] | Problem:
    """The `.csv` entries of a folder, in name order (a folder named `x.csv` among them,
    so that it is reported rather than passed over), or why the folder cannot be listed."""
    try:
        return sorted(p for p in directory.iterdir() if p.suffix.lower() == ".csv")
    except OSError as error:
        return Problem(
            file=bytes_shown(str(directory)),
            kind="cannot-open",
            message=f"the folder could not be opened ({error.strerror or error}); it was not read",
        )


def _whole_return_problems(directory: Path, result: ReadResult) -> list[Problem]:
    """What the return as a whole lacks: a Header table, or a child in it."""
    where = bytes_shown(str(directory))
    if HEADER.name not in result.tables:
        return [
            Problem(
                file=where,
                table=HEADER.name,
                kind="missing-table",
                message="no file holds the Header table, which every return needs",
            )
        ]
    if result.tables[HEADER.name].is_empty():
        return [
            Problem(
                file=", ".join(result.files[HEADER.name]),
                table=HEADER.name,
                kind="no-children",
                message="the Header table has no rows, so the return holds no children",
            )
        ]
    return []


def read_csv_return(directory: Path, year: CollectionYear) -> ReadResult:
    """Read every `.csv` file in `directory` as one return for `year`."""
    result = ReadResult(year=year)
    files = csv_paths(directory)
    if isinstance(files, Problem):
        result.problems.append(files)
        return result
    if not files:
        result.problems.append(
            Problem(
                file=bytes_shown(str(directory)),
                kind="no-files",
                message="there are no .csv files in this folder",
            )
        )
        return result
    for path in files:
        read_csv_file(path, year, result)
    result.problems += _whole_return_problems(directory, result)
    return result
