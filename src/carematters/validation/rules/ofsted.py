"""Rules about the Ofsted unique reference number (URN) of a child's placement (DfE rules
218, 219, 221, 222, 224, 227-230, 241-243 and 1008): given where the placement type
needs one, left out where it does not, and agreeing with what Ofsted registered.

Rules that look a URN up use Ofsted's published registers of children's homes and of
social care providers, given together as the list "ofsted_providers": one row per
registered setting (a provider with premises in several places may have several rows
under one URN), with columns:

    URN             Ofsted's unique reference number (matched without spaces or case)
    PLACE_CODES     the placement types (PLACE) the setting may be recorded under,
                    separated by commas or slashes: "K2", "K1,K2" or "K1/K2"
    PROVIDER_CODES  the placement providers (PLACE_PROVIDER) it may be recorded under,
                    in the same form: "PR4", "PR1,PR2"
    POSTCODE        the setting's postcode (matched without spaces or case)
    CLOSED          the date its registration ended (a date, or dd/mm/yyyy text); blank
                    while it is open

A URN Ofsted's list does not have is reported once, by rule 1008, and not again by the
rules comparing a listed URN's details (219, 221, 224, 227-229, 241).

Local authorities come from postcodes with the list "postcodes", as DfE's do (see
`placement_postcodes`): the LA of placement from the placement postcode, and the LA of a
setting from its own postcode (so a setting whose postcode is not in that list has no
known LA, and is not judged by rules 229 and 241).

URN XXXXXXX is DfE's stand-in for a placement without a setting of its own to register
(a regional adoption agency's placement): it is never looked up.
"""

from __future__ import annotations

import polars as pl

from carematters.geography import postcode_key
from carematters.ssda903.codelists import code_group
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import NEVER, end_or, in_force_from, left_blank
from carematters.validation.rules.placement_postcodes import (
    POSTCODES,
    located,
    placed,
    placed_outside_england,
    placed_this_year,
)

OFSTED = "ofsted_providers"
"""Ofsted's published lists of children's homes and social care providers, as one."""
STAND_IN_URN = "XXXXXXX"
SEMI_INDEPENDENT = "H5"
SUPPORTED_ACCOMMODATION = "K3"


def _no_urn_types_2023(context: Context) -> tuple[str, ...]:
    """Placement types with no Ofsted-registered setting, in 2023-24: DfE's list, with
    temporary moves and other placements."""
    unregistered = context.group("placement_type", "temporary", "other")
    return ("P1", "P2", "P3", "R1", "R2", "R5", *unregistered)


def _no_urn_types(context: Context) -> tuple[str, ...]:
    """Placement types with no Ofsted-registered setting from 2024-25 (independent living,
    P2, needs a registered setting from then): DfE's list, with temporary moves and other
    placements.

    Other placements of every year, Z1 and the Z11-Z14 that replace it from 2025-26: a
    retired Z1 still has no setting, so it is left to rule 146 and not found again here."""
    temporary = context.group("placement_type", "temporary")
    return ("P1", "P3", "R1", "R2", "R5", *temporary, *code_group("placement_type", "other"))


def _key(value: pl.Expr) -> pl.Expr:
    """A URN as compared: as text, trimmed, in capitals."""
    return value.cast(pl.String).str.strip_chars().str.to_uppercase()


def _real_urn() -> pl.Expr:
    """The episode gives a URN, and not the stand-in XXXXXXX."""
    return ~blank("URN") & (pl.col("URN") != STAND_IN_URN)


def _providers(context: Context) -> pl.DataFrame:
    """Ofsted's list, each row with its URN as compared (_URN)."""
    return context.lists[OFSTED].with_columns(_key(pl.col("URN")).alias("_URN"))


def _with_urn(context: Context) -> pl.DataFrame:
    """This year's episodes giving a real URN, each with the URN as compared (_URN)."""
    episodes = context.table("episodes").filter(_real_urn())
    return episodes.with_columns(_key(pl.col("URN")).alias("_URN"))


def _listed(context: Context) -> pl.DataFrame:
    """Episodes giving a real URN that Ofsted's list has."""
    listed = _providers(context).select("_URN")
    return _with_urn(context).join(listed, on="_URN", how="semi")


def _registered_as(context: Context, codes: str, column: str) -> pl.DataFrame:
    """Each URN (_URN) with each code of its `codes` column, named `column`."""
    split = pl.col(codes).cast(pl.String).str.replace_all("/", ",").str.split(",")
    return (
        _providers(context)
        .select("_URN", split.alias(column))
        .explode(column)
        .with_columns(pl.col(column).str.strip_chars().str.to_uppercase())
        .unique()
    )


def _not_registered_as(context: Context, codes: str, column: str) -> Failures:
    """Episodes at a listed URN whose `column` is not one of the codes Ofsted's list
    gives the URN in `codes` (a blank is left to the rules asking for the value)."""
    episodes = _listed(context).filter(pl.col(column).is_not_null())
    allowed = _registered_as(context, codes, column)
    return {"episodes": episodes.join(allowed, on=["_URN", column], how="anti")}


def _closing_dates(context: Context) -> pl.DataFrame:
    """Each listed URN whose registration has ended, with the day it ended (_CLOSED)."""
    providers = _providers(context)
    closed = providers["CLOSED"]
    if closed.dtype.is_temporal():
        closed = closed.cast(pl.Date)
    else:
        closed = closed.cast(pl.String).str.strip_chars().str.to_date("%d/%m/%Y", strict=False)
    return (
        providers.with_columns(closed.alias("_CLOSED"))
        .group_by("_URN")
        .agg(pl.col("_CLOSED").fill_null(NEVER).max())
        .filter(pl.col("_CLOSED") < NEVER)
    )


def _at_closed_setting(context: Context) -> pl.DataFrame:
    """Episodes at a URN whose registration has ended, with the day it ended (_CLOSED)."""
    return _with_urn(context).join(_closing_dates(context), on="_URN", how="inner")


def _failing(episodes: pl.DataFrame, mask: pl.Expr) -> Failures:
    """The episodes for which `mask` is true (a null counts as not failing)."""
    return {"episodes": episodes.filter(mask.fill_null(False))}


def _urn_missing(context: Context, no_urn_types: tuple[str, ...]) -> Failures:
    """Episodes open during the year in England with no URN, unless their placement type
    is one of `no_urn_types`."""
    # An end date given but not readable may be before the year: the episode is left out.
    open_in_year = left_blank(context, "episodes", "DEC") | (pl.col("DEC") >= context.start)
    mask = (
        blank("URN")
        & ~pl.col("PLACE").is_in(no_urn_types)
        & open_in_year
        & ~placed_outside_england()
    )
    return _failing(placed_this_year(context), mask)


@rule(
    "218",
    "Ofsted Unique reference number (URN) is required.",
    tables=("episodes",),
    fields=("URN",),
    until="2023-24",
    needs=POSTCODES,
)
def urn_missing_2023(context: Context) -> Failures:
    """A placement in a setting Ofsted registers must give its URN, so that the setting can
    be checked and counted; semi-independent accommodation (H5) is left to rule 230."""
    return _urn_missing(context, (*_no_urn_types_2023(context), SEMI_INDEPENDENT))


@rule(
    "218",
    "Ofsted Unique reference number (URN) is required.",
    tables=("episodes",),
    fields=("URN",),
    since="2024-25",
    needs=POSTCODES,
)
def urn_missing(context: Context) -> Failures:
    """A placement in a setting Ofsted registers must give its URN, so that the setting can
    be checked and counted; from 2024-25 that includes semi-independent (H5) and
    independent living (P2)."""
    return _urn_missing(context, _no_urn_types(context))


@rule(
    "219",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not "
    "match the placement type recorded.",
    tables=("episodes",),
    fields=("URN", "PLACE"),
    needs=OFSTED,
)
def urn_not_registered_for_type(context: Context) -> Failures:
    """Ofsted registers each setting for certain kinds of placement, so a placement type
    the setting is not registered for means a wrong type or a wrong URN."""
    return _not_registered_as(context, "PLACE_CODES", "PLACE")


def _postcode_differs(context: Context, placement_types: tuple[str, ...]) -> Failures:
    """Episodes of `placement_types`, other than short breaks, at a listed URN none of
    whose settings is at the placement postcode given."""
    short_breaks = context.group("legal_status", "short_breaks")
    episodes = _listed(context).filter(
        pl.col("PLACE").is_in(placement_types).fill_null(False)
        & ~pl.col("LS").is_in(short_breaks).fill_null(False)
        & ~blank("PL_POST")
    )
    settings = _providers(context).select("_URN", postcode_key(pl.col("POSTCODE")).alias("_POST"))
    mismatched = episodes.with_columns(postcode_key(pl.col("PL_POST")).alias("_POST")).join(
        settings, on=["_URN", "_POST"], how="anti"
    )
    return {"episodes": mismatched}


@rule(
    "221",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not "
    "match the placement postcode provided.",
    tables=("episodes",),
    fields=("PL_POST",),
    until="2023-24",
    needs=OFSTED,
)
def urn_elsewhere_2023(context: Context) -> Failures:
    """A child in a children's home, family centre, residential school or semi-independent
    accommodation lives at the registered setting, so its postcode is the placement's."""
    return _postcode_differs(context, ("H5", "K1", "K2", "R3", "S1"))


@rule(
    "221",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not "
    "match the placement postcode provided.",
    tables=("episodes",),
    fields=("PL_POST",),
    since="2024-25",
    needs=OFSTED,
)
def urn_elsewhere(context: Context) -> Failures:
    """A child in a children's home, supported accommodation, family centre or residential
    school lives at the registered setting, so its postcode is the placement's."""
    return _postcode_differs(context, ("K1", "K2", "K3", "R3", "S1"))


def _urn_not_expected(no_urn_types: tuple[str, ...]) -> pl.Expr:
    """A real URN is given for a placement type with no registered setting."""
    return _real_urn() & pl.col("PLACE").is_in(no_urn_types)


@rule(
    "222",
    "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
    tables=("episodes",),
    fields=("URN",),
    until="2023-24",
)
def urn_for_unregistered_type_2023(context: Context) -> Failures:
    """Placements with parents, in independent living, in employment, health or custody,
    temporary moves and other placements have no Ofsted-registered setting, so a URN for
    one is a mistake."""
    return context.failing("episodes", _urn_not_expected(_no_urn_types_2023(context)))


@rule(
    "222",
    "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
    tables=("episodes",),
    fields=("URN",),
    since="2024-25",
)
def urn_for_unregistered_type(context: Context) -> Failures:
    """Placements with parents, in employment, health or custody, temporary moves and
    other placements have no Ofsted-registered setting, so a URN for one is a mistake."""
    return context.failing("episodes", _urn_not_expected(_no_urn_types(context)))


@rule(
    "224",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not "
    "match the placement provider recorded.",
    tables=("episodes",),
    fields=("PLACE_PROVIDER",),
    needs=OFSTED,
)
def urn_not_registered_for_provider(context: Context) -> Failures:
    """Ofsted's register says who runs each setting (the authority itself, another
    authority, a private or voluntary body), so the provider recorded must be one of those."""
    return _not_registered_as(context, "PROVIDER_CODES", "PLACE_PROVIDER")


@rule(
    "227",
    "Ofsted Unique reference number (URN) is not valid for the episode start date.",
    tables=("episodes",),
    fields=("URN", "DECOM"),
    needs=OFSTED,
)
def urn_closed_before_start(context: Context) -> Failures:
    """A child cannot be placed in a setting whose registration had already ended when the
    episode began: the URN or the start date is wrong."""
    return _failing(_at_closed_setting(context), pl.col("DECOM") >= pl.col("_CLOSED"))


@rule(
    "228",
    "Ofsted Unique reference number (URN) is not valid for the episode end date [NOTE: may "
    "give false positives on open episodes at providers who close during the year]",
    tables=("episodes",),
    fields=("URN", "DEC"),
    needs=OFSTED,
)
def urn_closed_before_end(context: Context) -> Failures:
    """A child cannot stay in a setting after its registration ended, so an episode there
    must end by then; one still open on 31 March needs the setting open then too (one
    whose end date could not be read is left out)."""
    ended = end_or(context, "episodes", "DEC", context.end)
    return _failing(_at_closed_setting(context), ended > pl.col("_CLOSED"))


def _premises_las(context: Context) -> pl.DataFrame:
    """Each listed URN (_URN) with the local authority (LA) of each of its settings, where
    the setting's postcode is in the postcode list."""
    las = located(context).select("_KEY", "LA")
    settings = _providers(context).select("_URN", postcode_key(pl.col("POSTCODE")).alias("_KEY"))
    return settings.join(las, on="_KEY", how="inner").select("_URN", "LA").unique()


def _provider_in_wrong_area(context: Context, exempt: tuple[str, ...]) -> Failures:
    """Episodes at a listed URN with a setting of known LA, other than of the `exempt`
    placement types, recorded as the authority's own provision (PR1) though none of the
    provider's settings is in its area, or as another authority's (PR2) though one is."""
    premises = _premises_las(context)
    ours = premises.filter(pl.col("LA") == context.la_code)["_URN"].implode()
    episodes = _listed(context).join(premises, on="_URN", how="semi")
    in_our_area = pl.col("_URN").is_in(ours)
    provider = pl.col("PLACE_PROVIDER")
    mask = ~pl.col("PLACE").is_in(exempt).fill_null(False) & (
        ((provider == "PR1") & ~in_our_area) | ((provider == "PR2") & in_our_area)
    )
    return _failing(episodes, mask)


@rule(
    "229",
    "Placement provider does not match between the placing authority and the local authority "
    "code of the provider. [NOTE: The provider's LA code is inferred from the its postcode, "
    "and may be inaccurate in some cases.]",
    tables=("episodes",),
    fields=("URN", "PLACE_PROVIDER"),
    until="2024-25",
    needs=(OFSTED, POSTCODES, "la_code"),
)
def provider_area_mismatch_2023(context: Context) -> Failures:
    """A setting the authority provides itself (PR1) is in its own area, and one another
    authority provides (PR2) is not, so the provider code must fit where the setting is."""
    return _provider_in_wrong_area(context, ())


@rule(
    "229",
    "Placement provider does not match between the placing authority and the local authority "
    "code of the provider. [NOTE: The provider's LA code is inferred from the its postcode, "
    "and may be inaccurate in some cases.]",
    tables=("episodes",),
    fields=("URN", "PLACE_PROVIDER"),
    since="2025-26",
    needs=(OFSTED, POSTCODES, "la_code"),
)
def provider_area_mismatch(context: Context) -> Failures:
    """A setting the authority provides itself (PR1) is in its own area, and one another
    authority provides (PR2) is not, so the provider code must fit where the setting is;
    from 2025-26 supported accommodation (K3), whose provider may have premises in many
    areas, and placement types without a registered setting are not judged."""
    return _provider_in_wrong_area(context, (SUPPORTED_ACCOMMODATION, *_no_urn_types(context)))


@rule(
    "230",
    "Ofsted Unique reference number (URN) is required for any English H5 placements from "
    "28 October 2023.",
    tables=("episodes",),
    fields=("PLACE", "DEC", "URN"),
    until="2023-24",
    needs=POSTCODES,
)
def semi_independent_without_urn(context: Context) -> Failures:
    """From 28 October 2023 semi-independent accommodation in England must be registered
    with Ofsted (`law.supported_accommodation_registration`), so a placement there still
    going on after that day needs its URN."""
    registered = in_force_from("law.supported_accommodation_registration")
    # An end date given but not readable may be before the day: the episode is left out.
    after_registration = left_blank(context, "episodes", "DEC") | (pl.col("DEC") > registered)
    no_urn = blank("URN") | (pl.col("URN") == STAND_IN_URN)
    mask = (
        (pl.col("PLACE") == SEMI_INDEPENDENT)
        & after_registration
        & no_urn
        & ~placed_outside_england()
    )
    return _failing(placed_this_year(context), mask)


@rule(
    "241",
    "LA of placement is not an LA the provider has premises.",
    tables=("episodes",),
    fields=("URN",),
    since="2025-26",
    needs=(OFSTED, POSTCODES),
)
def supported_accommodation_elsewhere(context: Context) -> Failures:
    """A supported accommodation provider (K3) is registered for premises in certain
    areas, so a child placed with it must be placed in one of those areas."""
    premises = _premises_las(context).rename({"LA": "PL_LA"})
    episodes = placed(context, _listed(context)).filter(
        (pl.col("PLACE") == SUPPORTED_ACCOMMODATION) & pl.col("PL_LA").is_not_null()
    )
    known = episodes.join(premises, on="_URN", how="semi")
    return {"episodes": known.join(premises, on=["_URN", "PL_LA"], how="anti")}


@rule(
    "242",
    "URN = 'XXXXXXX' can only be used for regional adoption agencies",
    tables=("episodes",),
    fields=("URN",),
    since="2025-26",
)
def stand_in_urn_outside_adoption(context: Context) -> Failures:
    """The stand-in URN XXXXXXX is for placements made through a regional adoption agency,
    which are adoption or foster placements; any other placement needs its real URN."""
    adoption_or_fostering = context.group("placement_type", "placed_for_adoption", "foster")
    mask = (pl.col("URN") == STAND_IN_URN) & ~pl.col("PLACE").is_in(adoption_or_fostering)
    return context.failing("episodes", mask)


@rule(
    "243",
    "Only placements with providers registered with Ofsted should have a URN reported.",
    tables=("episodes",),
    fields=("URN",),
    since="2025-26",
    needs=POSTCODES,
)
def urn_outside_england(context: Context) -> Failures:
    """Ofsted registers settings in England only, so a placement in Wales, Scotland,
    Northern Ireland or abroad cannot have an Ofsted URN."""
    return _failing(placed_this_year(context), placed_outside_england() & ~blank("URN"))


@rule(
    "1008",
    "Ofsted Unique Reference Number (URN) is not valid.",
    tables=("episodes",),
    fields=("URN",),
    needs=OFSTED,
)
def urn_not_known_to_ofsted(context: Context) -> Failures:
    """Every URN given must be one Ofsted registered: an unknown one is mistyped, or the
    setting is not registered."""
    listed = _providers(context).select("_URN")
    return {"episodes": _with_urn(context).join(listed, on="_URN", how="anti")}
