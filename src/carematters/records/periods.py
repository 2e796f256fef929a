"""Periods of care, and who is looked after on a day: defined once for the package.

A child becomes looked after at the start of a period of care; episodes follow on in
one period when the earlier ended with REC X1 ("episode ceases, and new episode begins
on same day") on the day the next began (DUTIES.md; DfE's SSDA903 guide). Continuity is
read from the dates and REC rather than from RNE S alone, so a miscoded RNE does not
split or join periods. A child is looked after on a day when an episode has begun by
then and not ended: an episode ending on a day leaves the child out of care that day
(`open_on`), though they were looked after for part of it (`open_during`).
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import polars as pl

from carematters.ssda903.codelists import code_group

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
"""Each function takes episodes eagerly or lazily, and gives back the same kind."""


def periods_of_care(episodes: Frame) -> Frame:
    """The episodes (any columns, with CHILD, DECOM, DEC, RNE and REC), sorted by child
    and start, with PERIOD_START (the day the episode's period of care began) and
    PLACEMENT_START (the day its placement began: a period's start, or an episode whose
    RNE changes the placement). Source: DfE SSDA903 guide, RNE and REC codes."""
    ordered = episodes.sort("CHILD", "DECOM")
    still = code_group("reason_episode_ceased", "still_looked_after")
    joined = (
        (pl.col("CHILD") == pl.col("CHILD").shift(1))
        & pl.col("REC").shift(1).is_in(still)
        & (pl.col("DEC").shift(1) == pl.col("DECOM"))
    ).fill_null(value=False)
    new_placement = code_group("reason_new_episode", "new_placement")
    return ordered.with_columns(
        PERIOD_START=pl.when(joined).then(None).otherwise(pl.col("DECOM")),
        PLACEMENT_START=pl.when(pl.col("RNE").is_in(new_placement) | ~joined).then(pl.col("DECOM")),
    ).with_columns(
        # Sorted by child, and a child's first episode always starts both (it joins no
        # earlier one), so filling down never carries one child's dates to the next.
        pl.col("PERIOD_START", "PLACEMENT_START").forward_fill()
    )


def looked_after_on(episodes: Frame, day: date) -> Frame:
    """The episode (with PERIOD_START and PLACEMENT_START) each child looked after on
    `day` is in; children not looked after that day have no row."""
    return open_on(periods_of_care(episodes), day)


def open_on(episodes: Frame, day: date | pl.Expr) -> Frame:
    """The episodes open on `day` (a date, or a Date column giving each row's day):
    begun by then and not ended (DEC after it, or none)."""
    return episodes.filter(
        (pl.col("DECOM") <= day) & (pl.col("DEC").is_null() | (pl.col("DEC") > day))
    )


def open_during(episodes: Frame, day: date) -> Frame:
    """The episodes open at some time on `day`: begun by then and not ended before it.
    The day care ends counts, unlike in `open_on`: a child seen on the morning they
    went home was visited while looked after."""
    return episodes.filter(
        (pl.col("DECOM") <= day) & (pl.col("DEC").is_null() | (pl.col("DEC") >= day))
    )
