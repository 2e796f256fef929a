"""SQL that Django builds once and a page runs many times: for a page's few rows, building
a query costs more than running it. A statement is built with stand-ins (`mark`) where
the values that change from one run to the next go (a child's id, a list of them), so
that their places among the parameters can be found; each run puts the values there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


def mark(number: int) -> str:
    """The stand-in for the `number`th value a statement is run with. No CHILD id, nor
    any other value a page puts in, holds a NUL."""
    return f"\x00value {number}\x00"


@dataclass(frozen=True)
class Statement:
    """SQL whose parameters are `fixed`, with a run's values put in at `slots`, in order."""

    sql: str
    fixed: tuple[Any, ...]
    slots: tuple[int, ...]

    def params(self, values: Sequence[Any]) -> list[Any]:
        """The parameters to run it with `values` (as many as it has slots)."""
        params = list(self.fixed)
        for value, slot in zip(values, self.slots, strict=True):
            params[slot] = value
        return params


def statement_of(rows: QuerySet[Any, Any], marks: Sequence[str]) -> Statement:
    """The statement of `rows`, a query built with `marks` (`mark(0)`, `mark(1)`, ...)
    where its values go. Raises AssertionError unless each mark is a parameter once, in
    order (a mark Django copied, or folded into other SQL, would leave a value unset),
    and Django's EmptyResultSet for a query that can match nothing."""
    sql, params = rows.query.sql_with_params()
    wanted = set(marks)
    slots = tuple(i for i, value in enumerate(params) if isinstance(value, str) and value in wanted)
    if [params[i] for i in slots] != list(marks):
        raise AssertionError(f"the values' places are not one each, in order, in {sql}")
    return Statement(sql, tuple(params), slots)
