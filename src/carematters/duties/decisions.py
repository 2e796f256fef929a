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

from carematters.calendar.birthdays import age_on
from carematters.calendar.school import school_year
from carematters.calendar.working_days import working_days_after
from carematters.duties.situation import with_birth
from carematters.parameters import Parameters, parameters
from carematters.records.periods import looked_after_on
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group


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
    """A safeguard a decision needs, with its source, the parameters that set its
    numbers (it applies while all are in force) and a test of whether it applies.

    `safeguard` names parameters as `{area.name}`, filled in with their value on the day
    of the decision (`text`).
    """

    id: str
    source: str
    safeguard: str
    applies: Callable[[Proposal, Situation, Parameters], bool]
    decision: Decision
    parameters: tuple[str, ...]

    def text(self, day: date) -> str:
        """The safeguard in words, with the law's numbers as they stood on `day`."""
        return parameters(day).text(self.safeguard)


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


def _out_of_area(proposal: Proposal, _: Situation, __: Parameters) -> bool:
    own, _adjoining = authority_areas()
    return proposal.to_postcode is not None and _area(proposal.to_postcode) not in own


def _at_a_distance(proposal: Proposal, _: Situation, __: Parameters) -> bool:
    own, adjoining = authority_areas()
    return proposal.to_postcode is not None and _area(proposal.to_postcode) not in own | adjoining


def _key_stage_4(proposal: Proposal, situation: Situation, p: Parameters) -> bool:
    years = p["education.key_stage_4"].value
    return isinstance(years, tuple) and str(school_year(situation.dob, proposal.on)) in years


def _to_unregulated(proposal: Proposal, situation: Situation, _: Parameters) -> bool:
    regulated = code_group("placement_type", "regulated")
    return (
        proposal.to_placement is not None
        and situation.placement in regulated
        and proposal.to_placement not in regulated
    )


def _looked_after_long_enough(proposal: Proposal, situation: Situation, p: Parameters) -> bool:
    needed = p["decisions.cease_care_after"]
    return proposal.on >= working_days_after(situation.period_start, needed.number)


def _section_20_at_16_or_17(proposal: Proposal, situation: Situation, p: Parameters) -> bool:
    age = pl.select(age_on(pl.lit(situation.dob), proposal.on)).item()
    sixteen, adult = p["leaving_care.eligible_from_age"].number, p["ages.adulthood"].number
    section_20 = code_group("legal_status", "section_20")
    return situation.legal_status in section_20 and sixteen <= age < adult


GATES = (
    Gate(
        id="gate.move.years_10_11",
        source="CPPCR 2010 reg 10(1)(b); Care Matters: Time for Change (2007) para 4.19",
        safeguard=(
            "The child is in school year {education.key_stage_4}, the GCSE years: a move that "
            "disrupts their education needs the nominated officer's approval, after consulting "
            "the designated teacher and the IRO"
        ),
        applies=_key_stage_4,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("education.key_stage_4",),
    ),
    Gate(
        id="gate.move.out_of_area",
        source="CPPCR 2010 reg 11(2)",
        safeguard=(
            "The placement is outside the authority's area: it needs the nominated officer's "
            "approval, and the host authority must be told before the placement (or within "
            "{decisions.host_authority_notice} in an emergency)"
        ),
        applies=_out_of_area,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("decisions.host_authority_notice",),
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
        parameters=("decisions.host_authority_notice",),
    ),
    Gate(
        id="gate.move.to_unregulated",
        source="CPPCR 2010 reg 32(2); Care Matters: Time for Change (2007) para 7.33",
        safeguard=(
            "The move is from a regulated placement to an unregulated one: the child's case "
            "must be reviewed (chaired by the IRO) before the move"
        ),
        applies=_to_unregulated,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("law.cppcr_2010",),
    ),
    Gate(
        id="gate.cease.nominated_officer",
        source="CPPCR 2010 reg 39(2)",
        safeguard=(
            "The child has been looked after for {decisions.cease_care_after} or more: ceasing "
            "to look after them needs the nominated officer's approval"
        ),
        applies=_looked_after_long_enough,
        decision=Decision.CEASE_CARE,
        parameters=("decisions.cease_care_after",),
    ),
    Gate(
        id="gate.cease.sixteen_seventeen",
        source="CPPCR 2010 reg 39(3)",
        safeguard=(
            "The young person is {leaving_care.eligible_from_age} or over, not yet "
            "{ages.adulthood}, and accommodated under section 20: ceasing to look after them "
            "needs the Director of Children's Services' approval"
        ),
        applies=_section_20_at_16_or_17,
        decision=Decision.CEASE_CARE,
        parameters=("leaving_care.eligible_from_age", "ages.adulthood"),
    ),
)


class NotLookedAfterError(ValueError):
    """The child is not looked after on the date of the decision."""


def situation_of(record: Record, child: str, on: date) -> Situation:
    """The child's situation on `on`, from the record; NotLookedAfterError if the child
    is not looked after that day (no one is from their 18th birthday, CA89 s105)."""
    mine = record.for_children([child])
    now = with_birth(looked_after_on(mine.episodes.lazy(), on), mine).collect()
    adult = parameters(on)["ages.adulthood"].number
    now = now.filter((age_on(pl.col("DOB"), on) < adult).fill_null(value=True))
    if now.is_empty():
        raise NotLookedAfterError(f"child {child} is not looked after on {on:%d/%m/%Y}")
    row = now.row(0, named=True)
    return Situation(row["DOB"], row["LS"], row["PLACE"], row["PERIOD_START"])


def gates_for(proposal: Proposal, situation: Situation) -> list[Gate]:
    """The safeguards the proposed decision needs, in the order they are listed."""
    p = parameters(proposal.on)
    return [
        gate
        for gate in GATES
        if gate.decision is proposal.decision
        and p.in_force(gate.parameters)
        and gate.applies(proposal, situation, p)
    ]
