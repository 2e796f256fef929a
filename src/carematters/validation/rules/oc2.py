"""Rules about the outcomes of children looked after continuously for twelve months at
31 March (the OC2 table: offending, health checks, substance misuse and the strengths and
difficulties questionnaire; DfE rules 157-159, 180-182, 185, 186, 188-193, 196-198), the
cohort itself, and the pieces the OC3 and adoption rules share with them.

The cohort is worked out from the year's episodes as `carematters.cohorts` defines it,
the same definition the outcome indicators count by. The questionnaire's ages, 4 to 16,
are the statutory guidance's (`health.sdq_from_age`, `health.sdq_until_age`), which
DfE's rules state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Literal

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.cohorts import looked_after_a_year
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import not_a_code
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import law, left_blank, provided

HEALTH = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
"""The OC2 items every child of the cohort must have answered."""
ITEMS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)
"""Every OC2 item on health and offending (the SDQ apart)."""
SDQ = ("SDQ_SCORE", "SDQ_REASON")


# Pieces the OC2, OC3 and adoption rules share --------------------------------------


def any_provided(context: Context, table: str, columns: Iterable[str]) -> pl.Expr:
    """At least one of `columns` was filled in (even with something unreadable)."""
    return pl.any_horizontal(provided(context, table, column) for column in columns)


def partly_provided(context: Context, table: str, columns: Iterable[str]) -> pl.Expr:
    """Some of `columns` were filled in, but not all."""
    given = [provided(context, table, column) for column in columns]
    return pl.any_horizontal(given) & ~pl.all_horizontal(given)


def _sdq_ages(context: Context) -> tuple[int, int]:
    """The questionnaire is completed from the first of these birthdays (4th) until the
    second (17th), as the law stood at the end of the year."""
    return law(context, "health.sdq_from_age"), law(context, "health.sdq_until_age")


def among(children: pl.DataFrame) -> pl.Expr:
    """The row's child is one of the children of `children`."""
    return pl.col("CHILD").is_in(children["CHILD"].implode())


def _one_each(frame: pl.DataFrame, keep: Literal["first", "last"]) -> pl.DataFrame:
    """Each child's first or last row by start date (DECOM), rows without one left out."""
    ordered = frame.filter(pl.col("DECOM").is_not_null()).sort("CHILD", "DECOM", ROW_COLUMN)
    return ordered.unique("CHILD", keep=keep, maintain_order=True)


def earliest(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's first episode of `episodes`."""
    return _one_each(episodes, "first")


def latest(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's latest episode of `episodes`: the one they are in, or left care from."""
    return _one_each(episodes, "last")


def looked_after_in_year(context: Context, *, counting_unsure: bool) -> pl.DataFrame:
    """The episodes of the year: begun by 31 March, and not ended before 1 April.

    An episode whose end date could not be read may have ended before: it is counted in
    with `counting_unsure`, for a rule finding children *not* looked after in the year,
    and left out otherwise, so that neither kind of rule finds a child on a guess."""
    not_ended = (
        pl.col("DEC").is_null() if counting_unsure else left_blank(context, "episodes", "DEC")
    )
    return context.table("episodes").filter(
        (pl.col("DECOM") <= context.end) & (not_ended | (pl.col("DEC") >= context.start))
    )


def continuously_looked_after(context: Context) -> pl.DataFrame:
    """The children (column CHILD) looked after continuously for at least twelve months
    at 31 March, as the module's docstring defines them; worked out once per return."""
    return context.derived(
        "OC2 cohort", lambda: looked_after_a_year(context.table("episodes"), context.year)
    )


def in_cohort(context: Context) -> pl.Expr:
    """The row's child is looked after continuously for twelve months at 31 March."""
    return among(continuously_looked_after(context))


# The rules ------------------------------------------------------------------------


@rule(
    "157",
    "Child is aged 4 years or over at the beginning of the year or 16 years or under at the "
    "end of the year and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded "
    "as the reason for no Strengths and Difficulties Questionnaire (SDQ) score.",
    tables=("oc2", "episodes"),
    fields=("SDQ_REASON", "DOB"),
)
def sdq1_for_a_child_of_sdq_age(context: Context) -> Failures:
    """SDQ1 says the child was too young or too old for a questionnaire, which cannot be
    true of a child aged 4 to 16 all year; the questionnaire was due.

    DfE's "or" between the ages must be read as "and": with "or" every child would be
    caught."""
    first, until = _sdq_ages(context)
    mask = (
        in_cohort(context)
        & (pl.col("SDQ_REASON") == "SDQ1")
        & (age_on(pl.col("DOB"), context.start) >= first)
        & (age_on(pl.col("DOB"), context.end) < until)
    )
    return context.failing("oc2", mask)


@rule(
    "158",
    "If a child has been recorded as receiving an intervention for their substance misuse "
    "problem, then the additional item on whether an intervention was offered should be left "
    "blank.",
    tables=("oc2",),
    fields=("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def offered_although_received(context: Context) -> Failures:
    """Whether an intervention was offered is only asked of a child who did not receive
    one: an answer beside a received intervention contradicts it."""
    mask = (pl.col("INTERVENTION_RECEIVED") == "1") & provided(
        context, "oc2", "INTERVENTION_OFFERED"
    )
    return context.failing("oc2", mask)


@rule(
    "159",
    "If a child has been recorded as not receiving an intervention for their substance misuse "
    "problem, then the additional item on whether an intervention was offered should be "
    "completed as well.",
    tables=("oc2",),
    fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def offer_unrecorded(context: Context) -> Failures:
    """For a child with a substance misuse problem who received no help, whether help was
    at least offered is what shows if the authority met the child's need."""
    mask = (
        (pl.col("SUBSTANCE_MISUSE") == "1")
        & (pl.col("INTERVENTION_RECEIVED") == "0")
        & left_blank(context, "oc2", "INTERVENTION_OFFERED")
    )
    return context.failing("oc2", mask)


@rule(
    "180",
    "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
    tables=("oc2",),
    fields=("SDQ_SCORE",),
)
def sdq_score_out_of_range(context: Context) -> Failures:
    """An SDQ total difficulties score is a whole number from 0 to 40; anything else cannot
    be a score and would distort the national average."""
    mask = context.unreadable("oc2", "SDQ_SCORE") | ~pl.col("SDQ_SCORE").is_between(0, 40)
    return context.failing("oc2", mask)


@rule(
    "181",
    "Data items relating to children looked after continuously for 12 months should be "
    "completed with a 0 or 1.",
    tables=("oc2",),
    fields=ITEMS,
)
def item_not_yes_or_no(context: Context) -> Failures:
    """Each health and offending item is a yes (1) or no (0); any other answer cannot be
    counted."""
    mask = pl.any_horizontal(
        not_a_code(context, column, "yes_no", required=False) for column in ITEMS
    )
    return context.failing("oc2", mask)


@rule(
    "182",
    "Data entries on immunisations, teeth checks, health assessments and substance misuse "
    "problem identified should be completed or all OC2 fields should be left blank.",
    tables=("oc2",),
    fields=ITEMS,
)
def health_partly_answered(context: Context) -> Failures:
    """A child either belongs to the twelve-month cohort, and then the four core health
    items are all needed, or does not, and then no item is: a half-answered row is
    neither.

    DfE's words are followed: the community validator lets a row through when only some
    of the four core items are given and no other item is."""
    mask = pl.any_horizontal(left_blank(context, "oc2", column) for column in HEALTH) & (
        any_provided(context, "oc2", ITEMS)
    )
    return context.failing("oc2", mask)


@rule(
    "185",
    "Child has not been looked after continuously for at least 12 months at 31 March but a "
    "Strengths and Difficulties (SDQ) score has been completed.",
    tables=("oc2", "episodes"),
    fields=("SDQ_SCORE",),
)
def sdq_score_outside_cohort(context: Context) -> Failures:
    """SDQ scores are collected only for the twelve-month cohort; a score for another child
    suggests the child's episodes or the OC2 row are wrong."""
    mask = provided(context, "oc2", "SDQ_SCORE") & ~in_cohort(context)
    return context.failing("oc2", mask)


@rule(
    "186",
    "Children aged 4 or over at the start of the year and children aged under 17 at the end of "
    "the year and who have been looked after for at least 12 months continuously should have a "
    "Strengths and Difficulties (SDQ) score completed.",
    tables=("oc2", "episodes"),
    fields=("SDQ_SCORE",),
)
def sdq_missing(context: Context) -> Failures:
    """Every child of SDQ age in the cohort needs a questionnaire score, the measure of
    their emotional wellbeing, or the reason there is none."""
    first, until = _sdq_ages(context)
    mask = (
        in_cohort(context)
        & (age_on(pl.col("DOB"), context.start) >= first)
        & (age_on(pl.col("DOB"), context.end) < until)
        & ~any_provided(context, "oc2", SDQ)
    )
    return context.failing("oc2", mask)


@rule(
    "188",
    "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties "
    "(SDQ) score or a reason for no SDQ score has been completed. ",
    tables=("oc2",),
    fields=SDQ,
)
def sdq_for_under_four(context: Context) -> Failures:
    """The questionnaire is for children aged 4 to 16, so a child under 4 has neither a
    score nor a reason for not having one."""
    first, _ = _sdq_ages(context)
    mask = (age_on(pl.col("DOB"), context.end) < first) & any_provided(context, "oc2", SDQ)
    return context.failing("oc2", mask)


@rule(
    "189",
    "Child is aged 17 years or over at the beginning of the year, but an Strengths and "
    "Difficulties (SDQ) score or a reason for no Strengths and Difficulties (SDQ) score has "
    "been completed.",
    tables=("oc2",),
    fields=("DOB", "SDQ_SCORE", "SDQ_REASON"),
)
def sdq_for_seventeen(context: Context) -> Failures:
    """The questionnaire is for children aged 4 to 16, so a young person already 17 when
    the year began has neither a score nor a reason for not having one.

    DfE's condition, a date of birth more than 17 years before 1 April, is followed: a
    17th birthday on 1 April itself is not found, although DfE's message would say the
    young person was 17 at the beginning of the year."""
    before_the_year = context.start - timedelta(days=1)
    _, until = _sdq_ages(context)
    too_old = age_on(pl.col("DOB"), before_the_year) >= until
    mask = too_old & any_provided(context, "oc2", SDQ)
    return context.failing("oc2", mask)


@rule(
    "190",
    "Child has not been looked after continuously for at least 12 months at 31 March but one "
    "or more data items relating to children looked after for 12 months have been completed.",
    tables=("oc2", "episodes"),
    fields=ITEMS,
)
def items_outside_cohort(context: Context) -> Failures:
    """OC2 outcomes are reported only for the twelve-month cohort; answers for another child
    mean the child's episodes or the OC2 row are wrong."""
    mask = any_provided(context, "oc2", ITEMS) & ~in_cohort(context)
    return context.failing("oc2", mask)


@rule(
    "191",
    "Child has been looked after continuously for at least 12 months at 31 March but one or "
    "more data items relating to children looked after for 12 months have been left blank.",
    tables=("oc2", "episodes"),
    fields=(*HEALTH, "CHILD"),
)
def cohort_items_missing(context: Context) -> Failures:
    """Every child of the twelve-month cohort needs their immunisations, dental check,
    health assessment and substance misuse recorded: these are the national measures of
    their health.

    A child of the cohort with no OC2 row at all is found at the episode they are in on
    31 March."""
    cohort = in_cohort(context)
    unanswered = pl.any_horizontal(left_blank(context, "oc2", column) for column in HEALTH)
    open_at_end = (pl.col("DECOM") <= context.end) & left_blank(context, "episodes", "DEC")
    return context.failing("oc2", cohort & unanswered) | context.failing(
        "episodes", cohort & ~among(context.table("oc2")) & open_at_end
    )


@rule(
    "192",
    "Child has been identified as having a substance misuse problem but the additional item on "
    "whether an intervention was received has been left blank.",
    tables=("oc2",),
    fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"),
)
def intervention_unrecorded(context: Context) -> Failures:
    """For a child with a substance misuse problem, whether they received help is the point
    of asking."""
    mask = (pl.col("SUBSTANCE_MISUSE") == "1") & left_blank(context, "oc2", "INTERVENTION_RECEIVED")
    return context.failing("oc2", mask)


@rule(
    "193",
    "Child not identified as having a substance misuse problem but at least one of the two "
    "additional items on whether an intervention were offered and received have been "
    "completed.",
    tables=("oc2",),
    fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def intervention_without_problem(context: Context) -> Failures:
    """Interventions are asked about only for a child with a substance misuse problem; an
    answer for any other child contradicts the problem item."""
    no_problem = pl.col("SUBSTANCE_MISUSE").ne_missing("1")
    mask = no_problem & any_provided(
        context, "oc2", ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
    )
    return context.failing("oc2", mask)


@rule(
    "196",
    "Strengths and Difficulties (SDQ) reason is not a valid code.",
    tables=("oc2",),
    fields=("SDQ_REASON",),
)
def sdq_reason_code(context: Context) -> Failures:
    """The reason a questionnaire was not completed must be one of DfE's codes, so the
    reasons can be counted nationally."""
    return context.failing("oc2", not_a_code(context, "SDQ_REASON", "sdq_reason", required=False))


@rule(
    "197a",
    "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and "
    "Difficulties Questionnaire score is filled in.",
    tables=("oc2",),
    fields=SDQ,
)
def sdq_reason_beside_score(context: Context) -> Failures:
    """A reason for having no score contradicts the score given beside it."""
    mask = pl.all_horizontal(provided(context, "oc2", column) for column in SDQ)
    return context.failing("oc2", mask)


@rule(
    "197B",
    "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
    tables=("oc2", "episodes"),
    fields=("SDQ_REASON", "DOB"),
)
def sdq_missing_at_four_or_seventeen(context: Context) -> Failures:
    """A child of the cohort who turned 4 or 17 during the year was of questionnaire age for
    part of it, so needs a score or the reason there is none."""
    first, until = _sdq_ages(context)
    mask = (
        in_cohort(context)
        & age_on(pl.col("DOB"), context.end).is_in([first, until])
        & ~any_provided(context, "oc2", SDQ)
    )
    return context.failing("oc2", mask)


@rule(
    "198",
    "Child has not been looked after continuously for at least 12 months at 31 March but a "
    "reason for no Strengths and Difficulties (SDQ) score has been completed. ",
    tables=("oc2", "episodes"),
    fields=("SDQ_REASON",),
)
def sdq_reason_outside_cohort(context: Context) -> Failures:
    """SDQ reasons are collected only for the twelve-month cohort; a reason for another
    child suggests the child's episodes or the OC2 row are wrong."""
    mask = provided(context, "oc2", "SDQ_REASON") & ~in_cohort(context)
    return context.failing("oc2", mask)
