"""Care, placement and permanence plans (CPPCR 2010 reg 4, 9; seed 001 para 1.30)."""

from __future__ import annotations

import polars as pl

from carematters.calendar.timescales import after
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import events_since, once


def _plan(s: Situation, kind: str, anchor: str, timescale: str) -> pl.LazyFrame:
    """A plan of `kind` due `timescale` after the child's `anchor` date, done by the
    first such plan since it."""
    owed = s.in_care.select("CHILD", ANCHOR=anchor)
    made = events_since(owed, s.events("care_plans", "PLAN_DATE", (kind,)), s.as_at)
    return once(made, after(pl.col("ANCHOR"), s.p[timescale]))


def care_plan(s: Situation) -> pl.LazyFrame:
    return _plan(s, "CARE", "PERIOD_START", "plans.care")


def placement_plan(s: Situation) -> pl.LazyFrame:
    return _plan(s, "PLACEMENT", "PLACEMENT_START", "plans.placement")


def permanence_plan(s: Situation) -> pl.LazyFrame:
    return _plan(s, "PERMANENCE", "PERIOD_START", "plans.permanence")


PLAN_DUTIES = (
    Duty(
        id="plan.care",
        source="CPPCR 2010 reg 4(2)",
        explanation="A care plan must be made within {plans.care} of coming into care on {basis}",
        rule=care_plan,
        parameters=("plans.care",),
        evidence=("care_plans",),
    ),
    Duty(
        id="plan.placement",
        source="CPPCR 2010 reg 9(2)",
        explanation=(
            "A placement plan must be made within {plans.placement} of the placement on {basis}"
        ),
        rule=placement_plan,
        parameters=("plans.placement",),
        evidence=("care_plans",),
    ),
    Duty(
        id="plan.permanence",
        source="CPPCR 2010 reg 4; Care Matters: Time for Change (2007) para 1.30",
        explanation=(
            "A permanence plan must be in place by the second review, about {plans.permanence} "
            "after coming into care on {basis}"
        ),
        rule=permanence_plan,
        parameters=("plans.permanence",),
        evidence=("care_plans",),
    ),
)
