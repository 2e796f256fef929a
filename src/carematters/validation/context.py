"""What a rule sees: this year's return (every table, with every column of the year, and
the row of the file each row came from), last year's if given, the outside lists given,
and which values could not be read at all."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import polars as pl

from carematters.ssda903.codelists import code_group, valid_codes
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.problems import Problem
from carematters.ssda903.tables import TABLES, Table
from carematters.ssda903.write_csv import conform
from carematters.ssda903.years import CollectionYear
from carematters.validation.rule import Failures, Flagged

UNREADABLE = frozenset({"bad-date", "bad-number"})
"""Problems that leave a value empty in the table: a rule asking whether the value is a
valid date or number must still see it as given, and wrong."""


def _table(name: str) -> Table:
    return next(table for table in TABLES if table.name == name)


@dataclass
class Return:
    """One year's return as read: tables, file rows, and values that could not be read."""

    year: CollectionYear
    tables: dict[str, pl.DataFrame]
    rows: dict[str, pl.Series] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def table(self, name: str) -> pl.DataFrame:
        """The table with every column of the year (empty if the return has none) and
        `_ROW`, the row of the file each row came from."""
        frame = conform(self.tables.get(name), _table(name).columns_in(self.year))
        rows = self.rows.get(name)
        if rows is None or rows.len() != frame.height:
            rows = pl.Series(ROW_COLUMN, range(2, frame.height + 2), dtype=pl.Int64)
        # Added beside the year's columns, which never include `_ROW`.
        return frame.hstack([rows.alias(ROW_COLUMN)])

    def unreadable(self, table: str, column: str) -> pl.Expr:
        """Rows (by `_ROW`) of this return's `table` whose `column` held something that
        could not be read as a date or number: given, though empty in the table."""
        rows = self._unreadable.get((table, column))
        if not rows:
            # As for almost every column: a constant, which Polars folds away from the
            # expressions using it (`x | False` is `x`), not a search of every row (whose
            # answer is the same: a table's rows, and the frames rules make of them,
            # always have a `_ROW`).
            return pl.lit(False)
        return pl.col(ROW_COLUMN).is_in(rows)

    @cached_property
    def _unreadable(self) -> dict[tuple[str | None, str | None], list[int | None]]:
        """The file rows of the values that could not be read, by table and column: a
        national return's problems are looked through once, not once for each rule."""
        found: dict[tuple[str | None, str | None], list[int | None]] = {}
        for p in self.problems:
            if p.kind in UNREADABLE:
                found.setdefault((p.table, p.column), []).append(p.row)
        return found


@dataclass
class Context:
    """Everything a check may look at, with the small helpers most rules share."""

    this: Return
    previous: Return | None = None
    la_code: str | None = None
    lists: dict[str, pl.DataFrame] = field(default_factory=dict)
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict)
    _building: dict[str, threading.Lock] = field(default_factory=dict)
    """Rules run in several threads at once; a frame they share is built by one of them,
    while the others go on with rules needing other frames."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def year(self) -> CollectionYear:
        return self.this.year

    @property
    def start(self) -> date:
        """1 April at the start of the collection year."""
        return self.year.start

    @property
    def end(self) -> date:
        """31 March at the end of the collection year."""
        return self.year.end

    def table(self, name: str) -> pl.DataFrame:
        """This year's table `name` (see `Return.table`), read once however many rules ask."""
        return self.derived(name, lambda: self.this.table(name))

    def last_year(self, name: str) -> pl.DataFrame:
        """Last year's table `name`; rules that need it are skipped without it."""
        previous = self.previous
        if previous is None:
            raise LookupError("last year's return was not given")
        return self.derived(f"previous:{name}", lambda: previous.table(name))

    def first_rows(self, name: str, *, last_year: bool = False) -> pl.DataFrame:
        """Each child's first row of this year's table `name` (of last year's, with
        `last_year`), in no set order: what rules comparing a child's values across
        tables or years take for the child's own, picked out once for them all."""
        table = self.last_year(name) if last_year else self.table(name)
        which = f"previous:{name}" if last_year else name
        return self.derived(f"first rows of {which}", lambda: table.unique("CHILD", keep="first"))

    def derived(self, name: str, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        """A frame several rules work from (episodes in order, say), built once."""
        with self._lock:
            building = self._building.setdefault(name, threading.Lock())
        with building:
            if name not in self._cache:
                self._cache[name] = build()
            return self._cache[name]

    def codes(self, name: str) -> list[str]:
        """The codes of the list `name` valid in this collection year."""
        return sorted(valid_codes(name, self.year))

    def group(self, list_name: str, *groups: str) -> tuple[str, ...]:
        """The codes of the list `list_name` in any of the named `groups` (the `groups:` of
        `ssda903/codes/<list_name>.yaml`), as they stand in this collection year:
        `group("placement_type", "foster", "placed_for_adoption")` is U1-U6 and A3-A6."""
        codes = (code for group in groups for code in code_group(list_name, group, self.year))
        return tuple(dict.fromkeys(codes))

    def unreadable(self, table: str, column: str, *, last_year: bool = False) -> pl.Expr:
        """Rows of this year's `table` (of last year's, with `last_year`) whose `column`
        held something that could not be read as a date or number. Only for a frame
        whose `_ROW` is that table's: a join keeps the left table's."""
        if not last_year:
            return self.this.unreadable(table, column)
        if self.previous is None:
            raise LookupError("last year's return was not given")
        return self.previous.unreadable(table, column)

    def failing(self, table: str, mask: pl.Expr) -> Failures:
        """The rows of `table` for which `mask` is true (a null counts as not failing),
        to be picked out with every other rule's (`rows`)."""
        return {table: Flagged(mask.fill_null(False))}

    def rows(self, table: str, failing: pl.DataFrame | Flagged) -> pl.DataFrame:
        """The failing rows of `table` a rule found, picked out if only flagged."""
        if isinstance(failing, Flagged):
            return self.table(table).filter(failing.mask)
        return failing
