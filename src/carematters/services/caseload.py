"""A caseload's statutory work: the duties owed to given children on a day, what they
are entitled to, and the safeguards a decision about one of them needs first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.duties.decisions import gates_for, situation_of
from carematters.duties.engine import duties_as_at
from carematters.duties.entitlements import entitlements_on
from carematters.geography import Places, placed
from carematters.records.periods import looked_after_on
from carematters.services.chronology import meaning

if TYPE_CHECKING:
    from collections.abc import Iterable

    from carematters.duties.decisions import Gate, Proposal
    from carematters.records.record import Record


def duties_for(record: Record, as_at: date, children: Iterable[str] | None = None) -> pl.DataFrame:
    """Every duty in force on `as_at` owed to the given children (every child in the
    record when none are given): one row per child and duty, as `duties_as_at` gives it."""
    return duties_as_at(record, as_at, children)


def entitlements_for(record: Record, as_at: date) -> pl.DataFrame:
    """What each child and care leaver in the record is entitled to on `as_at`, until
    when and why: one row per young person and entitlement."""
    return entitlements_on(record, as_at)


def safeguards_for(record: Record, child: str, proposal: Proposal) -> list[tuple[Gate, str | None]]:
    """The safeguards the proposed decision about `child` needs before it may happen,
    in the order they are listed, each with what no approval can allow in it (in words;
    None if nothing: bed and breakfast past its limit is the one). Raises
    `NotLookedAfterError` if the child is not looked after on the day of the decision."""
    situation = situation_of(record, child, proposal.on)
    return [(gate, gate.barred(proposal, situation)) for gate in gates_for(proposal, situation)]


CASELOAD = pl.Schema(
    {
        "CHILD": pl.String(),
        "DOB": pl.Date(),
        "AGE": pl.Int64(),
        "LOOKED_AFTER": pl.Boolean(),
        "PLACE": pl.String(),
        "PLACEMENT": pl.String(),
        "PLACEMENT_START": pl.Date(),
        "PL_DISTANCE": pl.Float64(),
        "OUT_OF_AREA": pl.Boolean(),
        "LS": pl.String(),
        "LEGAL_STATUS": pl.String(),
        "IRO_ID": pl.String(),
        "OVERDUE": pl.UInt32(),
        "DUE_THIS_WEEK": pl.UInt32(),
        "DUE_NEXT_WEEK": pl.UInt32(),
        "NEXT_DUE": pl.Date(),
        "MOST_DAYS_OVERDUE": pl.Int64(),
    }
)
"""A caseload, one row per child: their date of birth and age in years; whether they are
looked after on the day; the placement they are in (code, its meaning, the day it began,
miles from home and whether it lies outside the authority, where the places are known);
their legal status (code and meaning); their current IRO's id; and their duties: how
many are overdue, due this week and due next week (Monday to Sunday), the next due date
and the most days any duty is overdue. Worst first: most overdue, then longest overdue,
then soonest due."""


WORST_FIRST = (["OVERDUE", "MOST_DAYS_OVERDUE", "NEXT_DUE", "CHILD"], [True, True, False, False])
"""A caseload's order, as columns and whether each sorts descending (nulls last): most
overdue first, then longest overdue, then soonest due."""


def caseload_summary(
    record: Record, duties: pl.DataFrame, as_at: date, places: Places | None = None
) -> pl.DataFrame:
    """The caseload (CASELOAD's columns) of every child with a Header row in `record`,
    from their record and their `duties` (the duties table, `duties_as_at`'s columns:
    CHILD, DUE_DATE, STATUS, DAYS_OVERDUE at least) on `as_at`. `places` locates
    placements (distance and area, see `carematters.geography.Places`); without it they
    are null. Sources: CPPCR 2010 reg 9-11 (placements), SSDA903 PL_DISTANCE and PL_LA."""
    in_care = looked_after_on(record.episodes, as_at)
    if places is not None:
        in_care = placed(in_care, places.postcodes)
        outside = pl.col("PL_LA") != places.la_code if places.la_code is not None else pl.lit(None)
    else:
        in_care = in_care.with_columns(PL_DISTANCE=pl.lit(None, pl.Float64))
        outside = pl.lit(None, pl.Boolean)
    placement = in_care.select(
        "CHILD",
        "PLACE",
        meaning("PLACE", "placement_type", alias="PLACEMENT"),
        "PLACEMENT_START",
        "PL_DISTANCE",
        outside.cast(pl.Boolean).alias("OUT_OF_AREA"),
        "LS",
        meaning("LS", "legal_status", alias="LEGAL_STATUS"),
    ).unique("CHILD", keep="first", maintain_order=True)
    iro = (
        record.iro.filter(
            (pl.col("START_DATE") <= as_at)
            & (pl.col("END_DATE").is_null() | (pl.col("END_DATE") > as_at))
        )
        .sort("START_DATE")
        .group_by("CHILD")
        .agg(pl.col("IRO_ID").last())
    )
    return (
        record.header.select("CHILD", "DOB", age_on(pl.col("DOB"), as_at).alias("AGE"))
        .unique("CHILD", keep="first", maintain_order=True)
        .join(placement, on="CHILD", how="left")
        .join(iro, on="CHILD", how="left")
        .join(_work(duties, as_at), on="CHILD", how="left")
        .with_columns(
            pl.col("OVERDUE", "DUE_THIS_WEEK", "DUE_NEXT_WEEK").fill_null(0),
            LOOKED_AFTER=pl.col("PLACEMENT_START").is_not_null() | pl.col("LS").is_not_null(),
        )
        .select(CASELOAD.names())
        .cast(CASELOAD)
        .sort(WORST_FIRST[0], descending=WORST_FIRST[1], nulls_last=True)
    )


def _work(duties: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """Per child: duties overdue, due this week and next (weeks from Monday), the next
    due date of work still to do, and the most days any duty is overdue."""
    this_monday = as_at - timedelta(days=as_at.weekday())
    next_monday = this_monday + timedelta(weeks=1)
    after_next = next_monday + timedelta(weeks=1)
    to_do = pl.col("STATUS").is_in(["overdue", "due", "upcoming"])
    due = pl.col("DUE_DATE")
    return duties.group_by("CHILD").agg(
        OVERDUE=(pl.col("STATUS") == "overdue").sum(),
        DUE_THIS_WEEK=(to_do & (pl.col("STATUS") != "overdue") & (due < next_monday)).sum(),
        DUE_NEXT_WEEK=(to_do & (due >= next_monday) & (due < after_next)).sum(),
        NEXT_DUE=due.filter(to_do & (pl.col("STATUS") != "overdue")).min(),
        MOST_DAYS_OVERDUE=pl.col("DAYS_OVERDUE").filter(pl.col("STATUS") == "overdue").max(),
    )
