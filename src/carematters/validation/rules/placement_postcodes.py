"""Rules about where a child is placed, as DfE works it out from the postcodes (DfE rules
406, 420, 452, 453 and 454), and the pieces other rules share: the local authority a
placement is in, and how far it is from the child's home.

The return gives only the postcodes of the child's home (HOME_POST) and placement
(PL_POST); DfE derives the local authority of placement (PL_LA) and the distance from
home (PL_DISTANCE) from them. These rules derive them the same way, from the published
list "postcodes", one row per postcode, with columns:

    POSTCODE  a full postcode (matched without spaces or case: "zz1 1aa" is "ZZ11AA")
    LA        the local authority it lies in: for England the authority's DfE code, in
              the same form as the authority's own code (--la-code); elsewhere DfE's code
              for a placement outside England: WAL, SCO or NIR (CON and NUK, DfE's other
              such codes, are treated as outside England too)
    X, Y      its easting and northing in metres on the British National Grid (as in the
              ONS postcode directory)

A postcode that is blank or not in the list has no LA of placement and no distance, as
in DfE's derivation. The distance is DfE's: the straight line between the two postcodes
in miles, to one decimal place. Last year's episodes (452, 453) are placed with the same
list, so an episode carried on at the same postcodes always agrees with itself.

A child is taken to be (or to have been) an unaccompanied asylum-seeking child if they
have a row in the UASC table this year or, when it is given, in last year's return (see
`rules.uasc`); children who were UASC two years ago are not seen.
"""

from __future__ import annotations

import polars as pl

from carematters import geography
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules.continuity import LAST, first_beside_open

POSTCODES = "postcodes"
"""The published list of postcodes, with their local authority and grid position."""
OUTSIDE_ENGLAND = ("CON", "NIR", "NUK", "SCO", "WAL")
"""DfE's codes for a local authority of placement outside England."""
FURTHEST_EXPECTED_MILES = 350
SAME_DISTANCE_MILES = 0.2
"""Distances closer than this are the same (each is rounded to 0.1 mile)."""


def located(context: Context) -> pl.DataFrame:
    """The postcode list given, one row per postcode as compared (`geography.located`)."""
    return geography.located(context.lists[POSTCODES])


def placed(context: Context, episodes: pl.DataFrame) -> pl.DataFrame:
    """`episodes` (this year's or last year's) with PL_LA and PL_DISTANCE as DfE derives
    them from the postcode list given (`geography.placed`)."""
    return geography.placed(episodes, context.lists[POSTCODES])


def placed_this_year(context: Context) -> pl.DataFrame:
    """This year's episodes, `placed` (once, however many rules ask)."""
    return context.derived("episodes placed", lambda: placed(context, context.table("episodes")))


def placed_outside_england() -> pl.Expr:
    """The placement's LA (from `placed`) is outside England; a placement whose LA is not
    known is not."""
    return pl.col("PL_LA").is_in(OUTSIDE_ENGLAND).fill_null(False)


def asylum_seeker_now_or_last_year(context: Context) -> pl.Expr:
    """The child has a row in the UASC table this year, or in last year's return if given."""
    children = context.table("uasc")["CHILD"]
    if context.previous is not None:
        children = pl.concat([children, context.last_year("uasc")["CHILD"]])
    return pl.col("CHILD").is_in(children.implode())


@rule(
    "406",
    "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should "
    "be blank. [NOTE: This check will result in false negatives for children formerly UASC "
    "not identified as such in loaded data]",
    tables=("episodes",),
    fields=("PL_DISTANCE",),
    needs=POSTCODES,
)
def asylum_seeker_with_distance(context: Context) -> Failures:
    """An unaccompanied asylum-seeking child has no family home here to measure a placement's
    distance from, so DfE expects no distance: a home postcode recorded for one is usually
    a mistake."""
    episodes = placed_this_year(context)
    mask = asylum_seeker_now_or_last_year(context) & pl.col("PL_DISTANCE").is_not_null()
    return {"episodes": episodes.filter(mask)}


@rule(
    "420",
    "LA of placement completed but child is looked after under legal status V3 or V4.",
    tables=("episodes",),
    fields=("PL_LA",),
    needs=POSTCODES,
)
def short_break_with_placement_la(context: Context) -> Failures:
    """DfE does not collect where short breaks take place, so a short-break episode (V3,
    V4) should have no placement postcode from which an LA of placement is found."""
    episodes = placed_this_year(context)
    short_breaks = pl.col("LS").is_in(context.group("legal_status", "short_breaks"))
    mask = short_breaks & pl.col("PL_LA").is_not_null()
    return {"episodes": episodes.filter(mask.fill_null(False))}


@rule(
    "454",
    "Placement distance from home is over 350 miles. [NOTE: This check will result in false "
    "positives for children formerly UASC not identified as such in loaded data]",
    tables=("episodes",),
    fields=("PL_DISTANCE",),
    since="2025-26",
    needs=POSTCODES,
)
def placed_very_far_away(context: Context) -> Failures:
    """Almost no child is placed over 350 miles from home, so such a distance usually means
    a wrong home or placement postcode (asylum-seeking children, who have no distance, are
    left out)."""
    far = pl.col("PL_DISTANCE") > FURTHEST_EXPECTED_MILES
    mask = far & ~asylum_seeker_now_or_last_year(context)
    return {"episodes": placed_this_year(context).filter(mask.fill_null(False))}


def placed_beside_last_year(context: Context, differs: pl.Expr) -> Failures:
    """Children's first episodes this year, beside last year's still-open episode (its
    columns suffixed `_LAST`), for which `differs` holds; both years' episodes with the
    LA of placement and distance derived from their own postcodes, paired once per
    return for every rule that compares them."""
    pairs = context.derived(
        "first episodes beside last year's open ones, placed",
        lambda: first_beside_open(
            context, placed_this_year(context), placed(context, context.last_year("episodes"))
        ),
    )
    kept = context.table("episodes").columns
    return {"episodes": pairs.filter(differs.fill_null(False)).select(kept)}


def _contradicts_last_year(context: Context, differs: pl.Expr) -> Failures:
    """As `placed_beside_last_year`, for first episodes that carry on last year's open
    one with the same reason for new episode."""
    return placed_beside_last_year(context, (pl.col("RNE") == pl.col("RNE" + LAST)) & differs)


@rule(
    "452",
    "Contradiction between local authority of placement code in the last episode of the "
    "previous year and in the first episode of the current year.",
    tables=("episodes",),
    fields=("PL_LA",),
    needs=("previous", POSTCODES),
)
def placement_la_differs_from_last_year(context: Context) -> Failures:
    """An episode still open at the end of last year is the same placement this year, so
    it is in the same local authority: a different one means a postcode changed."""
    return _contradicts_last_year(context, pl.col("PL_LA").ne_missing(pl.col("PL_LA" + LAST)))


@rule(
    "453",
    "Contradiction between placement distance in the last episode of the previous year and in "
    "the first episode of the current year.",
    tables=("episodes",),
    fields=("PL_DISTANCE",),
    needs=("previous", POSTCODES),
)
def distance_differs_from_last_year(context: Context) -> Failures:
    """An episode still open at the end of last year is the same placement this year, so
    the child is the same distance from home: a different one means a postcode changed."""
    now, then = pl.col("PL_DISTANCE"), pl.col("PL_DISTANCE" + LAST)
    apart = (now - then).abs() >= SAME_DISTANCE_MILES
    return _contradicts_last_year(context, apart | (now.is_null() != then.is_null()))
