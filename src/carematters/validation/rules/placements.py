"""Rules about where and with whom a child is placed in each episode, and why a
placement changed (DfE rules 146, 178, 213, 214, 217, 217t, 225, 226, 233 and 234).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.validation.checks import blank, code_rule, not_a_code
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import in_force_from, law, left_blank
from carematters.validation.rules.episode_sequence import after, before, in_order
from carematters.validation.rules.episodes import ceased


def _is(column: str | pl.Expr, codes: tuple[str, ...]) -> pl.Expr:
    """The value is one of `codes` (a blank is not)."""
    value = pl.col(column) if isinstance(column, str) else column
    return value.is_in(codes).fill_null(False)


@rule("146", "Placement type code is not a valid code.", tables=("episodes",), fields=("PLACE",))
def placement_type_code(context: Context) -> Failures:
    """Every episode's placement type must be one of the year's codes: the type decides
    which other placement details are needed and how the placement is counted."""
    return code_rule(context, "episodes", "PLACE", "placement_type", required=True)


def _provider_not_valid(context: Context, no_provider: tuple[str, ...]) -> Failures:
    """Episodes giving a placement provider that is not a code, or where the placement
    type has no provider to give."""
    wrong = not_a_code(context, "PLACE_PROVIDER", "placement_provider", required=False)
    mask = ~blank("PLACE_PROVIDER") & (wrong | _is("PLACE", no_provider))
    return context.failing("episodes", mask)


@rule(
    "178",
    "Placement provider code is not a valid code.",
    tables=("episodes",),
    fields=("PLACE_PROVIDER",),
    until="2024-25",
)
def placement_provider_code(context: Context) -> Failures:
    """Who provides a placement must be one of DfE's codes, and is left blank for a
    temporary move or an 'other' (Z1) placement, which have no provider to record."""
    return _provider_not_valid(context, context.group("placement_type", "temporary", "other"))


@rule(
    "178",
    "Placement provider code is not a valid code.",
    tables=("episodes",),
    fields=("PLACE_PROVIDER",),
    since="2025-26",
)
def placement_provider_code_from_2025(context: Context) -> Failures:
    """Who provides a placement must be one of DfE's codes, and is left blank for the
    temporary moves T0-T3 and the 'other' placements Z11-Z14, which have no provider."""
    # DfE's list for this rule names the temporary moves T0-T3, not T4.
    return _provider_not_valid(
        context, ("T0", "T1", "T2", "T3", *context.group("placement_type", "other"))
    )


def _provider_given(context: Context, no_provider: tuple[str, ...]) -> Failures:
    """Episodes in a placement type with no provider that still give one."""
    return context.failing("episodes", _is("PLACE", no_provider) & ~blank("PLACE_PROVIDER"))


@rule(
    "213",
    "Placement provider information not required.",
    tables=("episodes",),
    fields=("PLACE_PROVIDER",),
    until="2024-25",
)
def provider_for_temporary_placement(context: Context) -> Failures:
    """A temporary move (T0-T4) is an absence from the child's usual placement, whose
    provider is already recorded there, so it has none of its own."""
    return _provider_given(context, context.group("placement_type", "temporary"))


@rule(
    "213",
    "Placement provider information not required.",
    tables=("episodes",),
    fields=("PLACE_PROVIDER",),
    since="2025-26",
)
def provider_for_temporary_or_other_placement(context: Context) -> Failures:
    """A temporary move (T0-T4) or an 'other' placement (Z11-Z14) has no provider of its
    own to record."""
    return _provider_given(context, context.group("placement_type", "temporary", "other"))


@rule(
    "214",
    "Placement location information not required.",
    tables=("episodes",),
    fields=("PL_POST", "URN"),
)
def location_for_short_breaks(context: Context) -> Failures:
    """A child accommodated for short breaks (V3, V4) has no placement to locate, so the
    placement postcode and Ofsted URN are left blank."""
    short_breaks = context.group("legal_status", "short_breaks")
    mask = _is("LS", short_breaks) & (~blank("PL_POST") | ~blank("URN"))
    return context.failing("episodes", mask)


FOSTER_CARERS_BECOME_ADOPTERS = ("S", "T", "U")
"""Reasons for a new episode that keep the same carers (legal status or placement
status changes only)."""
FOSTER_CARERS_BECOME_ADOPTERS_FROM = date(2015, 4, 1)
"""DfE's rule 217: the episodes it checks begin on or after this day."""


@rule(
    "217",
    "Children who are placed for adoption with current foster carers (placement types A3 or "
    "A5) must have a reason for new episode of S, T or U.",
    tables=("episodes",),
    fields=("PLACE", "DECOM", "RNE"),
)
def adoption_by_foster_carers_new_carer(context: Context) -> Failures:
    """A child placed for adoption with their own foster carers stays with the same carers,
    so the new episode cannot record a change of carer (DfE checks episodes beginning on
    or after 1 April 2015)."""
    with_carers = context.group("placement_type", "placed_for_adoption_with_foster_carers")
    mask = (
        _is("PLACE", with_carers)
        & (pl.col("DECOM") >= FOSTER_CARERS_BECOME_ADOPTERS_FROM)
        & ~_is("RNE", FOSTER_CARERS_BECOME_ADOPTERS)
    )
    return context.failing("episodes", mask)


@rule(
    "217t",
    "Placement type 'P2' is not a valid placement type from 28 October 2023.",
    tables=("episodes",),
    fields=("PLACE", "DECOM"),
    until="2023-24",
)
def independent_living_after_october_2023(context: Context) -> Failures:
    """From 28 October 2023 a looked-after 16- or 17-year-old living outside a children's
    home or foster care must be in supported accommodation registered with Ofsted, so an
    independent living (P2) placement must have ended by then
    (`law.supported_accommodation_registration`)."""
    registered = in_force_from("law.supported_accommodation_registration")
    # An end date given but not readable is not taken as still going.
    still_going = left_blank(context, "episodes", "DEC") | (pl.col("DEC") > registered)
    return context.failing("episodes", (pl.col("PLACE") == "P2") & still_going)


@rule(
    "225",
    "Reason for placement change must be recorded.",
    tables=("episodes",),
    fields=("REASON_PLACE_CHANGE",),
)
def placement_change_without_reason(context: Context) -> Failures:
    """When a child moves from one placement to another (not to or from a temporary
    move), the reason the placement ended is needed to understand placement stability."""
    temporary = context.group("placement_type", "temporary")
    mask = (
        pl.col("REC").is_in(context.group("reason_episode_ceased", "still_looked_after"))
        & blank("REASON_PLACE_CHANGE")
        & ~_is("PLACE", temporary)
        & _is(after("RNE"), context.group("reason_new_episode", "change_of_placement"))
        & ~_is(after("PLACE"), temporary)
    )
    return {"episodes": in_order(context).filter(mask.fill_null(False))}


def _reason_around_temporary(context: Context) -> Failures:
    """Temporary placements with a reason for placement change, on themselves or on the
    episode before them."""
    reason_given = ~blank("REASON_PLACE_CHANGE") | before("REASON_PLACE_CHANGE").is_not_null()
    mask = _is("PLACE", context.group("placement_type", "temporary")) & reason_given
    return {"episodes": in_order(context).filter(mask.fill_null(False))}


@rule(
    "226",
    "Reason for placement change is not required.",
    tables=("episodes",),
    fields=("REASON_PLACE_CHANGE", "PLACE"),
    until="2024-25",
)
def reason_for_temporary_move(context: Context) -> Failures:
    """A temporary move is not a change of placement: the child goes back to the same
    placement, so neither it nor the episode it interrupts records why a placement ended."""
    return _reason_around_temporary(context)


@rule(
    "226",
    "Reason for placement change is not required for temporary placements.",
    tables=("episodes",),
    fields=("REASON_PLACE_CHANGE", "PLACE"),
    since="2025-26",
)
def reason_for_temporary_placement(context: Context) -> Failures:
    """A temporary move is not a change of placement: the child goes back to the same
    placement, so neither it nor the episode it interrupts records why a placement ended."""
    return _reason_around_temporary(context)


@rule(
    "233",
    "Reason for placement change is not required when the episode has not ceased.",
    tables=("episodes",),
    fields=("REASON_PLACE_CHANGE", "DEC"),
    since="2025-26",
)
def reason_for_open_episode(context: Context) -> Failures:
    """A placement that has not ended has no reason for ending yet."""
    return context.failing("episodes", ~ceased(context) & ~blank("REASON_PLACE_CHANGE"))


@rule(
    "234",
    "A child aged under 10 can not change placement due to being admitted to custody",
    tables=("episodes", "header"),
    fields=("REASON_PLACE_CHANGE", "DOB"),
    since="2025-26",
)
def custody_under_ten(context: Context) -> Failures:
    """In England no child under 10 can be held criminally responsible, so none can leave
    a placement for custody: either the reason or the date of birth is wrong."""
    header = context.table("header")
    dob = context.first_rows("header").select("CHILD", "DOB")
    custody = (
        in_order(context)
        .with_columns(MOVED=pl.coalesce(after("DECOM"), pl.col("DEC")))
        .filter(pl.col("REASON_PLACE_CHANGE") == "CUSTOD")
        .join(dob, on="CHILD", how="inner")
    )
    responsible = law(context, "ages.criminal_responsibility")
    under_ten = custody.filter(age_on(pl.col("DOB"), pl.col("MOVED")) < responsible)
    return {
        "episodes": under_ten.select(context.table("episodes").columns),
        "header": header.filter(pl.col("CHILD").is_in(under_ten["CHILD"].implode())),
    }
