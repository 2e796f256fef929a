"""Every duty is a proper unit: a unique id, a source, dates in force, a sentence with
the child's date in it, and at least one scenario that pins down what it gives."""

from pathlib import Path

import yaml

from carematters.duties.decisions import GATES
from carematters.duties.engine import DUTIES

SCENARIOS = Path(__file__).parent / "scenarios"
DECISIONS = Path(__file__).parent / "decisions"


def _mentioned(folder: Path, keys: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for path in folder.glob("*.yaml"):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        found |= {e["duty"] for e in case.get("expect", [])} if "expect" in keys else set()
        for key in keys:
            if key != "expect":
                found |= set(case.get(key, []))
    return found


def test_every_duty_has_a_unique_id_a_source_and_a_sentence_naming_its_date():
    ids = [duty.id for duty in DUTIES]
    assert len(ids) == len(set(ids))
    for duty in DUTIES:
        assert duty.source.strip(), duty.id
        assert "{basis}" in duty.explanation, duty.id
        assert duty.in_force_from.year >= 2011 or duty.id.startswith("missing."), duty.id


def test_every_duty_is_pinned_down_by_a_scenario_that_expects_it():
    assert {d.id for d in DUTIES} <= _mentioned(SCENARIOS, ("expect",))


def test_every_gate_has_a_source_and_a_case_that_needs_it():
    assert {g.id for g in GATES} <= _mentioned(DECISIONS, ("needs",))
    assert all(g.source.strip() and g.safeguard.strip() for g in GATES)
