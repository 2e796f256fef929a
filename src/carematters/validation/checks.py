"""Pieces most rules are made of, as Polars expressions: a code from the year's list, a
readable date, a child's rows against the header. Kept here so each rule reads as DfE
states it (groups of codes come from `Context.group`, ages from `calendar.birthdays`)."""

from __future__ import annotations

import polars as pl

from carematters.ssda903.codelists import code_group
from carematters.ssda903.tables import TABLES
from carematters.validation.context import Context
from carematters.validation.rule import Failures

_READ_AS_VALUES = frozenset(
    c.name for t in TABLES for c in t.columns if c.kind.dtype != pl.String()
)
"""The columns read as dates or numbers: in every table that has them (a name means
one kind of value throughout the return), never text."""


def blank(column: str) -> pl.Expr:
    """The value was left empty (or held only spaces)."""
    if column in _READ_AS_VALUES:
        # A date or a number is never spaces: writing one out as text to look for them
        # (every date of a table, for each rule asking) would find none.
        return pl.col(column).is_null()
    return pl.col(column).is_null() | (pl.col(column).cast(pl.String).str.strip_chars() == "")


def female() -> pl.Expr:
    """The child is female: SEX 2 until 2023-24, F from 2024-25.

    Neither code ever meant anything else, so either marks a girl in any year: the group
    is read for every year, not only the return's (rule 101 refuses the code not valid in
    the year, and a girl is still asked what girls are asked)."""
    return pl.col("SEX").is_in(code_group("sex", "female"))


def not_a_code(context: Context, column: str, codes: str, *, required: bool = True) -> pl.Expr:
    """The value is not one of the year's codes for the list `codes` (or is blank, when
    a value is required)."""
    wrong = pl.col(column).is_not_null() & ~pl.col(column).is_in(context.codes(codes))
    return wrong | blank(column) if required else wrong


def not_a_date(context: Context, table: str, column: str, *, required: bool = True) -> pl.Expr:
    """The value could not be read as a dd/mm/yyyy date (or is blank, when required)."""
    unreadable = context.unreadable(table, column)
    return unreadable | pl.col(column).is_null() if required else unreadable


def code_rule(context: Context, table: str, column: str, codes: str, *, required: bool) -> Failures:
    """The rows of `table` whose `column` is not a code of the year's list `codes`."""
    return context.failing(table, not_a_code(context, column, codes, required=required))


def date_rule(context: Context, table: str, column: str, *, required: bool) -> Failures:
    """The rows of `table` whose `column` is not a date."""
    return context.failing(table, not_a_date(context, table, column, required=required))


def not_in_header(context: Context, table: str) -> Failures:
    """Rows of `table` for a child the header does not have."""
    known = context.table("header")["CHILD"].implode()
    return context.failing(table, ~pl.col("CHILD").is_in(known))


def repeated_child(context: Context, table: str) -> Failures:
    """Every row of `table` for a child who has more than one there."""
    return context.failing(table, pl.col("CHILD").is_duplicated())


def differs_from_header(context: Context, table: str, column: str) -> Failures:
    """Rows of `table` whose `column` differs from the child's own in the header."""
    header = context.first_rows("header").select("CHILD", pl.col(column).alias("_HEADER"))
    rows = context.table(table).join(header, on="CHILD", how="inner")
    return {table: rows.filter(pl.col(column).ne_missing(pl.col("_HEADER")))}
