"""Checking a return against DfE's validation rules: what the validator is given, read,
and its findings written as one folder a performance officer opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from carematters.escapes import bytes_shown
from carematters.files import OutputKind, write_directory_atomically
from carematters.services.people_csv import people_csv
from carematters.ssda903.problems import VALUE_KEPT
from carematters.validation.context import Context
from carematters.validation.engine import validate
from carematters.validation.inputs import read_both
from carematters.validation.lists import read_list
from carematters.validation.outputs import (
    PROBLEMS_FILE,
    by_child,
    page,
    reading_problems,
    summary,
    workbook,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from carematters.ssda903.problems import Problem
    from carematters.ssda903.years import CollectionYear
    from carematters.validation.context import Return
    from carematters.validation.engine import Validation


@dataclass(frozen=True)
class Inputs:
    """What the validator was given, as read: this year's return, last year's (None when
    not given), the outside lists that could be read, and the problems with the lists."""

    this: Return
    previous: Return | None
    lists: dict[str, pl.DataFrame]
    list_problems: list[Problem]


def read_inputs(
    source: Path,
    year: CollectionYear,
    previous: Path | None,
    lists: Mapping[str, Path | None],
) -> Inputs:
    """Read the return for `year` at `source` (a folder of CSV files, an XML file or a
    record directory), last year's at `previous` if given, and the outside lists given
    by name (e.g. "postcodes"; a None path is a list not given)."""
    this, before = read_both(source, year, previous)
    read, problems = {}, []
    for name, path in lists.items():
        if path is None:
            continue
        frame, found = read_list(name, path)
        problems += found
        if frame is not None:
            read[name] = frame
    return Inputs(this, before, read, problems)


@dataclass(frozen=True)
class Checked:
    """What the validator found: the findings, one row per rule (`rules`, with STATUS)
    and one per child (`children`), and every problem reading either return
    (`problems`, see `reading_problems`)."""

    validation: Validation
    rules: pl.DataFrame
    children: pl.DataFrame
    problems: pl.DataFrame

    @property
    def failing(self) -> int:
        """How many rules fail."""
        return self.rules.filter(pl.col("STATUS") == "fails").height

    @property
    def clean(self) -> bool:
        """Whether every value of both returns was read, every rule that could run ran to
        the end, and none failed: only then may a return be called clean. A problem that
        lost nothing (a value read without its spaces, empty spreadsheet columns) is
        reported but does not stop a return being clean."""
        lost = self.problems.filter(~pl.col("KIND").is_in(list(VALUE_KEPT))).height
        return not (self.validation.findings.height or self.validation.crashed or lost)


def check(inputs: Inputs, la_code: str | None, source: str, out: Path) -> Checked:
    """Run every rule of the return's year that can run, and write the findings folder
    `out` at once: errors.csv (every failing row), summary.csv (every rule),
    children.csv, problems.csv (what could not be read, in either return), errors.xlsx
    (the four as sheets) and index.html (naming `source`). The CSV files are made safe to
    open in a spreadsheet (`people_csv`). Raises LookupError when there are no rules for
    the year, and what `write_directory_atomically` raises when `out` may not be replaced."""
    result = validate(
        Context(this=inputs.this, previous=inputs.previous, la_code=la_code, lists=inputs.lists)
    )
    # Each failing row at the place a person finds it: its row (line) and, where rows
    # share a line (XML on one line), the character it starts at.
    result.findings = inputs.this.located(result.findings)
    year = inputs.this.year
    problems = reading_problems(inputs.this, inputs.previous)
    rules = summary(result, year, problems)
    children = by_child(result)
    write_directory_atomically(
        out,
        {
            "errors.csv": people_csv(result.findings),
            "summary.csv": people_csv(rules),
            "children.csv": people_csv(children),
            PROBLEMS_FILE: people_csv(problems),
            "errors.xlsx": workbook(result, rules, children, problems),
            # A path that is not UTF-8 is named with its bytes as \xNN (`bytes_shown`).
            "index.html": page(
                result, rules, children, problems, year=year, source=bytes_shown(source)
            ).encode("utf-8"),
        },
        OutputKind.FINDINGS,
    )
    return Checked(result, rules, children, problems)
