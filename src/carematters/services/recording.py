"""Checking an entry before it is saved: the SSDA903 rules a change to one child's record
would break (WEB.md, "Entry that prevents errors").

A form builds the child's record as it would be with the entry (`after`) beside the
record as it is (`before`); both are cut into the return of the collection year the
entry falls in (and the year before, for the rules that compare), and every rule of
that year that can run is run on each. What fails after and did not before is what the
entry would break: a performance officer should find nothing at year end that the form
could have caught, and a fault already in the record is not blamed on the new entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from carematters.records.extract import extract_return
from carematters.records.record import Record
from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Context, Return
from carematters.validation.engine import validate
from carematters.validation.rule import FIRST_RULE_YEAR
from carematters.validation.rulesets import LAST_RULE_YEAR, ruleset


@dataclass(frozen=True)
class Breach:
    """A rule the entry would break: DfE's code and message, and the return's table and
    fields the rule looks at."""

    code: str
    message: str
    table: str
    fields: tuple[str, ...]


def collection_year_of(day: date) -> CollectionYear:
    """The SSDA903 collection year (1 April to 31 March) that `day` falls in."""
    return CollectionYear(day.year if day.month >= 4 else day.year - 1)


def rules_broken(
    before: Record, after: Record, day: date, la_code: str | None = None
) -> list[Breach]:
    """The rules of the collection year `day` falls in that fail on `after` more often
    than on `before` (each table's failing rows counted by rule), in the order of the
    rules' codes. Both records are one child's (or a few children's): the same children,
    every year of their history, so last year's return can be cut from them too.
    `la_code` is the authority's DfE code, for the rules that need it. A day in a year no
    rule set covers (before 2023-24, or after the latest) gives no breaches: carematters
    has no rules to check it by; nor does a change only to tables no rule looks at."""
    year = collection_year_of(day)
    if year < FIRST_RULE_YEAR or year > LAST_RULE_YEAR:
        return []
    changed = {
        name
        for name in after.held | before.held
        if not after.table(name).equals(before.table(name))
    }
    # Only the rules that look at a changed table can fail because of the change; a
    # visit or a plan (tables the return does not have) is checked by none.
    concerned = {code for code, rule in ruleset(year).items() if changed & set(rule.tables)}
    if not concerned:
        return []
    was = _failing(before, year, la_code, concerned)
    now = _failing(after, year, la_code, concerned)
    added = now.join(was, on=["CODE", "TABLE"], how="left", suffix="_BEFORE").filter(
        pl.col("ROWS") > pl.col("ROWS_BEFORE").fill_null(0)
    )
    rules = ruleset(year)
    return [
        Breach(code, rules[code].message, table, rules[code].fields)
        for code, table in added.sort("CODE", "TABLE").select("CODE", "TABLE").iter_rows()
    ]


def _failing(
    record: Record, year: CollectionYear, la_code: str | None, rules: set[str]
) -> pl.DataFrame:
    """How many rows of each table fail each of `rules` (CODE, TABLE, ROWS) on the return
    for `year` cut from `record`, with last year's cut from it too."""
    tables = record.tables()
    last_year = CollectionYear(year.start_year - 1)
    context = Context(
        this=Return(year, extract_return(tables, year)),
        previous=Return(last_year, extract_return(tables, last_year)),
        la_code=la_code,
    )
    return validate(context, only=rules).findings.group_by("CODE", "TABLE").agg(ROWS=pl.len())
