"""Rules on how a child's episodes follow one another, within this year's return and on
from last year's (DfE rules 501, 502, 504 and 562)."""

from __future__ import annotations

import polars as pl

from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank
from carematters.validation.rules.episode_sequence import (
    before,
    first_episodes_this_year,
    in_order,
)

PERIOD = "_PERIOD"


@rule(
    "501",
    "A new episode has started before the end date of the previous episode.",
    tables=("episodes",),
    fields=("DECOM", "DEC"),
)
def episodes_overlap(context: Context) -> Failures:
    """A child is in one placement, under one legal status, at a time: an episode starting
    before the one before it ended double-counts days in care."""
    return {"episodes": in_order(context).filter(pl.col("DECOM") < before("DEC"))}


@rule(
    "502",
    "Last year's record ended with an open episode. The date on which that episode started "
    "does not match the start date of the first episode on this year\u2019s record.",
    tables=("episodes",),
    fields=("DECOM",),
    needs="previous",
)
def open_episode_not_carried_on(context: Context) -> Failures:
    """An episode still open at the end of last year carries on into this year, so this
    year's first episode is that one, with the same start date. Last year's episode with
    an end date given but not readable had ended."""
    still_open = (
        context.last_year("episodes")
        .filter(left_blank(context, "episodes", "DEC", last_year=True))
        .select("CHILD", "DECOM")
        .drop_nulls()
    )
    continuing = pl.col("CHILD").is_in(still_open["CHILD"].implode())
    first = first_episodes_this_year(context).filter(continuing)
    return {"episodes": first.join(still_open, on=["CHILD", "DECOM"], how="anti")}


@rule(
    "504",
    "The category of need code differs from that reported at start of current period of "
    "being looked after",
    tables=("episodes",),
    fields=("CIN",),
)
def need_changed_within_period(context: Context) -> Failures:
    """The category of need records why a child came into care, so it stays as it was at
    the start of the period of care however the placement or legal status changes.

    A period of care goes on while each episode ends with X1 (still looked after) on the day
    the next starts; its start is taken from this year's return."""
    still = context.group("reason_episode_ceased", "still_looked_after")
    carries_on = before("REC").is_in(still) & (before("DEC") == pl.col("DECOM"))
    # Numbered across the whole table (sorted by child), a period starts at each episode
    # that does not carry on the one before, including each child's first.
    periods = in_order(context).with_columns((~carries_on.fill_null(False)).cum_sum().alias(PERIOD))
    changed = pl.col("CIN") != pl.col("CIN").first().over(PERIOD)
    return {"episodes": periods.filter(changed).drop(PERIOD)}


@rule(
    "562",
    "Episode commenced before the start of the current collection year but there is a "
    "missing continuous episode in the previous year.",
    tables=("episodes",),
    fields=("DECOM",),
    needs="previous",
)
def earlier_episode_missing_last_year(context: Context) -> Failures:
    """A child's first episode this year, if it began before 1 April, was their latest
    episode in last year's return: if it is not there, an episode is missing from one of
    the two returns."""
    last_year = context.last_year("episodes")
    latest = last_year.filter(pl.col("DECOM") == pl.col("DECOM").max().over("CHILD"))
    carried = first_episodes_this_year(context).filter(pl.col("DECOM") < context.start)
    return {
        "episodes": carried.join(latest.select("CHILD", "DECOM"), on=["CHILD", "DECOM"], how="anti")
    }
