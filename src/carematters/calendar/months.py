"""Calendar months, clamped to the month's end: 31 January plus one month is 28 or 29
February (DUTIES.md), as the Interpretation Act 1978 reads "month"."""

from __future__ import annotations

from datetime import date

import polars as pl


def add_months(days: pl.Expr, count: int) -> pl.Expr:
    """Each date `count` calendar months later, on the same day or the month's last."""
    return days.dt.offset_by(f"{count}mo")


def months_after(day: date, count: int) -> date:
    """`add_months` for one date."""
    result: date = pl.select(add_months(pl.lit(day), count)).item()
    return result
