"""Running a year's rules over a return: every failing row, named by child, table, row,
fields, rule code and DfE's message, in one table."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.validation.context import Context
from carematters.validation.rule import Failures, Flagged, Rule
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


def _checked(rule: Rule, context: Context) -> tuple[Failures, str | None]:
    """What the rule finds; or, if the rule itself fails on this return, nothing and why,
    so one faulty rule costs a performance officer that rule, not the whole validation."""
    try:
        return rule.check(context), None
    except Exception as error:  # any fault in one rule is reported, never raised
        return {}, _crash(error)


def _crash(error: Exception) -> str:
    return f"crashed on this return ({type(error).__name__}: {error})"


def _flagged_rows(
    context: Context, table: str, masks: dict[int, pl.Expr]
) -> tuple[pl.DataFrame, dict[int, str]]:
    """The rows of `table` that each of `masks` (by rule number) flags, found in one pass
    over the table: (_RULE, CHILD, ROW, TABLE) per flagged row; and the rules whose mask
    could not be worked out on this return, with why."""
    frame = context.table(table)
    child = pl.col("CHILD") if "CHILD" in frame.columns else pl.lit(None, pl.String)
    # Beside the table's own columns, a mask that is a constant (nothing in a column
    # could fail to be read, say) stands for every row.
    keys = [child.alias("CHILD"), pl.col(ROW_COLUMN).alias("ROW")]
    crashed: dict[int, str] = {}
    try:
        flagged = frame.select(*keys, *(mask.alias(str(i)) for i, mask in masks.items()))
    except Exception:  # then one mask at a time, to name the faulty rule
        flagged = frame.select(keys)
        for i, mask in masks.items():
            try:
                flags = frame.select(*keys, mask.alias(str(i))).get_column(str(i))
            except Exception as error:  # any fault in one rule is reported, never raised
                crashed[i] = _crash(error)
            else:
                flagged = flagged.hstack([flags])
    rules = flagged.columns[len(keys) :]
    if not rules:
        return _NO_ROWS.with_columns(TABLE=pl.lit(table)), crashed
    found = (
        # Few rows fail anything: those are picked out first, so that only they are
        # turned into one row per rule.
        flagged.filter(pl.any_horizontal(rules))
        .unpivot(index=["CHILD", "ROW"], variable_name="_RULE", value_name="_FAILS")
        .filter(pl.col("_FAILS"))
        .select(pl.col("_RULE").cast(pl.Int64), "CHILD", "ROW", TABLE=pl.lit(table))
    )
    return found, crashed


_NO_ROWS = pl.DataFrame(schema={"_RULE": pl.Int64, "CHILD": pl.String, "ROW": pl.Int64})


def validate(context: Context, only: set[str] | None = None) -> Validation:
    """Every rule of the return's year (or only those named) that can run, run: several
    at a time, one per processor, since Polars does its work outside Python's lock. The
    rows a rule flags in a table (`Context.failing`, most rules) are picked out with every
    other rule's flags on that table, in one pass over it."""
    rules = [r for code, r in ruleset(context.year).items() if only is None or code in only]
    result = Validation(findings=pl.DataFrame(schema=FINDING_SCHEMA))
    for rule in rules:
        reason = _missing_input(rule, context)
        if reason is None:
            result.ran.append(rule)
        else:
            result.skipped[rule.code] = reason
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        outcomes = list(pool.map(lambda r: _checked(r, context), result.ran))
        flagged: dict[str, dict[int, pl.Expr]] = {}
        parts = []
        for i, (failures, _) in enumerate(outcomes):
            for table, rows in failures.items():
                if isinstance(rows, Flagged):
                    flagged.setdefault(table, {})[i] = rows.mask
                elif not rows.is_empty():
                    child = rows["CHILD"] if "CHILD" in rows.columns else pl.lit(None, pl.String)
                    parts.append(
                        rows.select(
                            _RULE=pl.lit(i, pl.Int64),
                            CHILD=child,
                            ROW=pl.col(ROW_COLUMN),
                            TABLE=pl.lit(table),
                        )
                    )
        # The tables side by side too: Polars works out how to run each pass in the
        # thread asking, a good part of the time for these many small flags.
        picked = list(pool.map(lambda each: _flagged_rows(context, *each), flagged.items()))
    crashed = {i: why for i, (_, why) in enumerate(outcomes) if why}
    for found, faulty in picked:
        crashed |= faulty
        parts.append(found)
    result.crashed = {result.ran[i].code: why for i, why in sorted(crashed.items())}
    if parts:
        about = pl.DataFrame(
            {
                "_RULE": range(len(result.ran)),
                "FIELDS": [", ".join(rule.fields) for rule in result.ran],
                "CODE": [rule.code for rule in result.ran],
                "MESSAGE": [rule.message for rule in result.ran],
            },
            schema={
                "_RULE": pl.Int64,
                "FIELDS": pl.String,
                "CODE": pl.String,
                "MESSAGE": pl.String,
            },
        )
        result.findings = (
            pl.concat(parts, how="diagonal_relaxed")
            .filter(~pl.col("_RULE").is_in(list(crashed)))
            .unique(["_RULE", "TABLE", "ROW", "CHILD"], maintain_order=True)
            .join(about, on="_RULE", how="left")
            .select(FINDING_SCHEMA.keys())
            .cast(FINDING_SCHEMA)  # type: ignore[arg-type]
            .sort("TABLE", "ROW", "CODE")
        )
    result.ran = [rule for i, rule in enumerate(result.ran) if i not in crashed]
    return result
