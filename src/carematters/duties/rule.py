"""What a duty is: the parts every statutory duty in carematters carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

CPPCR_IN_FORCE = date(2011, 4, 1)
"""The Care Planning, Placement and Case Review (England) Regulations 2010 came into force."""
DUE_SOON_DAYS = 14
"""A duty is "due" when its date is within this many days (policy choice, DUTIES.md)."""
DUTY_COLUMNS = ("CHILD", "DUE_DATE", "LAST_DONE", "DONE", "BASIS")
"""What a duty's rule returns: for each child owed it, when it falls due, when it was
last done (if ever), whether this occurrence is done, and the date the explanation
names (BASIS)."""


@dataclass(frozen=True)
class Duty:
    """One statutory duty: id, source, dates in force, explanation and its rule.

    `explanation` is a sentence with `{basis}` and `{due}` in it, filled in per child with
    dates written as DfE and social workers write them (dd/mm/yyyy).
    """

    id: str
    source: str
    explanation: str
    rule: Callable[[dict[str, pl.DataFrame], date], pl.DataFrame]
    in_force_from: date
    in_force_until: date | None = None

    def in_force_on(self, day: date) -> bool:
        """Whether the duty applies on `day`."""
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )
