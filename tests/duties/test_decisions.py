"""Decision gates: each YAML file under decisions/ is a proposed decision about a child
and the safeguards it needs (and those it must not be asked for)."""

from pathlib import Path

import pytest
import yaml

from carematters.duties.decisions import Decision, Proposal, gates_for, situation_of

from .test_scenarios import CHILD, _date, record_of

CASES = sorted((Path(__file__).parent / "decisions").glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_decision(path: Path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert case["regulation"] and case["story"]
    proposal = Proposal(
        Decision(case["decision"]),
        _date(case["date"]),
        case.get("to_postcode"),
        case.get("to_placement"),
    )
    gates = {g.id for g in gates_for(proposal, situation_of(record_of(case), CHILD, proposal.on))}
    assert set(case.get("needs", [])) <= gates
    assert not gates & set(case.get("does_not_need", []))
