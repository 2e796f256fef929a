"""Rules 344 to 359: what a care leaver's answers say (344, 345, 347, 348), how old a
child may be for the return, for starting care, for a youth justice legal status or for
staying looked after (351, 352, 358, 359), and the dates an episode may have (353-357).

A child's age comes from the header's date of birth (the care leaver's own OC3 row for
347), joined on CHILD; a child the header does not have has no age, and is not judged.
The law's ages (adulthood, criminal responsibility) and the day the Children Act 1989
came into force are parameters, as the law stood at the end of the year.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import BIRTH_DATE, aged, in_force_from, law, left_blank

NOT_IN_CONTACT = ("DIED", "RHOM")
"""Care leavers who have died or gone home to their parents for six months or more."""
FOYER = "T"
"""The accommodation type (T1, T2) of foyers and similar supported accommodation."""
YOUTH_JUSTICE = ("J1", "J2", "J3")
"""Legal statuses of a child remanded, detained under PACE or on a youth rehabilitation
order with residence."""
OLDEST = 25
"""DfE's rule 351: no one this old or older the day before the year began is in the
return (DfE's "over 25")."""


def _given_not_zero(column: str) -> pl.Expr:
    """The care leaver's answer in `column` is given, and is not 0 (no information)."""
    return pl.col(column).is_not_null() & (pl.col(column) != "0")


@rule(
    "344",
    "The record shows the young person has died or returned home to live with parent(s) or "
    "someone with parental responsibility for a continuous period of 6 months or more, but "
    "activity and/or accommodation on leaving care have been completed.",
    tables=("oc3",),
    fields=("IN_TOUCH", "ACTIV", "ACCOM"),
)
def answers_for_young_person_not_in_touch(context: Context) -> Failures:
    """A young person who has died, or has lived back home for six months, is no longer a
    care leaver the authority reports on, so activity and accommodation are 0."""
    answered = _given_not_zero("ACTIV") | _given_not_zero("ACCOM")
    return context.failing("oc3", pl.col("IN_TOUCH").is_in(NOT_IN_CONTACT) & answered)


@rule(
    "345",
    "The data collection record shows the local authority is in touch with this young "
    "person, but activity and/or accommodation data items are zero.",
    tables=("oc3",),
    fields=("IN_TOUCH", "ACTIV", "ACCOM"),
)
def no_answers_though_in_touch(context: Context) -> Failures:
    """An authority in touch with a care leaver knows what they are doing and where they
    live, so activity and accommodation cannot be 0 (not known)."""
    unknown = (pl.col("ACTIV") == "0") | (pl.col("ACCOM") == "0")
    return context.failing("oc3", (pl.col("IN_TOUCH") == "YES") & unknown)


@rule(
    "347",
    "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
    tables=("oc3",),
    fields=("ACCOM", "DOB"),
)
def under_18_in_a_foyer(context: Context) -> Failures:
    """Foyers house young adults: a care leaver under 18 (on 1 April) placed in one is
    either recorded with the wrong accommodation or placed somewhere unsuitable."""
    foyer = pl.col("ACCOM").str.starts_with(FOYER)
    child = age_on(pl.col("DOB"), context.start) < law(context, "ages.adulthood")
    return context.failing("oc3", foyer & child)


@rule(
    "348",
    "Care leaver has previously been reported as having died. ",
    tables=("oc3",),
    fields=("IN_TOUCH",),
    since="2025-26",
    needs="previous",
)
def died_last_year(context: Context) -> Failures:
    """A young person reported last year as having died can only be reported as having
    died this year: anything else means one of the two years is wrong."""
    died = context.last_year("oc3").filter(pl.col("IN_TOUCH") == "DIED").select("CHILD")
    oc3 = context.table("oc3").join(died.unique(), on="CHILD", how="semi")
    return {"oc3": oc3.filter(pl.col("IN_TOUCH").ne_missing("DIED"))}


@rule(
    "351",
    "Child was over 25 at the start of the current collection year.",
    tables=("header",),
    fields=("DOB",),
)
def over_25(context: Context) -> Failures:
    """No one over 25 is looked after or a care leaver the return covers, so the date of
    birth (or the child's inclusion) is wrong."""
    year_before = context.start - timedelta(days=1)
    return context.failing("header", age_on(pl.col("DOB"), year_before) >= OLDEST)


@rule(
    "352",
    "Child who started to be looked after was aged 18 or over.",
    tables=("episodes", "header"),
    fields=("DECOM", "RNE"),
)
def started_care_as_adult(context: Context) -> Failures:
    """Only children, under 18, can start to be looked after: an adult starting care
    means the date of birth, the start date or the reason is wrong."""
    adult = age_on(pl.col(BIRTH_DATE), pl.col("DECOM")) >= law(context, "ages.adulthood")
    started = pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))
    return aged(context, started & adult)


@rule(
    "353",
    "No episode submitted can start before 14 October 1991.",
    tables=("episodes",),
    fields=("DECOM",),
)
def started_before_children_act(context: Context) -> Failures:
    """The return records care under the Children Act 1989, in force from 14 October
    1991: an earlier start date is a mistake."""
    first_day = in_force_from("law.children_act_1989")
    return context.failing("episodes", pl.col("DECOM") < first_day)


@rule(
    "354",
    "Date episode ceased must be on or before the end of the current collection year.",
    tables=("episodes",),
    fields=("DECOM",),
)
def started_after_year_end(context: Context) -> Failures:
    """The return describes the year up to 31 March: an episode cannot start after it."""
    return context.failing("episodes", pl.col("DECOM") > context.end)


@rule(
    "355",
    "Episode appears to have lasted for less than 24 hours",
    tables=("episodes",),
    fields=("DECOM", "DEC"),
)
def lasted_under_a_day(context: Context) -> Failures:
    """An episode that ends the day it starts is rarely real care (short breaks aside) and
    often a recording slip that would count as an extra placement."""
    return context.failing("episodes", pl.col("DEC") == pl.col("DECOM"))


@rule(
    "356",
    "The date the episode ceased is before the date the same episode started.",
    tables=("episodes",),
    fields=("DECOM",),
)
def ends_before_start(context: Context) -> Failures:
    """An episode cannot end before it began: one of the two dates is wrong."""
    return context.failing("episodes", pl.col("DEC") < pl.col("DECOM"))


@rule(
    "357",
    "If this is the first episode ever for this child, reason for new episode must be S.  "
    "Check whether there is an episode immediately preceding this one, which has been left "
    "out.  If not the reason for new episode code must be amended to S.",
    tables=("episodes",),
    fields=("RNE",),
)
def first_episode_not_a_start(context: Context) -> Failures:
    """A child's earliest episode in the return that begins in the year opens a period of
    care (an episode before it would have been open on 1 April and so be in the return),
    so its reason must be S, started to be looked after."""
    first = (
        context.table("episodes")
        .filter(pl.col("DECOM").is_not_null())
        .sort("CHILD", "DECOM", "DEC", ROW_COLUMN, nulls_last=True)
        .unique("CHILD", keep="first", maintain_order=True)
    )
    started = pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))
    mask = (pl.col("DECOM") >= context.start) & ~started.fill_null(False)
    return {"episodes": first.filter(mask)}


@rule(
    "358",
    "Child with this legal status should not be under 10.",
    tables=("episodes", "header"),
    fields=("DECOM", "DOB", "LS"),
)
def youth_justice_under_10(context: Context) -> Failures:
    """Children under 10 are below the age of criminal responsibility, so cannot be
    remanded, detained under PACE or sentenced (legal statuses J1 to J3)."""
    responsible = law(context, "ages.criminal_responsibility")
    under_10 = age_on(pl.col(BIRTH_DATE), pl.col("DECOM")) < responsible
    return aged(context, pl.col("LS").is_in(YOUTH_JUSTICE) & under_10)


@rule(
    "359",
    "Child being looked after following 18th birthday must be accommodated under section "
    "20(5) of the Children Act 1989 in a community home.",
    tables=("episodes", "header"),
    fields=("DEC", "LS", "PLACE"),
)
def looked_after_as_adult(context: Context) -> Failures:
    """Past 18 a young person can only stay looked after under section 20(5) in a
    community home (V2 in a children's home, K2); otherwise care ended at 18. An episode
    whose end date could not be read is not taken as still open."""
    adulthood = law(context, "ages.adulthood")
    adult = age_on(pl.col(BIRTH_DATE), context.end - timedelta(days=1)) >= adulthood
    section_20 = pl.col("LS").is_in(context.group("legal_status", "section_20"))
    allowed = section_20 & (pl.col("PLACE") == "K2")
    still_open = left_blank(context, "episodes", "DEC")
    return aged(context, still_open & adult & ~allowed.fill_null(False))
