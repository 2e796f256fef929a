"""What every duty asks first, worked out once per question: who is looked after on the
day, in which period of care and placement, and who is a care leaver of which kind.

A `Situation` is the record and the day asked about, with the law's numbers as they
stood that day. The frames duties share (periods of care, who is in care, who is a
care leaver) are worked out once, on first use, and handed on lazily; each duty is a
small lazy query on them, and the engine runs them all together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Literal

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.parameters import Parameters, parameters
from carematters.queries import collect
from carematters.records.periods import open_on, periods_of_care
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group

Whom = Literal["children in care", "children on short breaks", "care leavers"]
"""Those to whom a duty can be owed."""
_EVENTS = pl.Schema({"CHILD": pl.String(), "EVENT": pl.Date()})


class Situation:
    """The record, the day (`as_at`) and the parameters in force on it (`p`)."""

    def __init__(self, record: Record, as_at: date) -> None:
        self.record = record
        self.as_at = as_at
        self.p: Parameters = parameters(as_at)
        self._shared: dict[str, pl.LazyFrame] = {}

    def table(self, name: str) -> pl.LazyFrame:
        """The record's table `name`, lazily."""
        return self.record.table(name).lazy()

    @cached_property
    def periods(self) -> pl.LazyFrame:
        """Every episode with PERIOD_START, PLACEMENT_START (`periods_of_care`) and the
        child's DOB from the Header."""
        return collect(with_birth(periods_of_care(self.table("episodes")), self.record)).lazy()

    @property
    def in_care(self) -> pl.LazyFrame:
        """The episode of each child looked after on the day, other than on agreed short
        breaks (whose reviews follow CPPCR 2010 reg 48, and who have no care plan, visits
        or health assessments under it), and under the age of adulthood (CA89 s105: no
        one is looked after as a child from their 18th birthday). Columns as `periods`."""
        return self._in_care.lazy()

    @cached_property
    def _in_care(self) -> pl.DataFrame:
        adult = birthday(pl.col("DOB"), self.p["ages.adulthood"].number)
        short_breaks = code_group("legal_status", "short_breaks")
        in_care = open_on(self.periods, self.as_at).filter(
            ~pl.col("LS").is_in(short_breaks) & (adult > self.as_at).fill_null(value=True)
        )
        return collect(in_care)

    @property
    def leavers(self) -> pl.LazyFrame:
        """Every care leaver on the day, of every kind (see `leavers.leaving_care_status`);
        none on a day before the law that defines them was in force."""
        return self._leavers.lazy()

    @cached_property
    def _leavers(self) -> pl.DataFrame:
        from carematters.duties.leavers import (  # noqa: PLC0415 (a cycle)
            PARAMETERS,
            SCHEMA,
            leaving_care_status,
        )

        if not self.p.in_force(PARAMETERS):
            return pl.DataFrame(schema=SCHEMA)
        return collect(leaving_care_status(self))

    def anyone(self, whom: Whom) -> bool:
        """Whether the record has anyone on the day to whom duties of this kind can be
        owed: a child in care, a care leaver (or one recently), a child who has had a
        short break."""
        if whom == "children in care":
            return not self._in_care.is_empty()
        if whom == "care leavers":
            # Every kind of care leaver is 16 or over: a record of younger children only
            # (most caseloads' single child) need not work out who left care how.
            sixteen = birthday(pl.col("DOB"), self.p["leaving_care.eligible_from_age"].number)
            reached = self.record.header.select((sixteen <= self.as_at).any()).item()
            return bool(reached) and not self._leavers.is_empty()
        short_breaks = code_group("legal_status", "short_breaks")
        return self.record.episodes.get_column("LS").is_in(short_breaks).any()

    def shared(self, name: str, build: Callable[[], pl.LazyFrame]) -> pl.LazyFrame:
        """A frame several duties start from (the reviews of each child's current period
        of care, say), worked out the first time one asks for it and kept for the rest."""
        if name not in self._shared:
            self._shared[name] = collect(build()).lazy()
        return self._shared[name]

    def holds(self, table: str) -> bool:
        """Whether the record keeps the table at all."""
        return self.record.holds(table)

    def events(self, table: str, column: str, kinds: tuple[str, ...] = ()) -> pl.LazyFrame:
        """Events from a record table as CHILD, EVENT (a Date), only of the given KINDs
        where some are named; undated rows are left out."""
        frame = self.table(table)
        if kinds:
            frame = frame.filter(pl.col("KIND").is_in(kinds))
        return frame.select("CHILD", EVENT=column).drop_nulls().cast(_EVENTS)


def with_birth(frame: pl.LazyFrame, record: Record) -> pl.LazyFrame:
    """`frame` (with CHILD) and each child's DOB from the Header (the first row if a
    child has two)."""
    births = record.header.lazy().select("CHILD", "DOB").unique("CHILD", keep="first")
    return frame.join(births, on="CHILD", how="left")
