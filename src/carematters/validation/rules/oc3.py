"""Rules about care leavers on their 17th to 21st birthdays (the OC3 table): that the
answers are DfE's codes, and that the young person is a care leaver at all, as their
episodes this year (and last year's, where given) show (DfE rules 131-134, 153, 187,
215, 1000-1002, 1007, 1010-1012, 1014, 1016 and 3001).

Care leaver information is "completed" when any of its three items is filled in: a row
left wholly blank claims nothing about the young person. The ages are the law's and the
return's parameters (`leaving_care.eligible_from_age`, `leaving_care.oc3_from_age`,
`ages.adulthood`), as they stood at the end of the year.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.birthdays import age_on, birthday
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.tables import tables_in
from carematters.validation.checks import code_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import law, left_blank, rows_of
from carematters.validation.rules.adoptions import AD1_ITEMS
from carematters.validation.rules.oc2 import (
    ITEMS,
    among,
    any_provided,
    in_cohort,
    latest,
    looked_after_in_year,
    partly_provided,
)

OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
"""Every item of the care leaver (OC3) record."""
WITH_FORMER_FOSTER_CARERS = ("Z1", "Z2")
CARE_LEAVER_ONLY = frozenset({"header", "episodes", "oc3", "uasc"})
"""Tables that may hold a care leaver with no episode this year (UASC has its own rule)."""


def _completed(context: Context) -> pl.Expr:
    """The care leaver row has any of its items filled in."""
    return any_provided(context, "oc3", OC3_ITEMS)


def _care_leavers_where(context: Context, children: pl.DataFrame) -> Failures:
    """Completed care leaver rows of the children of `children`."""
    return context.failing("oc3", _completed(context) & among(children))


def _this_and_last_year(context: Context) -> pl.DataFrame:
    """This year's episodes, with last year's when the return was given with it (put
    together once)."""
    this = context.table("episodes")
    if context.previous is None:
        return this
    return context.derived(
        "episodes of this year and last",
        lambda: pl.concat([this, context.last_year("episodes")], how="diagonal_relaxed"),
    )


def _latest_episodes(context: Context) -> pl.DataFrame:
    """Each child's latest episode this year (`latest`), found once for the rules here."""
    return context.derived("latest episodes", lambda: latest(context.table("episodes")))


def _still_in_care_ages(context: Context) -> tuple[int, int]:
    """The ages on 31 March of the care leavers the return asks about whose birthday in
    the year may have found them still looked after: from the first birthday it asks
    about (the 17th) to the 18th, when care ends (DfE's "17- or 18-year olds")."""
    return law(context, "leaving_care.oc3_from_age"), law(context, "ages.adulthood")


def _first_day_seen(context: Context) -> date:
    """1 April of last year: the first day last year's return shows."""
    return context.start.replace(year=context.start.year - 1)


@rule(
    "131",
    "Data entry for being in touch after leaving care is invalid.",
    tables=("oc3",),
    fields=("IN_TOUCH",),
)
def in_touch_code(context: Context) -> Failures:
    """Whether the authority is in touch with a care leaver is the first thing known of
    them, and must be one of DfE's codes (blank is not one)."""
    return code_rule(context, "oc3", "IN_TOUCH", "oc3_in_touch", required=True)


@rule(
    "132",
    "Data entry for activity after leaving care is invalid.",
    tables=("oc3",),
    fields=("ACTIV",),
)
def activity_code(context: Context) -> Failures:
    """A care leaver's main activity (education, training, employment or not) must be one of
    DfE's codes, 0 where it is not known: it is how NEET care leavers are counted."""
    return code_rule(context, "oc3", "ACTIV", "oc3_activity", required=True)


@rule(
    "133",
    "Data entry for accommodation after leaving care is invalid. If reporting on a childs "
    "accommodation after leaving care the data entry must be valid",
    tables=("oc3",),
    fields=("ACCOM",),
)
def accommodation_code(context: Context) -> Failures:
    """A care leaver's accommodation, and whether it is suitable, must be one of DfE's codes,
    0 where it is not known: it is how care leavers in unsuitable homes are counted."""
    return code_rule(context, "oc3", "ACCOM", "oc3_accommodation", required=True)


@rule(
    "134",
    "Data on adoption should not be entered for the OC3 cohort.",
    tables=("ad1", "oc3"),
    fields=(*OC3_ITEMS, *AD1_ITEMS),
)
def adoption_for_care_leaver(context: Context) -> Failures:
    """An adopted child stops being looked after and is not a care leaver, so a care leaver
    cannot also have been adopted."""
    leavers = context.table("oc3").filter(_completed(context))
    return context.failing("ad1", any_provided(context, "ad1", AD1_ITEMS) & among(leavers))


@rule(
    "153",
    "All data items relating to a child's activity or accommodation after leaving care must be "
    "coded or left blank.",
    tables=("oc3",),
    fields=OC3_ITEMS,
)
def care_leaver_partly_recorded(context: Context) -> Failures:
    """Contact, activity and accommodation describe a care leaver together; a half-filled
    row cannot be counted."""
    return context.failing("oc3", partly_provided(context, "oc3", OC3_ITEMS))


@rule(
    "187",
    "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of "
    "adoption or care leavers returns completed.",
    tables=("ad1", "oc3", "episodes"),
    fields=(*AD1_ITEMS, *OC3_ITEMS),
)
def cohort_adopted_or_left_care(context: Context) -> Failures:
    """A child still in care on 31 March after twelve months has neither been adopted nor
    left care, so adoption or care leaver details for them are wrong."""
    cohort = in_cohort(context)
    return context.failing("ad1", cohort & any_provided(context, "ad1", AD1_ITEMS)) | (
        context.failing("oc3", cohort & _completed(context))
    )


@rule(
    "215",
    "Child has care leaver information but one or more data items relating to children looked "
    "after for 12 months have been completed.",
    tables=("oc3", "oc2"),
    fields=(*OC3_ITEMS, *ITEMS),
)
def care_leaver_with_outcomes(context: Context) -> Failures:
    """A care leaver is no longer looked after, so cannot be in the twelve-month cohort too:
    one of the two records is wrong."""
    leavers = context.table("oc3").filter(_completed(context))
    outcomes = context.table("oc2").filter(any_provided(context, "oc2", ITEMS))
    return context.failing("oc3", _completed(context) & among(outcomes)) | context.failing(
        "oc2", any_provided(context, "oc2", ITEMS) & among(leavers)
    )


@rule(
    "1000",
    "This child is recorded as having died in care and therefore should not have the care "
    "leaver information completed. [NOTE: This only tests the current and previous year data "
    "loaded into the tool]",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
)
def died_in_care(context: Context) -> Failures:
    """A child who died in care never left it, so has no care leaver details; last year's
    episodes are looked at too when given."""
    died = _this_and_last_year(context).filter(
        pl.col("REC").is_in(context.group("reason_episode_ceased", "died"))
    )
    return _care_leavers_where(context, died)


@rule(
    "1001",
    "The episodes recorded for this young person suggest they are not a relevant or a former "
    "relevant child and therefore should not have care leaver information completed. [NOTE: "
    "This tool can only test the current and previous year data loaded into the tool - this "
    "check may generate false positives if a child had episodes prior to last year's "
    "collection.]",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
    needs="previous",
)
def not_a_care_leaver(context: Context) -> Failures:
    """Only a young person in care for 13 weeks after their 14th birthday, some of it after
    their 16th, and not adopted, is a care leaver owed the authority's support.

    Two years of returns show only part of a young person's care, so only what they can
    show is judged, rather than risk the false findings DfE's note warns of: a last episode
    ending in adoption (E11, E12), and, for a young person who turned 16 on or after 1 April
    of last year, no day in care (short breaks, V3 and V4, apart) after that birthday. The
    13 weeks after the 14th birthday are never wholly in view for the ages OC3 covers. A
    young person with no episodes in either year is rule 1002's."""
    every = _this_and_last_year(context)
    short_breaks = context.group("legal_status", "short_breaks")
    sixteen = birthday(pl.col("DOB"), law(context, "leaving_care.eligible_from_age"))
    episodes = (
        every.filter(pl.col("DECOM").is_not_null() & ~pl.col("LS").is_in(short_breaks))
        .sort("CHILD", "DECOM", "DEC", nulls_last=True)
        .unique(["CHILD", "DECOM"], keep="first", maintain_order=True)
    )
    leavers = context.table("oc3").filter(_completed(context) & among(every))
    # An open episode runs to the year's end; so does one whose end date could not be
    # read (in either year): it may have gone on past the birthday, and no finding is
    # made on a guess.
    after_16 = leavers.join(episodes.select("CHILD", "DECOM", "DEC"), on="CHILD").filter(
        pl.col("DEC").fill_null(context.end) > pl.max_horizontal("DECOM", sixteen)
    )
    never_after_16 = leavers.filter(
        (sixteen >= _first_day_seen(context))
        & ~pl.col(ROW_COLUMN).is_in(after_16[ROW_COLUMN].implode())
    )
    adopted_codes = context.group("reason_episode_ceased", "adopted")
    adopted = leavers.filter(among(latest(episodes).filter(pl.col("REC").is_in(adopted_codes))))
    return rows_of(context, "oc3", pl.concat([never_after_16, adopted]))


@rule(
    "1002",
    "This child has no previous episodes of care, therefore should not have care leaver "
    "information recorded. [NOTE: This tool can only test the current and previous year data "
    "loaded into the tool - this check may generate false positives if a child had episodes "
    "prior to last year's collection.]",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
    needs="previous",
)
def never_in_care(context: Context) -> Failures:
    """A care leaver was in care after their 16th birthday, so has episodes of care; none
    suggests the young person is not a care leaver, or their episodes are missing.

    Only a young person who turned 16 on or after 1 April of last year is judged: for an
    older one, the care that made them a care leaver may be before the two returns (the
    false findings DfE's note warns of)."""
    sixteen = birthday(pl.col("DOB"), law(context, "leaving_care.eligible_from_age"))
    mask = (
        _completed(context)
        & (sixteen >= _first_day_seen(context))
        & ~among(_this_and_last_year(context))
    )
    return context.failing("oc3", mask)


@rule(
    "1007",
    "Care leaver information is not required for 17- or 18-year olds who are still looked "
    "after [on their 17th or 18th birthday.]",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
)
def still_looked_after(context: Context) -> Failures:
    """A 17- or 18-year-old whose latest episode is still open has not left care, so is not
    a care leaver yet.

    DfE's condition (an open current episode) is followed: the community validator looks
    for an episode ended after the birthday instead, which is rule 1016's. An episode
    whose end date could not be read is not taken as open."""
    still_in_care = _latest_episodes(context).filter(left_blank(context, "episodes", "DEC"))
    aged = age_on(pl.col("DOB"), context.end).is_between(*_still_in_care_ages(context))
    return context.failing("oc3", aged & _completed(context) & among(still_in_care))


@rule(
    "1010",
    "This child has no episodes loaded for current year even though there was an open episode "
    "of care at the end of the previous year, and care leaver data has been entered.",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
    needs="previous",
)
def open_episode_not_carried_over(context: Context) -> Failures:
    """A child still in care at the end of last year is in this year's episodes, at least
    until they left; without them this year's care leaver details cannot be checked.
    Last year's episode with an end date given but not readable had ended."""
    still_open = latest(context.last_year("episodes")).filter(
        left_blank(context, "episodes", "DEC", last_year=True)
    )
    return context.failing(
        "oc3",
        _completed(context) & among(still_open) & ~among(context.table("episodes")),
    )


@rule(
    "1011",
    "This child is recorded as having his/her care transferred to another local authority for "
    "the final episode and therefore should not have the care leaver information completed.",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
)
def care_transferred(context: Context) -> Failures:
    """A child whose care passed to another authority (E3) is that authority's care leaver,
    and reported by it."""
    transferred = _latest_episodes(context).filter(
        pl.col("REC").is_in(context.group("reason_episode_ceased", "transferred"))
    )
    return _care_leavers_where(context, transferred)


@rule(
    "1012",
    "No other data should be returned for OC3 children who had no episodes in the current year",
    tables=(
        "oc3",
        "episodes",
        "reviews",
        "oc2",
        "ad1",
        "placed_for_adoption",
        "previous_permanence",
        "missing",
        "sw_episodes",
        "dolo",
    ),
    fields=("CHILD",),
)
def care_leaver_with_other_data(context: Context) -> Failures:
    """A care leaver with no episode this year was not looked after in it, so has no
    reviews, outcomes, adoption, missing periods or social workers to report for it.

    Every table of the year but the header, episodes, OC3 and UASC (rule 1014's) is
    checked; the community validator leaves out social worker episodes."""
    leavers = context.table("oc3").filter(
        ~among(looked_after_in_year(context, counting_unsure=True))
    )
    return {
        table.name: context.table(table.name).filter(among(leavers))
        for table in tables_in(context.year)
        if table.name not in CARE_LEAVER_ONLY
    }


@rule(
    "1014",
    "UASC information is not required for care leavers",
    tables=("uasc", "oc3", "episodes"),
    fields=("ACTIV", "ACCOM", "IN_TOUCH", "DUC"),
)
def uasc_for_care_leaver(context: Context) -> Failures:
    """Unaccompanied asylum-seeking status is collected for children looked after in the
    year, not for care leavers with no episode in it."""
    not_in_care = ~among(looked_after_in_year(context, counting_unsure=True))
    leavers = context.table("oc3").filter(_completed(context) & not_in_care)
    uasc = context.table("uasc").filter(not_in_care & among(leavers))
    return {"uasc": uasc, "oc3": leavers.filter(among(uasc))}


@rule(
    "1016",
    "Care leaver information is not required for 17- or 18-year olds who cease to be looked "
    "after, after their birthday.",
    tables=("oc3", "episodes"),
    fields=OC3_ITEMS,
)
def left_care_after_birthday(context: Context) -> Failures:
    """Care leaver details are collected around the 17th and 18th birthdays for young people
    who had left care by then; one still looked after on the birthday, leaving later, is
    not yet a care leaver at it.

    DfE says "after" the birthday: leaving care on the birthday itself is not found (the
    community validator finds it)."""
    ended = _latest_episodes(context).select("CHILD", "DEC", ROW_COLUMN)
    age = age_on(pl.col("DOB"), context.end)
    after_birthday = age_on(pl.col("DOB"), pl.col("DEC").dt.offset_by("-1d")) >= age
    found = (
        context.table("oc3")
        .filter(_completed(context))
        .join(ended, on="CHILD")
        .filter(age.is_between(*_still_in_care_ages(context)) & after_birthday)
    )
    return rows_of(context, "oc3", found)


@rule(
    "3001",
    "Where care leavers information is being returned for a young person around their 17th "
    "birthday, the accommodation cannot be with their former foster carer(s).",
    tables=("oc3",),
    fields=("DOB", "ACCOM"),
)
def seventeen_with_former_foster_carers(context: Context) -> Failures:
    """Staying on with former foster carers (Staying Put) is an arrangement for care leavers
    of 18 and over; at 17 a young person there is still fostered, not a care leaver."""
    first = law(context, "leaving_care.oc3_from_age")
    former_carers = pl.col("ACCOM").is_in(WITH_FORMER_FOSTER_CARERS)
    mask = (age_on(pl.col("DOB"), context.end) == first) & former_carers
    return context.failing("oc3", mask)
