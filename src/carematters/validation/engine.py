"""Running a year's rules over a return: every failing row, named by child, table, row,
fields, rule code and DfE's message, in one table."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.context import Context
from carematters.validation.rule import Rule
from carematters.validation.rulesets import ruleset

FINDING_SCHEMA = {
    "CHILD": pl.String,
    "TABLE": pl.String,
    "ROW": pl.Int64,
    "FIELDS": pl.String,
    "CODE": pl.String,
    "MESSAGE": pl.String,
}


@dataclass
class Validation:
    """What the validator found: failing rows; the rules that ran to the end; those not
    run for want of an input, and why (`skipped`); and those that crashed on this return,
    with the fault (`crashed`), kept apart since a crash, unlike a missing input, leaves
    the return unchecked by that rule through no choice of the person running it."""

    findings: pl.DataFrame
    ran: list[Rule] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    crashed: dict[str, str] = field(default_factory=dict)


def _missing_input(rule: Rule, context: Context) -> str | None:
    """Why `rule` cannot run on what it was given, or None if it can."""
    missing = []
    for need in rule.needs:
        if need == "previous" and context.previous is None:
            missing.append("last year's return (--previous)")
        elif need == "la_code" and context.la_code is None:
            missing.append("the authority's code (--la-code)")
        elif need not in {"previous", "la_code"} and need not in context.lists:
            missing.append(f"the published list {need} (--{need.replace('_', '-')})")
    return f"needs {' and '.join(missing)}" if missing else None


def _findings(rule: Rule, context: Context) -> list[pl.DataFrame]:
    """The rule's failing rows, named as the findings table names them."""
    found = []
    for table, rows in rule.check(context).items():
        if rows.is_empty():
            continue
        child = rows["CHILD"] if "CHILD" in rows.columns else pl.lit(None, pl.String)
        found.append(
            rows.select(
                CHILD=child,
                TABLE=pl.lit(table),
                ROW=pl.col(ROW_COLUMN),
                FIELDS=pl.lit(", ".join(rule.fields)),
                CODE=pl.lit(rule.code),
                MESSAGE=pl.lit(rule.message),
            ).unique(maintain_order=True)
        )
    return found


def _outcome(rule: Rule, context: Context) -> tuple[list[pl.DataFrame], str | None]:
    """The rule's findings; or, if the rule itself fails on this return, none and why, so
    one faulty rule costs a performance officer that rule, not the whole validation."""
    try:
        return _findings(rule, context), None
    except Exception as error:  # any fault in one rule is reported, never raised
        return [], f"crashed on this return ({type(error).__name__}: {error})"


def validate(context: Context, only: set[str] | None = None) -> Validation:
    """Every rule of the return's year (or only those named) that can run, run: several
    at a time, one per processor, since Polars does its work outside Python's lock."""
    rules = [r for code, r in ruleset(context.year).items() if only is None or code in only]
    result = Validation(findings=pl.DataFrame(schema=FINDING_SCHEMA))
    for rule in rules:
        reason = _missing_input(rule, context)
        if reason is None:
            result.ran.append(rule)
        else:
            result.skipped[rule.code] = reason
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        outcomes = list(pool.map(lambda r: _outcome(r, context), result.ran))
    parts = [part for found, _ in outcomes for part in found]
    result.crashed = {
        rule.code: why for rule, (_, why) in zip(result.ran, outcomes, strict=True) if why
    }
    result.ran = [rule for rule in result.ran if rule.code not in result.crashed]
    if parts:
        result.findings = (
            pl.concat(parts).cast(FINDING_SCHEMA).sort("TABLE", "ROW", "CODE")  # type: ignore[arg-type]
        )
    return result
