"""Every duty is a proper unit: a unique id, a source, the parameters that set its
numbers (its dates in force follow from them), a sentence formatted from those same
values with the child's date in it, and a scenario that pins down what it gives. And
no number of the law is typed into the duties' code."""

import ast
import re
from datetime import date
from pathlib import Path

import yaml

from carematters import duties
from carematters.duties.decisions import GATES
from carematters.duties.engine import DUTIES
from carematters.duties.entitlements import ENTITLEMENTS
from carematters.parameters import parameter
from carematters.records.schema import record_table

SCENARIOS = Path(__file__).parent / "scenarios"
DECISIONS = Path(__file__).parent / "decisions"
CODE = Path(duties.__file__).parent
OFFSET = re.compile(r"^-?\d+\s*(y|mo|w|d|h|days?|weeks?|months?|years?)$")
"""A string that moves a date by a literal amount: "16y", "3mo", "-1d"."""
COUNTS = (0, 1, 2)
"""Numbers that count things (the first, the second review) rather than measure time."""


def _mentioned(folder: Path, key: str, field: str | None = None) -> set[str]:
    found: set[str] = set()
    for path in folder.glob("*.yaml"):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get(key, []):
            found.add(entry[field] if field else entry)
    return found


def test_every_duty_has_a_unique_id_a_source_and_a_sentence_naming_its_date():
    ids = [duty.id for duty in DUTIES]
    assert len(ids) == len(set(ids))
    for duty in DUTIES:
        assert duty.source.strip(), duty.id
        assert "{basis}" in duty.explanation, duty.id
        assert duty.evidence and all(record_table(t) for t in duty.evidence), duty.id


def test_every_number_in_a_sentence_comes_from_the_duty_s_own_parameters():
    for unit in (*DUTIES, *ENTITLEMENTS, *GATES):
        text = getattr(unit, "explanation", None) or getattr(unit, "safeguard", "")
        named = {m[1] for m in re.finditer(r"\{([a-z_]+\.[a-z0-9_]+)(?::n)?\}", text)}
        assert named <= set(unit.parameters), (unit.id, named - set(unit.parameters))
        for name in unit.parameters:
            parameter(name)  # raises KeyError for a parameter that does not exist
        # "section 20" names a provision; any other digit would be a number of the law.
        bare = re.sub(r"\{[^}]*\}|section \d+", "", text)
        assert not re.search(r"\d", bare), (unit.id, "a number typed into the sentence")


def test_duties_are_in_force_from_the_day_their_law_is():
    first = {duty.id: duty.in_force_from for duty in DUTIES}
    assert first["review.first"] == date(2011, 4, 1)
    assert first["missing.return_interview"] == date(2014, 1, 1)
    assert not [d for d in DUTIES if d.in_force_on(date(2011, 3, 31))]


def test_every_duty_is_pinned_down_by_a_scenario_that_expects_it():
    assert {d.id for d in DUTIES} <= _mentioned(SCENARIOS, "expect", "duty")


def test_every_entitlement_is_pinned_down_by_a_scenario():
    assert {e.id for e in ENTITLEMENTS} <= _mentioned(SCENARIOS, "entitlements", "entitlement")


def test_every_gate_has_a_source_and_a_case_that_needs_it():
    assert {g.id for g in GATES} <= _mentioned(DECISIONS, "needs")
    assert all(g.source.strip() and g.safeguard.strip() for g in GATES)


def _literals(path: Path) -> list[str]:
    """Numbers and date offsets typed into a module, as "file:line value"."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("timedelta", "relativedelta"):
            found.append(f"{path.name}:{node.lineno} {node.id}")
        if not isinstance(node, ast.Constant):
            continue
        value = node.value
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if (number and value not in COUNTS) or (isinstance(value, str) and OFFSET.match(value)):
            found.append(f"{path.name}:{node.lineno} {value!r}")
    return found


def test_no_number_of_the_law_is_typed_into_the_duties_code():
    found = [hit for path in sorted(CODE.glob("*.py")) for hit in _literals(path)]
    assert found == []
