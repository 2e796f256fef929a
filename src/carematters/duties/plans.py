"""Care, placement and permanence plans (CPPCR 2010 reg 4, 9; seed 001 para 1.30)."""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.months import add_months
from carematters.calendar.working_days import add_working_days
from carematters.duties.rule import CPPCR_IN_FORCE, Duty
from carematters.duties.status import in_care_not_on_short_breaks
from carematters.duties.timing import events, events_since, once


def _plan(tables: dict[str, pl.DataFrame], as_at: date, kind: str, anchor: str) -> pl.DataFrame:
    owed = in_care_not_on_short_breaks(tables, as_at).select("CHILD", ANCHOR=anchor)
    return events_since(owed, events(tables, "care_plans", "PLAN_DATE", (kind,)), as_at)


def care_plan(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(
        _plan(tables, as_at, "CARE", "PERIOD_START"), add_working_days(pl.col("ANCHOR"), 10)
    )


def placement_plan(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(
        _plan(tables, as_at, "PLACEMENT", "PLACEMENT_START"), add_working_days(pl.col("ANCHOR"), 5)
    )


def permanence_plan(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    return once(_plan(tables, as_at, "PERMANENCE", "PERIOD_START"), add_months(pl.col("ANCHOR"), 4))


PLAN_DUTIES = (
    Duty(
        id="plan.care",
        source="CPPCR 2010 reg 4(2)",
        explanation=(
            "A care plan must be made within 10 working days of coming into care on {basis}"
        ),
        rule=care_plan,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="plan.placement",
        source="CPPCR 2010 reg 9(2)",
        explanation=(
            "A placement plan must be made within 5 working days of the placement on {basis}"
        ),
        rule=placement_plan,
        in_force_from=CPPCR_IN_FORCE,
    ),
    Duty(
        id="plan.permanence",
        source="CPPCR 2010 reg 4, seed 001 para 1.30",
        explanation=(
            "A permanence plan must be in place by the second review, about 4 months after "
            "coming into care on {basis}"
        ),
        rule=permanence_plan,
        in_force_from=CPPCR_IN_FORCE,
    ),
)
