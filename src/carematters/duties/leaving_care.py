"""Leaving-care duties (CPPCR 2010 reg 42-43; CLR 2010 reg 6-8; seed 004).

A needs assessment within three months of becoming eligible (the 16th birthday or
later), while still a child: from the 18th birthday one not done is missed, not overdue.
The pathway plan reviewed at least every six months; a personal adviser in touch at
least every two months once the young person has left care; and contact around each
17th to 21st birthday for the care leavers' return (OC3). Who is owed them, and until
when, is `leavers.leaving_care_status`: qualifying care leavers are owed none of these.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.calendar.timescales import after, day_before
from carematters.duties.leavers import owed
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, every, once

SUPPORTED = ("eligible", "relevant", "former relevant")
LEFT_CARE = ("relevant", "former relevant")


def needs_assessment(s: Situation) -> pl.LazyFrame:
    """Due three months from eligibility; an assessment from the 16th birthday counts;
    lapses at 18, when the young person is no longer a child to assess."""
    p = s.p
    leavers = owed(s.leavers, s, *SUPPORTED).select(
        "CHILD",
        "ELIGIBLE_FROM",
        ANCHOR=birthday(pl.col("DOB"), p["leaving_care.eligible_from_age"].number),
        ADULT=birthday(pl.col("DOB"), p["ages.adulthood"].number),
    )
    assessed = events_since(
        leavers, s.events("pathway_plans", "EVENT_DATE", ("ASSESSMENT",)), s.as_at
    )
    due = after(pl.col("ELIGIBLE_FROM"), p["leaving_care.needs_assessment"])
    return once(assessed, due, basis="ELIGIBLE_FROM", lapses=day_before(pl.col("ADULT")))


def pathway_review(s: Situation) -> pl.LazyFrame:
    leavers = owed(s.leavers, s, *SUPPORTED).select("CHILD", ANCHOR="ELIGIBLE_FROM")
    plans = s.events("pathway_plans", "EVENT_DATE", ("PLAN", "REVIEW"))
    due = after(pl.col("LAST"), s.p["leaving_care.pathway_review"])
    return again(events_since(leavers, plans, s.as_at), due)


def adviser_contact(s: Situation) -> pl.LazyFrame:
    leavers = owed(s.leavers, s, *LEFT_CARE).select("CHILD", ANCHOR="LEFT")
    found = events_since(leavers, s.events("pa_contacts", "CONTACT_DATE"), s.as_at)
    return every(found, s.p["leaving_care.adviser_contact"])


def birthday_contact(s: Situation) -> pl.LazyFrame:
    """For each care leaver, the latest 17th-21st birthday whose window has opened (it
    is shown until the next one opens), on or after the day they left care (leaving on
    the 18th birthday is the usual way, and the contact around it counts): in touch
    within the window around it, for the SSDA903 OC3 return. Lapses when the window
    closes."""
    p = s.p
    window = p["leaving_care.oc3_window"]
    first, last = p["leaving_care.oc3_from_age"].number, p["leaving_care.oc3_until_age"].number
    leavers = s.leavers.filter(pl.col("CATEGORY").is_in(LEFT_CARE))
    birthdays = (
        leavers.with_columns(AGE=pl.int_ranges(first, last + 1))
        .explode("AGE")
        .with_columns(
            BIRTHDAY=birthday(pl.col("DOB"), pl.col("AGE")),
            NEXT=birthday(pl.col("DOB"), pl.col("AGE") + 1),
        )
        .filter(
            (pl.col("LEFT") <= pl.col("BIRTHDAY"))
            & (pl.col("BIRTHDAY") <= pl.col("UNTIL"))
            & (after(pl.col("BIRTHDAY"), window, times=-1) <= s.as_at)
            & (after(pl.col("NEXT"), window, times=-1) > s.as_at)
        )
        .select(
            "CHILD",
            "BIRTHDAY",
            OPENS=after(pl.col("BIRTHDAY"), window, times=-1),
            CLOSES=after(pl.col("BIRTHDAY"), window),
        )
    )
    contacts = s.events("pa_contacts", "CONTACT_DATE").filter(pl.col("EVENT") <= s.as_at)
    in_window = (
        birthdays.join(contacts, on="CHILD")
        .filter(pl.col("EVENT").is_between(pl.col("OPENS"), pl.col("CLOSES")))
        .group_by("CHILD")
        .agg(LAST=pl.col("EVENT").max())
    )
    found = birthdays.join(in_window, on="CHILD", how="left")
    return once(found, pl.col("CLOSES"), basis="BIRTHDAY", done_by="LAST", lapses=pl.col("CLOSES"))


LEAVING_CARE_DUTIES = (
    Duty(
        id="leaving_care.needs_assessment",
        source="CPPCR 2010 reg 42(1); CA89 Sch 2 para 19B(4)",
        explanation=(
            "A leaving-care needs assessment must be done within "
            "{leaving_care.needs_assessment} of becoming an eligible child on {basis}, before "
            "the {ages.adulthood:n}th birthday"
        ),
        rule=needs_assessment,
        parameters=("leaving_care.needs_assessment", "ages.adulthood"),
        evidence=("pathway_plans",),
    ),
    Duty(
        id="leaving_care.pathway_review",
        source="CPPCR 2010 reg 43; CLR 2010 reg 7",
        explanation=(
            "The pathway plan must be reviewed at least every {leaving_care.pathway_review}; "
            "last on {basis}"
        ),
        rule=pathway_review,
        parameters=("leaving_care.pathway_review",),
        evidence=("pathway_plans",),
    ),
    Duty(
        id="leaving_care.pa_contact",
        source="CLR 2010 reg 8; CA89 s23C",
        explanation=(
            "The personal adviser must be in touch at least every "
            "{leaving_care.adviser_contact}; last contact (or leaving care) on {basis}"
        ),
        rule=adviser_contact,
        parameters=("leaving_care.adviser_contact",),
        evidence=("pa_contacts",),
    ),
    Duty(
        id="leaving_care.oc3_contact",
        source="SSDA903 OC3 (DfE children looked after return guide); CA89 s23B",
        explanation=(
            "The young person must be contacted around their birthday on {basis} (within "
            "{leaving_care.oc3_window} either side) for the care leavers' return"
        ),
        rule=birthday_contact,
        parameters=(
            "leaving_care.oc3_window",
            "leaving_care.oc3_from_age",
            "leaving_care.oc3_until_age",
        ),
        evidence=("pa_contacts",),
    ),
)
