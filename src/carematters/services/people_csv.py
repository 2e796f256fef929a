"""CSV files meant for people to open in a spreadsheet, made safe to open.

A spreadsheet takes a cell starting `=`, `+`, `-` or `@` for a formula (tab and carriage
return can hide one such start), so a child id typed as `=HYPERLINK("http://...")` in a
case system would run when a performance officer opens the findings. OWASP's guidance on
CSV injection (https://owasp.org/www-community/attacks/CSV_Injection) is to begin each
such cell with a single quote, which spreadsheets show as text. Only files meant for
people are treated so: the return files themselves are DfE's layout and stay byte-exact.
"""

from __future__ import annotations

import polars as pl

FORMULA_START = r"^([=+\-@\t\r])"
"""A text cell a spreadsheet could take for a formula: OWASP's list of first characters."""


def defused(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (any shape) with every text value that starts like a formula begun with a
    single quote (`=1+1` becomes `'=1+1`); other values and columns as they are."""
    return frame.with_columns(pl.col(pl.String).str.replace(FORMULA_START, "'$1"))


def people_csv(frame: pl.DataFrame, date_format: str | None = None) -> bytes:
    """`frame` as UTF-8 CSV for a person to open, formula-like text `defused` (dates
    written as `date_format` when given, e.g. "%d/%m/%Y")."""
    return defused(frame).write_csv(date_format=date_format).encode("utf-8")
