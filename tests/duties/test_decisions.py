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
