"""Who a child's social worker is, and how many they have had: from the SSDA903 social
worker episodes (sw_episodes: CHILD, SW_ID, SW_DECOM, SW_DEC), defined once for the
indicators, the team manager's page and the access rules.

A social worker episode runs from SW_DECOM to SW_DEC inclusive (DfE counts a worker who
left on 1 April as one of that year's); an open episode (no SW_DEC) runs on.
"""

from __future__ import annotations

from datetime import date

import polars as pl


def social_workers_between(sw_episodes: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """How many different social workers each child had between `start` and `end`
    (both days included): columns CHILD and SOCIAL_WORKERS (a count of distinct SW_ID),
    for children with at least one. Source: DfE, children looked after in England,
    "children with three or more social workers in the year" (REQUIREMENTS.md; 001
    para 7.13)."""
    return (
        sw_episodes.filter(
            (pl.col("SW_DECOM") <= end)
            & (pl.col("SW_DEC").is_null() | (pl.col("SW_DEC") >= start))
            & pl.col("SW_ID").is_not_null()
        )
        .group_by("CHILD")
        .agg(SOCIAL_WORKERS=pl.col("SW_ID").n_unique())
    )


def social_worker_on(sw_episodes: pl.DataFrame, day: date) -> pl.DataFrame:
    """Each child's social worker on `day` (columns CHILD, SW_ID, SW_DECOM): the one whose
    episode began latest, where a handover leaves two open that day."""
    return (
        sw_episodes.filter(
            (pl.col("SW_DECOM") <= day) & (pl.col("SW_DEC").is_null() | (pl.col("SW_DEC") >= day))
        )
        .sort("SW_DECOM")
        .group_by("CHILD")
        .agg(pl.col("SW_ID").last(), pl.col("SW_DECOM").last())
    )
