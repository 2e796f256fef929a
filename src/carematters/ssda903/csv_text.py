"""Turning the bytes of one CSV file into a header and rows, with every line located.

This layer knows nothing of SSDA903 tables; it only makes sure that whatever comes
out was really in the file, and that whatever could not be split into values is
reported with its line number rather than skipped or guessed at.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from carematters.ssda903.problems import Problem, read_file

_BOM = "\ufeff"
_NEEDS_FULL_PARSER = re.compile('["\x00\x1c-\x1f\udc80-\udcff]')
"""Quoting, NULs, separators Python counts as spaces, and bytes that are not UTF-8."""
_BLANK_LINE = r"^\s*$"
_EMPTY_ROW = r"^[\s,]*$"
_NOT_UTF8 = re.compile(r"[\udc80-\udcff]+")
_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
ROW_COLUMN = "_ROW"
"""Name of the column that carries each row's line number through typing."""


@dataclass
class CsvRows:
    """The header and data rows of one CSV file.

    `values` has a String column per header column (blanks as empty strings) and
    `_ROW`, the line each row starts on, counting the header as line 1.
    """

    file: str
    header: list[str]
    values: pl.DataFrame


@dataclass
class _Collected:
    """Rows gathered one by one by the full parser, before they become a frame."""

    file: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    def done(self) -> CsvRows:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.header)
        data: dict[str, pl.Series] = {
            name: pl.Series(name, values, dtype=pl.String)
            for name, values in zip(self.header, columns, strict=True)
        }
        data[ROW_COLUMN] = pl.Series(ROW_COLUMN, self.row_numbers, dtype=pl.Int64)
        return CsvRows(self.file, self.header, pl.DataFrame(data))


def normalise_header(names: list[str]) -> list[str]:
    """Column names compared as DfE defines them: upper case, no surrounding spaces."""
    return [name.strip().upper() for name in names]


def _decode(data: bytes) -> str:
    """UTF-8 text; bytes that are not UTF-8 survive as escapes so they can be reported."""
    text = data.decode("utf-8", errors="surrogateescape")
    return text.removeprefix(_BOM)


def _shown(value: str) -> str:
    """A value with undecodable bytes shown as \\xNN, so the report is itself readable."""
    return _NOT_UTF8.sub(lambda m: "".join(f"\\x{ord(ch) - 0xDC00:02x}" for ch in m.group()), value)


def _delimiter_problem(file: str, first_line: str) -> Problem | None:
    if "," in first_line:
        return None
    for delimiter, name in _OTHER_DELIMITERS.items():
        if delimiter in first_line:
            return Problem(
                file=file,
                row=1,
                kind="wrong-delimiter",
                message=(
                    f"values are separated by {name}, but SSDA903 CSV files separate "
                    "values with commas; export the file again as comma-separated"
                ),
            )
    return None


def _clean_undecodable(rows: _Collected, problems: list[Problem]) -> None:
    """Blank every value holding non-UTF-8 bytes, reporting each one."""
    for row, number in zip(rows.rows, rows.row_numbers, strict=True):
        for index, value in enumerate(row):
            if _NOT_UTF8.search(value):
                problems.append(
                    Problem(
                        file=rows.file,
                        row=number,
                        column=rows.header[index],
                        value=_shown(value),
                        kind="not-utf8",
                        message=(
                            "contains bytes that are not UTF-8 text; the value was not "
                            "read: save the file as UTF-8 and read it again"
                        ),
                    )
                )
                row[index] = ""


def _header_problem(file: str, header: list[str]) -> Problem | None:
    """Why a header row cannot be used, if it cannot."""
    bad = next((name for name in header if _NOT_UTF8.search(name)), None)
    if bad is not None:
        return Problem(
            file=file,
            row=1,
            value=_shown(bad),
            kind="not-utf8",
            message="the header row contains bytes that are not UTF-8 text; save the file as UTF-8",
        )
    repeated = next((name for i, name in enumerate(header) if name in header[:i]), None)
    if repeated is not None:
        return Problem(
            file=file,
            row=1,
            column=repeated,
            kind="duplicate-column",
            message=f"the header row names {repeated} twice; the file was not read",
        )
    return None


def _is_header_again(record: list[str], header: list[str]) -> bool:
    return record[0].strip().upper() == header[0] and normalise_header(record) == header


def _wrong_width(file: str, number: int, header: list[str], record: list[str]) -> Problem:
    if any("\n" in value for value in record):
        return Problem(
            file=file,
            row=number,
            kind="unclosed-quote",
            message=(
                'a quotation mark (") on this row is not closed, so the lines after it were '
                "taken as one value; the row was not read"
            ),
        )
    return Problem(
        file=file,
        row=number,
        value=_shown(",".join(record)),
        kind="wrong-number-of-values",
        message=(
            f"this row has {len(record)} values but the header row has "
            f"{len(header)} columns; the row was not read"
        ),
    )


def _empty(file: str) -> Problem:
    return Problem(file=file, kind="empty-file", message="the file is empty")


_SKIPPED_ROWS = {
    "empty-row": "this row has no values, only commas; it was not read",
    "repeated-header": "this row repeats the header row; it was not read as data",
}


def _skipped(file: str, row: int, kind: str) -> Problem:
    """A row left out on purpose, said where and why."""
    return Problem(file=file, row=row, kind=kind, message=_SKIPPED_ROWS[kind])


def _plain_rows(text: str, file: str) -> tuple[CsvRows | None, list[Problem]] | None:
    """Split a file without any quoting in whole columns; None if it needs the full parser.

    Most exports never quote a value, and for them splitting every line at its commas
    is exactly what the full parser would do, many times faster. The problems found
    are the same as the full parser's, in the same words.
    """
    if _NEEDS_FULL_PARSER.search(text) or text.count("\r") != text.count("\r\n"):
        return None
    lines = (
        pl.DataFrame({"LINE": text.split("\n")})
        .with_row_index(ROW_COLUMN, offset=1)
        .with_columns(pl.col(ROW_COLUMN).cast(pl.Int64), pl.col("LINE").str.strip_suffix("\r"))
        .filter(~pl.col("LINE").str.contains(_BLANK_LINE))
    )
    empty_rows = lines.get_column("LINE").str.contains(_EMPTY_ROW)
    problems = [
        _skipped(file, row, "empty-row") for row in lines.filter(empty_rows).get_column(ROW_COLUMN)
    ]
    lines = lines.filter(~empty_rows)
    if lines.is_empty():
        return None, [*problems, _empty(file)]
    header = normalise_header(lines.item(0, "LINE").split(","))
    header_problem = _header_problem(file, header)
    if header_problem:
        return None, [*problems, header_problem]
    body = lines.slice(1).with_columns(
        pl.col("LINE").str.count_matches(",", literal=True).alias("COMMAS")
    )
    width = body.get_column("COMMAS") == len(header) - 1
    problems += [
        _wrong_width(file, row, header, line.split(","))
        for row, line in body.filter(~width).select(ROW_COLUMN, "LINE").iter_rows()
    ]
    good = body.filter(width)
    values = good.select(
        pl.col("LINE").str.split_exact(",", len(header) - 1).struct.rename_fields(header),
        ROW_COLUMN,
    ).unnest("LINE")
    first = pl.col(header[0]).str.strip_chars().str.to_uppercase() == header[0]
    repeats = [
        row for *line, row in values.filter(first).iter_rows() if normalise_header(line) == header
    ]
    problems += [_skipped(file, row, "repeated-header") for row in repeats]
    problems.sort(key=lambda p: p.row or 0)
    values = values.filter(~pl.col(ROW_COLUMN).is_in(repeats))
    return CsvRows(file, header, values), problems


def read_csv_rows(data: bytes, file: str) -> tuple[CsvRows | None, list[Problem]]:
    """Split a CSV file into header and rows; None when nothing can be read from it."""
    text = _decode(data)
    if not text.strip():
        return None, [_empty(file)]
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter_problem = _delimiter_problem(file, first_line)
    if delimiter_problem:
        return None, [delimiter_problem]
    return _plain_rows(text, file) or _parsed_rows(text, file)


def _parsed_rows(text: str, file: str) -> tuple[CsvRows | None, list[Problem]]:
    """Split a file value by value with Python's CSV parser, locating every oddity."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: _Collected | None = None
    last_line = 0
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(value.strip() for value in record):
                if len(record) > 1:
                    problems.append(_skipped(file, start, "empty-row"))
                continue
            if rows is None:
                header = normalise_header(record)
                header_problem = _header_problem(file, header)
                if header_problem:
                    return None, [*problems, header_problem]
                rows = _Collected(file=file, header=header)
            elif len(record) != len(rows.header):
                problems.append(_wrong_width(file, start, rows.header, record))
            elif _is_header_again(record, rows.header):
                problems.append(_skipped(file, start, "repeated-header"))
            else:
                rows.rows.append(record)
                rows.row_numbers.append(start)
    except csv.Error as error:
        problems.append(
            Problem(
                file=file,
                row=last_line + 1,
                kind="bad-csv",
                message=f"the file cannot be split into values here ({error}); reading stopped",
            )
        )
    if rows is None:
        return None, [*problems, _empty(file)]
    if _NOT_UTF8.search(text):
        _clean_undecodable(rows, problems)
    return rows.done(), problems


def csv_file_rows(path: Path) -> tuple[CsvRows | None, list[Problem]]:
    """The header and rows of a CSV file on disk, or why they cannot be had."""
    data = read_file(path)
    if isinstance(data, Problem):
        return None, [data]
    return read_csv_rows(data, path.name)
