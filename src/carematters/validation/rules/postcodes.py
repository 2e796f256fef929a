"""Rules about the postcodes of a child's home and placement, and what DfE works out from
them: how far from home the child is placed, in which local authority, and whether
inside or outside the authority's own area (DfE rules 164, 169, 179, 392a-392d, 1015,
503G, 503H and 503J).

The return does not carry a placement's distance, local authority or location: DfE
derives PL_DISTANCE, PL_LA and PL_LOCATION from HOME_POST and PL_POST, and its rules
check what it derived. Here they are derived the same way from the published postcode
list `postcodes` (POSTCODE, LA, and X, Y as British National Grid eastings and northings
in metres; see `rules.placement_postcodes`), so rules needing it are skipped without it.
The distance is DfE's: the straight line between the two grid points, in miles to one
decimal place. A placement's location is IN when its LA is the authority's own code
(`--la-code`) and OUT otherwise. Each is null when a postcode is blank or not on the list.

Those derived from this year's and last year's postcodes (503G-503J) use the same list
for both years, so a placement that carried on at the same postcodes always matches.
A child is taken to be, or have been, an unaccompanied asylum seeker if they have a row
in this year's UASC table or (when given) last year's.
"""

from __future__ import annotations

import polars as pl

from carematters.geography import postcode_key
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules.continuity import LAST
from carematters.validation.rules.placement_postcodes import (
    POSTCODES,
    asylum_seeker_now_or_last_year,
    placed,
    placed_beside_last_year,
)

FARTHEST_MILES = 999.9
"""The largest distance DfE accepts."""
DISTANCE_TOLERANCE_MILES = 0.2
"""Distances this close count as the same (DfE rounds each to 0.1 mile)."""
POSTCODE_FORMAT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
"""A UK postcode written without its space: outward code (area letters, district) and
inward code (a sector digit and two unit letters)."""


def _location(placement_la: pl.Expr, la_code: str) -> pl.Expr:
    """PL_LOCATION: IN for a placement in the authority's own area, OUT elsewhere (null
    when the placement's authority is not known)."""
    inside = pl.when(placement_la == la_code).then(pl.lit("IN"))
    return inside.when(placement_la.is_not_null()).then(pl.lit("OUT"))


def _placement(context: Context) -> pl.Expr:
    """The episode is a placement (not a series of short breaks, V3 or V4)."""
    return ~pl.col("LS").is_in(context.group("legal_status", "short_breaks")).fill_null(False)


def _distance_expected(context: Context) -> pl.Expr:
    """A placement whose distance DfE expects: not short breaks, and not a child who came
    as an unaccompanied asylum seeker (whose home postcode may not be known)."""
    return _placement(context) & ~asylum_seeker_now_or_last_year(context)


@rule(
    "164",
    "Distance is not valid. Please check a valid postcode has been entered. [NOTE: This check "
    "will result in false positives for children formerly UASC not identified as such in "
    "loaded data]",
    tables=("episodes",),
    fields=("PL_DISTANCE",),
    needs=POSTCODES,
)
def distance_not_valid(context: Context) -> Failures:
    """DfE measures how far from home every child is placed, so both postcodes must be
    real ones a distance can be measured between."""
    episodes = placed(context, context.table("episodes"))
    given = ~blank("HOME_POST") & ~blank("PL_POST")
    not_valid = pl.col("PL_DISTANCE").is_null() | (pl.col("PL_DISTANCE") > FARTHEST_MILES)
    mask = _distance_expected(context) & given & not_valid
    return {"episodes": episodes.filter(mask.fill_null(False))}


def _no_placement_la(context: Context) -> Failures:
    """Placements whose postcode gives no local authority: blank or not on the list."""
    episodes = placed(context, context.table("episodes"))
    mask = _placement(context) & pl.col("PL_LA").is_null()
    return {"episodes": episodes.filter(mask)}


@rule(
    "169",
    "Local Authority (LA) of placement is not valid or is missing. Please check a valid "
    "postcode has been entered.",
    tables=("episodes",),
    fields=("PL_LA",),
    needs=POSTCODES,
)
def placement_la_missing(context: Context) -> Failures:
    """Which authority a child is placed in tells both authorities where their duties lie,
    so the placement postcode must be a real one."""
    return _no_placement_la(context)


@rule(
    "179",
    "Placement location code is not a valid code.",
    tables=("episodes",),
    fields=("PL_LOCATION",),
    needs=POSTCODES,
)
def placement_location_missing(context: Context) -> Failures:
    """Whether a child is placed inside or outside the authority's area comes from the
    placement postcode, so it must be a real one."""
    return _no_placement_la(context)


@rule(
    "392a",
    "Child is looked after but no distance is recorded. [NOTE: This check may result in false "
    "positives for children formerly UASC]",
    tables=("episodes",),
    fields=("PL_DISTANCE",),
    needs=POSTCODES,
)
def no_distance(context: Context) -> Failures:
    """Every placement's distance from home is counted nationally, so both postcodes must
    be given and be real ones."""
    episodes = placed(context, context.table("episodes"))
    mask = _distance_expected(context) & pl.col("PL_DISTANCE").is_null()
    return {"episodes": episodes.filter(mask)}


@rule(
    "392b",
    "Child is looked after but no postcodes are recorded. [NOTE: This check may result in "
    "false positives for children formerly UASC, particularly if current & prior year UASC "
    "data not loaded]",
    tables=("episodes",),
    fields=("HOME_POST", "PL_POST"),
)
def no_postcodes(context: Context) -> Failures:
    """Where a child lived and where they are placed are how distance from home and
    out-of-area placements are measured, so both postcodes are needed."""
    mask = _distance_expected(context) & (blank("HOME_POST") | blank("PL_POST"))
    return context.failing("episodes", mask)


@rule(
    "392c",
    "Postcode(s) provided are invalid.",
    tables=("episodes",),
    fields=("HOME_POST", "PL_POST"),
)
def postcode_format(context: Context) -> Failures:
    """A postcode that is not in the form of a UK postcode cannot be placed on a map, so
    no distance or placement authority can be worked out from it."""
    wrong = [
        ~blank(column) & ~postcode_key(pl.col(column)).str.contains(POSTCODE_FORMAT)
        for column in ("HOME_POST", "PL_POST")
    ]
    return context.failing("episodes", pl.any_horizontal(wrong))


@rule(
    "392d",
    "Home and placement postcodes should not be same unless the placement type is P1.",
    tables=("episodes",),
    fields=("HOME_POST", "PL_POST", "PLACE"),
)
def placed_at_home_postcode(context: Context) -> Failures:
    """Only a child placed with their own parents (P1) lives at the home they came from;
    any other placement at the same postcode suggests one of them is wrong."""
    same = postcode_key(pl.col("HOME_POST")) == postcode_key(pl.col("PL_POST"))
    with_parents = pl.col("PLACE").is_in(context.group("placement_type", "with_parents"))
    return context.failing("episodes", same & ~with_parents.fill_null(False))


def _family_placements(context: Context) -> tuple[str, ...]:
    """Adoption and foster placements: carers the authority approves may live anywhere."""
    return context.group("placement_type", "placed_for_adoption", "foster")


def _own_provision_elsewhere(context: Context, exempt: tuple[str, ...]) -> Failures:
    """The authority's own placements (PR1) that the placement postcode puts in another
    authority's area, other than the `exempt` placement types and short breaks."""
    if context.la_code is None:
        return {}
    episodes = placed(context, context.table("episodes"))
    mask = (
        (pl.col("PLACE_PROVIDER") == "PR1")
        & ~pl.col("PLACE").is_in(exempt)
        & ~pl.col("LS").is_in(context.group("legal_status", "short_breaks"))
        & (pl.col("PL_LA") != context.la_code)
    )
    return {"episodes": episodes.filter(mask.fill_null(False))}


@rule(
    "1015",
    "Placement provider is own provision but child not placed in own LA.",
    tables=("episodes",),
    fields=("PL_LA",),
    until="2024-25",
    needs=(POSTCODES, "la_code"),
)
def own_provision_out_of_area(context: Context) -> Failures:
    """A placement the authority provides itself is expected in its own area, so one found
    in another authority's area usually has the wrong provider or postcode (foster and
    adoptive carers excepted: they may live anywhere)."""
    return _own_provision_elsewhere(context, _family_placements(context))


@rule(
    "1015",
    "Placement provider is own provision but child not placed in own LA.",
    tables=("episodes",),
    fields=("PL_LA",),
    since="2025-26",
    needs=(POSTCODES, "la_code"),
)
def own_provision_out_of_area_from_2025(context: Context) -> Failures:
    """A placement the authority provides itself is expected in its own area, so one found
    in another authority's area usually has the wrong provider or postcode (foster and
    adoptive carers, and supported accommodation, K3, excepted)."""
    return _own_provision_elsewhere(context, (*_family_placements(context), "K3"))


@rule(
    "503G",
    "The distance in first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("PL_DISTANCE",),
    needs=(POSTCODES, "previous"),
)
def distance_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year, so the
    child is the same distance from home."""
    now, then = pl.col("PL_DISTANCE"), pl.col("PL_DISTANCE" + LAST)
    apart = (now - then).abs() >= DISTANCE_TOLERANCE_MILES
    return placed_beside_last_year(context, apart | (now.is_null() != then.is_null()))


@rule(
    "503H",
    "The placement LA in first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("PL_LA",),
    needs=(POSTCODES, "previous"),
)
def placement_la_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year, so it is
    in the same local authority."""
    return placed_beside_last_year(context, pl.col("PL_LA").ne_missing(pl.col("PL_LA" + LAST)))


@rule(
    "503J",
    "The placement location in first episode does not match open episode at end of last year.",
    tables=("episodes",),
    fields=("PL_LOCATION",),
    needs=(POSTCODES, "previous", "la_code"),
)
def placement_location_carried_over(context: Context) -> Failures:
    """An episode open at the end of last year is the same placement this year, so it is
    still inside, or still outside, the authority's area."""
    if context.la_code is None:
        return {}
    now = _location(pl.col("PL_LA"), context.la_code)
    then = _location(pl.col("PL_LA" + LAST), context.la_code)
    return placed_beside_last_year(context, now.ne_missing(then))
