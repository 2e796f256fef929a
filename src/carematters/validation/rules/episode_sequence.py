"""Rules about how a child's episodes begin, end and follow one another (DfE rules 380,
381, 383, 385 and 388), and the pieces other episode rules share: each child's episodes
in the order they began, the episode before or after, and how long an episode lasted.

Episodes are compared with the child's neighbouring episodes through Polars window
functions (a shift over CHILD after sorting by CHILD and DECOM), never row by row.
"""

from __future__ import annotations

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import end_or


def in_order(context: Context) -> pl.DataFrame:
    """This year's episodes, each child's in the order they began (file order on a tie);
    sorted once, however many rules ask."""
    return context.derived(
        "episodes in order", lambda: context.table("episodes").sort("CHILD", "DECOM", ROW_COLUMN)
    )


def first_episodes(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's first episode of `episodes`: the one starting earliest (both, if two
    start that day)."""
    return episodes.filter(pl.col("DECOM") == pl.col("DECOM").min().over("CHILD"))


def first_episodes_this_year(context: Context) -> pl.DataFrame:
    """Each child's first episode in this year's return (`first_episodes`), worked out
    once however many rules ask."""
    return context.derived("first episodes", lambda: first_episodes(context.table("episodes")))


def before(column: str, places: int = 1) -> pl.Expr:
    """`column` of the child's episode `places` earlier (null if there is none); the
    frame must be `in_order`, so a child's episodes are together and a plain shift finds
    the neighbour (much quicker than a window over each child)."""
    same_child = pl.col("CHILD").shift(places) == pl.col("CHILD")
    return pl.when(same_child).then(pl.col(column).shift(places))


def after(column: str, places: int = 1) -> pl.Expr:
    """`column` of the child's episode `places` later (null if there is none); the frame
    must be `in_order`."""
    return before(column, -places)


def days_lasted(context: Context) -> pl.Expr:
    """Days from an episode's start to its end, or to the year's end if it is still open
    (null if its end date could not be read: how long it lasted is not known)."""
    return (end_or(context, "episodes", "DEC", context.end) - pl.col("DECOM")).dt.total_days()


@rule(
    "380",
    "A period of care cannot start with a temporary placement.",
    tables=("episodes",),
    fields=("PLACE", "RNE"),
)
def starts_in_temporary_placement(context: Context) -> Failures:
    """A temporary placement is a short stay away from a usual one, so it cannot open care.

    It is reached by a change of placement and carer (reason P, or B with a change of legal
    status), never by starting to be looked after.
    """
    temporary = pl.col("PLACE").is_in(context.group("placement_type", "temporary"))
    mask = temporary & ~pl.col("RNE").is_in(["P", "B"])
    return context.failing("episodes", mask)


@rule(
    "381",
    "A period of care cannot end with a temporary placement.",
    tables=("episodes",),
    fields=("PLACE", "REC"),
)
def ends_in_temporary_placement(context: Context) -> Failures:
    """A child on a temporary move goes back to their usual placement, so does not leave care.

    An episode in a temporary placement ends with a new episode (X1).
    """
    temporary = pl.col("PLACE").is_in(context.group("placement_type", "temporary"))
    still = pl.col("REC").is_in(context.group("reason_episode_ceased", "still_looked_after"))
    mask = temporary & ~still
    return context.failing("episodes", mask)


def _postcode(expr: pl.Expr) -> pl.Expr:
    """A postcode compared without spaces or case, so 'ab1 2cd' is 'AB1 2CD'."""
    return expr.str.replace_all(" ", "").str.to_uppercase()


def _not_back_from_temporary(context: Context, *, same_postcode: bool) -> Failures:
    """Episodes after a temporary placement that are not a return (reason P) to the
    placement before it (and, if asked, its postcode): the usual placement is known only
    when there is an episode two before."""
    usual_known = before(ROW_COLUMN, 2).is_not_null()
    elsewhere = pl.col("PLACE") != before("PLACE", 2)
    if same_postcode:
        elsewhere |= _postcode(pl.col("PL_POST")) != _postcode(before("PL_POST", 2))
    mask = before("PLACE").is_in(context.group("placement_type", "temporary")) & (
        (pl.col("RNE") != "P") | (usual_known & elsewhere.fill_null(False))
    )
    return {"episodes": in_order(context).filter(mask.fill_null(False))}


@rule(
    "383",
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    tables=("episodes",),
    fields=("PLACE",),
    until="2024-25",
)
def temporary_placement_without_return(context: Context) -> Failures:
    """A temporary placement covers a short absence, after which the child goes back home.

    So the next episode must be a change of placement (P) back to the placement type before.
    """
    return _not_back_from_temporary(context, same_postcode=False)


@rule(
    "383",
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    tables=("episodes",),
    fields=("PLACE", "RNE", "PL_POST"),
    since="2025-26",
)
def temporary_placement_without_return_home(context: Context) -> Failures:
    """A temporary placement covers a short absence, after which the child goes back home.

    So the next episode must be a change of placement (P) back to the placement type and
    postcode before.
    """
    return _not_back_from_temporary(context, same_postcode=True)


@rule(
    "385",
    "Date episode ceased must be on or before the end of the current collection year.",
    tables=("episodes",),
    fields=("DEC",),
)
def ceased_after_year_end(context: Context) -> Failures:
    """The return describes the year to 31 March, so nothing in it can have ended later.

    An episode still going on then is left open.
    """
    return context.failing("episodes", pl.col("DEC") > context.end)


@rule(
    "388",
    "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
    tables=("episodes",),
    fields=("REC",),
)
def new_episode_code_without_new_episode(context: Context) -> Failures:
    """X1 says care went on in a new episode from the same day, so there must be one.

    And an episode followed by another from the same day did not end the child's care, so
    it must say X1.
    """
    next_same_day = after("DECOM") == pl.col("DEC")
    ended = pl.col("DEC").is_not_null()
    still = pl.col("REC").is_in(context.group("reason_episode_ceased", "still_looked_after"))
    mask = ended & ((still & ~next_same_day.fill_null(False)) | (~still & next_same_day))
    return {"episodes": in_order(context).filter(mask.fill_null(False))}
