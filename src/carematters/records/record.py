"""One typed care record: every table of the schema, conformed, by name.

Duties, indicators and the web read a `Record`, never a loose dict of frames: each
table has every column the schema (`carematters.records.schema`) gives it, an absent
table is an empty one, and `holds` still tells "the record does not keep visits at all"
(a plain SSDA903 import) apart from "no visit was made" (an empty table). One child's or
one caseload's record is cut with `for_children`, so work for a few children is done on
their rows only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np
import polars as pl

from carematters.records.schema import RECORD_TABLES, record_table
from carematters.ssda903.write_csv import conform


@dataclass(frozen=True)
class Record:
    """A care record: one conformed frame per table of the schema (names and columns as
    in `RECORD_TABLES`), and which tables the record actually held (`held`)."""

    header: pl.DataFrame
    episodes: pl.DataFrame
    reviews: pl.DataFrame
    uasc: pl.DataFrame
    oc2: pl.DataFrame
    oc3: pl.DataFrame
    ad1: pl.DataFrame
    placed_for_adoption: pl.DataFrame
    previous_permanence: pl.DataFrame
    missing: pl.DataFrame
    sw_episodes: pl.DataFrame
    dolo: pl.DataFrame
    visits: pl.DataFrame
    health_assessments: pl.DataFrame
    peps: pl.DataFrame
    care_plans: pl.DataFrame
    pathway_plans: pl.DataFrame
    pa_contacts: pl.DataFrame
    iro: pl.DataFrame
    return_interviews: pl.DataFrame
    people: pl.DataFrame
    held: frozenset[str]

    @classmethod
    def of(cls, tables: Mapping[str, pl.DataFrame]) -> Record:
        """A record of the given tables (any subset of the schema's; columns not given
        are blank). Raises KeyError for a table the record has no place for, and
        TypeError for a column of the wrong type (see `conform`)."""
        unknown = sorted(name for name in tables if record_table(name) is None)
        if unknown:
            raise KeyError(f"not tables of the care record: {', '.join(unknown)}")
        conformed = {t.name: conform(tables.get(t.name), t.columns) for t in RECORD_TABLES}
        return cls(**conformed, held=frozenset(tables))

    def holds(self, name: str) -> bool:
        """Whether the record keeps the table at all (an empty table counts)."""
        return name in self.held

    def table(self, name: str) -> pl.DataFrame:
        """The table called `name`; KeyError if the schema has none."""
        if record_table(name) is None:
            raise KeyError(f"the care record has no table called {name}")
        frame: pl.DataFrame = getattr(self, name)
        return frame

    def knows(self, child: str) -> bool:
        """Whether the record has a Header row or an episode for `child`."""
        return any(
            frame.get_column("CHILD").eq(child).any() for frame in (self.header, self.episodes)
        )

    def tables(self) -> dict[str, pl.DataFrame]:
        """The tables the record holds, by name, as a saved record directory has them."""
        return {t.name: self.table(t.name) for t in RECORD_TABLES if t.name in self.held}

    @cached_property
    def _by_child(self) -> dict[str, pl.DataFrame]:
        """Each table's rows with a CHILD, sorted by it (in their own order within a
        child), made on the first cut so later cuts find a child by binary search
        instead of reading every row."""
        return {
            f.name: getattr(self, f.name).drop_nulls("CHILD").sort("CHILD", maintain_order=True)
            for f in fields(self)
            if f.name != "held"
        }

    def for_children(self, children: Iterable[str] | pl.Series) -> Record:
        """The record of just these children (by CHILD): every table cut to their rows
        (grouped by child, each child's in the table's order), the same tables held."""
        wanted = pl.Series("CHILD", sorted(set(children)), dtype=pl.String)
        cut = {name: _rows_of(frame, wanted) for name, frame in self._by_child.items()}
        return Record(**cut, held=self.held)


def _rows_of(frame: pl.DataFrame, wanted: pl.Series) -> pl.DataFrame:
    """The rows of `frame` (sorted by CHILD) whose CHILD is in `wanted` (sorted),
    found by binary search: each child's rows are one run, from the first row with
    their CHILD to the row after their last."""
    if frame.is_empty():  # most of a page's record: nothing to cut
        return frame
    keys = frame.get_column("CHILD")
    first = keys.search_sorted(wanted, side="left").to_numpy().astype(np.int64)
    lengths = keys.search_sorted(wanted, side="right").to_numpy().astype(np.int64) - first
    # The row numbers of every run, end to end, without a loop over the children: each
    # run's rows counted from 0 across all runs, moved on to where that run starts.
    before = np.cumsum(lengths) - lengths
    rows = np.arange(lengths.sum(), dtype=np.int64) + np.repeat(first - before, lengths)
    cut: pl.DataFrame = frame[rows]
    return cut
