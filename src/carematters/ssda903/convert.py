"""From strings as found in a file to typed columns, reporting every value that fails.

Both readers (CSV and XML) hand this module a frame of strings with each row's
location, so the rules for what counts as a date, a code or a number are written
once and every failure is reported the same way whatever the file format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import polars as pl

from carematters.ssda903.codelists import code_list, valid_codes
from carematters.ssda903.csv_text import ROW_COLUMN, CsvRows
from carematters.ssda903.problems import Problem, cut
from carematters.ssda903.tables import Column, Kind, Table
from carematters.ssda903.years import CollectionYear

_DATE = r"^\d{2}/\d{2}/\d{4}$"
"""DfE writes dates dd/mm/yyyy in both forms of the return."""
_PARTIAL_DATE = r"(?i)^(\d{2}|zz)/(\d{2}|zz)/(\d{4}|zzzz)$"
"""A date with parts not known written zz (zzzz for the year), in either case."""


@dataclass(frozen=True)
class Source:
    """Where the strings came from, for locating problems; no year means any year."""

    file: str
    table: Table
    year: CollectionYear | None


def _problems_where(
    frame: pl.DataFrame, failed: pl.Expr, column: str, source: Source, *, kind: str, message: str
) -> list[Problem]:
    """One problem for each row where `failed` holds; only failing rows reach Python."""
    bad = frame.filter(failed).select(ROW_COLUMN, column)
    return [
        Problem(
            file=source.file,
            row=row,
            table=source.table.name,
            column=column,
            value=value,
            kind=kind,
            message=message,
        )
        for row, value in bad.iter_rows()
    ]


@dataclass
class _Checks:
    """Checks on one frame, asked first all at once whether anything fails (one pass over
    the table), and only then, for those that do, which rows: most files have no
    problems, and a filter per column per check would cost more than the reading.
    Each check is of one column, so the checks of columns known to be clean can be left
    out before that pass."""

    frame: pl.DataFrame
    pending: list[tuple[str, pl.Expr, Callable[[], list[Problem]]]] = field(default_factory=list)

    def where(
        self, failed: pl.Expr, column: str, source: Source, *, kind: str, message: str
    ) -> None:
        """A problem for each row where `failed` holds."""
        self.pending.append(
            (
                column,
                failed,
                partial(
                    _problems_where, self.frame, failed, column, source, kind=kind, message=message
                ),
            )
        )

    def problems(self, clean: frozenset[str] = frozenset()) -> list[Problem]:
        """Every failure, leaving out the checks of the `clean` columns."""
        pending = [(failed, found) for column, failed, found in self.pending if column not in clean]
        if not pending:
            return []
        hits = self.frame.select(
            failed.any().alias(str(index)) for index, (failed, _) in enumerate(pending)
        ).row(0)
        return [p for hit, (_, found) in zip(hits, pending, strict=True) if hit for p in found()]


def _strip(
    raw: pl.DataFrame, names: list[str], source: Source, problems: list[Problem], *, spaced: bool
) -> pl.DataFrame:
    """Blanks in the columns `names` become null; spaces around a value are removed, and
    reported; unless the reader knows there are none (not `spaced`), when `raw` is
    returned as it is.

    Each column is stripped once; only a column whose stripped values are shorter in all
    is searched for the values that had spaces around them (a value of only spaces
    becomes null, a blank, and is not reported)."""
    if not names or not spaced:
        return raw
    frame = raw.select(ROW_COLUMN, *names)
    # Two passes, not one expression with the stripped value twice: Polars would strip
    # each value twice.
    stripped = frame.with_columns(pl.col(n).str.strip_chars() for n in names).with_columns(
        pl.when(pl.col(n) != "").then(pl.col(n)) for n in names
    )
    lengths = pl.col(names).str.len_bytes().sum()
    given, kept = frame.select(lengths).row(0), stripped.select(lengths).row(0)
    checks = _Checks(frame)
    for name, before, after in zip(names, given, kept, strict=True):
        if before != after:
            value = pl.col(name)
            checks.where(
                value.str.strip_chars().str.len_chars().gt(0) & (value != value.str.strip_chars()),
                name,
                source,
                kind="spaces",
                message="has spaces before or after it; read without them",
            )
    problems += checks.problems()
    return stripped


def _to_date(checks: _Checks, column: Column, source: Source) -> pl.Expr:
    value = pl.col(column.name)
    parsed = value.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    shaped = value.str.contains(_DATE)
    checks.where(
        value.is_not_null() & ~shaped,
        column.name,
        source,
        kind="bad-date",
        message="is not a date written dd/mm/yyyy; the value was not read",
    )
    checks.where(
        value.is_not_null() & shaped & parsed.is_null(),
        column.name,
        source,
        kind="bad-date",
        message="is not a real calendar date; the value was not read",
    )
    return pl.when(shaped).then(parsed).otherwise(None).alias(column.name)


def _to_partial_date(checks: _Checks, column: Column, source: Source) -> pl.Expr:
    value = pl.col(column.name)
    checks.where(
        value.is_not_null() & ~value.str.contains(_PARTIAL_DATE),
        column.name,
        source,
        kind="bad-date",
        message="is not a date written dd/mm/yyyy (with zz or zzzz for parts not known); "
        "the value was not read",
    )
    return pl.when(value.str.contains(_PARTIAL_DATE)).then(value).otherwise(None)


def _to_integer(checks: _Checks, column: Column, source: Source) -> pl.Expr:
    value = pl.col(column.name)
    parsed = pl.when(value.str.contains(r"^-?\d{1,12}$")).then(value.cast(pl.Int64, strict=False))
    checks.where(
        value.is_not_null() & parsed.is_null(),
        column.name,
        source,
        kind="bad-number",
        message="is not a whole number; the value was not read",
    )
    return parsed.alias(column.name)


def _check_code(checks: _Checks, column: Column, source: Source) -> None:
    """Codes unknown for the year are kept, so nothing is lost, and reported."""
    if column.codes is None:
        return
    valid = valid_codes(column.codes, source.year)
    unknown = pl.col(column.name).is_not_null() & ~pl.col(column.name).is_in(valid)
    checks.pending.append(
        (column.name, unknown, partial(_unknown_codes, checks.frame, unknown, column, source))
    )


def _unknown_codes(
    frame: pl.DataFrame, failed: pl.Expr, column: Column, source: Source
) -> list[Problem]:
    codes = code_list(column.codes or "")
    unknown = frame.filter(failed)
    problems = []
    for row, value in unknown.select(ROW_COLUMN, column.name).iter_rows():
        known = codes.find(value)
        kind = codes.title.lower()
        article = "an" if kind[0] in "aeiou" else "a"
        why = (
            f"is not {article} {kind} code in {source.year} ({known.years_text()})"
            if known and source.year
            else f"is not {article} {kind} code"
        )
        problems.append(
            Problem(
                file=source.file,
                row=row,
                table=source.table.name,
                column=column.name,
                value=value,
                kind="unknown-code",
                message=f"{why}; kept as given",
            )
        )
    return problems


def type_frame(
    raw: pl.DataFrame, columns: tuple[Column, ...], source: Source, *, spaced: bool = True
) -> tuple[pl.DataFrame, list[Problem]]:
    """Type the `columns` of `raw` (strings plus `_ROW`) as each says.

    The result has exactly `columns`, in order, plus `_ROW`; a column missing from
    `raw` comes out all null (the reader has already reported it missing), and a column
    of `raw` not among `columns` is left out (and not looked at). `spaced`
    False says the reader knows no value has spaces around it and blanks are already
    null (`CsvRows`).
    """
    problems: list[Problem] = []
    present = [c for c in columns if c.name in raw.columns]
    frame = _strip(raw, [c.name for c in present], source, problems, spaced=spaced)
    typed: dict[str, pl.Expr] = {}
    checks = _Checks(frame)
    for column in present:
        if column.kind is Kind.DATE:
            expr = _to_date(checks, column, source)
        elif column.kind is Kind.PARTIAL_DATE:
            expr = _to_partial_date(checks, column, source)
        elif column.kind is Kind.INTEGER:
            expr = _to_integer(checks, column, source)
        else:
            expr = pl.col(column.name)
            _check_code(checks, column, source)
        typed[column.name] = expr.alias(column.name)
    # One pass over the table: the columns typed, and those the file lacks all null.
    result = frame.select(
        *(typed.get(c.name, pl.lit(None, dtype=c.kind.dtype).alias(c.name)) for c in columns),
        ROW_COLUMN,
    )
    # Typing a value either keeps it or leaves it null, so a column with no more nulls
    # typed than given lost nothing, and its checks need not look for the rows that did.
    clean = frozenset(
        c.name
        for c in present
        if c.codes is None
        and result.get_column(c.name).null_count() == frame.get_column(c.name).null_count()
    )
    problems += checks.problems(clean)
    order = {c.name: index for index, c in enumerate(columns)}
    problems.sort(key=lambda p: (p.row or 0, order.get(p.column or "", -1)))
    return result, problems


def header_problems(
    rows: CsvRows, table: Table, columns: tuple[Column, ...], year: CollectionYear | None
) -> tuple[list[str], list[Problem]]:
    """The header's columns that can be read, and a problem for each one missing or unknown."""
    expected = [c.name for c in columns]
    wanted, present = set(expected), set(rows.header)
    in_year = f" in {year}" if year else ""
    problems = [
        Problem(
            file=rows.file,
            row=rows.header_row,
            table=table.name,
            column=name,
            kind="missing-column",
            message=(
                f"the {table.title} table needs a column {name}, which this file "
                "does not have; its values are left blank"
            ),
        )
        for name, column in zip(expected, columns, strict=True)
        if name not in present and not column.optional
    ]
    problems += [
        Problem(
            file=rows.file,
            row=rows.header_row,
            table=table.name,
            column=cut(name),
            kind="unknown-column",
            message=(
                f"{cut(name)} is not a column of the {table.title} table{in_year}; "
                "its values were not read"
            ),
        )
        for name in rows.header
        if name not in wanted
    ]
    return [name for name in rows.header if name in wanted], problems
