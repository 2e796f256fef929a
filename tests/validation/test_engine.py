"""The engine around the rules: rows flagged by many rules on one table are picked out
together, and a rule whose flag cannot be worked out on a return is its own crash, not
the table's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from carematters.ssda903.years import CollectionYear
from carematters.validation import engine
from carematters.validation.context import Context, Return
from carematters.validation.rule import Failures
from carematters.validation.rulesets import ruleset

YEAR = CollectionYear(2024)
HEADER = pl.DataFrame(
    {
        "CHILD": ["C1", "C2", "C3"],
        "SEX": ["M", "Q", "F"],  # Q is no sex code (rule 101)
        "DOB": [date(2010, 1, 1), None, date(2011, 2, 2)],  # a blank date of birth (102)
        "ETHNIC": ["WBRI", "WBRI", "WBRI"],
        "UPN": ["UN1", "UN1", "UN1"],
    }
)


def _context() -> Context:
    return Context(this=Return(YEAR, {"header": HEADER}))


def test_rules_flagging_the_same_table_each_find_their_own_rows():
    found = engine.validate(_context(), only={"101", "102"}).findings
    assert found.select("CODE", "CHILD", "ROW").rows() == [("101", "C2", 3), ("102", "C2", 3)]


def test_a_flag_that_cannot_be_worked_out_is_that_rules_crash(monkeypatch: pytest.MonkeyPatch):
    rules = ruleset(YEAR)

    def faulty(context: Context) -> Failures:
        return context.failing("header", pl.col("NO_SUCH_COLUMN") == "1")

    patched = {**rules, "102": replace(rules["102"], check=faulty)}
    monkeypatch.setattr(engine, "ruleset", lambda _year: patched)
    result = engine.validate(_context(), only={"101", "102"})
    assert list(result.crashed) == ["102"]
    assert "NO_SUCH_COLUMN" in result.crashed["102"]
    assert [rule.code for rule in result.ran] == ["101"]
    assert result.findings["CODE"].to_list() == ["101"]
