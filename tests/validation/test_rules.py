"""Each rule on its scenarios: exactly the rows marked `fails` are found, no more."""

from __future__ import annotations

import pytest

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.years import CollectionYear
from carematters.validation.engine import validate
from carematters.validation.rule import FIRST_RULE_YEAR, Rule
from carematters.validation.rulesets import LAST_RULE_YEAR, ruleset
from tests.validation.scenarios import FOLDER, Case, all_cases

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}: {c.why}")
def test_the_rule_finds_exactly_the_rows_marked(case: Case) -> None:
    rule = ruleset(case.context.year)[case.code]
    found = {
        (table, row)
        for table, rows in rule.check(case.context).items()
        for row in case.context.rows(table, rows)[ROW_COLUMN].to_list()
    }
    assert found == case.expected


def test_the_validator_reports_the_rows_with_child_and_message() -> None:
    case = next(c for c in CASES if c.expected)
    result = validate(case.context, only={case.code})
    assert result.findings.height == len(case.expected)
    assert set(result.findings["CODE"]) == {case.code}
    assert result.findings["MESSAGE"].null_count() == 0


YEARS = [
    CollectionYear(y) for y in range(FIRST_RULE_YEAR.start_year, LAST_RULE_YEAR.start_year + 1)
]


@pytest.mark.parametrize("year", YEARS, ids=str)
def test_every_rule_has_scenarios_that_fail_and_pass_and_says_why(year: CollectionYear) -> None:
    tested = {c.code for c in CASES}
    failing = {c.code for c in CASES if c.expected}
    for code, rule in ruleset(year).items():
        assert (FOLDER / f"{code}.yaml").exists(), f"rule {code} has no scenario file"
        assert code in tested and code in failing, f"rule {code} needs a failing case"
        assert rule.explanation, f"rule {code} needs a docstring saying why it exists"


def test_a_rule_that_fails_on_a_return_is_reported_crashed_and_the_rest_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = next(c for c in CASES if c.code == "101" and c.expected)

    def broken(context: object) -> dict[str, object]:
        """Stands in for a rule with a fault in it."""
        raise ZeroDivisionError("division by zero")

    faulty = Rule("X1", "A rule with a fault.", ("header",), ("SEX",), broken)
    rules = {"X1": faulty, "101": ruleset(case.context.year)["101"]}
    monkeypatch.setattr("carematters.validation.engine.ruleset", lambda year: rules)
    result = validate(case.context)
    assert "crashed on this return (ZeroDivisionError" in result.crashed["X1"]
    assert "X1" not in result.skipped  # a crash is not a rule left out for want of input
    assert [rule.code for rule in result.ran] == ["101"]
    assert set(result.findings["CODE"]) == {"101"}
