"""Rules about the decision that a child should be placed for adoption (the
placed_for_adoption table): its dates against the adoption itself (AD1), against the
child's episodes (adoption placements A3-A6, placement and freeing orders E1 and D1,
leaving care by adoption E11 and E12) and against last year's return (DfE rules 521-523,
525, 551-561 and 563).

A date that was given but could not be read counts as given, as in every rule: a rule
asking whether there is a decision date finds one (wrong, and reported where the return
was read), and only a rule comparing the date itself cannot use it. So it is in last
year's return.
"""

from __future__ import annotations

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank, provided, rows_of_both
from carematters.validation.rules.adoption_decisions import decision_reversed
from carematters.validation.rules.episode_sequence import first_episodes
from carematters.validation.rules.episodes import ceased

DECISIONS = "placed_for_adoption"
PLACEMENT_ORDER = "E1"
FREEING_ORDER = "D1"


def _children(frame: pl.DataFrame) -> pl.Series:
    return frame["CHILD"].implode()


def _dated_decisions(context: Context) -> pl.Series:
    """The children with a date of decision that they should be placed for adoption
    given, even one that could not be read."""
    return _children(context.table(DECISIONS).filter(provided(context, DECISIONS, "DATE_PLACED")))


def _placed_for_adoption(context: Context) -> pl.Expr:
    """The episode is a placement for adoption (A3-A6)."""
    return pl.col("PLACE").is_in(context.group("placement_type", "placed_for_adoption"))


def _first_episode(context: Context, which: pl.Expr) -> pl.DataFrame:
    """Each child's first episode of those `which` picks out."""
    episodes = context.table("episodes").filter(which)
    return first_episodes(episodes)


@rule(
    "521",
    "Date of local authority's decision (LA) that adoption is in the best interests of the "
    "child (date should be placed) must be on or prior to the date the child is placed for "
    "adoption.",
    tables=("episodes", "ad1"),
    fields=("PLACE", "DECOM", "DATE_INT"),
)
def adoption_decided_after_placement(context: Context) -> Failures:
    """A child may only be placed with adopters once the authority has decided adoption is
    in their best interests; a placement dated earlier means one of the dates is wrong."""
    placed = context.table("episodes").filter(_placed_for_adoption(context))
    decided = context.table("ad1").select("CHILD", "DATE_INT", ROW_COLUMN)
    found = placed.join(decided, on="CHILD").filter(pl.col("DATE_INT") > pl.col("DECOM"))
    return rows_of_both(context, "episodes", "ad1", found)


@rule(
    "522",
    "Date of decision that the child should be placed for adoption must be on or before the "
    "date that a child should no longer be placed for adoption.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def decision_reversed_before_made(context: Context) -> Failures:
    """A decision cannot be reversed before it was made: one of the two dates is wrong."""
    return context.failing(DECISIONS, pl.col("DATE_PLACED_CEASED") < pl.col("DATE_PLACED"))


@rule(
    "523",
    "Date of decision that the child should be placed for adoption should be the same date "
    "as the decision that adoption is in the best interest (date should be placed).",
    tables=(DECISIONS, "ad1"),
    fields=("DATE_PLACED", "DATE_INT"),
)
def decision_dates_disagree(context: Context) -> Failures:
    """The adoption return and the placed-for-adoption record describe the same decision,
    so they must give it the same date.

    Only decisions still standing are compared: a reversed decision is not the one the
    adoption went ahead under."""
    standing = context.table(DECISIONS).filter(
        ~decision_reversed(context) & pl.col("DATE_PLACED").is_not_null()
    )
    adoptions = context.table("ad1").select("CHILD", "DATE_INT", ROW_COLUMN)
    found = standing.join(adoptions, on="CHILD").filter(
        pl.col("DATE_INT").is_not_null() & (pl.col("DATE_INT") != pl.col("DATE_PLACED"))
    )
    return rows_of_both(context, DECISIONS, "ad1", found)


@rule(
    "525",
    "A child for whom the decision to be placed for adoption has been reversed cannot be "
    "adopted during the year.",
    tables=(DECISIONS, "ad1"),
    fields=(
        "DATE_PLACED_CEASED",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
)
def adopted_after_decision_reversed(context: Context) -> Failures:
    """Once the decision to place a child for adoption is reversed there is no adoption to
    report, so adoption details alongside a reversal contradict each other."""
    reversed_ = context.table(DECISIONS).filter(provided(context, DECISIONS, "DATE_PLACED_CEASED"))
    details = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
    adoptions = (
        context.table("ad1")
        .filter(pl.any_horizontal(provided(context, "ad1", column) for column in details))
        .select("CHILD", ROW_COLUMN)
    )
    return rows_of_both(context, DECISIONS, "ad1", reversed_.join(adoptions, on="CHILD"))


@rule(
    "551",
    "Child has been placed for adoption but there is no date of the decision that the child "
    "should be placed for adoption.",
    tables=("episodes", DECISIONS),
    fields=("DATE_PLACED", "PLACE"),
)
def placed_without_decision(context: Context) -> Failures:
    """A child can only be placed for adoption after the decision that they should be, so
    an adoption placement needs that decision's date."""
    undecided = ~pl.col("CHILD").is_in(_dated_decisions(context))
    return context.failing("episodes", _placed_for_adoption(context) & undecided)


def _decided_after(context: Context, which: pl.Expr) -> Failures:
    """Decisions dated after the start of the child's first episode of those `which` picks
    out, and that episode."""
    decisions = context.table(DECISIONS).select("CHILD", "DATE_PLACED", ROW_COLUMN)
    found = (
        _first_episode(context, which)
        .join(decisions, on="CHILD")
        .filter(pl.col("DATE_PLACED") > pl.col("DECOM"))
    )
    return rows_of_both(context, "episodes", DECISIONS, found)


@rule(
    "552",
    "Date of Decision to place a child for adoption should be on or prior to the date that "
    "the child was placed for adoption.",
    tables=("episodes", DECISIONS),
    fields=("DATE_PLACED", "DECOM"),
)
def decided_after_placement(context: Context) -> Failures:
    """The decision that a child should be placed for adoption comes before the placement:
    a later decision date means one of the dates is wrong."""
    return _decided_after(context, _placed_for_adoption(context))


def _order_without_decision(context: Context, order: str) -> Failures:
    """Episodes under `order` for a child with no decision date; and, while the order is
    still in force (the episode is open), decisions recorded as reversed."""
    episodes = context.table("episodes")
    under_order = pl.col("LS") == order
    in_force = _children(episodes.filter(under_order & ~ceased(context)))
    return {
        "episodes": episodes.filter(
            under_order & ~pl.col("CHILD").is_in(_dated_decisions(context))
        ),
        DECISIONS: context.table(DECISIONS).filter(
            pl.col("CHILD").is_in(in_force) & decision_reversed(context)
        ),
    }


@rule(
    "553",
    "Placement order has been granted but there is no date of decision that the child should "
    "be placed for adoption.",
    tables=("episodes", DECISIONS),
    fields=("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
)
def placement_order_without_decision(context: Context) -> Failures:
    """A court grants a placement order only after the authority decided the child should be
    placed for adoption, and while the order stands that decision cannot have been reversed."""
    return _order_without_decision(context, PLACEMENT_ORDER)


@rule(
    "554",
    "Date of decision that the child should be placed for adoption should be on or prior to "
    "the date that the placement order was granted.",
    tables=("episodes", DECISIONS),
    fields=("DATE_PLACED", "DECOM", "LS"),
)
def decided_after_placement_order(context: Context) -> Failures:
    """The authority decides a child should be placed for adoption before a court grants a
    placement order, so a later decision date means one of the dates is wrong.

    The order's date is taken as the start of the child's first episode under it this year;
    for an order granted in an earlier year that is later than the true date, so check
    what is found against the child's record."""
    return _decided_after(context, pl.col("LS") == PLACEMENT_ORDER)


@rule(
    "555",
    "Freeing order has been granted but there is no date of decision that the child should be "
    "placed for adoption.",
    tables=("episodes", DECISIONS),
    fields=("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    until="2023-24",
)
def freeing_order_without_decision(context: Context) -> Failures:
    """A freeing order follows the decision that the child should be placed for adoption,
    and while the order stands that decision cannot have been reversed."""
    return _order_without_decision(context, FREEING_ORDER)


@rule(
    "556",
    "Date of decision that the child should be placed for adoption should be on or prior to "
    "the date that the freeing order was granted.",
    tables=("episodes", DECISIONS),
    fields=("DATE_PLACED", "DECOM"),
    until="2023-24",
)
def decided_after_freeing_order(context: Context) -> Failures:
    """The decision that a child should be placed for adoption comes before a freeing order,
    so a later decision date means one of the dates is wrong."""
    return _decided_after(context, pl.col("LS") == FREEING_ORDER)


def _left_without_reversal(context: Context, orders: tuple[str, ...]) -> Failures:
    """Episodes ending with the child leaving care other than by adoption, while placed for
    adoption or under one of `orders`, for a child whose decision was not recorded as
    reversed (date and reason); and the decisions missing either."""
    not_leaving = context.group("reason_episode_ceased", "adopted", "still_looked_after")
    left_not_adopted = [
        code for code in context.codes("reason_episode_ceased") if code not in not_leaving
    ]
    left = context.table("episodes").filter(
        (_placed_for_adoption(context) | pl.col("LS").is_in(orders))
        & pl.col("REC").is_in(left_not_adopted)
    )
    decisions = context.table(DECISIONS).filter(pl.col("CHILD").is_in(_children(left)))
    unfinished = decisions.filter(
        left_blank(context, DECISIONS, "DATE_PLACED_CEASED") | blank("REASON_PLACED_CEASED")
    )
    return {
        "episodes": left.filter(
            ~pl.col("CHILD").is_in(_children(decisions))
            | pl.col("CHILD").is_in(_children(unfinished))
        ),
        DECISIONS: unfinished,
    }


MESSAGE_557 = (
    "Child for whom the decision was made that they should be placed for adoption has left "
    "care but was not adopted and information on the decision that they should no longer be "
    "placed for adoption items has not been completed."
)
FIELDS_557 = ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "PLACE", "LS", "REC")


@rule("557", MESSAGE_557, tables=("episodes", DECISIONS), fields=FIELDS_557, until="2023-24")
def left_care_with_freeing_order_not_adopted(context: Context) -> Failures:
    """A child who left care without being adopted, after being placed for adoption or made
    subject to a placement or freeing order, can no longer be placed for adoption: when and
    why that decision ended must be recorded."""
    return _left_without_reversal(context, (FREEING_ORDER, PLACEMENT_ORDER))


@rule("557", MESSAGE_557, tables=("episodes", DECISIONS), fields=FIELDS_557, since="2024-25")
def left_care_not_adopted(context: Context) -> Failures:
    """A child who left care without being adopted, after being placed for adoption or made
    subject to a placement order, can no longer be placed for adoption: when and why that
    decision ended must be recorded."""
    return _left_without_reversal(context, (PLACEMENT_ORDER,))


@rule(
    "558",
    "If a child has been adopted, then the decision to place them for adoption has not been "
    "disrupted and the date of the decision that a child should no longer be placed for "
    "adoption should be left blank.",
    tables=("episodes", DECISIONS),
    fields=("DATE_PLACED_CEASED", "REC"),
)
def adopted_after_decision_ceased(context: Context) -> Failures:
    """A child who was adopted was adopted under a decision that still stood, so their
    latest decision cannot also be recorded as ended."""
    latest = (
        context.table(DECISIONS)
        .sort("CHILD", "DATE_PLACED", nulls_last=False, maintain_order=True)
        .group_by("CHILD", maintain_order=True)
        .last()
        .filter(provided(context, DECISIONS, "DATE_PLACED_CEASED"))
        .select("CHILD", ROW_COLUMN)
    )
    adopted = context.table("episodes").filter(
        pl.col("REC").is_in(context.group("reason_episode_ceased", "adopted"))
    )
    return rows_of_both(context, "episodes", DECISIONS, adopted.join(latest, on="CHILD"))


@rule(
    "559",
    "Date of decision that a child should be placed for adoption was not in the current year "
    "but the date of the decision that the child should be placed for adoption was not "
    "completed in a previous return.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED",),
    needs="previous",
)
def earlier_decision_missing_last_year(context: Context) -> Failures:
    """A decision made before this year should already have been in last year's return;
    if it was not, one of the two returns is wrong."""
    last_year = context.last_year(DECISIONS).filter(
        provided(context, DECISIONS, "DATE_PLACED", last_year=True)
    )
    return context.failing(
        DECISIONS,
        (pl.col("DATE_PLACED") < context.start) & ~pl.col("CHILD").is_in(_children(last_year)),
    )


@rule(
    "560",
    "Date of decision that the child should be placed for adoption this year is different "
    "from that recorded last year but the decision to place the child for adoption did not "
    "change.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
    needs="previous",
)
def standing_decision_redated(context: Context) -> Failures:
    """A decision still standing at the end of last year is the same decision this year,
    so it keeps its date.

    A child whose standing decision appears this year with its date may also have a newer
    decision; only a child with no row carrying last year's date is found."""
    standing = (
        context.last_year(DECISIONS)
        .filter(
            pl.col("DATE_PLACED").is_not_null()
            & left_blank(context, DECISIONS, "DATE_PLACED_CEASED", last_year=True)
        )
        .select("CHILD", "DATE_PLACED")
    )
    this_year = context.table(DECISIONS)
    carried = this_year.join(standing, on=["CHILD", "DATE_PLACED"], how="semi")
    return context.failing(
        DECISIONS,
        pl.col("CHILD").is_in(_children(standing)) & ~pl.col("CHILD").is_in(_children(carried)),
    )


@rule(
    "561",
    "Date of the decision that the child should be placed for adoption this year is the same "
    "as that recorded last year but records show that the decision changed, and the child "
    "should no longer be placed for adoption last year.",
    tables=(DECISIONS,),
    fields=("DATE_PLACED",),
    needs="previous",
)
def reversed_decision_repeated(context: Context) -> Failures:
    """A decision reversed last year has ended, so it cannot be reported again as this
    year's decision: a new decision has its own date."""
    reversed_ = (
        context.last_year(DECISIONS)
        .filter(decision_reversed(context, last_year=True))
        .select("CHILD", "DATE_PLACED")
    )
    return {
        DECISIONS: context.table(DECISIONS).join(reversed_, on=["CHILD", "DATE_PLACED"], how="semi")
    }


@rule(
    "563",
    "The child should no longer be placed for adoption but the date of the decision that the "
    "child should be placed for adoption is blank",
    tables=(DECISIONS,),
    fields=("DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED"),
)
def reversed_without_decision_date(context: Context) -> Failures:
    """A decision can only be reversed if it was made, so a reversal needs the date of the
    decision it reverses."""
    reversed_ = ~blank("REASON_PLACED_CEASED") & provided(context, DECISIONS, "DATE_PLACED_CEASED")
    return context.failing(DECISIONS, reversed_ & left_blank(context, DECISIONS, "DATE_PLACED"))
