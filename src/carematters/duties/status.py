"""Care status derived from the episodes: periods of care, and where a child is on a day.

Episodes joined by REC = X1 (the next starting the same day) are one period of care; a
period starts when a child becomes looked after (DUTIES.md: "a child becomes looked
after at the start of a period of care").
"""

from __future__ import annotations

from datetime import date

import polars as pl

SHORT_BREAKS = ("V3", "V4")
NEW_PLACEMENT = ("S", "P", "B", "T", "U")
"""Reasons for a new episode that start a placement (the others change legal status only)."""


def periods_of_care(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each episode with the start of its period of care (PERIOD_START) and of its
    placement (PLACEMENT_START)."""
    ordered = episodes.sort("CHILD", "DECOM")
    joined = (
        (pl.col("CHILD") == pl.col("CHILD").shift(1))
        & (pl.col("REC").shift(1) == "X1")
        & (pl.col("DEC").shift(1) == pl.col("DECOM"))
    )
    return ordered.with_columns(
        PERIOD_START=pl.when(joined.fill_null(value=False)).then(None).otherwise(pl.col("DECOM")),
        PLACEMENT_START=pl.when(
            pl.col("RNE").is_in(NEW_PLACEMENT) | ~joined.fill_null(value=False)
        ).then(pl.col("DECOM")),
    ).with_columns(pl.col("PERIOD_START", "PLACEMENT_START").forward_fill().over("CHILD"))


def looked_after_on(episodes: pl.DataFrame, day: date) -> pl.DataFrame:
    """The episode each child is in on `day` (children not looked after have none)."""
    return periods_of_care(episodes).filter(
        (pl.col("DECOM") <= day) & (pl.col("DEC").is_null() | (pl.col("DEC") > day))
    )


def in_care_not_on_short_breaks(tables: dict[str, pl.DataFrame], day: date) -> pl.DataFrame:
    """Children looked after on `day` other than on agreed short breaks (V3/V4), whose
    reviews, visits, plans and health checks follow regulation 48 instead."""
    return looked_after_on(tables["episodes"], day).filter(~pl.col("LS").is_in(SHORT_BREAKS))


def with_birth(frame: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """`frame` with each child's DOB from the Header."""
    return frame.join(tables["header"].select("CHILD", "DOB"), on="CHILD", how="left")
