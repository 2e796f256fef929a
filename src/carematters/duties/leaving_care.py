"""Leaving-care duties (CPPCR 2010 reg 42-43; CLR 2010 reg 6-8; seed 004).

A needs assessment within three months of becoming eligible (the 16th birthday or
later); the pathway plan reviewed at least every six months; a personal adviser in
touch at least every two months once the young person has left care.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.months import add_months
from carematters.duties.leavers import leaving_care_status
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.timing import again, events, events_since, once


def needs_assessment(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Due three months from eligibility; an assessment from the 16th birthday counts."""
    owed = leaving_care_status(tables, as_at).select(
        "CHILD", "ELIGIBLE_FROM", ANCHOR=pl.col("DOB").dt.offset_by("16y")
    )
    assessed = events_since(
        owed, events(tables, "pathway_plans", "EVENT_DATE", ("ASSESSMENT",)), as_at
    )
    return once(assessed, add_months(pl.col("ELIGIBLE_FROM"), 3), basis="ELIGIBLE_FROM")


def pathway_review(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    owed = leaving_care_status(tables, as_at).select("CHILD", ANCHOR="ELIGIBLE_FROM")
    plans = events(tables, "pathway_plans", "EVENT_DATE", ("PLAN", "REVIEW"))
    return again(events_since(owed, plans, as_at), add_months(pl.col("LAST"), 6))


def adviser_contact(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    owed = leaving_care_status(tables, as_at).filter(pl.col("LEFT").is_not_null())
    found = events_since(
        owed.select("CHILD", ANCHOR="LEFT"), events(tables, "pa_contacts", "CONTACT_DATE"), as_at
    )
    due = (
        pl.when(pl.col("LAST").is_null())
        .then(add_months(pl.col("ANCHOR"), 2))
        .otherwise(add_months(pl.col("LAST"), 2))
    )
    return found.select(
        "CHILD",
        DUE_DATE=due,
        LAST_DONE=pl.col("LAST"),
        DONE=pl.lit(value=False),
        BASIS=pl.coalesce("LAST", "ANCHOR"),
    )


OC3_WINDOW_MONTHS = 3
"""Policy choice: contact for OC3 counts within 3 months either side of the birthday."""


def birthday_contact(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Care leavers with a 17th-21st birthday within the window around `as_at`, after
    leaving care: in touch around that birthday, for the SSDA903 OC3 return."""
    leavers = leaving_care_status(tables, as_at).filter(pl.col("LEFT").is_not_null())
    birthdays = (
        leavers.with_columns(AGE=pl.int_ranges(17, 22))
        .explode("AGE")
        .with_columns(BIRTHDAY=pl.col("DOB").dt.offset_by(pl.format("{}y", pl.col("AGE"))))
        .filter(
            (pl.col("LEFT") < pl.col("BIRTHDAY"))
            & (add_months(pl.col("BIRTHDAY"), OC3_WINDOW_MONTHS) >= as_at)
            & (add_months(pl.col("BIRTHDAY"), -OC3_WINDOW_MONTHS) <= as_at)
        )
        .select("CHILD", "BIRTHDAY", ANCHOR=add_months(pl.col("BIRTHDAY"), -OC3_WINDOW_MONTHS))
    )
    found = events_since(birthdays, events(tables, "pa_contacts", "CONTACT_DATE"), as_at)
    due = add_months(pl.col("BIRTHDAY"), OC3_WINDOW_MONTHS)
    return once(found, due, basis="BIRTHDAY", done_by="LAST")


LEAVING_CARE_DUTIES = (
    Duty(
        id="leaving_care.needs_assessment",
        source="CPPCR 2010 reg 42(1); CA89 Sch 2 para 19B(4)",
        explanation=(
            "A leaving-care needs assessment must be done within 3 months of becoming an "
            "eligible child on {basis}"
        ),
        rule=needs_assessment,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="leaving_care.pathway_review",
        source="CPPCR 2010 reg 43; CLR 2010 reg 7",
        explanation="The pathway plan must be reviewed at least every 6 months; last on {basis}",
        rule=pathway_review,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="leaving_care.pa_contact",
        source="CLR 2010 reg 8(2)(c); CA89 s23C",
        explanation=(
            "The personal adviser must be in touch at least every 2 months; last contact (or "
            "leaving care) on {basis}"
        ),
        rule=adviser_contact,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="leaving_care.oc3_contact",
        source="SSDA903 OC3 (DfE children looked after return guide); CA89 s23B",
        explanation=(
            "The young person must be contacted around their birthday on {basis} (within 3 "
            "months either side) for the care leavers' return"
        ),
        rule=birthday_contact,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
