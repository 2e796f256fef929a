"""Rules about the decisions that a child should be placed for adoption, one a row of the
placed-for-adoption table, over this year and last (DfE rules 579, 583 and 584)."""

from __future__ import annotations

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank, overlapping_earlier, provided

TABLE = "placed_for_adoption"


def decision_reversed(context: Context, *, last_year: bool = False) -> pl.Expr:
    """This year's decision (last year's, with `last_year`) to place the child for
    adoption was reversed: a date or a reason given for its end, even a date that could
    not be read. The child should no longer be placed for adoption."""
    date_given = provided(context, TABLE, "DATE_PLACED_CEASED", last_year=last_year)
    return date_given | ~blank("REASON_PLACED_CEASED")


@rule(
    "579",
    "A new decision that the child should be placed for adoption this year cannot start when "
    "the previous decision is still open. Decisions to place the child for adoption should also "
    "not overlap. The date of any new decision to place the child for adoption must not be before "
    "the date placed ceased of previous decisions.",
    tables=(TABLE,),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def adoption_decisions_overlap(context: Context) -> Failures:
    """Only one decision to place a child for adoption stands at a time: a new one can
    only follow the end of the last."""
    return overlapping_earlier(context, TABLE, "DATE_PLACED", "DATE_PLACED_CEASED")


@rule(
    "583",
    "More than one date the child should be placed for adoption has been reported, but an "
    "earlier decision has not been revoked. Check that both dates are required and add in the "
    "date the earlier decision was revoked. Note this may be in a previous year.",
    tables=(TABLE,),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def earlier_adoption_decision_open(context: Context) -> Failures:
    """A child with a later decision to be placed for adoption must have had every earlier
    decision revoked, with the date it ceased."""
    latest = pl.col(ROW_COLUMN).sort_by("DATE_PLACED", descending=True, nulls_last=True)
    return context.failing(
        TABLE,
        (pl.col(ROW_COLUMN) != latest.first().over("CHILD"))
        & left_blank(context, TABLE, "DATE_PLACED_CEASED"),
    )


@rule(
    "584",
    "Date of decision that the child should be placed for adoption this year is different from "
    "that recorded last year, but the decision to placed the child for adoption changed and the "
    "child should no longer be placed for adoption.",
    tables=(TABLE,),
    fields=("DATE_PLACED",),
    needs="previous",
)
def adoption_decision_after_revoked(context: Context) -> Failures:
    """A decision that ceased last year is over: a decision this year must be a new one,
    made after it, not the old one given a different date."""
    ceased_last_year = (
        context.last_year(TABLE)
        .filter(pl.col("DATE_PLACED").is_not_null() & decision_reversed(context, last_year=True))
        .group_by("CHILD")
        .agg(pl.col("DATE_PLACED").max().alias("_CEASED_DECISION"))
    )
    rows = context.table(TABLE).join(ceased_last_year, on="CHILD")
    not_after = left_blank(context, TABLE, "DATE_PLACED") | (
        pl.col("DATE_PLACED") <= pl.col("_CEASED_DECISION")
    )
    return {TABLE: rows.filter(not_after).drop("_CEASED_DECISION")}
