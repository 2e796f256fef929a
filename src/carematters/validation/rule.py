"""One validation rule: DfE's code and message, the tables and fields it looks at, the
collection years it is part of, and the check itself.

A check is a function of the return (a `Context`) that gives, for each table it finds
fault in, the rows at fault. Checks work on whole tables with Polars expressions, never
row by row, so a national-sized return is checked in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from carematters.ssda903.years import CollectionYear

if TYPE_CHECKING:
    from carematters.validation.context import Context


@dataclass(frozen=True)
class Flagged:
    """The rows of a table that `mask` (an expression over the table's own columns, true
    for a failing row) picks out, not yet picked: the engine picks out every rule's rows
    of one table in a single pass over it, not one pass for each rule."""

    mask: pl.Expr


Failures = dict[str, "pl.DataFrame | Flagged"]
"""For each table a rule finds fault in, its failing rows (at least the `_ROW` column),
or the mask that flags them in the table (`Context.failing`)."""
Check = Callable[["Context"], Failures]

FIRST_RULE_YEAR = CollectionYear(2023)
"""The first collection year the rule sets cover (2023-24)."""
SOURCE = "DfE, SSDA903 children looked after return: validation rules"


@dataclass(frozen=True)
class Rule:
    """One of DfE's rules, in the form it takes from `since` (and until `until`, if
    DfE later deleted or changed it)."""

    code: str
    message: str
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    check: Check
    since: CollectionYear = FIRST_RULE_YEAR
    until: CollectionYear | None = None
    needs: tuple[str, ...] = ()
    """What the rule cannot run without, beyond this year's return: "previous" (last
    year's return), "la_code" (the authority's code), or a published list by name, such
    as "postcodes" or "ofsted_providers"."""

    @property
    def explanation(self) -> str:
        """Why the rule exists, in a sentence: the check's docstring's first line."""
        return " ".join((self.check.__doc__ or "").strip().split("\n\n")[0].split())

    @property
    def years(self) -> str:
        """The collection years this version of the rule applies in, as a person says them."""
        return f"{self.since} onwards" if self.until is None else f"{self.since} to {self.until}"

    def applies_in(self, year: CollectionYear) -> bool:
        """Whether this version of the rule is part of `year`'s rule set."""
        return self.since <= year and (self.until is None or year <= self.until)


RULES: list[Rule] = []
"""Every version of every rule, as the rule modules define them."""


def rule(
    code: str,
    message: str,
    *,
    tables: tuple[str, ...],
    fields: tuple[str, ...],
    since: str | None = None,
    until: str | None = None,
    needs: str | tuple[str, ...] = (),
) -> Callable[[Check], Check]:
    """Register the decorated check as DfE's rule `code`."""

    def register(check: Check) -> Check:
        RULES.append(
            Rule(
                code=code,
                message=message,
                tables=tables,
                fields=fields,
                check=check,
                since=CollectionYear.parse(since) if since else FIRST_RULE_YEAR,
                until=CollectionYear.parse(until) if until else None,
                needs=(needs,) if isinstance(needs, str) else needs,
            )
        )
        return check

    return register
