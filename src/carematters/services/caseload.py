"""A caseload's statutory work: the duties owed to given children on a day, what they
are entitled to, and the safeguards a decision about one of them needs first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carematters.duties.decisions import gates_for, situation_of
from carematters.duties.engine import duties_as_at
from carematters.duties.entitlements import entitlements_on

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    import polars as pl

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


def safeguards_for(record: Record, child: str, proposal: Proposal) -> list[Gate]:
    """The safeguards the proposed decision about `child` needs before it may happen,
    in the order they are listed; raises `NotLookedAfterError` if the child is not
    looked after on the day of the decision."""
    return gates_for(proposal, situation_of(record, child, proposal.on))
