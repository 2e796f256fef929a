"""Rules tying the adoption details (AD1) to the episode with which the child was adopted
(DfE rules 582, 601 and 602)."""

from __future__ import annotations

import polars as pl

from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import provided

ADOPTION_FIELDS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")


def _adopted(context: Context) -> pl.Expr:
    """The episode ended with the child adopted (E11, E12)."""
    return pl.col("REC").is_in(context.group("reason_episode_ceased", "adopted"))


def _adopted_in_year(context: Context) -> pl.DataFrame:
    """The episodes with which a child was adopted during the year."""
    return context.table("episodes").filter(
        _adopted(context) & pl.col("DEC").is_between(context.start, context.end)
    )


def _given(context: Context) -> list[pl.Expr]:
    """For each adoption detail, whether it was given."""
    return [provided(context, "ad1", c) for c in ADOPTION_FIELDS]


@rule(
    "582",
    "Child is showing as ceasing to be looked after due to adoption, but the date of adoption is "
    "the same as the date reported for being matched with adopters. In most circumstances we "
    "expect the date the child is matched with adopters to be before the date of adoption.",
    tables=("episodes", "ad1"),
    fields=("DEC", "DATE_MATCH"),
)
def adopted_on_day_matched(context: Context) -> Failures:
    """A child is matched with adopters, then placed with them, and adopted only after
    that: a match and adoption on the same day suggests one of the dates is wrong."""
    ad1 = context.table("ad1")
    adopted = context.table("episodes").filter(_adopted(context))
    same_day = adopted.join(
        ad1.select("CHILD", "DATE_MATCH"),
        left_on=["CHILD", "DEC"],
        right_on=["CHILD", "DATE_MATCH"],
    )
    matched_that_day = ad1.join(
        adopted.select("CHILD", "DEC"), left_on=["CHILD", "DATE_MATCH"], right_on=["CHILD", "DEC"]
    )
    return {
        "episodes": same_day.select(adopted.columns),
        "ad1": matched_that_day.select(ad1.columns),
    }


@rule(
    "601",
    "The additional fields relating to adoption have not been completed although the episode "
    "data shows that the child was adopted during the year.",
    tables=("episodes", "ad1"),
    fields=("REC", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
)
def adoption_details_missing(context: Context) -> Failures:
    """Every adoption in the year is counted with its dates and adopters, so a child
    adopted needs all the adoption details (AD1) completed."""
    adopted = _adopted_in_year(context)
    ad1 = context.table("ad1").join(adopted, on="CHILD", how="semi")
    complete = pl.all_horizontal(_given(context))
    return {
        "episodes": adopted.join(ad1.filter(complete), on="CHILD", how="anti"),
        "ad1": ad1.filter(~complete),
    }


@rule(
    "602",
    "The episode data submitted for this child does not show that he/she was adopted during "
    "the year.",
    tables=("ad1",),
    fields=("CHILD",),
)
def adoption_details_without_adoption(context: Context) -> Failures:
    """Adoption details (AD1) are for children adopted during the year: given for any other
    child, they would count an adoption that the episodes do not show."""
    adopted = _adopted_in_year(context)
    return context.failing(
        "ad1",
        pl.any_horizontal(_given(context)) & ~pl.col("CHILD").is_in(adopted["CHILD"].implode()),
    )
