"""Rules about legal status (DfE rules 361-367, 378, 382, 384, 393, 398 and 399): how long
short-lived orders may last, and what may or may not be recorded for a child accommodated
only under an agreed series of short breaks (V3, V4).

An order lasts across the child's consecutive episodes under it (a placement may change
during an EPO), so its length is measured over each run of the child's episodes under
that status where each starts the day the one before ended. An open episode is counted
to the end of the year: it has lasted at least that long.
"""

from __future__ import annotations

import polars as pl

from carematters.validation.checks import blank, female
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import end_or, law, provided
from carematters.validation.rules.episode_sequence import before, days_lasted, in_order

HOURS_IN_A_DAY = 24
"""Not law, arithmetic: turns the hours police protection may last into the whole days
episodes are dated in."""


def _order_lasted_longer(context: Context, status: str, days: int) -> Failures:
    """Episodes under `status` in a run of them lasting more than `days` in all (an end
    date that could not be read adds no days)."""
    continues = (before("LS") == status) & (before("DEC") == pl.col("DECOM"))
    first_day = pl.col("DECOM").min().over("_SPELL")
    last_day = end_or(context, "episodes", "DEC", context.end).max().over("_SPELL")
    episodes = (
        in_order(context)
        .with_columns((~continues.fill_null(False)).cum_sum().alias("_SPELL"))
        .filter(pl.col("LS") == status)
        .filter(((last_day - first_day).dt.total_days() > days).fill_null(False))
    )
    return {"episodes": episodes.drop("_SPELL")}


@rule(
    "361",
    "Police protection legal status lasted longer than maximum 72 hours allowed in the "
    "Children Act 1989.",
    tables=("episodes",),
    fields=("DECOM", "LS", "DEC"),
)
def police_protection_too_long(context: Context) -> Failures:
    """Police protection lasts at most 72 hours in law (Children Act 1989, section 46).

    A longer L1 spell means the legal status or its dates are wrong.
    """
    hours = law(context, "validation.police_protection")
    return _order_lasted_longer(context, "L1", hours // HOURS_IN_A_DAY)


@rule(
    "362",
    "Emergency protection order (EPO) lasted longer than 21 days",
    tables=("episodes",),
    fields=("DECOM", "LS", "DEC"),
)
def emergency_protection_too_long(context: Context) -> Failures:
    """An emergency protection order lasts at most 8 days, extended once by at most 7, so
    a far longer spell is not one.

    A longer L2 spell means the legal status or its dates are wrong.
    """
    # 21 days is DfE's tolerance, not law (the law's 8 and 7 days are in section 45 of the
    # Children Act 1989): kept as DfE set it, so this rule finds what DfE's does.
    return _order_lasted_longer(context, "L2", 21)


@rule(
    "363",
    "Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.",
    tables=("episodes",),
    fields=("LS", "DECOM", "DEC"),
)
def assessment_order_too_long(context: Context) -> Failures:
    """A child assessment order lasts at most 7 days in law (Children Act 1989, section 43).

    A longer L3 spell means the legal status or its dates are wrong.
    """
    return _order_lasted_longer(context, "L3", law(context, "validation.child_assessment_order"))


@rule(
    "364",
    "Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a "
    "child can be detained in custody in Local Authority (LA) accommodation.",
    tables=("episodes",),
    fields=("LS", "DECOM", "DEC"),
)
def pace_accommodation_too_long(context: Context) -> Failures:
    """PACE lets a child be held in council accommodation only briefly, until court.

    A J2 spell of more than 21 days means the legal status or its dates are wrong.
    """
    # 21 days is DfE's tolerance, not a limit set in law.
    return _order_lasted_longer(context, "J2", 21)


@rule(
    "365",
    "Any individual short- term respite placement must not exceed 17 days.",
    tables=("episodes",),
    fields=("LS", "DECOM", "DEC"),
)
def short_break_too_long(context: Context) -> Failures:
    """A single short break lasts at most 17 days; a longer stay is not a short break.

    The child should then be recorded under another legal status.
    """
    longest = law(context, "short_breaks.longest_break")
    return context.failing("episodes", (pl.col("LS") == "V3") & (days_lasted(context) > longest))


@rule(
    "366",
    "A child cannot change placement during the course of an individual short-term respite break.",
    tables=("episodes",),
    fields=("RNE",),
)
def short_break_changes_placement(context: Context) -> Failures:
    """Each short break is its own period of care in one placement, so it cannot move.

    A V3 episode must start a period of care (reason S), not continue one with a move.
    """
    started = pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))
    return context.failing("episodes", (pl.col("LS") == "V3") & ~started)


@rule(
    "367",
    "The maximum amount of respite care allowable is 75 days in any 12-month period.",
    tables=("episodes",),
    fields=("LS", "DECOM", "DEC"),
)
def too_much_respite(context: Context) -> Failures:
    """Short breaks add up to at most 75 days a year; beyond that the child is cared for otherwise.

    The law's 75 days in any 12 months (CPPCR 2010 reg 48, `short_breaks.total_in_a_year`)
    are counted over this collection year, the one the return holds, as DfE's rule counts
    them; a break whose end date could not be read adds no days.
    """
    start = pl.max_horizontal(pl.col("DECOM"), pl.lit(context.start))
    # A clip, not min_horizontal, which would take 31 March for an end date not readable.
    end = end_or(context, "episodes", "DEC", context.end).clip(upper_bound=pl.lit(context.end))
    days = (end - start).dt.total_days()
    breaks = context.table("episodes").filter(
        (pl.col("LS") == "V3") & pl.col("DECOM").is_not_null() & (days > 0)
    )
    most = law(context, "short_breaks.total_in_a_year")
    return {"episodes": breaks.filter(days.sum().over("CHILD") > most)}


@rule(
    "378",
    "A child who is placed with parent(s) cannot be looked after under a single period of "
    "accommodation under Section 20 of the Children Act 1989.",
    tables=("episodes",),
    fields=("PLACE", "LS"),
)
def accommodated_with_parents(context: Context) -> Failures:
    """Section 20 accommodation is care away from home, so not with the child's own parents."""
    with_parents = pl.col("PLACE").is_in(context.group("placement_type", "with_parents"))
    section_20 = pl.col("LS").is_in(context.group("legal_status", "section_20"))
    return context.failing("episodes", with_parents & section_20)


@rule(
    "382",
    "A child receiving respite care cannot be in a temporary placement.",
    tables=("episodes",),
    fields=("LS", "PLACE"),
)
def short_break_in_temporary_placement(context: Context) -> Failures:
    """A short break is itself a short stay away, with no usual placement to be away from."""
    short_breaks = pl.col("LS").is_in(context.group("legal_status", "short_breaks"))
    mask = short_breaks & pl.col("PLACE").is_in(context.group("placement_type", "temporary"))
    return context.failing("episodes", mask)


@rule(
    "384",
    "A child receiving respite care cannot be in a long-term foster placement ",
    tables=("episodes",),
    fields=("PLACE", "LS"),
)
def short_break_in_long_term_fostering(context: Context) -> Failures:
    """Long-term fostering is a permanent home, which a series of short breaks is not."""
    short_breaks = pl.col("LS").is_in(context.group("legal_status", "short_breaks"))
    long_term = pl.col("PLACE").is_in(context.group("placement_type", "long_term_foster"))
    mask = short_breaks & long_term
    return context.failing("episodes", mask)


@rule(
    "398",
    "Distance field completed but child looked after under legal status V3 or V4.",
    tables=("episodes",),
    fields=("LS", "HOME_POST", "PL_POST"),
)
def short_break_with_postcodes(context: Context) -> Failures:
    """DfE does not collect placement distance for short breaks, so no postcodes are given.

    Distance is worked out from the home and placement postcodes.
    """
    given = ~blank("HOME_POST") | ~blank("PL_POST")
    short_breaks = pl.col("LS").is_in(context.group("legal_status", "short_breaks"))
    return context.failing("episodes", short_breaks & given)


def _looked_after(context: Context) -> pl.Expr:
    """The child has an episode under a legal status other than short breaks (a blank
    status counts as other)."""
    episodes = context.table("episodes")
    short_breaks = context.group("legal_status", "short_breaks")
    other = episodes.filter(pl.col("LS").is_null() | ~pl.col("LS").is_in(short_breaks))
    return pl.col("CHILD").is_in(other["CHILD"].implode())


def _on_short_breaks_only(context: Context) -> pl.Expr:
    """The child has episodes, and every one is under a short-breaks legal status."""
    has_episodes = pl.col("CHILD").is_in(context.table("episodes")["CHILD"].implode())
    return has_episodes & ~_looked_after(context)


@rule(
    "393",
    "Child is looked after but mother field is not completed.",
    tables=("header", "episodes"),
    fields=("MOTHER",),
)
def looked_after_girl_without_mother(context: Context) -> Failures:
    """DfE counts looked-after girls who are mothers, so each must say whether she is one.

    A girl only on short breaks (V3, V4) is not asked.
    """
    mask = female() & _looked_after(context) & blank("MOTHER")
    return context.failing("header", mask)


@rule(
    "399",
    "Mother field, review field or participation field are completed but child is looked "
    "after under legal status V3 or V4.",
    tables=("episodes", "header", "reviews"),
    fields=("MOTHER", "LS", "REVIEW", "REVIEW_CODE"),
)
def short_breaks_with_mother_or_reviews(context: Context) -> Failures:
    """Motherhood and reviews are not collected for a child only on short breaks.

    A value there means the legal status or the value is wrong.
    """
    only_breaks = _on_short_breaks_only(context)
    header = context.table("header").filter(only_breaks & ~blank("MOTHER"))
    given = provided(context, "reviews", "REVIEW") | ~blank("REVIEW_CODE")
    reviews = context.table("reviews").filter(only_breaks & given)
    children = pl.concat([header["CHILD"], reviews["CHILD"]]).implode()
    episodes = context.table("episodes").filter(pl.col("CHILD").is_in(children))
    return {"header": header, "reviews": reviews, "episodes": episodes}
