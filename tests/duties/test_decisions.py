"""Decision gates: each YAML file under decisions/ is a proposed decision about a child
and the safeguards it needs (and those it must not be asked for)."""

from pathlib import Path

import pytest
import yaml

from carematters.duties.decisions import (
    Decision,
    NotLookedAfterError,
    Proposal,
    gates_for,
    situation_of,
)

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
