"""Every duty for every child as at a date: one row per child and duty, with its status.

Statuses, in the order they are decided:
- `done`: this occurrence is done;
- `not recorded`: the record does not keep the table that would show it done (a plain
  SSDA903 import has no visits or plans), so carematters cannot say;
- `missed`: not done, and its moment has passed for good (a needs assessment for a young
  person now 18): history, not work to do;
- `overdue`: not done and past its due date;
- `due`: falls due within the `duties.due_soon` days;
- `upcoming`: later than that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import polars as pl

from carematters.calendar.timescales import after
from carematters.calendar.working_days import check_in_calendar
from carematters.duties.education import EDUCATION_DUTIES
from carematters.duties.health import HEALTH_DUTIES
from carematters.duties.leaving_care import LEAVING_CARE_DUTIES
from carematters.duties.missing import MISSING_DUTIES
from carematters.duties.plans import PLAN_DUTIES
from carematters.duties.reviews import REVIEW_DUTIES
from carematters.duties.rule import DUTY_COLUMNS, Duty
from carematters.duties.short_breaks import SHORT_BREAK_DUTIES
from carematters.duties.situation import Situation, Whom
from carematters.duties.visits import VISIT_DUTIES
from carematters.parameters import parameters
from carematters.queries import collect
from carematters.records.record import Record

OWED_TO: dict[Whom, tuple[Duty, ...]] = {
    "children in care": REVIEW_DUTIES
    + VISIT_DUTIES
    + PLAN_DUTIES
    + HEALTH_DUTIES
    + EDUCATION_DUTIES
    + MISSING_DUTIES,
    "children on short breaks": SHORT_BREAK_DUTIES,
    "care leavers": LEAVING_CARE_DUTIES,
}
"""Every duty, by whom it can be owed to: a question about a record with none of them
(one child's, most often) need not ask those duties at all."""
DUTIES: tuple[Duty, ...] = tuple(duty for duties in OWED_TO.values() for duty in duties)
"""Every duty carematters computes."""
STATUSES = ("done", "not recorded", "missed", "overdue", "due", "upcoming")
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


def _status(as_at: date, recorded: bool) -> pl.Expr:
    soon = after(pl.lit(as_at), parameters(as_at)["duties.due_soon"])
    return (
        pl.when(pl.col("DONE"))
        .then(pl.lit("done"))
        .when(pl.lit(not recorded))
        .then(pl.lit("not recorded"))
        .when(pl.col("LAPSES") < as_at)
        .then(pl.lit("missed"))
        .when(pl.col("DUE_DATE") < as_at)
        .then(pl.lit("overdue"))
        .when(pl.col("DUE_DATE") <= soon)
        .then(pl.lit("due"))
        .otherwise(pl.lit("upcoming"))
    )


def _explained(duty: Duty, as_at: date) -> pl.Expr:
    """The duty's sentence with the law's numbers of the day, the child's own date and
    any words for the child's own case."""
    child_s = {"{basis}": pl.col("BASIS").dt.strftime("%d/%m/%Y"), "{detail}": pl.col("DETAIL")}
    pieces = re.split(r"(\{basis\}|\{detail\})", parameters(as_at).text(duty.explanation))
    return pl.concat_str([child_s.get(piece, pl.lit(piece)) for piece in pieces if piece])


@lru_cache(maxsize=1)
def _finishings(as_at: date) -> dict[tuple[Duty, bool], tuple[pl.Expr, tuple[pl.Expr, ...]]]:
    """The finishing expressions made so far for the last day asked about (the casework
    pages ask about today, again and again), by duty and whether it is recorded."""
    return {}


def _finishing(duty: Duty, as_at: date, recorded: bool) -> tuple[pl.Expr, tuple[pl.Expr, ...]]:
    """What turns a duty's rule's rows into the duties table's: the status, then the
    columns. The same for every record asked about on the day, so made once a day: a
    caseload's duties, asked for again and again, need not build them each time."""
    made = _finishings(as_at)
    if (duty, recorded) in made:
        return made[duty, recorded]
    columns = (
        pl.col("CHILD"),
        pl.lit(duty.id).alias("DUTY"),
        pl.col("DUE_DATE"),
        pl.when(recorded).then(pl.col("LAST_DONE")).alias("LAST_DONE"),
        pl.col("STATUS"),
        pl.when(pl.col("STATUS") == "overdue")
        .then((pl.lit(as_at) - pl.col("DUE_DATE")).dt.total_days())
        .otherwise(0)
        .alias("DAYS_OVERDUE"),
        pl.lit(duty.source).alias("SOURCE"),
        _explained(duty, as_at).alias("EXPLANATION"),
    )
    made[duty, recorded] = (_status(as_at, recorded).alias("STATUS"), columns)
    return made[duty, recorded]


def _rows(duty: Duty, s: Situation) -> pl.LazyFrame:
    """One duty's rows, with its status, source and explanation."""
    recorded = all(s.holds(table) for table in duty.evidence)
    status, columns = _finishing(duty, s.as_at, recorded)
    return duty.rule(s).select(DUTY_COLUMNS).with_columns(status).select(columns)


def duties_as_at(
    record: Record, as_at: date, children: Iterable[str] | None = None
) -> pl.DataFrame:
    """Every duty in force on `as_at` for every child in the record, or only for the
    given children (worked out on their rows alone). Columns: `SCHEMA`, sorted by child,
    due date and duty. Raises `OutsideCalendarError` for a date the bank holiday calendar
    does not cover."""
    check_in_calendar(as_at)
    if children is not None:
        record = record.for_children(children)
    s = Situation(record, as_at)
    parts = [
        _rows(duty, s).cast(SCHEMA)
        for whom, duties in OWED_TO.items()
        if s.anyone(whom)
        for duty in duties
        if duty.in_force_on(as_at)
    ]
    if not parts:
        return pl.DataFrame(schema=SCHEMA)
    return collect(pl.concat(parts).sort("CHILD", "DUE_DATE", "DUTY"))
