"""Rules about adoptions (the AD1 table) and decisions that a child should be placed for
adoption (the placed_for_adoption table): that their dates and codes can be read, and
that the dates fit the child's episodes (DfE rules 112-120, 151, 175-177, 184, 331 and
333-336, and 1003).

Where a date is compared with an episode, both the row holding the date and the episode
it disagrees with are found, since either may be the one that is wrong.
"""

from __future__ import annotations

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import code_rule, date_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import (
    OTHER_ROW,
    left_blank,
    provided,
    rows_of,
    rows_of_both,
)
from carematters.validation.rules.episode_sequence import in_order
from carematters.validation.rules.oc2 import earliest, latest, partly_provided

DECISIONS = "placed_for_adoption"
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
"""Every item of the adoption (AD1) record."""
EPISODE_DATES = ("CHILD", "DECOM", "DEC", ROW_COLUMN)


def _adopted(context: Context) -> pl.Expr:
    """The episode ended with the child adopted (E11, E12)."""
    return pl.col("REC").is_in(context.group("reason_episode_ceased", "adopted"))


def _started_care(context: Context) -> pl.Expr:
    """The episode began a period of care (RNE S)."""
    return pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))


def _against(
    context: Context,
    table: str,
    episodes: pl.DataFrame,
    wrong: pl.Expr,
    alone: pl.Expr | None = None,
) -> Failures:
    """Rows of `table` for which `wrong` holds against the child's episode in `episodes`
    (one a child), and that episode; and rows for which `alone` holds on its own."""
    joined = context.table(table).join(episodes.select(*EPISODE_DATES), on="CHILD", how="left")
    wrong = wrong.fill_null(False)
    found = joined.filter(wrong if alone is None else wrong | alone.fill_null(False))
    against = joined.filter(wrong).select(pl.col(OTHER_ROW).alias(ROW_COLUMN))
    return rows_of(context, table, found) | rows_of(context, "episodes", against)


@rule(
    "112",
    "Date should be placed for adoption is not a valid date.",
    tables=("ad1",),
    fields=("DATE_INT",),
)
def date_should_be_placed(context: Context) -> Failures:
    """The date the authority decided adoption was in the child's best interests starts the
    adoption timeline; it must be a real date to measure delay from it."""
    return date_rule(context, "ad1", "DATE_INT", required=False)


@rule(
    "113",
    "Date matching child and adopter(s) is not a valid date.",
    tables=("ad1",),
    fields=("DATE_MATCH",),
)
def date_matched(context: Context) -> Failures:
    """The date a child was matched with adopters is a step of the adoption timeline; it
    must be a real date to measure delay to and from it."""
    return date_rule(context, "ad1", "DATE_MATCH", required=False)


@rule(
    "114",
    "Data entry to record the status of former carer(s) of an adopted child is invalid.",
    tables=("ad1",),
    fields=("FOSTER_CARE",),
)
def adopted_by_foster_carers_code(context: Context) -> Failures:
    """Whether the adopters were the child's foster carers is a yes (1) or no (0)."""
    return code_rule(context, "ad1", "FOSTER_CARE", "yes_no", required=False)


@rule(
    "115",
    "Date of Local Authority's (LA) decision that a child should be placed for adoption is not "
    "a valid date.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED",),
)
def date_decided(context: Context) -> Failures:
    """A decision that a child should be placed for adoption is recorded by its date, so
    every such record needs a real one.

    A blank date is found too: unlike the reversal, the decision's date is the reason the
    row exists (the community validator lets a blank through)."""
    return date_rule(context, DECISIONS, "DATE_PLACED", required=True)


@rule(
    "116",
    "Date of Local Authority's (LA) decision that a child should no longer be placed for "
    "adoption is not a valid date.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED_CEASED",),
)
def date_reversed(context: Context) -> Failures:
    """When a decision to place for adoption is reversed, the date it was reversed must be a
    real date, to know how long the child waited under it."""
    return date_rule(context, DECISIONS, "DATE_PLACED_CEASED", required=False)


@rule(
    "117",
    "Date of decision that a child should/should no longer be placed for adoption is beyond the "
    "current collection year or after the child ceased to be looked after.",
    tables=(DECISIONS, "episodes"),
    fields=("DATE_PLACED_CEASED", "DATE_PLACED", "DEC", "REC", "DECOM"),
)
def decided_after_year_or_care(context: Context) -> Failures:
    """The authority decides on adoption for a child it looks after, within the year
    reported: a date after 31 March, or after the child left care, is wrong.

    The child's latest episode that did not go on into another (REC other than X1) is the
    one they are in or left care from; it is found when a date is after it ended."""
    still_looked_after = context.group("reason_episode_ceased", "still_looked_after")
    ended = latest(
        context.table("episodes").filter(~pl.col("REC").is_in(still_looked_after).fill_null(False))
    )
    dates = (pl.col("DATE_PLACED"), pl.col("DATE_PLACED_CEASED"))
    return _against(
        context,
        DECISIONS,
        ended,
        wrong=pl.any_horizontal(date > pl.col("DEC") for date in dates),
        alone=pl.any_horizontal(date > context.end for date in dates),
    )


@rule(
    "118",
    "Date of decision that a child should no longer be placed for adoption is before the "
    "current collection year or before the date the child started to be looked after.",
    tables=(DECISIONS, "episodes"),
    fields=("DATE_PLACED_CEASED", "DECOM", "LS"),
)
def reversed_before_year_or_care(context: Context) -> Failures:
    """A reversal reported this year happened this year, while the child was looked after:
    a date before 1 April, or before the child's first episode (short breaks apart, V3 and
    V4), is wrong."""
    short_breaks = context.group("legal_status", "short_breaks")
    first = earliest(context.table("episodes").filter(~pl.col("LS").is_in(short_breaks)))
    return _against(
        context,
        DECISIONS,
        first,
        wrong=pl.col("DATE_PLACED_CEASED") < pl.col("DECOM"),
        alone=pl.col("DATE_PLACED_CEASED") < context.start,
    )


@rule(
    "119",
    "If the decision is made that a child should no longer be placed for adoption, then the "
    "date of this decision and the reason why this decision was made must be completed.",
    tables=(DECISIONS,),
    fields=("REASON_PLACED_CEASED", "DATE_PLACED_CEASED"),
)
def reversal_incomplete(context: Context) -> Failures:
    """A reversed decision is described by its date and its reason together; one without
    the other cannot be counted or explained."""
    return context.failing(
        DECISIONS,
        partly_provided(context, DECISIONS, ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED")),
    )


@rule(
    "120",
    "The reason for the reversal of the decision that the child should be placed for adoption "
    "code is not valid.",
    tables=(DECISIONS,),
    fields=("REASON_PLACED_CEASED",),
)
def reversal_reason_code(context: Context) -> Failures:
    """Why a child should no longer be adopted must be one of DfE's reasons, so that
    reversals can be understood nationally."""
    return code_rule(
        context, DECISIONS, "REASON_PLACED_CEASED", "reason_placed_ceased", required=False
    )


@rule(
    "151",
    "All data items relating to a childs adoption must be coded or left blank.",
    tables=("ad1",),
    fields=AD1_ITEMS,
)
def adoption_partly_recorded(context: Context) -> Failures:
    """An adoption is described by all its items together; a half-filled record cannot be
    counted and suggests the rest was lost."""
    return context.failing("ad1", partly_provided(context, "ad1", AD1_ITEMS))


@rule(
    "175",
    "The number of adopter(s) code is not a valid code.",
    tables=("ad1",),
    fields=("NB_ADOPTR",),
)
def number_of_adopters_code(context: Context) -> Failures:
    """A child is adopted by one adopter (1) or a couple (2)."""
    return code_rule(context, "ad1", "NB_ADOPTR", "number_of_adopters", required=False)


@rule(
    "176",
    "The gender of adopter(s) at the date of adoption code is not a valid code.",
    tables=("ad1",),
    fields=("SEX_ADOPTR",),
)
def sex_of_adopters_code(context: Context) -> Failures:
    """The adopters' sexes must be one of DfE's codes, so adoptions by single adopters and
    by couples can be counted."""
    return code_rule(context, "ad1", "SEX_ADOPTR", "sex_of_adopters", required=False)


@rule(
    "177",
    "The legal status of adopter(s) code is not a valid code.",
    tables=("ad1",),
    fields=("LS_ADOPTR",),
)
def legal_status_of_adopters_code(context: Context) -> Failures:
    """The adopters' legal status (single, married, civil partners, unmarried) must be one
    of DfE's codes."""
    return code_rule(context, "ad1", "LS_ADOPTR", "legal_status_of_adopters", required=False)


@rule(
    "184",
    "Date of decision that a child should be placed for adoption is before the child was born.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED", "DOB"),
)
def decided_before_birth(context: Context) -> Failures:
    """No decision about a child can be made before they are born: the decision date or the
    date of birth is wrong."""
    return context.failing(DECISIONS, pl.col("DATE_PLACED") < pl.col("DOB"))


@rule(
    "331",
    "Date of matching child and adopter(s) should be the same as, or prior to, the date of "
    "placement of adoption.",
    tables=("ad1", "episodes"),
    fields=("DATE_MATCH", "DECOM", "REC"),
)
def matched_after_placement(context: Context) -> Failures:
    """A child is placed with adopters only once matched with them, so the match cannot be
    dated after the placement that ended in the adoption (the episode ending E11 or E12)."""
    adopted = latest(context.table("episodes").filter(_adopted(context)))
    return _against(context, "ad1", adopted, wrong=pl.col("DATE_MATCH") > pl.col("DECOM"))


@rule(
    "333",
    "Date should be placed for adoption must be on or prior to the date of matching child with "
    "adopter(s).",
    tables=("ad1",),
    fields=("DATE_INT", "DATE_MATCH"),
)
def matched_before_decision(context: Context) -> Failures:
    """A child is matched with adopters only after the decision that they should be adopted,
    so a match needs that decision, dated on or before it. A date of matching given but
    not readable is still a match, and needs its decision."""
    mask = provided(context, "ad1", "DATE_MATCH") & (
        left_blank(context, "ad1", "DATE_INT") | (pl.col("DATE_INT") > pl.col("DATE_MATCH"))
    )
    return context.failing("ad1", mask)


@rule(
    "334",
    "Date child started to be looked after in latest period of care must be on or prior to the "
    "date should be placed for adoption. ",
    tables=("ad1", "episodes"),
    fields=("DATE_INT", "DECOM", "RNE"),
)
def decision_before_care(context: Context) -> Failures:
    """The authority decides that adoption is best for a child it looks after, so the
    decision cannot come before the child's latest period of care began (RNE S)."""
    began = latest(context.table("episodes").filter(_started_care(context)))
    return _against(context, "ad1", began, wrong=pl.col("DATE_INT") < pl.col("DECOM"))


@rule(
    "335",
    "The current foster value (0) suggests that child is not adopted by current foster carer, "
    "but last placement is A2, A3, or A5. Or the current foster value (1) suggests that child "
    "is adopted by current foster carer, but last placement is A1, A4 or A6.",
    tables=("episodes", "ad1"),
    fields=("PLACE", "FOSTER_CARE"),
)
def foster_carer_adoption_disagrees(context: Context) -> Failures:
    """Whether the adopters were the child's foster carers is said twice, by the AD1 item
    and by the placement the child was adopted from; the two must agree.

    A1 and A2 are no longer placement codes; their successors A3-A6 are checked."""
    with_carers = context.group("placement_type", "placed_for_adoption_with_foster_carers")
    not_with_carers = [
        code
        for code in context.group("placement_type", "placed_for_adoption")
        if code not in with_carers
    ]
    adoptions = context.table("ad1").select("CHILD", "FOSTER_CARE", ROW_COLUMN)
    found = (
        context.table("episodes")
        .filter(_adopted(context))
        .join(adoptions, on="CHILD")
        .filter(
            (pl.col("PLACE").is_in(with_carers) & (pl.col("FOSTER_CARE") == "0"))
            | (pl.col("PLACE").is_in(not_with_carers) & (pl.col("FOSTER_CARE") == "1"))
        )
    )
    return rows_of_both(context, "episodes", "ad1", found)


@rule(
    "336",
    "Child does not have a foster placement immediately prior to being placed for adoption.",
    tables=("episodes",),
    fields=("PLACE",),
)
def placed_with_foster_carers_without_fostering(context: Context) -> Failures:
    """A child placed for adoption with their current foster carers (A3, A5) must have been
    fostered, or already placed for adoption, just before.

    DfE names A3 and A5; the community validator checks A3 and A4 instead."""
    # The placement before, by a shift along the episodes in order rather than a window
    # over each child (a hundred times slower on a national return); episodes with no
    # child's id follow one another as if one child's, as such a window takes them.
    same_child = pl.col("CHILD").shift(1).eq_missing(pl.col("CHILD"))
    previous = pl.when(same_child).then(pl.col("PLACE").shift(1))
    with_carers = context.group("placement_type", "placed_for_adoption_with_foster_carers")
    # Foster placements and placements for adoption may follow one another.
    fostered_or_placed = context.group("placement_type", "foster", "placed_for_adoption")
    found = in_order(context).filter(
        pl.col("PLACE").is_in(with_carers)
        & previous.is_not_null()
        & ~previous.is_in(fostered_or_placed)
    )
    return rows_of(context, "episodes", found)


@rule(
    "1003",
    "Date of LA's decision that a child should be placed for adoption is before the child "
    "started to be looked after.",
    tables=(DECISIONS, "episodes"),
    fields=("DATE_PLACED", "DECOM", "RNE"),
)
def decided_before_care(context: Context) -> Failures:
    """The authority decides to place for adoption a child it looks after, so the decision
    cannot be dated before the child first came into care (RNE S) in the year."""
    began = earliest(context.table("episodes").filter(_started_care(context)))
    return _against(context, DECISIONS, began, wrong=pl.col("DATE_PLACED") < pl.col("DECOM"))
