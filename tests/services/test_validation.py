"""Checking a return through the service: what is read, and the findings folder."""

import polars as pl

from carematters.services.records import write_sample
from carematters.services.validation import check, read_inputs
from carematters.ssda903.formats import Format
from carematters.ssda903.years import CollectionYear
from tests.validation.test_command import OUTPUTS

YEAR = CollectionYear.parse("2024-25")


def test_a_list_that_cannot_be_read_is_a_problem_and_a_list_not_given_is_none(tmp_path):
    write_sample(10, YEAR, 2, Format.CSV, tmp_path / "return")
    given = read_inputs(
        tmp_path / "return",
        YEAR,
        None,
        {"postcodes": tmp_path / "missing.csv", "ofsted_providers": None},
    )
    assert given.this.tables["header"].height == 10
    assert given.previous is None
    assert given.lists == {}
    assert [p.file for p in given.list_problems] == ["missing.csv"]


def test_the_findings_folder_holds_every_failing_row_and_every_rule(tmp_path):
    write_sample(30, YEAR, 2, Format.CSV, tmp_path / "return")
    given = read_inputs(tmp_path / "return", YEAR, None, {})
    checked = check(given, "202", "return/", tmp_path / "findings")
    assert sorted(p.name for p in (tmp_path / "findings").iterdir()) == OUTPUTS
    errors = pl.read_csv(tmp_path / "findings" / "errors.csv", infer_schema=False)
    rules = pl.read_csv(tmp_path / "findings" / "summary.csv", infer_schema=False)
    assert errors.height == checked.validation.findings.height
    assert rules.height == checked.rules.height >= len(checked.validation.ran) > 100
    assert checked.failing == rules.filter(pl.col("STATUS") == "fails").height
    assert "return/" in (tmp_path / "findings" / "index.html").read_text("utf-8")
