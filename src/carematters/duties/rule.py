"""What a duty is: the parts every statutory duty in carematters carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from carematters.parameters import PLACEHOLDER, parameter, parameters

if TYPE_CHECKING:
    from carematters.duties.situation import Situation

DUTY_COLUMNS = ("CHILD", "DUE_DATE", "LAST_DONE", "DONE", "BASIS", "LAPSES", "DETAIL")
"""What a duty's rule returns, one row per child owed it: when it falls due, when it
was last done (if ever), whether this occurrence is done, the date the explanation
names (BASIS), the last day it could still be done (LAPSES; null if it never lapses:
after that day an undone duty is history, "missed", not work to do), and words for the
child's own case where the sentence has `{detail}` (DETAIL)."""


@dataclass(frozen=True)
class Duty:
    """One statutory duty: id, source, the parameters that set its numbers, the record
    tables that show it done, the sentence users read, and its rule.

    `explanation` names parameters as `{reviews.first}` (filled in with their value on
    the day asked about), the child's own date as `{basis}` (dd/mm/yyyy) and, where the
    rule words it per child, `{detail}`. The duty is
    in force on a day when every one of its `parameters` has a value then: the law that
    sets its timescales is in force. `evidence` names the record tables whose rows show
    the duty done; a record that does not keep one of them at all (a plain SSDA903
    import has no visits table) cannot say, so the duty is "not recorded" there.
    """

    id: str
    source: str
    explanation: str
    rule: Callable[[Situation], pl.LazyFrame]
    parameters: tuple[str, ...]
    evidence: tuple[str, ...]

    def in_force_on(self, day: date) -> bool:
        """Whether the duty applies on `day`."""
        return parameters(day).in_force(self.parameters)

    @property
    def in_force_from(self) -> date:
        """The first day every parameter the duty needs had a value."""
        return max(parameter(name).first_day for name in self.parameters)

    def named_parameters(self) -> set[str]:
        """The parameters the explanation names."""
        return {match[1] for match in PLACEHOLDER.finditer(self.explanation)}
