"""Rules about each episode of care itself: when it began and ended, and the codes for
why it began and ended, the child's legal status and category of need (DfE rules
141-145, 147-149), and a child coming back into care after adoption (199).
"""

from __future__ import annotations

import polars as pl

from carematters.validation.checks import blank, code_rule, date_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import provided
from carematters.validation.rules.episode_sequence import after, in_order


def ceased(context: Context) -> pl.Expr:
    """The episode has a date it ceased, even one that could not be read."""
    return provided(context, "episodes", "DEC")


@rule("141", "Date episode began is not a valid date.", tables=("episodes",), fields=("DECOM",))
def began_not_a_date(context: Context) -> Failures:
    """Every episode needs the real date it began: it places the episode in the child's
    history and decides which year's return it belongs to."""
    return date_rule(context, "episodes", "DECOM", required=True)


@rule(
    "142",
    "A new episode has started, but the previous episode has not ended.",
    tables=("episodes",),
    fields=("DEC", "REC"),
)
def earlier_episode_left_open(context: Context) -> Failures:
    """A child is in one episode at a time, so an episode followed by another must say
    when and why it ended."""
    mask = (
        pl.col("DECOM").is_not_null()
        & after("DECOM").is_not_null()
        & (~ceased(context) | blank("REC"))
    )
    return {"episodes": in_order(context).filter(mask.fill_null(False))}


@rule(
    "143",
    "The reason for new episode code is not a valid code.",
    tables=("episodes",),
    fields=("RNE",),
)
def reason_new_episode_code(context: Context) -> Failures:
    """Why each episode began must be one of DfE's codes: it tells a new period of care
    from a change of placement or legal status."""
    return code_rule(context, "episodes", "RNE", "reason_new_episode", required=True)


@rule("144", "The legal status code is not a valid code.", tables=("episodes",), fields=("LS",))
def legal_status_code(context: Context) -> Failures:
    """The legal basis on which a child is looked after must be one of DfE's codes: it
    decides the local authority's duties and which other rules apply."""
    return code_rule(context, "episodes", "LS", "legal_status", required=True)


@rule("145", "Category of need code is not a valid code.", tables=("episodes",), fields=("CIN",))
def category_of_need_code(context: Context) -> Failures:
    """The main reason a child needed care must be one of DfE's codes, so national
    figures on why children come into care add up."""
    return code_rule(context, "episodes", "CIN", "category_of_need", required=True)


@rule("147", "Date episode ceased is not a valid date.", tables=("episodes",), fields=("DEC",))
def ceased_not_a_date(context: Context) -> Failures:
    """An episode that ended must say when in a real date (an episode still open is
    left blank)."""
    return date_rule(context, "episodes", "DEC", required=False)


@rule(
    "148",
    "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
    tables=("episodes",),
    fields=("DEC", "REC"),
)
def ceased_date_without_reason(context: Context) -> Failures:
    """An episode either ended, with both a date and a reason, or is still open, with
    neither: one without the other leaves it unclear which."""
    return context.failing("episodes", ceased(context) != ~blank("REC"))


@rule("149", "Reason episode ceased code is not valid. ", tables=("episodes",), fields=("REC",))
def reason_ceased_code(context: Context) -> Failures:
    """Why an episode ended must be one of DfE's codes: it tells a change of placement
    from leaving care, and how the child left."""
    return code_rule(context, "episodes", "REC", "reason_episode_ceased", required=False)


def _adoption_began(context: Context) -> pl.DataFrame:
    """For each child adopted from care in this year's return or last year's (when given),
    the date the episode that ended in adoption began."""
    years = [context.table("episodes")]
    if context.previous is not None:
        years.append(context.last_year("episodes"))
    return (
        pl.concat([episodes.select("CHILD", "DECOM", "REC") for episodes in years])
        .filter(pl.col("REC").is_in(context.group("reason_episode_ceased", "adopted")))
        .group_by("CHILD")
        .agg(ADOPTION_BEGAN=pl.col("DECOM").min())
    )


@rule(
    "199",
    "Episode information shows child has been previously adopted from care. [NOTE: This only "
    "tests the current and previous year data loaded into the tool]",
    tables=("episodes",),
    fields=("CHILD",),
)
def episode_after_adoption(context: Context) -> Failures:
    """An adopted child is no longer looked after, and comes back into care with a new
    child identifier, so no episode can follow an adoption under the same one."""
    episodes = context.table("episodes").join(_adoption_began(context), on="CHILD", how="inner")
    later = episodes.filter(pl.col("DECOM") > pl.col("ADOPTION_BEGAN"))
    return {"episodes": later.drop("ADOPTION_BEGAN")}
