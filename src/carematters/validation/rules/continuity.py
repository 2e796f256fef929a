"""Rules comparing this year's return with last year's (DfE rules 503A-503F and NoE),
and the header's children with their episodes (EPI).

An episode still open on 31 March carries on into the next year: this year's return
repeats it as the child's first episode, so what it said about the child's legal status,
need and placement must match. The comparison takes each child's first episode this year
(the earliest start) and last year's latest episode, when that was still open.
"""

from __future__ import annotations

import polars as pl

from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank
from carematters.validation.rules.episode_sequence import first_episodes

LAST = "_LAST"
"""Suffix of last year's columns beside this year's."""


def first_beside_open(context: Context, this: pl.DataFrame, last: pl.DataFrame) -> pl.DataFrame:
    """Each child's first episode in `this` year's episodes, beside (columns suffixed
    `_LAST`) the child's latest episode in `last` year's (rows of last year's episodes)
    if it had not ceased: an end date given but not readable is an end."""
    first = first_episodes(this)
    still_open = (
        last.filter(pl.col("DECOM").is_not_null())
        .sort("DECOM")
        .unique("CHILD", keep="last", maintain_order=True)
        .filter(left_blank(context, "episodes", "DEC", last_year=True))
    )
    return first.join(still_open, on="CHILD", how="inner", suffix=LAST)


def _not_carried_over(
    context: Context, column: str, recoded: tuple[str, tuple[str, ...]] | None = None
) -> Failures:
    """First episodes whose `column` differs from last year's open episode; `recoded`
    (an old code and the codes replacing it) is a change DfE allows in the year."""
    this = context.table("episodes")
    pairs = context.derived(
        "first episodes beside last year's open ones",
        lambda: first_beside_open(context, this, context.last_year("episodes")),
    )
    differs = pl.col(column).ne_missing(pl.col(column + LAST))
    if recoded is not None:
        old, new = recoded
        differs &= ~((pl.col(column + LAST) == old) & pl.col(column).is_in(new)).fill_null(False)
    return {"episodes": pairs.filter(differs).select(this.columns)}


@rule(
    "503A",
    "The reason for new episode in the first episode does not match open episode at end of "
    "last year.",
    tables=("episodes",),
    fields=("RNE",),
    needs="previous",
)
def reason_new_episode_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same episode this year, so why it
    began cannot have changed."""
    return _not_carried_over(context, "RNE")


@rule(
    "503B",
    "The legal status in the first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("LS",),
    needs="previous",
)
def legal_status_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same episode this year: a change of
    legal status would have started a new episode."""
    return _not_carried_over(context, "LS")


@rule(
    "503C",
    "The category of need in the first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("CIN",),
    needs="previous",
)
def category_of_need_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same episode this year, so the need
    recorded for it cannot have changed."""
    return _not_carried_over(context, "CIN")


@rule(
    "503D",
    "The placement type in the first episode does not match open episode at end of last year",
    tables=("episodes",),
    fields=("PLACE",),
    until="2024-25",
    needs="previous",
)
def placement_type_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year: a change of
    placement type would have started a new episode (semi-independent living, H5, may
    become supported accommodation, K3, as DfE introduced it)."""
    return _not_carried_over(context, "PLACE", ("H5", ("K3",)))


@rule(
    "503D",
    "The placement type in the first episode does not match open episode at end of last year",
    tables=("episodes",),
    fields=("PLACE",),
    since="2025-26",
    needs="previous",
)
def placement_type_carried_over_from_2025(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year: a change of
    placement type would have started a new episode (an 'other' placement, Z1, becomes one
    of the codes Z11-Z14 that replaced it)."""
    return _not_carried_over(context, "PLACE", ("Z1", context.group("placement_type", "other")))


@rule(
    "503E",
    "The placement provider in the first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("PLACE_PROVIDER",),
    needs="previous",
)
def placement_provider_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year, so it has
    the same provider."""
    return _not_carried_over(context, "PLACE_PROVIDER")


@rule(
    "503F",
    "The Ofsted URN in the  first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("URN",),
    needs="previous",
)
def ofsted_urn_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year, so it is in
    the same Ofsted-registered setting."""
    return _not_carried_over(context, "URN")


@rule(
    "NoE",
    "This child has no episodes loaded for previous year even though child started to be "
    "looked after before this current year.",
    tables=("episodes",),
    fields=("DECOM",),
    needs="previous",
)
def episode_missing_last_year(context: Context) -> Failures:
    """An episode that began before 1 April was going on last year, so last year's return
    must have the child's episodes too."""
    known = context.last_year("episodes")["CHILD"].implode()
    return context.failing(
        "episodes", (pl.col("DECOM") < context.start) & ~pl.col("CHILD").is_in(known)
    )


@rule(
    "EPI",
    "WARNING: Episodes need to be loaded for this child before further validation is "
    "possible [NOTE: This refers to the DfE portal - here, all checks that can be performed "
    "with only the available data will be.]",
    tables=("header",),
    fields=("CHILD",),
)
def child_without_episodes(context: Context) -> Failures:
    """A child is in the return because they were looked after, or are a care leaver with
    an OC3 record; a header with neither is a child whose episodes have not been given."""
    accounted = pl.concat([context.table(t).select("CHILD") for t in ("episodes", "oc3")])
    return context.failing("header", ~pl.col("CHILD").is_in(accounted["CHILD"].implode()))
