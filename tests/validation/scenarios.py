"""Rule scenarios: small returns written as YAML a performance officer can read, with
the rows each rule must find marked `fails: true`, and why.

    rule: "101"
    cases:
      - why: M and F are codes for sex from 2023-24; X is not one
        year: 2024-25               # optional: 2024-25 unless said
        header:
          - {CHILD: "1", SEX: M}
          - {CHILD: "2", SEX: X, fails: true}
        last_year:                  # optional: last year's return, same form
          header: [...]
        la_code: "999"              # optional: the authority's code
        lists:                      # optional: published lists, by name, as rows
          postcodes: [{POSTCODE: ZZ1 1AA, LA: "999"}]

Values are written as in the return's CSV (dates dd/mm/yyyy), and are read with the
same code that reads a return, so an unreadable date behaves as it would in a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from carematters.ssda903.convert import Source, type_frame
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.tables import TABLES
from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Context, Return

FOLDER = Path(__file__).parent / "rules"
DEFAULT_YEAR = "2024-25"
CASE_KEYS = frozenset({"why", "year", "last_year", "la_code", "lists"})


@dataclass(frozen=True)
class Case:
    """One scenario of one rule: the return, and the rows (table, file row) that fail."""

    code: str
    why: str
    context: Context
    expected: frozenset[tuple[str, int]]


def _return(tables: dict[str, list[dict[str, Any]]], year: CollectionYear) -> Return:
    frames, rows, problems = {}, {}, []
    for name, given in tables.items():
        table = next(t for t in TABLES if t.name == name)
        raw = pl.DataFrame(
            [
                {k: None if v is None else str(v) for k, v in row.items() if k != "fails"}
                for row in given
            ],
            schema=dict.fromkeys({k for row in given for k in row if k != "fails"}, pl.String),
        ).with_columns(pl.Series(ROW_COLUMN, range(2, len(given) + 2), dtype=pl.Int64))
        typed, found = type_frame(raw, table.columns_in(year), Source(f"{name}.csv", table, year))
        frames[name] = typed.drop(ROW_COLUMN)
        rows[name] = typed[ROW_COLUMN]
        problems += found
    return Return(year=year, tables=frames, rows=rows, problems=problems)


def _failing(tables: dict[str, list[dict[str, Any]]]) -> frozenset[tuple[str, int]]:
    return frozenset(
        (name, index + 2)
        for name, given in tables.items()
        for index, row in enumerate(given)
        if row.get("fails")
    )


def cases(path: Path) -> list[Case]:
    """Every case in one rule's scenario file."""
    spec = yaml.safe_load(path.read_text("utf-8"))
    found = []
    for case in spec["cases"]:
        year = CollectionYear.parse(str(case.get("year", spec.get("year", DEFAULT_YEAR))))
        tables = {k: v for k, v in case.items() if k not in CASE_KEYS}
        last = case.get("last_year")
        before = _return(last, CollectionYear(year.start_year - 1)) if last is not None else None
        lists = {
            name: pl.DataFrame(rows, infer_schema_length=None)
            for name, rows in case.get("lists", {}).items()
        }
        context = Context(
            this=_return(tables, year), previous=before, la_code=case.get("la_code"), lists=lists
        )
        found.append(Case(str(spec["rule"]), case["why"], context, _failing(tables)))
    return found


def all_cases() -> list[Case]:
    return [case for path in sorted(FOLDER.glob("*.yaml")) for case in cases(path)]
