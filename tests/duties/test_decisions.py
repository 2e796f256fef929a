"""Decision gates: each YAML file under decisions/ is a proposed decision about a child
and the safeguards it needs (and those it must not be asked for)."""

from pathlib import Path

import pytest
import yaml

from carematters.calendar.school import school_year
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


@pytest.mark.parametrize(
    ("dob", "on", "year"),
    [
        (_date("15/10/2009"), _date("01/05/2025"), 10),
        (_date("31/08/2009"), _date("01/09/2024"), 11),
        (_date("01/09/2009"), _date("01/09/2024"), 10),
        (_date("01/02/2009"), _date("20/06/2025"), 11),
    ],
)
def test_school_years_start_on_1_september(dob, on, year):
    assert school_year(dob, on) == year
