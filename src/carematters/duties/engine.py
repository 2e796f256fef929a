"""Every duty for every child as at a date: one row per child and duty, with its status."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.duties.education import EDUCATION_DUTIES
from carematters.duties.health import HEALTH_DUTIES
from carematters.duties.leaving_care import LEAVING_CARE_DUTIES
from carematters.duties.missing import MISSING_DUTIES
from carematters.duties.plans import PLAN_DUTIES
from carematters.duties.reviews import REVIEW_DUTIES
from carematters.duties.rule import DUE_SOON_DAYS, Duty
from carematters.duties.short_breaks import SHORT_BREAK_DUTIES
from carematters.duties.visits import VISIT_DUTIES

DUTIES: tuple[Duty, ...] = (
    REVIEW_DUTIES
    + SHORT_BREAK_DUTIES
    + VISIT_DUTIES
    + PLAN_DUTIES
    + HEALTH_DUTIES
    + EDUCATION_DUTIES
    + LEAVING_CARE_DUTIES
    + MISSING_DUTIES
)
"""Every duty carematters computes, in the order they are listed."""
SCHEMA = pl.Schema(
    {
        "CHILD": pl.String(),
        "DUTY": pl.String(),
        "DUE_DATE": pl.Date(),
        "LAST_DONE": pl.Date(),
        "STATUS": pl.String(),
        "DAYS_OVERDUE": pl.Int64(),
        "SOURCE": pl.String(),
        "EXPLANATION": pl.String(),
    }
)
"""The duties table: one row per child and duty."""
OUTPUT_COLUMNS = tuple(SCHEMA)


def _status(as_at: date) -> pl.Expr:
    return (
        pl.when(pl.col("DONE"))
        .then(pl.lit("done"))
        .when(pl.col("DUE_DATE") < as_at)
        .then(pl.lit("overdue"))
        .when(pl.col("DUE_DATE") <= as_at + timedelta(days=DUE_SOON_DAYS))
        .then(pl.lit("due"))
        .otherwise(pl.lit("upcoming"))
    )


def _explained(duty: Duty) -> pl.Expr:
    """The duty's sentence with the child's own date in it."""
    before, _, after = duty.explanation.partition("{basis}")
    return pl.concat_str(pl.lit(before), pl.col("BASIS").dt.strftime("%d/%m/%Y"), pl.lit(after))


def duties_as_at(
    tables: dict[str, pl.DataFrame], as_at: date, child: str | None = None
) -> pl.DataFrame:
    """Every duty in force on `as_at` for every child (or one child) in the record."""
    parts = []
    for duty in DUTIES:
        if not duty.in_force_on(as_at):
            continue
        found = duty.rule(tables, as_at)
        if child is not None:
            found = found.filter(pl.col("CHILD") == child)
        parts.append(
            found.with_columns(
                DUTY=pl.lit(duty.id),
                STATUS=_status(as_at),
                DAYS_OVERDUE=pl.when(~pl.col("DONE") & (pl.col("DUE_DATE") < as_at))
                .then((pl.lit(as_at) - pl.col("DUE_DATE")).dt.total_days())
                .otherwise(0),
                SOURCE=pl.lit(duty.source),
                EXPLANATION=_explained(duty),
            ).select(OUTPUT_COLUMNS)
        )
    if not parts:
        return pl.DataFrame(schema=SCHEMA)
    return pl.concat(parts).cast(SCHEMA).sort("CHILD", "DUE_DATE", "DUTY")
