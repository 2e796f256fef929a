"""Rules pairing an episode's placement type with who provides the placement, and with how
the episode ended (DfE rules 516, 526-531 and 550)."""

from __future__ import annotations

import polars as pl

from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule

FIELDS = ("PLACE", "PLACE_PROVIDER")


@rule(
    "516",
    "The episode data submitted for this child does not show that he/she was with their "
    "former foster carer(s) during the year.If the code in the reason episode ceased is E45 "
    "or E46 the child must have a placement code of U1 to U6.",
    tables=("episodes",),
    fields=("REC", "PLACE"),
)
def staying_put_without_foster_placement(context: Context) -> Failures:
    """A special guardianship order made to former foster carers (E45, E46) is made from a
    foster placement, so the episode that ends that way must be one."""
    fostered = pl.col("PLACE").is_in(context.group("placement_type", "foster")).fill_null(False)
    to_foster_carers = context.group(
        "reason_episode_ceased", "special_guardianship_to_foster_carers"
    )
    return context.failing("episodes", pl.col("REC").is_in(to_foster_carers) & ~fostered)


@rule(
    "526",
    "Child is missing a placement provider code for at least one episode.",
    tables=("episodes",),
    fields=FIELDS,
)
def provider_missing(context: Context) -> Failures:
    """Who provides a placement (the authority, another, private or voluntary) is needed
    for every placement other than temporary moves and "other" placements."""
    # Temporary moves and "other" placements have no placement provider.
    exempt = context.group("placement_type", "temporary", "other")
    needed = ~pl.col("PLACE").is_in(exempt).fill_null(False)
    return context.failing("episodes", needed & blank("PLACE_PROVIDER"))


def _with_parents(context: Context) -> tuple[str, ...]:
    """Placed with the child's own parents or others with parental responsibility (P1)."""
    return context.group("placement_type", "with_parents")


def _provider_not_with(context: Context, provider: str, places: tuple[str, ...]) -> Failures:
    """Episodes whose placement provider is `provider` and placement type one of `places`."""
    return context.failing(
        "episodes", (pl.col("PLACE_PROVIDER") == provider) & pl.col("PLACE").is_in(places)
    )


@rule(
    "527",
    "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
    tables=("episodes",),
    fields=FIELDS,
)
def own_provision_impossible(context: Context) -> Failures:
    """A child's own parents (P1), a health establishment (R2) or a young offender
    institution or prison (R5) is not a placement the authority itself provides."""
    return _provider_not_with(context, "PR1", (*_with_parents(context), "R2", "R5"))


@rule(
    "528",
    "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
    tables=("episodes",),
    fields=FIELDS,
)
def other_authority_provision_impossible(context: Context) -> Failures:
    """A child's own parents (P1), a health establishment (R2) or a young offender
    institution or prison (R5) is not a placement another authority provides."""
    return _provider_not_with(context, "PR2", (*_with_parents(context), "R2", "R5"))


@rule(
    "529",
    "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, "
    "K2 and U1 to U6 as these placements cannot be provided by other public organisations.",
    tables=("episodes",),
    fields=FIELDS,
)
def other_public_provision_impossible(context: Context) -> Failures:
    """Other public bodies (such as the NHS) do not provide placements with parents,
    adopters or foster carers, or in children's homes."""
    family = context.group("placement_type", "with_parents", "placed_for_adoption", "foster")
    places = (*family, "K1", "K2")
    return _provider_not_with(context, "PR3", places)


@rule(
    "530",
    "A placement provider code of PR4 cannot be associated with placement P1.",
    tables=("episodes",),
    fields=FIELDS,
)
def private_provision_with_parents(context: Context) -> Failures:
    """A child placed with their own parents is not in a placement a private provider
    provides."""
    return _provider_not_with(context, "PR4", _with_parents(context))


@rule(
    "531",
    "A placement provider code of PR5 cannot be associated with placements P1.",
    tables=("episodes",),
    fields=FIELDS,
)
def voluntary_provision_with_parents(context: Context) -> Failures:
    """A child placed with their own parents is not in a placement a voluntary
    organisation provides."""
    return _provider_not_with(context, "PR5", _with_parents(context))


@rule(
    "550",
    "A placement provider code of PR0 can only be associated with placement P1.",
    tables=("episodes",),
    fields=FIELDS,
)
def parents_provide_only_placements_with_parents(context: Context) -> Failures:
    """Parents (PR0) are the provider only when the child is placed with them (P1)."""
    with_parents = pl.col("PLACE").is_in(_with_parents(context)).fill_null(False)
    return context.failing("episodes", (pl.col("PLACE_PROVIDER") == "PR0") & ~with_parents)
