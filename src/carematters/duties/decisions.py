"""Decision gates: safeguards a decision needs before it may happen, and why.

Each gate is a named unit like a duty (id, source, dates in force, plain words) with a
test of whether it applies to the decision about this child on that date, who approves
it (a dated parameter naming a role), what must be done first (`Safeguard`s, which the
web application checks against what is recorded) and, for some, what no approval can
allow (`bar`: bed and breakfast for longer than the guidance's limit). The checks are
about one child and one proposed decision, so they read the child's record as it stands
on the date rather than working over the whole table.
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
from carematters.parameters import Parameters, parameter, parameters
from carematters.records.periods import looked_after_on
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group


class Decision(StrEnum):
    """The decisions carematters can check."""

    PLACEMENT_MOVE = "placement-move"
    CEASE_CARE = "cease-care"


class Safeguard(StrEnum):
    """What must be done, and recorded, before a gated decision is approved."""

    CHILD_HEARD = "child-heard"
    IRO_CONSULTED = "iro-consulted"
    TEACHER_CONSULTED = "teacher-consulted"
    HOST_TOLD = "host-told"
    REVIEW_FIRST = "review-first"
    AGREES = "agrees"
    INDEPENDENT_PERSON = "independent-person"
    NEEDS_ASSESSED = "needs-assessed"

    @property
    def text(self) -> str:
        """The safeguard as a social worker would say it has been done."""
        return SAFEGUARD_TEXT[self]


SAFEGUARD_TEXT = {
    Safeguard.CHILD_HEARD: "What the child wishes and feels has been heard and recorded",
    Safeguard.IRO_CONSULTED: "Their independent reviewing officer (IRO) has been consulted",
    Safeguard.TEACHER_CONSULTED: "The designated teacher at their school has been consulted",
    Safeguard.HOST_TOLD: "The authority where they would live has been told",
    Safeguard.REVIEW_FIRST: "Their case has been reviewed, chaired by their IRO",
    Safeguard.AGREES: "The young person understands the proposal and positively agrees to it",
    Safeguard.INDEPENDENT_PERSON: "An independent person they chose has supported them",
    Safeguard.NEEDS_ASSESSED: "An up-to-date assessment of their needs supports the proposal",
}


@dataclass(frozen=True)
class Proposal:
    """One decision about one child: what, when, and (for a move) where to: the
    placement type and postcode; whether it is bed and breakfast, and the day the stay
    ends (`until`); whether it is a permanent placement that separates the child from
    their brothers or sisters; whether the social worker says it is a move to
    "independent" living (`independent_living`), which a placement's code cannot
    always say: from 2025-26 DfE has no code for a flat of one's own (see
    `decisions.independent_living`)."""

    decision: Decision
    on: date
    to_postcode: str | None = None
    to_placement: str | None = None
    bed_and_breakfast: bool = False
    until: date | None = None
    separates_siblings: bool = False
    independent_living: bool = False


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
    numbers, the parameter naming who approves it (`approver`: its value is a role,
    "team-manager" or "director"; the gate applies while it and all of `parameters` are
    in force), what must be done first (`needs`), a test of whether it applies, and
    (`bar`) what no approval can allow, in words, or None.

    `safeguard` names parameters as `{area.name}`, filled in with their value on the day
    of the decision (`text`). `disputable`: the young person may dispute the decision,
    and nothing changes while they do (Care Matters 2007 para 6.15-6.16).
    """

    id: str
    title: str
    """The decision the gate is about, in a few words: "A placement at a distance"."""
    source: str
    safeguard: str
    applies: Callable[[Proposal, Situation, Parameters], bool]
    decision: Decision
    parameters: tuple[str, ...]
    approver: str
    needs: tuple[Safeguard, ...]
    disputable: bool = False
    bar: Callable[[Proposal, Situation, Parameters], str | None] | None = None

    def text(self, day: date) -> str:
        """The safeguard in words, with the law's numbers as they stood on `day`."""
        return parameters(day).text(self.safeguard)

    def in_force_on(self, day: date) -> bool:
        """Whether the gate applies on `day`: its parameters and approver are in force."""
        return parameters(day).in_force((*self.parameters, self.approver))

    @property
    def in_force_from(self) -> date:
        """The first day the gate applied."""
        return max(parameter(name).first_day for name in (*self.parameters, self.approver))

    def approver_on(self, day: date) -> str:
        """Who approves the decision on `day`: a role ("team-manager", "director")."""
        return str(parameters(day)[self.approver].value)

    def barred(self, proposal: Proposal, situation: Situation) -> str | None:
        """What no approval can allow in `proposal`, in words; None if nothing."""
        if self.bar is None:
            return None
        return self.bar(proposal, situation, parameters(proposal.on))


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
    """CPPCR 2010 reg 39 (a child looked after but not in care): it applies to a child
    accommodated under section 20 (legal status in the `section_20` group) who has been
    looked after for `decisions.cease_care_after` or more. A child on a care order stays
    in the authority's care until a court ends the order, so it is not this gate."""
    if situation.legal_status not in code_group("legal_status", "section_20"):
        return False
    needed = p["decisions.cease_care_after"]
    return proposal.on >= working_days_after(situation.period_start, needed.number)


def _sixteen_or_seventeen(proposal: Proposal, situation: Situation, p: Parameters) -> bool:
    age = pl.select(age_on(pl.lit(situation.dob), proposal.on)).item()
    sixteen, adult = p["leaving_care.eligible_from_age"].number, p["ages.adulthood"].number
    return bool(sixteen <= age < adult)


def _section_20_at_16_or_17(proposal: Proposal, situation: Situation, p: Parameters) -> bool:
    section_20 = code_group("legal_status", "section_20")
    return situation.legal_status in section_20 and _sixteen_or_seventeen(proposal, situation, p)


def _to_independent_living(proposal: Proposal, _: Situation, p: Parameters) -> bool:
    """A move to a placement type `decisions.independent_living` lists on the day of the
    move, or one the social worker says is to "independent" living."""
    independent = p["decisions.independent_living"].value
    listed = isinstance(independent, tuple) and proposal.to_placement in independent
    return listed or proposal.independent_living


def _separates_siblings(proposal: Proposal, _: Situation, __: Parameters) -> bool:
    return proposal.separates_siblings


def _bed_and_breakfast_at_16_or_17(proposal: Proposal, situation: Situation, p: Parameters) -> bool:
    return proposal.bed_and_breakfast and _sixteen_or_seventeen(proposal, situation, p)


def _longer_than_bed_and_breakfast_allows(
    proposal: Proposal, _: Situation, p: Parameters
) -> str | None:
    limit = p["decisions.bed_and_breakfast_limit"]
    last = working_days_after(proposal.on, limit.number)
    if proposal.until is not None and proposal.on <= proposal.until <= last:
        return None
    return (
        f"Bed and breakfast may be used for {limit} at most: the stay must end by "
        f"{last.day} {last:%B %Y}"
    )


GATES = (
    Gate(
        id="gate.move.years_10_11",
        title="A move in the GCSE years (key stage 4)",
        source="CPPCR 2010 reg 10(1)(b); Care Matters: Time for Change (2007) para 4.19",
        safeguard=(
            "The child is in school year {education.key_stage_4}, the GCSE years: a move that "
            "disrupts their education needs the nominated officer's approval, after consulting "
            "the designated teacher and the IRO"
        ),
        applies=_key_stage_4,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("education.key_stage_4",),
        approver="decisions.approver_years_10_11",
        needs=(
            Safeguard.TEACHER_CONSULTED,
            Safeguard.IRO_CONSULTED,
            Safeguard.CHILD_HEARD,
            Safeguard.REVIEW_FIRST,
        ),
    ),
    Gate(
        id="gate.move.out_of_area",
        title="A placement out of the authority's area",
        source="CPPCR 2010 reg 11(2)",
        safeguard=(
            "The placement is outside the authority's area: it needs the nominated officer's "
            "approval, and the host authority must be told before the placement (or within "
            "{decisions.host_authority_notice} in an emergency)"
        ),
        applies=_out_of_area,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("decisions.host_authority_notice",),
        approver="decisions.approver_out_of_area",
        needs=(Safeguard.CHILD_HEARD, Safeguard.IRO_CONSULTED, Safeguard.HOST_TOLD),
    ),
    Gate(
        id="gate.move.at_a_distance",
        title="A placement at a distance",
        source="CPPCR 2010 reg 11(3)",
        safeguard=(
            "The placement is at a distance (outside the area and not in an adjoining "
            "authority): it needs the Director of Children's Services' approval"
        ),
        applies=_at_a_distance,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("decisions.host_authority_notice",),
        approver="decisions.approver_at_a_distance",
        needs=(Safeguard.CHILD_HEARD, Safeguard.IRO_CONSULTED, Safeguard.HOST_TOLD),
    ),
    Gate(
        id="gate.move.to_unregulated",
        title="A move from a regulated to an unregulated placement",
        source="CPPCR 2010 reg 32(2); Care Matters: Time for Change (2007) para 7.33",
        safeguard=(
            "The move is from a regulated placement to an unregulated one: the child's case "
            "must be reviewed (chaired by the IRO) before the move"
        ),
        applies=_to_unregulated,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("law.cppcr_2010",),
        approver="decisions.approver_to_unregulated",
        needs=(Safeguard.REVIEW_FIRST, Safeguard.CHILD_HEARD),
        disputable=True,
    ),
    Gate(
        id="gate.cease.nominated_officer",
        title="Ceasing to look after a child",
        source="CPPCR 2010 reg 39(2) (a child looked after but not in care)",
        safeguard=(
            "The child is accommodated under section 20 and has been looked after for "
            "{decisions.cease_care_after} or more: ceasing to look after them needs the "
            "nominated officer's approval"
        ),
        applies=_looked_after_long_enough,
        decision=Decision.CEASE_CARE,
        parameters=("decisions.cease_care_after",),
        approver="decisions.approver_cease_care",
        needs=(Safeguard.CHILD_HEARD, Safeguard.IRO_CONSULTED),
        disputable=True,
    ),
    Gate(
        id="gate.cease.sixteen_seventeen",
        title="Ceasing to look after a young person under section 20",
        source="CPPCR 2010 reg 39(3)",
        safeguard=(
            "The young person is {leaving_care.eligible_from_age} or over, not yet "
            "{ages.adulthood}, and accommodated under section 20: ceasing to look after them "
            "needs the Director of Children's Services' approval"
        ),
        applies=_section_20_at_16_or_17,
        decision=Decision.CEASE_CARE,
        parameters=("leaving_care.eligible_from_age", "ages.adulthood"),
        approver="decisions.approver_cease_care_sixteen_seventeen",
        needs=(Safeguard.CHILD_HEARD, Safeguard.IRO_CONSULTED),
        disputable=True,
    ),
    Gate(
        id="gate.move.to_independent_living",
        title='A move to "independent" living',
        source=("Care Matters: Time for Change (2007) paras 6.8, 6.11-6.16; CPPCR 2010 reg 32(2)"),
        safeguard=(
            'The move is to "independent" living (a placement of type '
            "{decisions.independent_living}, or one the social worker says is to independent "
            "living): it may come only out of a review chaired by their IRO, resting on an "
            "up-to-date assessment of their needs, with the young person understanding the "
            "proposal and positively agreeing to it, supported by an independent person they "
            "choose. If they dispute it, nothing changes while the dispute is resolved"
        ),
        applies=_to_independent_living,
        decision=Decision.PLACEMENT_MOVE,
        parameters=("decisions.independent_living",),
        approver="decisions.approver_to_independent_living",
        needs=(
            Safeguard.REVIEW_FIRST,
            Safeguard.NEEDS_ASSESSED,
            Safeguard.CHILD_HEARD,
            Safeguard.AGREES,
            Safeguard.INDEPENDENT_PERSON,
        ),
        disputable=True,
    ),
    Gate(
        id="gate.move.separating_siblings",
        title="A permanent placement separating brothers and sisters",
        source="Care Matters: Time for Change (2007) para 3.46; CA89 s22C(8)(c)",
        safeguard=(
            "The permanent placement would separate them from their brothers or sisters: it "
            "needs a full assessment of their views and of what the separation would mean "
            "for them"
        ),
        applies=_separates_siblings,
        decision=Decision.PLACEMENT_MOVE,
        parameters=(),
        approver="decisions.approver_separating_siblings",
        needs=(Safeguard.CHILD_HEARD, Safeguard.NEEDS_ASSESSED),
    ),
    Gate(
        id="gate.move.bed_and_breakfast",
        title="Bed and breakfast for a young person",
        source=(
            "Keep On Caring (2016) para 3.40; Children Act 1989 guidance volume 3 (revised "
            "2015), chapter 7"
        ),
        safeguard=(
            "The young person is {leaving_care.eligible_from_age} or over, not yet "
            "{ages.adulthood}: bed and breakfast may be used only in exceptional "
            "circumstances, and for {decisions.bed_and_breakfast_limit} at most"
        ),
        applies=_bed_and_breakfast_at_16_or_17,
        decision=Decision.PLACEMENT_MOVE,
        parameters=(
            "decisions.bed_and_breakfast_limit",
            "leaving_care.eligible_from_age",
            "ages.adulthood",
        ),
        approver="decisions.approver_bed_and_breakfast",
        needs=(Safeguard.CHILD_HEARD,),
        bar=_longer_than_bed_and_breakfast_allows,
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
    """The safeguards the proposed decision needs, in the order they are listed. A move
    to a temporary placement (hospital, a holiday) needs none: the child goes back, so it
    is not a change of placement."""
    if proposal.to_placement in code_group("placement_type", "temporary"):
        return []
    p = parameters(proposal.on)
    return [
        gate
        for gate in GATES
        if gate.decision is proposal.decision
        and gate.in_force_on(proposal.on)
        and gate.applies(proposal, situation, p)
    ]
