"""Rules about social worker episodes (DfE rules SW01 to SW19), collected from 2023-24:
who each child's social worker was, from when to when, and why it changed.

A child's social worker episodes are compared with each other through Polars window
functions over CHILD: the episode before (after sorting by start date) or whether any
other episode starts on or after this one. An episode whose start date is missing or
unreadable takes no part in those comparisons (the completeness and date rules report it).

The social worker reporting period is the collection year in 2023-24 and, from 2024-25,
the collection year and the one before it (DfE collected two years of episodes).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import blank, code_rule, not_a_code, not_a_date
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank, provided

SW = "sw_episodes"
FOLLOWED = "_FOLLOWED"
"""Another of the child's social worker episodes starts on or after this one's start."""
FIRST_COLLECTED = date(2023, 4, 1)
"""DfE's: the first day of the first year social worker episodes were collected (2023-24)."""
FIRST_CONTACT = "FCONTA"
"""The reason for a new social worker when the child is first referred (or re-referred)."""
HANDOVER = timedelta(days=7)
"""How far a new social worker's start may be from the previous one's end."""
LAST_DAYS = timedelta(days=5)
"""The days before 31 March in which a following episode may not yet have started."""
INCOMPLETE = "For each social worker episode, information should be complete"
LEFT_WITHOUT_SUCCESSOR = (
    "Social worker episode has ended before 31 March and no subsequent social worker "
    "episode has been provided."
)
STARTED_BEFORE_PREVIOUS_ENDED = (
    "A new social worker episode has started before the end date of the previous social "
    "worker episode."
)
WRONG_END_DATE = (
    "Social worker episode end date should be on or after the start of the social worker "
    "reporting period, and should be on or before the collection end date."
)


def _looked_after_at_year_end(context: Context) -> pl.DataFrame:
    """Episodes still open at 31 March, other than short breaks: the child is looked
    after on the last day of the year. An episode whose end date could not be read is not
    taken as open: no social worker is asked for on a guess."""
    return context.table("episodes").filter(
        left_blank(context, "episodes", "DEC")
        & ~pl.col("LS").is_in(context.group("legal_status", "short_breaks")).fill_null(False)
    )


def _dated(context: Context) -> pl.DataFrame:
    """The social worker episodes whose start date is known."""
    return context.table(SW).filter(pl.col("SW_DECOM").is_not_null())


def _in_order(context: Context) -> pl.DataFrame:
    """Dated social worker episodes, each child's in the order they began (sorted once)."""
    return context.derived(
        "social worker episodes in order",
        lambda: _dated(context).sort("CHILD", "SW_DECOM", "SW_DEC", ROW_COLUMN, nulls_last=True),
    )


def _previous_end() -> pl.Expr:
    """The end date of the child's episode before this one; the frame must be `_in_order`,
    so the episode before is the row before when it is the same child's."""
    return pl.when(pl.col("CHILD").shift(1) == pl.col("CHILD")).then(pl.col("SW_DEC").shift(1))


def _with_followed(context: Context) -> pl.DataFrame:
    """The dated social worker episodes, with `_FOLLOWED`: another of the child's episodes
    starts on or after this one's start (worked out once: a window over each child is
    slow on a national return)."""
    followed = pl.col("SW_DECOM").rank("max", descending=True).over("CHILD") > 1
    return context.derived(
        "social worker episodes followed or not",
        lambda: _dated(context).with_columns(followed.alias(FOLLOWED)),
    )


def _latest_where(context: Context, mask: pl.Expr) -> Failures:
    """Each child's latest episode (no other starts on or after it), where `mask` holds."""
    return {SW: _with_followed(context).filter((~pl.col(FOLLOWED) & mask).fill_null(False))}


def _incomplete(context: Context, applies: pl.Expr, *, reason: bool) -> Failures:
    """Episodes without a start date or, where `applies`, without the social worker's ID
    (or, if `reason`, without the reason for the change). A start date given but not
    readable is given (rule SW04's to report)."""
    missing = (blank("SW_ID") | blank("SW_REASON")) if reason else blank("SW_ID")
    return context.failing(SW, left_blank(context, SW, "SW_DECOM") | (applies & missing))


def _ended_outside(context: Context, period_start: date) -> Failures:
    """Episodes ending before `period_start` or after the year's end."""
    return context.failing(SW, (pl.col("SW_DEC") < period_start) | (pl.col("SW_DEC") > context.end))


def _still_open_but_followed(context: Context) -> Failures:
    """Episodes with no end date although another of the child's episodes starts on or
    after them (an end date given but not readable is an end date)."""
    open_and_followed = left_blank(context, SW, "SW_DEC") & pl.col(FOLLOWED)
    return {SW: _with_followed(context).filter(open_and_followed.fill_null(False))}


def _started_against_previous(context: Context, mask: pl.Expr) -> Failures:
    """Episodes for which `mask` holds, given `_PREV_DEC`, the end of the one before."""
    episodes = _in_order(context).with_columns(_previous_end().alias("_PREV_DEC"))
    return {SW: episodes.filter(mask.fill_null(False)).drop("_PREV_DEC")}


def _not_first_contact() -> pl.Expr:
    """The reason for the new social worker is not a first contact (or is not given)."""
    return pl.col("SW_REASON").ne_missing(FIRST_CONTACT)


def _overlaps_previous() -> pl.Expr:
    """The episode starts more than a week before the previous one ended."""
    return pl.col("SW_DECOM") < pl.col("_PREV_DEC") - HANDOVER


@rule(
    "SW01STG1",
    "Child looked after on 31 March, but no social worker episode information is reported",
    tables=("episodes", SW),
    fields=("DEC",),
    until="2023-24",
)
def no_social_worker_reported(context: Context) -> Failures:
    """Every child looked after on 31 March has a social worker, and DfE measures how
    often they change: the return needs at least one ID, start date and reason for them."""
    sw = context.table(SW)
    reported = (
        sw.group_by("CHILD")
        .agg(
            (~blank("SW_ID")).any().alias("_ID"),
            provided(context, SW, "SW_DECOM").any().alias("_DECOM"),
            (~blank("SW_REASON")).any().alias("_REASON"),
        )
        .filter(pl.col("_ID") & pl.col("_DECOM") & pl.col("_REASON"))
    )
    looked_after = _looked_after_at_year_end(context)
    return {"episodes": looked_after.join(reported.select("CHILD"), on="CHILD", how="anti")}


@rule(
    "SW01aSTG1",
    INCOMPLETE,
    tables=(SW,),
    fields=("SW_DECOM", "SW_ID"),
    since="2024-25",
    until="2024-25",
)
def incomplete_earlier_episode(context: Context) -> Failures:
    """An episode needs its start date, and one begun before social worker episodes were
    first collected (1 April 2023) still needs the social worker's ID."""
    return _incomplete(context, pl.col("SW_DECOM") < FIRST_COLLECTED, reason=False)


@rule(
    "SW01bSTG1",
    INCOMPLETE,
    tables=(SW,),
    fields=("SW_DECOM", "SW_ID", "SW_REASON"),
    since="2024-25",
    until="2024-25",
)
def incomplete_recent_episode(context: Context) -> Failures:
    """An episode begun since social worker episodes were first collected (1 April 2023)
    needs its start date, the social worker's ID and the reason for the change."""
    return _incomplete(context, pl.col("SW_DECOM") >= FIRST_COLLECTED, reason=True)


@rule(
    "SW02STG1",
    "Social worker ID does not begin with the characters \u2018SW\u2019 or \u2018XX\u2019.",
    tables=(SW,),
    fields=("SW_ID",),
)
def social_worker_id_format(context: Context) -> Failures:
    """Social workers are identified by their Social Work England number (SW...) or, where
    they have none, a local ID marked XX, so the same worker is counted once (a blank ID
    is neither)."""
    prefixed = pl.col("SW_ID").str.starts_with("SW") | pl.col("SW_ID").str.starts_with("XX")
    return context.failing(SW, ~prefixed.fill_null(False))


@rule(
    "SW03STG1",
    "For each social worker episode, information should be complete.",
    tables=(SW,),
    fields=("SW_ID", "SW_DECOM", "SW_REASON"),
    until="2023-24",
)
def incomplete_episode(context: Context) -> Failures:
    """Each social worker episode needs the worker's ID, its start date and the reason
    for the change, or changes of social worker cannot be counted."""
    return _incomplete(context, pl.lit(True), reason=True)


@rule(
    "SW04STG1",
    "Date social worker episode began is not a valid date..",
    tables=(SW,),
    fields=("SW_DECOM",),
)
def start_not_a_date(context: Context) -> Failures:
    """The start of a social worker episode must be a real dd/mm/yyyy date to order and
    count the child's changes of social worker."""
    return context.failing(SW, not_a_date(context, SW, "SW_DECOM", required=False))


@rule(
    "SW05STG1",
    "Date social worker episode began is not a valid date.",
    tables=(SW,),
    fields=("SW_DEC",),
)
def end_not_a_date(context: Context) -> Failures:
    """The end of a social worker episode, when given, must be a real dd/mm/yyyy date."""
    return context.failing(SW, not_a_date(context, SW, "SW_DEC", required=False))


@rule(
    "SW06STG2",
    "Social worker episode data should be within the social worker data reporting year.",
    tables=(SW,),
    fields=("SW_DECOM",),
)
def starts_after_year_end(context: Context) -> Failures:
    """The return describes the child up to 31 March: a social worker episode cannot
    start after it."""
    return context.failing(SW, pl.col("SW_DECOM") > context.end)


@rule("SW07STG2", WRONG_END_DATE, tables=(SW,), fields=("SW_DEC",), until="2023-24")
def ends_outside_year(context: Context) -> Failures:
    """Only episodes open at some point in the year are reported, so an end date must fall
    within the year."""
    return _ended_outside(context, context.start)


@rule("SW07STG2", WRONG_END_DATE, tables=(SW,), fields=("SW_DEC",), since="2024-25")
def ends_outside_two_years(context: Context) -> Failures:
    """Episodes are reported for this year and the one before, so an end date must fall
    within those two years."""
    return _ended_outside(context, context.start.replace(year=context.start.year - 1))


@rule(
    "SW08STG2",
    "A new social worker episode has started, but the previous episode has not ended.",
    tables=(SW,),
    fields=("SW_DEC",),
)
def open_episode_followed(context: Context) -> Failures:
    """A child has one allocated social worker at a time: when a new episode starts, the
    one before must have an end date."""
    return _still_open_but_followed(context)


@rule(
    "SW09STG2",
    "Social worker episode appears to have lasted for less than 24 hours.",
    tables=(SW,),
    fields=("SW_DECOM", "SW_DEC"),
)
def lasted_under_a_day(context: Context) -> Failures:
    """An episode that ends the day it starts is most often a recording slip (such as a
    worker allocated in error) that would count as a change of social worker."""
    return context.failing(SW, pl.col("SW_DEC") == pl.col("SW_DECOM"))


@rule(
    "SW10STG2",
    STARTED_BEFORE_PREVIOUS_ENDED,
    tables=(SW,),
    fields=("SW_DECOM",),
    until="2023-24",
)
def overlaps_previous(context: Context) -> Failures:
    """A child has one allocated social worker at a time, so a new episode cannot start
    more than a week before the previous one ended."""
    return _started_against_previous(context, _overlaps_previous())


@rule(
    "SW10STG2",
    STARTED_BEFORE_PREVIOUS_ENDED,
    tables=(SW,),
    fields=("SW_DECOM",),
    since="2024-25",
)
def overlaps_previous_not_first_contact(context: Context) -> Failures:
    """A child has one allocated social worker at a time, so a new episode (other than a
    first contact, checked by SW10b) cannot start more than a week before the previous
    one ended."""
    return _started_against_previous(context, _not_first_contact() & _overlaps_previous())


@rule(
    "SW10aSTG2",
    "A new social worker episode has started and it is not within +/- 7 days of a "
    "previous episode.",
    tables=(SW,),
    fields=("SW_DECOM",),
    since="2025-26",
)
def not_handed_over(context: Context) -> Failures:
    """A change of social worker (other than a first contact) hands the child from one
    worker to the next, so the new episode starts within a week of the last one ending."""
    away = (pl.col("SW_DECOM") - pl.col("_PREV_DEC")).abs() > HANDOVER
    return _started_against_previous(context, _not_first_contact() & away)


@rule(
    "SW10bSTG2",
    "A new social worker episode has started with a reason of first contact before the "
    "previous episode has ended.",
    tables=(SW,),
    fields=("SW_DECOM", "SW_REASON"),
    since="2025-26",
)
def first_contact_while_allocated(context: Context) -> Failures:
    """A first contact (or re-referral) means the child had no social worker, so it cannot
    start while the previous episode was still going on."""
    first_contact = pl.col("SW_REASON") == FIRST_CONTACT
    return _started_against_previous(
        context, first_contact & (pl.col("SW_DECOM") < pl.col("_PREV_DEC"))
    )


@rule(
    "SW11aSTG2",
    LEFT_WITHOUT_SUCCESSOR,
    tables=(SW,),
    fields=("SW_DEC",),
    until="2023-24",
)
def ended_early_without_successor(context: Context) -> Failures:
    """A child looked after keeps a social worker: the child's last episode cannot end
    five days or more before 31 March (by 26 March) with no episode after it (SW11b checks
    the days after, when the next worker may just be starting)."""
    return _latest_where(context, pl.col("SW_DEC") <= context.end - LAST_DAYS)


@rule(
    "SW11bSTG2",
    LEFT_WITHOUT_SUCCESSOR,
    tables=(SW,),
    fields=("SW_DEC",),
    until="2023-24",
)
def ended_late_without_successor(context: Context) -> Failures:
    """A child looked after keeps a social worker: the child's last episode cannot end in
    the last days before 31 March (27 to 30 March) with no episode after it (SW11a checks
    earlier ends)."""
    in_last_days = pl.col("SW_DEC").is_between(context.end - LAST_DAYS, context.end, closed="none")
    return _latest_where(context, in_last_days)


@rule(
    "SW11bSTG2",
    LEFT_WITHOUT_SUCCESSOR,
    tables=(SW,),
    fields=("SW_DEC",),
    since="2024-25",
)
def ended_without_successor(context: Context) -> Failures:
    """A child looked after keeps a social worker: the child's last episode cannot end
    before 31 March with no episode after it."""
    return _latest_where(context, pl.col("SW_DEC") < context.end)


@rule(
    "SW12STG2",
    "If a child is looked after on 31 March then all social worker episodes for the full "
    "previous year should be reported, even those whilst they were not looked after",
    tables=("episodes", SW),
    fields=("SW_DECOM",),
)
def year_not_covered(context: Context) -> Failures:
    """DfE counts the social workers a child looked after on 31 March had over the whole
    year, before care too: the child's first episode must be open on 1 April or be the
    first contact with the child.

    A child with no dated social worker episode at all is reported on the open episode of
    care; otherwise the child's earliest social worker episode is reported."""
    looked_after = _looked_after_at_year_end(context)
    sw = _dated(context).join(looked_after.select("CHILD").unique(), on="CHILD", how="semi")
    earliest = pl.col("SW_DECOM") == pl.col("SW_DECOM").min().over("CHILD")
    late_start = (pl.col("SW_DECOM") > context.start) & _not_first_contact()
    return {
        SW: sw.filter(earliest & late_start),
        "episodes": looked_after.join(sw.select("CHILD"), on="CHILD", how="anti"),
    }


@rule(
    "SW13STG1",
    "The reason for social worker change is either not valid or has not been entered.",
    tables=(SW,),
    fields=("SW_REASON",),
    until="2023-24",
)
def reason_code(context: Context) -> Failures:
    """Each change of social worker needs one of DfE's reasons, so that national figures
    can say why children's social workers change."""
    return code_rule(context, SW, "SW_REASON", "sw_reason", required=True)


@rule(
    "SW13STG1",
    "The reason for social worker change is not valid.",
    tables=(SW,),
    fields=("SW_REASON",),
    since="2024-25",
)
def reason_code_since_collected(context: Context) -> Failures:
    """A reason, when given, must be one of DfE's codes, and one is needed for every
    episode begun since social worker episodes were first collected (1 April 2023)."""
    needed = blank("SW_REASON") & (pl.col("SW_DECOM") >= FIRST_COLLECTED)
    return context.failing(
        SW, not_a_code(context, "SW_REASON", "sw_reason", required=False) | needed
    )


@rule(
    "SW14STG2",
    "Social worker episode date ceased is blank.",
    tables=(SW,),
    fields=("SW_DEC",),
    until="2023-24",
)
def end_date_blank(context: Context) -> Failures:
    """Only a child's latest social worker episode can still be open: every earlier one
    needs the date it ended."""
    return _still_open_but_followed(context)


@rule(
    "SW17STG2",
    "There is no social worker episode open at 31 March",
    tables=(SW,),
    fields=("SW_DEC", "SW_DECOM"),
    since="2025-26",
)
def none_open_at_year_end(context: Context) -> Failures:
    """A child in the return has a social worker on 31 March, so the child's latest
    episode must still be open (no end date; one given but not readable is an end)."""
    return _latest_where(context, provided(context, SW, "SW_DEC"))


@rule(
    "SW18STG2",
    "The end date of the social worker episode is before the start date",
    tables=(SW,),
    fields=("SW_DEC", "SW_DECOM"),
    since="2025-26",
)
def ends_before_start(context: Context) -> Failures:
    """An episode cannot end before it began: one of the two dates is wrong."""
    return context.failing(SW, pl.col("SW_DEC") < pl.col("SW_DECOM"))


@rule(
    "SW19STG2",
    "There are 2 social worker episodes for the child starting on the same date.",
    tables=(SW,),
    fields=("SW_DEC", "SW_DECOM"),
    since="2025-26",
)
def same_start_twice(context: Context) -> Failures:
    """A child has one allocated social worker at a time, so two episodes cannot start on
    the same day: one is a duplicate or has the wrong date."""
    twice = pl.struct("CHILD", "SW_DECOM").is_duplicated() & pl.col("SW_DECOM").is_not_null()
    return context.failing(SW, twice)
