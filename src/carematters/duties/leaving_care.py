"""Leaving-care duties (CPPCR 2010 reg 41-43; CLR 2010 reg 6-8; seed 004).

A needs assessment within three months of becoming eligible (the 16th birthday or
later), while still a child: from the 18th birthday one not done is missed, not overdue.
A first pathway plan, prepared from that assessment, expected by the same time (the law
says "as soon as possible" after the assessment) and still owed, overdue, after 18 to a
young person who never had one. The pathway plan reviewed at least every six months; a
personal adviser in touch at least every two months once the young person has left
care; and contact around each 17th to 21st birthday for the care leavers' return (OC3),
shown by an adviser's contact in the weeks around it or by the return itself recording
the young person in touch that year. Who is owed them, and until when, is
`leavers.leaving_care_status`: qualifying care leavers are owed none of these.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.calendar.timescales import after, day_before
from carematters.duties.leavers import owed
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, every, once
from carematters.queries import collect
from carematters.ssda903.years import UnknownYearError, year_from_label

SUPPORTED = ("eligible", "relevant", "former relevant")
LEFT_CARE = ("relevant", "former relevant")
IN_TOUCH = "YES"
"""The OC3 IN_TOUCH code for "local authority is in touch with the care leaver"
(`oc3_in_touch`); the others say why it is not (refused, no longer wanted, died ...)."""


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


def pathway_plan(s: Situation) -> pl.LazyFrame:
    """The first pathway plan: due the policy time after becoming eligible (the needs
    assessment's own deadline, as the plan follows it "as soon as possible"), counted
    like the assessment from the 16th birthday, done by the first plan since then.
    Never lapses: a relevant or former relevant young person without one is still owed
    it (CA89 s23B(3), s23C(3))."""
    p = s.p
    leavers = owed(s.leavers, s, *SUPPORTED).select(
        "CHILD",
        "ELIGIBLE_FROM",
        ANCHOR=birthday(pl.col("DOB"), p["leaving_care.eligible_from_age"].number),
    )
    planned = events_since(leavers, s.events("pathway_plans", "EVENT_DATE", ("PLAN",)), s.as_at)
    due = after(pl.col("ELIGIBLE_FROM"), p["leaving_care.pathway_plan"])
    return once(planned, due, basis="ELIGIBLE_FROM")


def pathway_review(s: Situation) -> pl.LazyFrame:
    leavers = owed(s.leavers, s, *SUPPORTED).select("CHILD", ANCHOR="ELIGIBLE_FROM")
    plans = s.events("pathway_plans", "EVENT_DATE", ("PLAN", "REVIEW"))
    due = after(pl.col("LAST"), s.p["leaving_care.pathway_review"])
    return again(events_since(leavers, plans, s.as_at), due)


def adviser_contact(s: Situation) -> pl.LazyFrame:
    leavers = owed(s.leavers, s, *LEFT_CARE).select("CHILD", ANCHOR="LEFT")
    found = events_since(leavers, s.events("pa_contacts", "CONTACT_DATE"), s.as_at)
    return every(found, s.p["leaving_care.adviser_contact"])


def _years_in_touch(s: Situation) -> pl.LazyFrame:
    """Each collection year for which the care leavers' return (OC3) records a young
    person in touch (IN_TOUCH YES): CHILD, YEAR and the year's first and last days
    (YEAR_FROM, YEAR_TO: 1 April to 31 March). A row whose YEAR is not a collection year
    is left out: it says nothing about any birthday (the validator reports it)."""
    rows = s.table("oc3").filter(pl.col("IN_TOUCH") == IN_TOUCH)
    spans: list[tuple[str, date, date]] = []
    labels = collect(rows.select("YEAR").drop_nulls().unique()).get_column("YEAR")
    for label in labels:
        try:
            year = year_from_label(label)
        except UnknownYearError:
            continue
        spans.append((label, year.start, year.end))
    years = pl.LazyFrame(
        spans,
        schema={"YEAR": pl.String, "YEAR_FROM": pl.Date, "YEAR_TO": pl.Date},
        orient="row",
    )
    return rows.select("CHILD", "YEAR").unique().join(years, on="YEAR")


def birthday_contact(s: Situation) -> pl.LazyFrame:
    """For each care leaver, the latest 17th-21st birthday whose window has opened (it
    is shown until the next one opens), on or after the day they left care (leaving on
    the 18th birthday is the usual way, and the contact around it counts): in touch
    within the window around it, for the SSDA903 OC3 return. Done by an adviser's
    contact inside the window, or by the return for the collection year holding the
    birthday recording the young person in touch (an SSDA903-only record has no contact
    dates; LAST_DONE is then blank and the sentence names the return). Lapses when the
    window closes."""
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
    reported = (
        birthdays.join(_years_in_touch(s), on="CHILD")
        .filter(pl.col("BIRTHDAY").is_between(pl.col("YEAR_FROM"), pl.col("YEAR_TO")))
        .group_by("CHILD")
        .agg(REPORTED=pl.col("YEAR").min())
    )
    found = birthdays.join(in_window, on="CHILD", how="left").join(reported, on="CHILD", how="left")
    by_return = pl.col("LAST").is_null() & pl.col("REPORTED").is_not_null()
    return found.select(
        "CHILD",
        DUE_DATE="CLOSES",
        LAST_DONE="LAST",
        DONE=pl.col("LAST").is_not_null() | pl.col("REPORTED").is_not_null(),
        BASIS="BIRTHDAY",
        LAPSES="CLOSES",
        DETAIL=pl.when(by_return)
        .then(pl.format("; the return for {} records them in touch", pl.col("REPORTED")))
        .otherwise(pl.lit("")),
    )


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
        id="leaving_care.pathway_plan",
        source=(
            "CPPCR 2010 reg 41(b), 43(1); CA89 Sch 2 para 19B(4), s23B(3); "
            "Care Matters: Time for Change (2007) para 6.29"
        ),
        explanation=(
            "A pathway plan must be prepared as soon as possible after the needs assessment; "
            "carematters expects it within {leaving_care.pathway_plan} of becoming an eligible "
            "child on {basis}"
        ),
        rule=pathway_plan,
        parameters=("leaving_care.pathway_plan",),
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
        source=(
            "SSDA903 OC3 (DfE children looked after return guide); CA89 s23B; "
            "Keep On Caring (2016) para 1.25"
        ),
        explanation=(
            "The young person must be contacted around their birthday on {basis} (within "
            "{leaving_care.oc3_window} either side) for the care leavers' return{detail}"
        ),
        rule=birthday_contact,
        parameters=(
            "leaving_care.oc3_window",
            "leaving_care.oc3_from_age",
            "leaving_care.oc3_until_age",
        ),
        # Either table can show it done: an adviser's contact, or the return's OC3 row.
        # Until Duty.evidence can say "any of", the duty is "not recorded" on a record
        # without pa_contacts unless OC3 shows it done ("done" is decided first).
        evidence=("pa_contacts",),
    ),
)
