"""Each collection year's rule set, built as DfE publishes it: last year's rules, plus
the rules added or changed this year, minus those deleted.

A rule version says the year it first applies (`since`) and, when DfE deleted or
replaced it, the last year it applied (`until`); the overlay below is built from those,
so a year's changes are read in one place: the rule modules themselves.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from carematters.ssda903.years import CollectionYear
from carematters.validation import rules as rule_modules
from carematters.validation.rule import FIRST_RULE_YEAR, RULES, Rule

LAST_RULE_YEAR = CollectionYear(2026)


@dataclass(frozen=True)
class Changes:
    """How one year's rule set differs from the year before's."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    deleted: tuple[str, ...]


def _load() -> list[Rule]:
    """Every rule module, imported once, so each rule has registered itself."""
    for module in pkgutil.iter_modules(rule_modules.__path__):
        importlib.import_module(f"{rule_modules.__name__}.{module.name}")
    return RULES


def changes(year: CollectionYear) -> Changes:
    """The rules DfE added, changed and deleted for `year`."""
    every = _load()
    starting = {r.code for r in every if r.since == year}
    before = {r.code for r in every if r.applies_in(CollectionYear(year.start_year - 1))}
    ended = {r.code for r in every if r.until == CollectionYear(year.start_year - 1)}
    return Changes(
        added=tuple(sorted(starting - before)),
        changed=tuple(sorted(starting & before)),
        deleted=tuple(sorted(ended - starting)),
    )


def ruleset(year: CollectionYear) -> dict[str, Rule]:
    """The rules of `year`, by code: the year before's, overlaid with this year's changes."""
    if year < FIRST_RULE_YEAR or year > LAST_RULE_YEAR:
        raise LookupError(
            f"there are rules for {FIRST_RULE_YEAR} to {LAST_RULE_YEAR}, not for {year}"
        )
    every = _load()
    if year == FIRST_RULE_YEAR:
        return {r.code: r for r in every if r.since == year}
    rules = ruleset(CollectionYear(year.start_year - 1))
    for code in changes(year).deleted:
        del rules[code]
    rules |= {r.code: r for r in every if r.since == year}
    return rules
