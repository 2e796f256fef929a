"""Turning the bytes of one CSV file into a header and rows, with every line located.

This layer knows nothing of SSDA903 tables; it only makes sure that whatever comes
out was really in the file, and that whatever could not be split into values is
reported with its line number rather than skipped or guessed at. A row that cannot
be split is never shown in a message: it may hold anything (a case note, a whole
file's worth of text), so it is named by its row and its count of values.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from carematters.escapes import NOT_UTF8, bytes_shown
from carematters.ssda903.problems import Problem, read_file

_BOM = "\ufeff"
_NEEDS_FULL_PARSER = ('"', "\x00", "\x1c", "\x1d", "\x1e", "\x1f")
"""Quoting, NULs and separators Python counts as spaces (bytes that are not UTF-8 also
need the full parser; they are looked for apart, only in text that is not ASCII)."""
_EMPTY_ROW = r"^[\s,]*$"
_SPACED = r"(?:^|,)\s|\s(?:,|$)"
"""A value with spaces (or any white space) before or after it, on an unquoted line."""
_SPACE_BESIDE_BREAK = re.compile(r" (?:[,\r\n]|(?<=[,\n] ))")
"""A space before a comma or a line's end, or after a comma or a line's start: in a
text whose only white space is the space and line breaks, where `_SPACED` would find
a value with spaces around it. A pattern starting with a space is looked for space by
space, far quicker than each of the pairs in turn."""
_FIRST_LINE = re.compile(r"[^\r\n]+")
_EXCEL_SEPARATOR = re.compile(r"sep=(.)\r?(?=\n|\Z)", re.IGNORECASE)
"""The line Excel reads (and sometimes writes) first to learn a file's separator."""
_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
ROW_COLUMN = "_ROW"
"""Name of the column that carries each row's line number through typing."""
_SHOWN_NAMES = 5
"""How many of a header's column names a message names before saying how many more."""
_HEADER_BYTES = 1 << 16
"""How much of a file `header_of` reads: far more than any table's own header (a longer
one is cut, its first names being what tells a table)."""


@dataclass
class CsvRows:
    """The header and data rows of one CSV file.

    `values` has a String column per named header column (blanks as null)
    and `_ROW`, the line each row starts on, counting the file's first line as line 1;
    `header_row` is the line the header is on (1, unless blank lines or Excel's
    `sep=,` line come before it); `spaced` is False only when no value is known to
    have spaces around it, so they need not be looked for value by value.
    """

    file: str
    header: list[str]
    values: pl.DataFrame
    header_row: int = 1
    spaced: bool = True


@dataclass
class _Collected:
    """Rows gathered one by one by the full parser, before they become a frame."""

    file: str
    header: list[str]
    header_row: int
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    def done(self) -> CsvRows:
        names = _frame_names(self.header)
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(names)
        data: dict[str, pl.Series] = {
            name: pl.Series(name, [value or None for value in values], dtype=pl.String)
            for name, values in zip(names, columns, strict=True)
        }
        data[ROW_COLUMN] = pl.Series(ROW_COLUMN, self.row_numbers, dtype=pl.Int64)
        return CsvRows(self.file, names, pl.DataFrame(data), self.header_row)


def normalise_header(names: list[str]) -> list[str]:
    """Column names compared as DfE defines them: upper case, no surrounding spaces."""
    return [name.strip().upper() for name in names]


def _decode(data: bytes) -> str:
    """UTF-8 text; bytes that are not UTF-8 survive as escapes so they can be reported."""
    text = data.decode("utf-8", errors="surrogateescape")
    return text.removeprefix(_BOM)


def _unnamed(position: int) -> str:
    """The frame's name for a header column with no name: lower case, so it can never be
    a real (upper-cased) column name."""
    return f"(column {position})"


def _frame_names(header: list[str]) -> list[str]:
    """The header as frame column names: a blank name becomes its position."""
    return [name or _unnamed(index) for index, name in enumerate(header, start=1)]


def _delimiter_problem(file: str, row: int, delimiter: str) -> Problem:
    name = _OTHER_DELIMITERS.get(delimiter, f"'{bytes_shown(delimiter)}'")
    return Problem(
        file=file,
        row=row,
        kind="wrong-delimiter",
        message=(
            f"values are separated by {name}, but SSDA903 CSV files separate "
            "values with commas; export the file again as comma-separated"
        ),
    )


def _other_delimiter(line: str) -> str | None:
    """The separator a header line uses, if not commas and it is one people export with."""
    if "," in line:
        return None
    return next((d for d in _OTHER_DELIMITERS if d in line), None)


def _clean_undecodable(rows: _Collected, problems: list[Problem]) -> None:
    """Blank every value holding non-UTF-8 bytes, reporting each one."""
    names = _frame_names(rows.header)
    for row, number in zip(rows.rows, rows.row_numbers, strict=True):
        for index, value in enumerate(row):
            if NOT_UTF8.search(value):
                problems.append(
                    Problem(
                        file=rows.file,
                        row=number,
                        column=names[index],
                        value=bytes_shown(value),
                        kind="not-utf8",
                        message=(
                            "contains bytes that are not UTF-8 text; the value was not "
                            "read: save the file as UTF-8 and read it again"
                        ),
                    )
                )
                row[index] = ""


def _header_problem(file: str, row: int, header: list[str]) -> Problem | None:
    """Why a header row cannot be used, if it cannot."""
    bad = next((name for name in header if NOT_UTF8.search(name)), None)
    if bad is not None:
        return Problem(
            file=file,
            row=row,
            value=bytes_shown(bad),
            kind="not-utf8",
            message="the header row contains bytes that are not UTF-8 text; save the file as UTF-8",
        )
    counts = Counter(name for name in header if name)
    repeated = next((name for name in header if counts[name] > 1), None)
    if repeated is not None:
        return Problem(
            file=file,
            row=row,
            column=repeated,
            kind="duplicate-column",
            message=f"the header row names {repeated} twice; the file was not read",
        )
    return None


def _is_header_again(record: list[str], header: list[str]) -> bool:
    return record[0].strip().upper() == header[0] and normalise_header(record) == header


def _wrong_width(file: str, row: int, values: int, columns: int) -> Problem:
    """A row with too many or too few values, named by its count, never shown: it may hold
    anything, however long or private."""
    return Problem(
        file=file,
        row=row,
        kind="wrong-number-of-values",
        message=(
            f"this row has {values} values where the header row has {columns} "
            "columns; the row was not read"
        ),
    )


def _unclosed_quote(file: str, row: int) -> Problem:
    return Problem(
        file=file,
        row=row,
        kind="unclosed-quote",
        message=(
            'a quotation mark (") on this row is not closed, so the lines after it were '
            "taken as one value; the row was not read"
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


def _positions(positions: list[int]) -> str:
    shown = ", ".join(str(p) for p in positions[:_SHOWN_NAMES])
    more = f" and {len(positions) - _SHOWN_NAMES} more" if len(positions) > _SHOWN_NAMES else ""
    return f"column{'s' if len(positions) > 1 else ''} {shown}{more}"


def _without_unnamed(rows: CsvRows) -> tuple[CsvRows, list[Problem]]:
    """Columns with no name in the header dropped: said once if they were empty (as the
    used range of a spreadsheet leaves them), and counted if they held values."""
    positions = [i for i, name in enumerate(rows.header, start=1) if name == _unnamed(i)]
    if not positions:
        return rows, []
    unnamed = [_unnamed(i) for i in positions]
    filled = (
        rows.values.select(unnamed)
        .unpivot()
        .select((pl.col("value").str.strip_chars().str.len_bytes() > 0).sum())
        .item()
    )
    where, one = _positions(positions), len(positions) == 1
    dropped = set(unnamed)
    named = [name for name in rows.header if name not in dropped]
    kept = CsvRows(rows.file, named, rows.values.drop(unnamed), rows.header_row, rows.spaced)
    if filled:
        kind = "unnamed-column"
        which = (
            f"{'holds' if one else 'hold'} {filled} value{'s' if filled > 1 else ''}; "
            f"{'they were' if filled > 1 else 'it was'} not read"
        )
    else:
        kind = "empty-columns"
        which = f"{'is empty; it was' if one else 'are empty; they were'} ignored"
    message = f"the header row has no name for {where}, which {which}"
    return kept, [Problem(file=rows.file, row=rows.header_row, kind=kind, message=message)]


def _needs_full_parser(text: str) -> bool:
    return (
        any(ch in text for ch in _NEEDS_FULL_PARSER)
        or ("\r" in text and text.count("\r") != text.count("\r\n"))
        or (not text.isascii() and NOT_UTF8.search(text) is not None)
    )


def _rows_read(frame: pl.DataFrame, read: pl.Series) -> pl.DataFrame:
    """The rows of a frame of the header's line and those below it that are read: most
    often every line after the header, and then a slice, not a copy."""
    return frame.slice(1) if read.slice(1).all() else frame.filter(read)


def _only_spaces(text: str) -> bool:
    """Whether the only white space `text` (unquoted lines) can hold is the space itself."""
    return text.isascii() and not any(ch in text for ch in "\t\v\f")


def _may_be_spaced(text: str) -> bool:
    """False when no value anywhere in `text` (unquoted lines) can have white space
    before or after it, told from the whole text at once, as it is for most files;
    True when its lines must be looked at (`_spaced`)."""
    if not _only_spaces(text):
        return True
    return bool(_SPACE_BESIDE_BREAK.search(text)) or text.startswith(" ") or text.endswith(" ")


def _spaced(lines: pl.DataFrame, text: str) -> bool:
    """Whether any value on these unquoted lines (of `text`) has white space before or
    after it."""
    line = pl.col("LINE")
    if _only_spaces(text):
        # Literal searches, far faster than a pattern.
        found = (
            line.str.contains(", ", literal=True)
            | line.str.contains(" ,", literal=True)
            | line.str.starts_with(" ")
            | line.str.ends_with(" ")
        )
    else:
        found = line.str.contains(_SPACED)
    return bool(lines.select(found.any()).item())


def _repeated_headers(
    values: pl.DataFrame, names: list[str], header: list[str], text: str
) -> list[int]:
    """The rows (`_ROW`) of `values` that repeat the header row, from a file `text`."""
    name = header[0]
    if name and text.isascii():
        # A repeat would start a line with the first column's name again, in any case,
        # after the header's own: in ASCII text, no other character is one of its
        # letters. Where the name is found only inside lines, no line repeats the header.
        upper = text.upper()
        found = upper.find(name, upper.find(name) + len(name))
        while found >= 0 and text[upper.rfind("\n", 0, found) + 1 : found].strip():
            found = upper.find(name, found + len(name))
        if found < 0:
            return []
    # Renamed, as a name from the file such as "*" or "^A$" would be taken by Polars for
    # a pattern of column names.
    first = (
        values.get_column(names[0]).rename("FIRST").str.contains(rf"(?i)^\s*{re.escape(name)}\s*$")
    )
    return [
        row
        for *line, row in values.filter(first).iter_rows()
        if normalise_header([value or "" for value in line]) == header
    ]


def _csv(encoded: bytes, **options: object) -> pl.DataFrame | None:
    """Polars' CSV reader over a text with no quoting; None if it cannot split it."""
    try:
        return pl.read_csv(
            encoded,
            has_header=False,
            quote_char=None,
            infer_schema=False,
            **options,  # type: ignore[arg-type]
        )
    except pl.exceptions.PolarsError:
        return None


def _plain_rows(text: str, file: str) -> tuple[CsvRows | None, list[Problem]] | None:
    """Split a file without any quoting in whole columns; None if it needs the full parser.

    Most exports never quote a value, and for them splitting every line at its commas
    is exactly what the full parser would do, many times faster. The problems found
    are the same as the full parser's, in the same words. Polars' CSV reader splits
    the text twice: into lines (a separator the text does not hold gives one value
    per line), to number, measure and sort them; and into values, kept only for the
    lines that are rows of the right width. Both give one row per line from the
    header on, which is checked, so every value keeps its line.
    """
    if _needs_full_parser(text):
        return None
    encoded = text.encode()
    lines = _csv(encoded, separator="\x00", new_columns=["LINE"], empty_string_is_null=False)
    if lines is None:
        return None
    line = pl.col("LINE")
    marks = lines.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(ROW_COLUMN),
        line.str.contains(_EMPTY_ROW).alias("EMPTY"),
        (line.str.count_matches(",", literal=True) + 1).alias("WIDTH"),
    )
    empties = marks.get_column("EMPTY")
    first = None if empties.all() else empties.arg_min()  # the first line not empty
    header_row = None if first is None else first + 1
    header = normalise_header(lines.item(header_row - 1, "LINE").split(",")) if header_row else []
    # The lines not read as they stand, found in one pass: empty ones and rows of
    # another width than the header's (few, or none).
    odd = marks.filter(pl.col("EMPTY") | (pl.col("WIDTH") != len(header))).rows()
    problems = [
        _skipped(file, row, "empty-row") for row, is_empty, values in odd if is_empty and values > 1
    ]
    if header_row is None:
        return None, [*problems, _empty(file)]
    header_problem = _header_problem(file, header_row, header)
    if header_problem:
        return None, [*problems, header_problem]
    names = _frame_names(header)
    grid = _csv(
        encoded,
        skip_lines=header_row - 1,
        new_columns=names,
        truncate_ragged_lines=True,
        empty_string_is_null=True,
    )
    below = marks.get_column(ROW_COLUMN).slice(header_row - 1)
    if grid is None or grid.height != below.len():
        return None
    problems += [
        _wrong_width(file, row, values, len(header))
        for row, is_empty, values in odd
        if not is_empty and row > header_row
    ]
    left_out = [row for row, _, _ in odd if row > header_row]
    read = (below > header_row) & ~below.is_in(left_out) if left_out else below > header_row
    values = _rows_read(grid.with_columns(below), read)
    repeats = _repeated_headers(values, names, header, text)
    if repeats:
        problems += [_skipped(file, row, "repeated-header") for row in repeats]
        values = values.filter(~pl.col(ROW_COLUMN).is_in(repeats))
    spaced = _may_be_spaced(text) and _spaced(_rows_read(lines.slice(header_row - 1), read), text)
    rows, unnamed = _without_unnamed(CsvRows(file, names, values, header_row, spaced=spaced))
    return rows, sorted([*unnamed, *problems], key=lambda p: p.row or 0)


def _without_separator_line(text: str, file: str) -> str | Problem:
    """The text with Excel's `sep=,` line blanked (kept as a line, so every row keeps the
    number it has in the file), or why the file cannot be read if it names another."""
    hint = _EXCEL_SEPARATOR.match(text)
    if hint is None:
        return text
    if hint.group(1) != ",":
        return _delimiter_problem(file, 1, hint.group(1))
    return text[hint.end() :]


def read_csv_rows(data: bytes, file: str) -> tuple[CsvRows | None, list[Problem]]:
    """Split a CSV file into header and rows; None when nothing can be read from it."""
    text = _without_separator_line(_decode(data), file)
    if isinstance(text, Problem):
        return None, [text]
    first_line = None if text.isspace() else _FIRST_LINE.search(text)
    if first_line is None:
        return None, [_empty(file)]
    delimiter = _other_delimiter(first_line.group())
    if delimiter:
        return None, [
            _delimiter_problem(file, text.count("\n", 0, first_line.start()) + 1, delimiter)
        ]
    return _plain_rows(text, file) or _parsed_rows(text, file)


_FIELD_LIMIT = threading.Lock()


def _allow_fields_of(length: int) -> None:
    """Let Python's CSV parser read a value of up to `length` characters: by default it
    stops at 131,072, and with it the rest of the file (one case note pasted into a cell
    once cost every later row). The whole text is in memory already, so no value can be
    longer than it, and reading it whole costs nothing more. The limit is the process's,
    so it is only ever raised, under a lock, as two returns may be read at once."""
    with _FIELD_LIMIT:
        if csv.field_size_limit() < length:
            csv.field_size_limit(min(length, _LARGEST_FIELD_LIMIT))


_LARGEST_FIELD_LIMIT = 2**31 - 1
"""The largest limit every platform's CSV parser takes (a C long may be 32 bits)."""


def _parsed_rows(text: str, file: str) -> tuple[CsvRows | None, list[Problem]]:
    """Split a file value by value with Python's CSV parser, locating every oddity."""
    problems: list[Problem] = []
    _allow_fields_of(len(text))
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
                header_problem = _header_problem(file, start, header)
                if header_problem:
                    return None, [*problems, header_problem]
                rows = _Collected(file=file, header=header, header_row=start)
            elif len(record) != len(rows.header):
                problems.append(
                    _unclosed_quote(file, start)
                    if any("\n" in value for value in record)
                    else _wrong_width(file, start, len(record), len(rows.header))
                )
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
    if NOT_UTF8.search(text):
        _clean_undecodable(rows, problems)
    done, unnamed = _without_unnamed(rows.done())
    return done, sorted([*unnamed, *problems], key=lambda p: p.row or 0)


def _unreadable_path(path: Path, name: str) -> Problem | None:
    """Why a path that should be a CSV file is not one that can be read, if it is not (a
    pipe is refused before it is opened: reading one could wait for ever)."""
    if path.is_dir():
        why = "this is a folder, not a CSV file"
    elif not path.is_file():
        why = "this is not a file that can be read (a link to nothing, a pipe or a device)"
    else:
        return None
    return Problem(file=name, kind="not-a-file", message=f"{why}; it was not read")


def csv_file_rows(path: Path) -> tuple[CsvRows | None, list[Problem]]:
    """The header and rows of a CSV file on disk, or why they cannot be had.

    Problems name the file by `path.name`, with any bytes that are not UTF-8 shown as
    \\xNN so the name can be printed and written.
    """
    name = bytes_shown(path.name)
    unreadable = _unreadable_path(path, name)
    if unreadable:
        return None, [unreadable]
    data = read_file(path)
    if isinstance(data, Problem):
        return None, [Problem(file=name, kind=data.kind, message=data.message)]
    return read_csv_rows(data, name)


def header_of(path: Path) -> list[str]:
    """The column names of a CSV file's header row (normalised; blank lines and Excel's
    `sep=,` line passed over), read from the file's start only; empty if the file cannot
    be read or has none."""
    try:
        with path.open("rb") as file:
            start = file.read(_HEADER_BYTES)
    except OSError:
        return []
    text = _without_separator_line(_decode(start), path.name)
    line = None if isinstance(text, Problem) else _FIRST_LINE.search(text)
    return normalise_header(line.group().split(",")) if line else []
