"""DfE's cohort of children looked after continuously for twelve months at 31 March (the
OC2 cohort): defined once, for the outcome indicators and the validator alike.

A child is in it when in care on 31 March (an episode still open then), in a period of
care that began on or before 1 April of the year before (the child's first episode
touching the year began by then, and no episode in the year started a new period, RNE S,
or ended with the child leaving care, REC other than X1), and never during the year
accommodated under a series of short breaks (V3, V4), since DfE leaves children in
respite care out of the OC2 figures. An episode ending on 31 March itself leaves the
child out of care on 31 March.
"""

from __future__ import annotations

import polars as pl

from carematters.ssda903.codelists import code_group
from carematters.ssda903.years import CollectionYear


def looked_after_a_year(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """The children (column CHILD) in the cohort for `year`, from their episodes: a
    year's return or a whole care record, since only episodes touching the year count."""
    start, end = year.start, year.end
    # Groups of every year, not `year`'s: the indicators ask about years before the code
    # lists begin (2022-23), and these codes have meant the same in every year.
    started = code_group("reason_new_episode", "started_care")
    still_looked_after = code_group("reason_episode_ceased", "still_looked_after")
    short_breaks = code_group("legal_status", "short_breaks")
    verdict = (
        (pl.col("DECOM").min() <= start)
        & (pl.col("DEC").is_null() | (pl.col("DEC") > end)).any()
        & ~(pl.col("RNE").is_in(started) & (pl.col("DECOM") > start)).any()
        & ~(
            (pl.col("DEC") >= start)
            & (pl.col("DEC") <= end)
            & ~pl.col("REC").is_in(still_looked_after).fill_null(False)
        ).any()
        & ~pl.col("LS").is_in(short_breaks).any()
    )
    touching = episodes.filter(
        (pl.col("DECOM") <= end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= start))
    )
    return touching.group_by("CHILD").agg(verdict.alias("_IN")).filter("_IN").select("CHILD")
