"""Rules about a child's previous permanence option: an adoption, special guardianship or
child arrangements order before this period of care (DfE rules 630-635).

DATE_PERM may hide unknown parts behind zz (day, month) or zzzz (year). It is a real
date if some date fits it, and counts as earlier than a day only if its earliest
possible date is (so an unknown part is never held against the authority).

Rule 633 checks LA_PERM against the authorities of the published postcode list
(needs="postcodes", its LA column: DfE's three-digit authority codes), plus the codes
for orders made elsewhere in the UK or abroad.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.validation.checks import code_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import provided

NO_PREVIOUS = "Z1"
OUTSIDE_ENGLAND = ("WAL", "SCO", "NIR", "NUK")
"""LA_PERM for an order made in Wales, Scotland, Northern Ireland or outside the UK."""
FIRST_COLLECTED = date(2016, 4, 1)
"""DfE's: previous permanence is collected for children starting care from this day."""
PERMANENCE_FIELDS = ("PREV_PERM", "LA_PERM", "DATE_PERM")


def _answered(context: Context) -> pl.Expr:
    """The previous permanence row says enough: an option, and for an order (not Z1)
    where and when it was made."""

    def given(column: str) -> pl.Expr:
        return provided(context, "previous_permanence", column)

    order_details = given("LA_PERM") & given("DATE_PERM")
    return given("PREV_PERM") & ((pl.col("PREV_PERM") == NO_PREVIOUS) | order_details)


@rule(
    "630",
    "Information on previous permanence option should be returned.",
    tables=("episodes",),
    fields=("RNE",),
)
def previous_permanence_missing(context: Context) -> Failures:
    """Whether a child starting care had left care before to adoption, special
    guardianship or a child arrangements order shows how often permanence breaks down."""
    answered = context.table("previous_permanence").filter(_answered(context))
    return context.failing(
        "episodes",
        pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))
        & pl.col("DECOM").is_between(context.start, context.end)
        & ~pl.col("CHILD").is_in(answered["CHILD"].implode()),
    )


@rule(
    "631",
    "Previous permanence option not a valid value.",
    tables=("previous_permanence",),
    fields=("PREV_PERM",),
)
def previous_permanence_code(context: Context) -> Failures:
    """The previous permanence option must be one of DfE's codes to be counted."""
    return code_rule(
        context, "previous_permanence", "PREV_PERM", "previous_permanence", required=False
    )


def _earliest(partial: pl.Expr) -> pl.Expr:
    """The earliest date a dd/mm/yyyy date with zz parts could be (zzzz: year 2000, a
    leap year, so that 29/02 is allowed)."""
    filled = (
        partial.str.to_lowercase()
        .str.replace(r"^zz/", "01/")
        .str.replace(r"/zz/", "/01/")
        .str.replace(r"/zzzz$", "/2000")
    )
    return filled.str.strptime(pl.Date, "%d/%m/%Y", strict=False)


@rule(
    "632",
    "Date of previous permanence order not a valid value. NOTE: This rule may result in false "
    "negatives where the period of care started before the current collection year",
    tables=("previous_permanence",),
    fields=("DATE_PERM", "DECOM"),
)
def previous_permanence_date(context: Context) -> Failures:
    """The previous order's date must be a real date (parts may be unknown) before the
    child's latest period of care began: the order came first."""
    episodes = context.table("episodes")
    started = context.group("reason_new_episode", "started_care")
    care_began = episodes.group_by("CHILD").agg(
        pl.coalesce(
            pl.col("DECOM").filter(pl.col("RNE").is_in(started)).max(), pl.col("DECOM").min()
        ).alias("_BEGAN")
    )
    rows = context.table("previous_permanence").join(care_began, on="CHILD", how="left")
    earliest = _earliest(pl.col("DATE_PERM"))
    year_known = ~pl.col("DATE_PERM").str.to_lowercase().str.ends_with("zzzz")
    wrong = (
        context.unreadable("previous_permanence", "DATE_PERM")
        | (pl.col("DATE_PERM").is_not_null() & earliest.is_null())
        | (year_known & (earliest >= pl.col("_BEGAN")))
    )
    return {"previous_permanence": rows.filter(wrong.fill_null(False)).drop("_BEGAN")}


@rule(
    "633",
    "Local authority code where previous permanence option was arranged is not a valid value.",
    tables=("previous_permanence",),
    fields=("LA_PERM",),
    needs="postcodes",
)
def previous_permanence_authority(context: Context) -> Failures:
    """Where the previous order was made must be an authority's code (or one for outside
    England), so that orders can be traced to the authority that arranged them."""
    authorities = context.lists["postcodes"]["LA"].cast(pl.String).unique()
    valid = pl.concat([authorities, pl.Series("LA", OUTSIDE_ENGLAND)]).implode()
    return context.failing(
        "previous_permanence", pl.col("LA_PERM").is_not_null() & ~pl.col("LA_PERM").is_in(valid)
    )


@rule(
    "634",
    "There are entries for previous permanence options, but child has not started to be "
    "looked after from 1 April 2016 onwards.",
    tables=("previous_permanence",),
    fields=("LA_PERM", "PREV_PERM", "DATE_PERM", "DECOM"),
)
def previous_permanence_before_collected(context: Context) -> Failures:
    """Previous permanence is only collected for children who started care from 1 April
    2016, so entries for a child whose episodes all began earlier should not be there."""
    since_collected = context.table("episodes").filter(pl.col("DECOM") >= FIRST_COLLECTED)
    entries = pl.any_horizontal(
        provided(context, "previous_permanence", c) for c in PERMANENCE_FIELDS
    )
    return context.failing(
        "previous_permanence",
        entries & ~pl.col("CHILD").is_in(since_collected["CHILD"].implode()),
    )


@rule(
    "635",
    "There are entries for date of order and local authority code where previous permanence "
    "option was arranged but previous permanence code is Z1",
    tables=("previous_permanence",),
    fields=("LA_PERM", "DATE_PERM", "PREV_PERM"),
)
def previous_permanence_details_for_none(context: Context) -> Failures:
    """Z1 says there was no previous permanence order (or it is not known), so there is
    no order whose date or authority could be given."""
    details = provided(context, "previous_permanence", "LA_PERM") | provided(
        context, "previous_permanence", "DATE_PERM"
    )
    return context.failing("previous_permanence", (pl.col("PREV_PERM") == NO_PREVIOUS) & details)
