"""A child's age on a day, as a Polars expression: one definition for the indicators
and the validator, so the two never disagree about who is 16."""

from __future__ import annotations

from datetime import date

import polars as pl


def age_on(dob: pl.Expr, on: date | pl.Expr) -> pl.Expr:
    """Age in whole years on a day (a birthday on 29 February falls on 1 March)."""
    day = pl.lit(on) if isinstance(on, date) else on
    years = day.dt.year() - dob.dt.year()
    before = (dob.dt.month() > day.dt.month()) | (
        (dob.dt.month() == day.dt.month()) & (dob.dt.day() > day.dt.day())
    )
    return years - before.cast(pl.Int32)
