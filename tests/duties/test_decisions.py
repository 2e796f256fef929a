"""Decision gates: each YAML file under decisions/ is a proposed decision about a child
and the safeguards it needs (and those it must not be asked for); where it says so, who
approves each gate, what must be done first, whether the young person may dispute it,
and what no approval can allow."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from carematters.duties.decisions import (
    GATES,
    Decision,
    NotLookedAfterError,
    Proposal,
    Safeguard,
    gates_for,
    situation_of,
)
from carematters.ssda903.codelists import code_group

from .test_scenarios import CHILD, _date, record_of

CASES = sorted((Path(__file__).parent / "decisions").glob("*.yaml"))


def _proposal(case: dict) -> Proposal:
    return Proposal(
        Decision(case["decision"]),
        _date(case["date"]),
        case.get("to_postcode"),
        case.get("to_placement"),
        bed_and_breakfast=case.get("bed_and_breakfast", False),
        until=_date(case.get("until")),
        separates_siblings=case.get("separates_siblings", False),
        independent_living=case.get("independent_living", False),
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_decision(path: Path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert case["regulation"] and case["story"]
    proposal = _proposal(case)
    situation = situation_of(record_of(case), CHILD, proposal.on)
    found = gates_for(proposal, situation)
    gates = {g.id for g in found}
    assert set(case.get("needs", [])) <= gates
    assert not gates & set(case.get("does_not_need", []))
    by_id = {g.id: g for g in found}
    for gate, role in case.get("approvers", {}).items():
        assert by_id[gate].approver_on(proposal.on) == role, gate
    if "safeguards" in case:
        needed = {s.value for g in found for s in g.needs}
        assert needed == set(case["safeguards"])
    if "disputable" in case:
        assert any(g.disputable for g in found) is case["disputable"]
    barred = [text for g in found if (text := g.barred(proposal, situation))]
    assert barred == ([case["barred"]] if "barred" in case else [])


def test_no_decision_about_care_is_checked_for_someone_of_18():
    """An episode the record has not yet closed does not keep an 18-year-old in care:
    no one is looked after from their 18th birthday (CA89 s105)."""
    case = {
        "child": {"dob": "01/01/2007"},
        "episodes": [{"start": "01/09/2020", "legal_status": "C2", "placement": "U4"}],
    }
    record = record_of(case)
    assert situation_of(record, CHILD, _date("31/12/2024")).legal_status == "C2"
    with pytest.raises(NotLookedAfterError, match="not looked after on 01/01/2025"):
        situation_of(record, CHILD, _date("01/01/2025"))


def test_every_gate_names_its_approver_and_what_must_be_done_first():
    """Each gate has an approver in force whenever the gate is (a role the web
    application knows), and at least one safeguard, the child heard among them: the law
    asks for the child's wishes and feelings before any decision (CA89 s22(4))."""
    for gate in GATES:
        assert gate.approver_on(gate.in_force_from) in {"team-manager", "director"}, gate.id
        assert Safeguard.CHILD_HEARD in gate.needs, gate.id
        assert all(s.text for s in gate.needs)


def test_the_gates_are_in_force_from_the_day_their_law_is():
    first = {gate.id: gate.in_force_from for gate in GATES}
    assert first["gate.move.out_of_area"] == date(2011, 4, 1)
    assert first["gate.move.bed_and_breakfast"] == date(2015, 1, 23)
    assert not [g for g in GATES if g.in_force_on(date(2011, 3, 31))]


def test_reg_39_is_about_a_child_looked_after_but_not_in_care():
    """CPPCR 2010 reg 39 gates ending the care of a child accommodated under section 20
    (V2): a child on a care order (C1, C2) stays in the authority's care until a court
    ends the order. Both looked after since 1 March 2025; 1 May 2025 is well past 20
    working days on."""
    gate = next(g for g in GATES if g.id == "gate.cease.nominated_officer")
    assert "CPPCR 2010 reg 39" in gate.source
    assert "a child looked after but not in care" in gate.source
    for legal_status, gated in (("V2", True), ("C1", False), ("C2", False), ("E1", False)):
        case = {
            "child": {"dob": "01/02/2016"},
            "episodes": [{"start": "01/03/2025", "legal_status": legal_status, "placement": "U6"}],
        }
        on = _date("01/05/2025")
        situation = situation_of(record_of(case), CHILD, on)
        found = {g.id for g in gates_for(Proposal(Decision.CEASE_CARE, on), situation)}
        assert (gate.id in found) is gated, legal_status


def test_endings_by_a_court_or_an_event_are_not_the_authoritys_decision():
    """The reasons a period of care ends that are no decision of the authority's (reg 39
    gates the authority's own): died, adopted, another authority took over, a child
    arrangements or special guardianship order, custody, remand ended, found an adult."""
    assert set(code_group("reason_episode_ceased", "not_the_authoritys_decision")) == {
        "E2",
        "E11",
        "E12",
        "E3",
        "E41",
        "E45",
        "E46",
        "E47",
        "E48",
        "E9",
        "E14",
        "E15",
    }
