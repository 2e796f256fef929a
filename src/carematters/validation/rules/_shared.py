"""Shapes several of DfE's rules share: dated periods that must not overlap, must carry
over from last year while still open, and must close when the child leaves care (missing
periods, deprivation of liberty orders, decisions to place for adoption), and whether a
field was given at all: a value written but not readable is given (`provided`), ends a
period (`left_blank`, `end_or`) and agrees with no readable value (`as_compared`), in
this year's return and last year's.

The law's ages, lengths of time and dates are parameters (`carematters.parameters`):
`law` reads one as it stood at the end of the collection year, and `in_force_from` the
day a law came into force.

Not a rule module: it registers no rules.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.parameters import parameter, parameters
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures

OTHER_ROW = f"{ROW_COLUMN}_right"
"""The file row of the right-hand table's row, once two tables are joined."""
NEVER = date(9999, 12, 31)
"""Not law: the end of a period still open, later than any real date."""
UNREADABLE_VALUE = "(not readable)"
"""What `as_compared` gives for a value written but not readable."""
BIRTH_DATE = "_DOB"
"""The child's date of birth from the header, beside the rows of another table."""


def law(context: Context, name: str) -> int:
    """The parameter `name` (an age, or a length of time in its unit) as the law stood on
    the last day of the collection year."""
    return parameters(context.end)[name].number


def in_force_from(name: str) -> date:
    """The day the law `name` (a parameter under `law.`) came into force."""
    return parameter(name).first_day


def provided(context: Context, table: str, column: str, *, last_year: bool = False) -> pl.Expr:
    """Something was written in the field, even if it could not be read: a rule asking
    for a value finds it given (its own date or number rule reports it wrong). Of last
    year's `table` with `last_year`; the frame's `_ROW` must be `table`'s."""
    return ~blank(column) | context.unreadable(table, column, last_year=last_year)


def left_blank(context: Context, table: str, column: str, *, last_year: bool = False) -> pl.Expr:
    """Nothing at all was written in the field (`provided`'s opposite). Where a blank end
    date means a period is still open, this is the test: an end date given but not
    readable ended the period on some day, so the period is not taken as open."""
    return ~provided(context, table, column, last_year=last_year)


def end_or(
    context: Context, table: str, column: str, open_until: date, *, last_year: bool = False
) -> pl.Expr:
    """The period's end date `column`, or `open_until` if none was written (the period is
    still open); null if one was written but could not be read, so that a comparison
    with it is null and the rule leaves the row out rather than guess its end."""
    still_open = left_blank(context, table, column, last_year=last_year)
    return pl.when(still_open).then(pl.lit(open_until)).otherwise(pl.col(column)).alias(column)


def as_compared(context: Context, table: str, column: str, *, last_year: bool = False) -> pl.Expr:
    """`column` as text to compare with the same field of the other year: the value as
    read, null if left blank, and `UNREADABLE_VALUE` if given but not readable, which
    agrees with no readable value but with another unreadable one: the two may be the
    same text, and no disagreement is invented."""
    read = pl.col(column).cast(pl.String)
    unreadable = context.unreadable(table, column, last_year=last_year)
    return pl.when(unreadable).then(pl.lit(UNREADABLE_VALUE)).otherwise(read).alias(column)


def with_birth_date(context: Context) -> pl.DataFrame:
    """This year's episodes with the child's date of birth from the header (its first row
    for the child, if there are several; null if it has none) as `_DOB`: joined once,
    however many rules ask for the child's age."""

    def join() -> pl.DataFrame:
        births = context.first_rows("header").select("CHILD", pl.col("DOB").alias(BIRTH_DATE))
        return context.table("episodes").join(births, on="CHILD", how="left")

    return context.derived("episodes with the child's date of birth", join)


def aged(context: Context, mask: pl.Expr) -> Failures:
    """This year's episodes for which `mask` holds; it may use the child's date of birth
    from the header, `_DOB`."""
    rows = with_birth_date(context).filter(mask.fill_null(False))
    return {"episodes": rows.drop(BIRTH_DATE)}


def rows_of(context: Context, table: str, found: pl.DataFrame) -> Failures:
    """`table`'s rows for the rows (`_ROW`) in `found`, as a rule's failures: flagged, so
    that they are picked out of the table with every other rule's (`Context.failing`)."""
    return context.failing(table, pl.col(ROW_COLUMN).is_in(found.get_column(ROW_COLUMN).implode()))


def rows_of_both(context: Context, left: str, right: str, found: pl.DataFrame) -> Failures:
    """The rows of `left` and of `right` that `found`, a join of the two, pairs up."""
    return rows_of(context, left, found) | rows_of(
        context, right, found.select(pl.col(OTHER_ROW).alias(ROW_COLUMN))
    )


def left_care(context: Context) -> pl.Expr:
    """The episode ended with the child ceasing to be looked after: it ended, for a
    reason other than staying in care."""
    still = context.group("reason_episode_ceased", "still_looked_after")
    return pl.col("DEC").is_not_null() & pl.col("REC").is_not_null() & ~pl.col("REC").is_in(still)


def overlapping_earlier(
    context: Context, table: str, start: str, end: str, *, both: bool = False
) -> Failures:
    """Rows of `table` starting before an earlier-starting period of the same child has
    ended (an open period never ends); with `both`, the period each starts inside too,
    where DfE asks that periods not overlap and either date may be the wrong one. An end
    date given but not readable overlaps nothing (`end_or`)."""
    dated = context.table(table).filter(pl.col(start).is_not_null())
    ends = end_or(context, table, end, NEVER)
    # A running maximum is null at a null: the latest end before carries past it.
    latest_end_before = ends.cum_max().forward_fill().shift(1).over("CHILD")
    overlapped = ends > pl.col(start).shift(-1).over("CHILD")
    found = pl.col(start) < latest_end_before
    if both:
        found |= overlapped.fill_null(False)
    ordered = dated.sort("CHILD", start, end, nulls_last=True)
    return {table: ordered.filter(found)}


def not_carried_over(context: Context, table: str, start: str, end: str) -> Failures:
    """Where last year's return left a child's period open, this year's first period must
    be that one: the child's first row is found if it starts on another day, and the
    child's header row if the child has no rows in `table` at all."""
    still_open = (
        context.last_year(table)
        .filter(left_blank(context, table, end, last_year=True) & pl.col(start).is_not_null())
        .group_by("CHILD")
        .agg(pl.col(start).max().alias("_OPEN"))
    )
    rows = context.table(table)
    first_row = pl.col(ROW_COLUMN).sort_by(start, nulls_last=True).first().over("CHILD")
    firsts = rows.filter(pl.col(ROW_COLUMN) == first_row).join(still_open, on="CHILD")
    header = context.table("header").join(still_open, on="CHILD", how="semi")
    return {
        table: firsts.filter(pl.col(start).ne_missing(pl.col("_OPEN"))).drop("_OPEN"),
        "header": header.join(rows, on="CHILD", how="anti"),
    }


def open_when_care_ended(context: Context, table: str, start: str, end: str) -> Failures:
    """Rows of `table` with no end date although the child ceased to be looked after on
    or after the period started (an end date given but not readable is an end)."""
    open_rows = context.table(table).filter(left_blank(context, table, end))
    endings = context.table("episodes").filter(left_care(context)).select("CHILD", "DEC")
    ended = open_rows.join(endings, on="CHILD").filter(pl.col("DEC") >= pl.col(start))
    return rows_of(context, table, ended)
