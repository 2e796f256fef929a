"""Decision gates: safeguards a decision needs before it may happen, and why.

Each gate is a named unit like a duty (id, source, dates in force, plain words) with a
test of whether it applies to the decision about this child on that date. The checks
are about one child and one proposed decision, so they read the child's record as it
stands on the date rather than working over the whole table.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import polars as pl

from carematters.calendar.working_days import add_working_days
from carematters.duties.rule import CPPCR_IN_FORCE
from carematters.duties.status import looked_after_on, with_birth

REGULATED = frozenset(
    {
        "U1",
        "U2",
        "U3",
        "U4",
        "U5",
        "U6",
        "K1",
        "K2",
        "K3",
        "R1",
        "R2",
        "R3",
        "S1",
        "A3",
        "A4",
        "A5",
        "A6",
    }
)
"""Placements regulated by Ofsted or otherwise registered; others (H5, P2, Z1 ...) are not."""


class Decision(StrEnum):
    """The decisions carematters can check."""

    PLACEMENT_MOVE = "placement-move"
    CEASE_CARE = "cease-care"


@dataclass(frozen=True)
class Proposal:
    """One decision about one child: what, when, and (for a move) where to."""

    decision: Decision
    on: date
    to_postcode: str | None = None
    to_placement: str | None = None


@dataclass(frozen=True)
class Situation:
    """What the record says about the child on the date of the decision."""

    dob: date
    legal_status: str
    placement: str
    period_start: date


@dataclass(frozen=True)
class Gate:
    """A safeguard a decision needs, with its source and when it applies."""

    id: str
    source: str
    safeguard: str
    applies: Callable[[Proposal, Situation], bool]
    decision: Decision
    in_force_from: date = CPPCR_IN_FORCE


def authority_areas() -> tuple[frozenset[str], frozenset[str]]:
    """The authority's own postcode areas and those of adjoining authorities.

    Set by CAREMATTERS_AREAS and CAREMATTERS_ADJOINING (comma-separated postcode areas);
    the defaults are the synthetic demo authority's (ZZ, with ZA, ZB and ZC next to it).
    """
    own = os.environ.get("CAREMATTERS_AREAS", "ZZ")
    adjoining = os.environ.get("CAREMATTERS_ADJOINING", "ZA,ZB,ZC")
    return frozenset(own.split(",")), frozenset(adjoining.split(","))


def _area(postcode: str) -> str:
    return "".join(ch for ch in postcode.strip().upper().split(" ")[0] if ch.isalpha())


def school_year(dob: date, on: date) -> int:
    """The National Curriculum year a child is in on a day (Year 1 is the year in which
    they turn 6; the school year starts on 1 September)."""
    starts = on.year if on.month >= 9 else on.year - 1
    age_on_31_august = starts - dob.year - (1 if (dob.month, dob.day) > (8, 31) else 0)
    return age_on_31_august - 4


def _out_of_area(proposal: Proposal, _: Situation) -> bool:
    own, _adjoining = authority_areas()
    return proposal.to_postcode is not None and _area(proposal.to_postcode) not in own


def _at_a_distance(proposal: Proposal, _: Situation) -> bool:
    own, adjoining = authority_areas()
    return proposal.to_postcode is not None and _area(proposal.to_postcode) not in own | adjoining


def _key_stage_4(proposal: Proposal, situation: Situation) -> bool:
    return school_year(situation.dob, proposal.on) in (10, 11)


def _to_unregulated(proposal: Proposal, situation: Situation) -> bool:
    return (
        proposal.to_placement is not None
        and situation.placement in REGULATED
        and proposal.to_placement not in REGULATED
    )


def _looked_after_20_working_days(proposal: Proposal, situation: Situation) -> bool:
    twenty = pl.select(pl.lit(situation.period_start).pipe(add_working_days, 20)).item()
    return bool(proposal.on >= twenty)


def _section_20_at_16_or_17(proposal: Proposal, situation: Situation) -> bool:
    age = (
        proposal.on.year
        - situation.dob.year
        - ((proposal.on.month, proposal.on.day) < (situation.dob.month, situation.dob.day))
    )
    return situation.legal_status == "V2" and age in (16, 17)


GATES = (
    Gate(
        id="gate.move.years_10_11",
        source="CPPCR 2010 reg 10(1)(b); seed 001 para 4.19",
        safeguard=(
            "The child is in school year 10 or 11: a move that disrupts their education needs the "
            "nominated officer's approval, after consulting the designated teacher and the IRO"
        ),
        applies=_key_stage_4,
        decision=Decision.PLACEMENT_MOVE,
    ),
    Gate(
        id="gate.move.out_of_area",
        source="CPPCR 2010 reg 11(2)",
        safeguard=(
            "The placement is outside the authority's area: it needs the nominated officer's "
            "approval, and the host authority must be told before the placement (or within 5 "
            "working days in an emergency)"
        ),
        applies=_out_of_area,
        decision=Decision.PLACEMENT_MOVE,
    ),
    Gate(
        id="gate.move.at_a_distance",
        source="CPPCR 2010 reg 11(3)",
        safeguard=(
            "The placement is at a distance (outside the area and not in an adjoining "
            "authority): it needs the Director of Children's Services' approval"
        ),
        applies=_at_a_distance,
        decision=Decision.PLACEMENT_MOVE,
    ),
    Gate(
        id="gate.move.to_unregulated",
        source="CPPCR 2010 reg 32(2); seed 003 para 7.33",
        safeguard=(
            "The move is from a regulated placement to an unregulated one: the child's case "
            "must be reviewed (chaired by the IRO) before the move"
        ),
        applies=_to_unregulated,
        decision=Decision.PLACEMENT_MOVE,
    ),
    Gate(
        id="gate.cease.nominated_officer",
        source="CPPCR 2010 reg 39(2)",
        safeguard=(
            "The child has been looked after for 20 working days or more: ceasing to look after "
            "them needs the nominated officer's approval"
        ),
        applies=_looked_after_20_working_days,
        decision=Decision.CEASE_CARE,
    ),
    Gate(
        id="gate.cease.sixteen_seventeen",
        source="CPPCR 2010 reg 39(3)",
        safeguard=(
            "The young person is 16 or 17 and accommodated under section 20: ceasing to look "
            "after them needs the Director of Children's Services' approval"
        ),
        applies=_section_20_at_16_or_17,
        decision=Decision.CEASE_CARE,
    ),
)


class NotLookedAfterError(ValueError):
    """The child is not looked after on the date of the decision."""


def situation_of(tables: dict[str, pl.DataFrame], child: str, on: date) -> Situation:
    """The child's situation on `on`, from the record."""
    now = with_birth(looked_after_on(tables["episodes"], on), tables).filter(
        pl.col("CHILD") == child
    )
    if now.is_empty():
        raise NotLookedAfterError(f"child {child} is not looked after on {on:%d/%m/%Y}")
    row = now.row(0, named=True)
    return Situation(row["DOB"], row["LS"], row["PLACE"], row["PERIOD_START"])


def gates_for(proposal: Proposal, situation: Situation) -> list[Gate]:
    """The safeguards the proposed decision needs, in the order they are listed."""
    return [
        gate
        for gate in GATES
        if gate.decision is proposal.decision
        and gate.in_force_from <= proposal.on
        and gate.applies(proposal, situation)
    ]
