"""Rules checking a child's periods of care for consistency (DfE rules 407, 408, 426,
431-437, 440-442, 444-446, 451 and 460): why each episode began, given how it followed
the child's episode before (431-436); no episode after a child died or was found to be
an adult (437); legal statuses that fit the placement and the law of the day (408, 426,
445, 446, 451); reasons for leaving care, and review participation codes, that fit the
child's age (407, 460, 440, 441); and the UPN of a child in care (442, 444).

"The episode before" is the child's episode that began before it this year (see
`episode_sequence.in_order`); a child's first episode of the year has none. Ages come
from the date of birth in the header (in reviews, from the review's own).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.geography import postcode_key
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import (
    BIRTH_DATE,
    aged,
    in_force_from,
    law,
    with_birth_date,
)
from carematters.validation.rules.child import UNKNOWN_UPNS
from carematters.validation.rules.episode_sequence import after, before, in_order
from carematters.validation.rules.episodes import ceased

PLACEMENT_DETAILS = ("PLACE", "_PL_POST", "URN", "PLACE_PROVIDER")
"""What says where a child is placed (the postcode as compared, without spaces or case)."""
FREEING_ORDER = "D1"
PLACEMENT_ORDER = "E1"
UNDER_FOUR = "PN0"
"""The review participation code for a child under 4 at the review."""
FOUR_OR_OVER = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
PARTICIPATION_FROM_AGE = 4
"""DfE's rules 440 and 441 (its review participation codes): PN0 is for a child under
this age at the review, PN1-PN7 for one of this age or over."""


def _failing(episodes: pl.DataFrame, mask: pl.Expr) -> Failures:
    """The episodes for which `mask` is true (a null counts as not failing)."""
    return {"episodes": episodes.filter(mask.fill_null(False))}


def _started_care(context: Context) -> pl.Expr:
    """The episode opens a period of care (RNE S)."""
    return pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))


def _month_of_placement_orders() -> tuple[date, date]:
    """The first and last day of the month placement orders replaced freeing orders (the
    Adoption and Children Act 2002 came into force on 30 December 2005): DfE's rules 445
    and 446 test the months either side of it, not the day."""
    began = in_force_from("law.adoption_and_children_act_2002")
    following = date(began.year + began.month // 12, began.month % 12 + 1, 1)
    return began.replace(day=1), following - timedelta(days=1)


def _has_before() -> pl.Expr:
    """The child has an episode before this one (the frame must be `in_order`)."""
    return before(ROW_COLUMN).is_not_null()


@rule(
    "431",
    "The reason for new episode is started to be looked after, but the previous episode ended "
    "on the same day.",
    tables=("episodes",),
    fields=("RNE", "DECOM"),
)
def new_care_the_day_care_ended(context: Context) -> Failures:
    """An episode starting the day the one before ended carries the same period of care on,
    so it cannot be the start of a new one (S)."""
    mask = _started_care(context) & (before("DEC") == pl.col("DECOM"))
    return _failing(in_order(context), mask)


@rule(
    "432",
    "The child ceased to be looked after at the end of the previous episode but the reason "
    "for the new episode is not started to be looked after.",
    tables=("episodes",),
    fields=("RNE",),
)
def not_new_care_after_leaving(context: Context) -> Failures:
    """Once a child has left care, the next episode opens a new period of care, so its
    reason must be S: nothing remains to change the placement or legal status of."""
    still = context.group("reason_episode_ceased", "still_looked_after")
    left = [code for code in context.codes("reason_episode_ceased") if code not in still]
    mask = before("REC").is_in(left) & ~_started_care(context)
    return _failing(in_order(context), mask)


@rule(
    "433",
    "The reason for new episode suggests that this is a continuation episode, but the episode "
    "does not start on the same day as the last episode finished.",
    tables=("episodes",),
    fields=("RNE", "DECOM"),
)
def continuation_with_a_gap(context: Context) -> Failures:
    """An episode that only changes the placement or legal status carries the period of care
    on without a break, so it must start the day the one before ended."""
    started = context.group("reason_new_episode", "started_care")
    continuing = [code for code in context.codes("reason_new_episode") if code not in started]
    same_day = (before("DEC") == pl.col("DECOM")).fill_null(False)
    mask = pl.col("RNE").is_in(continuing) & _has_before() & ~same_day
    return _failing(in_order(context), mask)


def _change_not_as_stated(
    context: Context, reasons: tuple[str, ...], *, legal: bool, placement: bool
) -> Failures:
    """Episodes begun for one of `reasons` where what changed from the episode before (the
    legal status; the placement type, postcode, URN or provider) is not that the legal
    status did (`legal`) and the placement did (`placement`)."""
    legal_changed = pl.col("LS").ne_missing(before("LS"))
    placement_changed = pl.any_horizontal(
        pl.col(detail).ne_missing(before(detail)) for detail in PLACEMENT_DETAILS
    )
    stated = (legal_changed == legal) & (placement_changed == placement)
    episodes = in_order(context).with_columns(postcode_key(pl.col("PL_POST")).alias("_PL_POST"))
    mask = pl.col("RNE").is_in(reasons) & _has_before() & ~stated
    return _failing(episodes, mask)


@rule(
    "434",
    "Reason for new episode is that child's legal status has changed but not the placement, "
    "but this is not reflected in the episode data.",
    tables=("episodes",),
    fields=("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
)
def legal_change_not_as_stated(context: Context) -> Failures:
    """Reason L says only the legal status changed, so the legal status must differ from the
    episode before and every placement detail must be the same."""
    return _change_not_as_stated(context, ("L",), legal=True, placement=False)


@rule(
    "435",
    "Reason for new episode is that child’s placement has changed but not the legal status, "  # noqa: RUF001 (DfE's text)
    "but this is not reflected in the episode data recorded.",
    tables=("episodes",),
    fields=("LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
)
def placement_change_not_as_stated(context: Context) -> Failures:
    """Reasons P and T say only the placement changed, so some placement detail must differ
    from the episode before and the legal status must be the same."""
    return _change_not_as_stated(context, ("P", "T"), legal=False, placement=True)


@rule(
    "436",
    "Reason for new episode is that both child’s placement and legal status have changed, but "  # noqa: RUF001 (DfE's text)
    "this is not reflected in the episode data.",
    tables=("episodes",),
    fields=("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
)
def both_changed_not_as_stated(context: Context) -> Failures:
    """Reasons U and B say the placement and the legal status both changed, so both must
    differ from the episode before."""
    return _change_not_as_stated(context, ("U", "B"), legal=True, placement=True)


@rule(
    "437",
    "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
    tables=("episodes",),
    fields=("REC",),
)
def care_after_death_or_adulthood(context: Context) -> Failures:
    """A child who died, or was assessed to be an adult, cannot be looked after again, so no
    episode can follow one that ended for that reason."""
    final = context.group("reason_episode_ceased", "died", "assessed_as_adult")
    mask = (
        pl.col("REC").is_in(final) & pl.col("DECOM").is_not_null() & after(ROW_COLUMN).is_not_null()
    )
    return _failing(in_order(context), mask)


@rule(
    "407",
    "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
    tables=("episodes", "header"),
    fields=("DEC", "DOB", "REC"),
)
def special_guardianship_for_an_adult(context: Context) -> Failures:
    """A special guardianship order is made for a child, so care cannot end in one on or
    after the 18th birthday: the date ceased, the reason or the date of birth is wrong
    (the child's header row is reported too)."""
    adult = age_on(pl.col(BIRTH_DATE), pl.col("DEC")) >= law(context, "ages.adulthood")
    special_guardianship = context.group("reason_episode_ceased", "special_guardianship")
    mask = pl.col("REC").is_in(special_guardianship) & adult
    episodes = with_birth_date(context).filter(mask.fill_null(False))
    header = context.table("header").join(episodes.select("CHILD"), on="CHILD", how="semi")
    return {"episodes": episodes, "header": header}


@rule(
    "460",
    "Reason episode ceased is that child stayed with current carers at age 18 (or above), but "
    "child is aged under 18.",
    tables=("episodes",),
    fields=("DEC", "REC"),
)
def staying_put_before_eighteen(context: Context) -> Failures:
    """Staying with carers at 18 (E17, such as staying put) can only end care on or after
    the 18th birthday."""
    under_18 = age_on(pl.col(BIRTH_DATE), pl.col("DEC")) < law(context, "ages.adulthood")
    staying_put = pl.col("REC").is_in(context.group("reason_episode_ceased", "staying_put"))
    mask = staying_put & under_18
    return aged(context, mask)


@rule(
    "408",
    "Child is placed for adoption with a placement order, but no placement order has been "
    "recorded.",
    tables=("episodes",),
    fields=("PLACE", "LS"),
)
def placed_for_adoption_without_order(context: Context) -> Failures:
    """Placement types A5 and A6 are placements for adoption under a placement order, so the
    episode's legal status must be that order (E1)."""
    under_order = context.group("placement_type", "placed_for_adoption_under_order")
    mask = pl.col("PLACE").is_in(under_order) & pl.col("LS").ne_missing(PLACEMENT_ORDER)
    return context.failing("episodes", mask)


@rule(
    "426",
    "A child receiving respite care cannot be recorded under a legal status of V3 and V4 in "
    "the same year.",
    tables=("episodes",),
    fields=("LS",),
)
def both_kinds_of_short_breaks(context: Context) -> Failures:
    """Short breaks are recorded one way or the other, each break as an episode (V3) or the
    agreement as one (V4), never both for one child in a year: every such episode is shown."""
    short_breaks = context.group("legal_status", "short_breaks")
    has = [(pl.col("LS") == status).any().over("CHILD") for status in short_breaks]
    mask = pl.col("LS").is_in(short_breaks) & pl.all_horizontal(has)
    return context.failing("episodes", mask)


@rule(
    "445",
    "D1 is not a valid code for episodes starting after December 2005.",
    tables=("episodes",),
    fields=("LS", "DECOM"),
    until="2023-24",
)
def freeing_order_after_2005(context: Context) -> Failures:
    """Freeing orders could not be applied for after December 2005, so an episode starting
    later cannot be under one (D1)."""
    _, month_ended = _month_of_placement_orders()
    mask = (pl.col("LS") == FREEING_ORDER) & (pl.col("DECOM") > month_ended)
    return context.failing("episodes", mask)


@rule(
    "446",
    "E1 is not a valid code for episodes starting before December 2005.",
    tables=("episodes",),
    fields=("LS", "DECOM"),
)
def placement_order_before_2005(context: Context) -> Failures:
    """Placement orders only began in December 2005, so an episode starting earlier cannot
    be under one (E1)."""
    month_began, _ = _month_of_placement_orders()
    mask = (pl.col("LS") == PLACEMENT_ORDER) & (pl.col("DECOM") < month_began)
    return context.failing("episodes", mask)


@rule(
    "451",
    "Child is still freed for adoption, but freeing orders could not be applied for since 30 "
    "December 2005.",
    tables=("episodes",),
    fields=("DEC", "REC", "LS"),
    until="2023-24",
)
def still_freed_for_adoption(context: Context) -> Failures:
    """No freeing order can have lasted this long unresolved, so an episode still open under
    one (D1) is almost certainly wrongly coded."""
    mask = (pl.col("LS") == FREEING_ORDER) & ~ceased(context) & blank("REC")
    return context.failing("episodes", mask)


@rule(
    "440",
    "Participation method indicates child was under 4 years old at the time of the review, "
    "but date of birth and review date indicates the child was 4 years old or over.",
    tables=("reviews",),
    fields=("DOB", "REVIEW", "REVIEW_CODE"),
)
def under_four_code_for_older_child(context: Context) -> Failures:
    """PN0 records that a child was too young (under 4) to take part in the review, which a
    child of 4 or over was not."""
    older = age_on(pl.col("DOB"), pl.col("REVIEW")) >= PARTICIPATION_FROM_AGE
    return context.failing("reviews", (pl.col("REVIEW_CODE") == UNDER_FOUR) & older)


@rule(
    "441",
    "Participation method indicates child was 4 years old or over at the time of the review, "
    "but the date of birth and review date indicates the child was under 4 years old.",
    tables=("reviews",),
    fields=("DOB", "REVIEW", "REVIEW_CODE"),
)
def participation_code_for_under_four(context: Context) -> Failures:
    """A child under 4 at the review is recorded as PN0, not with how they took part
    (PN1-PN7), so such a code means a wrong code or date."""
    younger = age_on(pl.col("DOB"), pl.col("REVIEW")) < PARTICIPATION_FROM_AGE
    return context.failing("reviews", pl.col("REVIEW_CODE").is_in(FOUR_OR_OVER) & younger)


@rule(
    "442",
    "Unique Pupil Number (UPN) field is not completed.",
    tables=("header",),
    fields=("UPN",),
)
def upn_missing(context: Context) -> Failures:
    """Every child looked after other than for short breaks needs a UPN (or a code saying
    why it is not known), which links their care to their education records."""
    episodes = context.table("episodes")
    short_breaks = context.group("legal_status", "short_breaks")
    looked_after = episodes.filter(pl.col("LS").is_in(short_breaks).fill_null(False).not_())
    mask = blank("UPN") & pl.col("CHILD").is_in(looked_after["CHILD"].implode())
    return context.failing("header", mask)


@rule(
    "444",
    "Duplicate UPN has been reported",
    tables=("header",),
    fields=("UPN",),
    since="2025-26",
)
def upn_shared(context: Context) -> Failures:
    """A UPN belongs to one pupil, so two children with the same one means one of them is
    wrong (the codes for an unknown UPN, UN1-UN5, may repeat)."""
    real = ~blank("UPN") & ~pl.col("UPN").is_in(UNKNOWN_UPNS)
    shared = pl.col("CHILD").n_unique().over("UPN") > 1
    return context.failing("header", real & shared)
