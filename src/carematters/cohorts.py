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

from carematters.ssda903.years import CollectionYear

SHORT_BREAKS = ("V3", "V4")
"""Legal statuses of a child accommodated only under an agreed series of short breaks:
the child lives at home between them."""
STILL_LOOKED_AFTER = "X1"
"""The reason an episode ceased when the child stays looked after (a change of placement
or legal status): any other reason means the child left care."""


def looked_after_a_year(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """The children (column CHILD) in the cohort for `year`, from their episodes: a
    year's return or a whole care record, since only episodes touching the year count."""
    start, end = year.start, year.end
    verdict = (
        (pl.col("DECOM").min() <= start)
        & (pl.col("DEC").is_null() | (pl.col("DEC") > end)).any()
        & ~((pl.col("RNE") == "S") & (pl.col("DECOM") > start)).any()
        & ~(
            (pl.col("DEC") >= start)
            & (pl.col("DEC") <= end)
            & pl.col("REC").ne_missing(STILL_LOOKED_AFTER)
        ).any()
        & ~pl.col("LS").is_in(SHORT_BREAKS).any()
    )
    touching = episodes.filter(
        (pl.col("DECOM") <= end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= start))
    )
    return touching.group_by("CHILD").agg(verdict.alias("_IN")).filter("_IN").select("CHILD")
