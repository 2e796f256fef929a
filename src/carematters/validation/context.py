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


SHOWN = ("ROW", "CHARACTER")
"""Where a finding's row is shown to people: the row of the file (the line, for XML) and,
for XML whose rows share a line (a file exported on one line), the character within it."""


@dataclass
class Return:
    """One year's return as read: tables, where each row came from, and values that could
    not be read.

    `rows` is, for each table, the row of the file each row came from, as shown to people
    (the line, for XML; None for a row no file holds); `characters`, for XML tables whose
    rows share lines, the character within its line where each row starts. Rules tell
    rows apart by `_ROW` (see `table`), which is unique within a table even where the
    places shown are not; `located` turns it back into the place shown.
    """

    year: CollectionYear
    tables: dict[str, pl.DataFrame]
    rows: dict[str, pl.Series] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    characters: dict[str, pl.Series] = field(default_factory=dict)

    def table(self, name: str) -> pl.DataFrame:
        """The table with every column of the year (empty if the return has none) and
        `_ROW`, which tells its rows apart, in the order of the file: the row of the file
        each row came from wherever those are all different, else the row's place in
        the table (0, 1, ...)."""
        frame = conform(self.tables.get(name), _table(name).columns_in(self.year))
        keys = self._places(name, frame.height).get_column(ROW_COLUMN)
        # Added beside the year's columns, which never include `_ROW`.
        return frame.hstack([keys])

    def _places(self, name: str, height: int) -> pl.DataFrame:
        """For each row of table `name` (of `height` rows): `_ROW` (see `table`), and the
        place shown for it (`SHOWN`)."""
        rows = self.rows.get(name)
        if rows is None or rows.len() != height:
            rows = pl.Series("ROW", range(2, height + 2), dtype=pl.Int64)
        characters = self.characters.get(name)
        if characters is None or characters.len() != height:
            characters = pl.Series("CHARACTER", [None] * height, dtype=pl.Int64)
        places = pl.DataFrame(
            [rows.cast(pl.Int64).alias("ROW"), characters.cast(pl.Int64).alias("CHARACTER")]
        )
        distinct = rows.null_count() == 0 and rows.n_unique() == height
        key = pl.col("ROW") if distinct else pl.int_range(pl.len(), dtype=pl.Int64)
        return places.with_columns(key.alias(ROW_COLUMN))

    def located(self, findings: pl.DataFrame) -> pl.DataFrame:
        """`findings` (with TABLE, and ROW as `_ROW` gives it) with each row's place as
        shown to people: ROW, then CHARACTER (see `SHOWN`), the other columns as they were."""
        columns = findings.columns
        at = columns.index("ROW") + 1
        order = [*columns[:at], "CHARACTER", *columns[at:]]
        names = [name for name in findings.get_column("TABLE").unique().to_list() if name]
        if not names:
            return findings.with_columns(CHARACTER=pl.lit(None, pl.Int64)).select(order)
        places = pl.concat(
            [
                self._places(name, self.table_height(name)).with_columns(TABLE=pl.lit(name))
                for name in names
            ]
        )
        return (
            findings.rename({"ROW": ROW_COLUMN})
            .join(places, on=["TABLE", ROW_COLUMN], how="left", maintain_order="left")
            .select(order)
        )

    def table_height(self, name: str) -> int:
        """How many rows table `name` has (none if the return has no such table)."""
        frame = self.tables.get(name)
        return 0 if frame is None else frame.height

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
    def _unreadable(self) -> dict[tuple[str | None, str | None], list[int]]:
        """The rows (`_ROW`) of the values that could not be read, by table and column: a
        national return's problems are looked through once, not once for each rule. A
        problem names its row by the place shown (`SHOWN`), matched to the row there."""
        found = pl.DataFrame(
            [
                (p.table, p.column, p.row, p.position)
                for p in self.problems
                if p.kind in UNREADABLE and p.row is not None
            ],
            schema={
                "TABLE": pl.String,
                "COLUMN": pl.String,
                "ROW": pl.Int64,
                "CHARACTER": pl.Int64,
            },
            orient="row",
        )
        keys: dict[tuple[str | None, str | None], list[int]] = {}
        for (name,), given in found.partition_by("TABLE", as_dict=True).items():
            if name is None:
                continue
            places = self._places(str(name), self.table_height(str(name)))
            # The character is matched only where rows have one (rows sharing a line).
            on = (
                ["ROW", "CHARACTER"]
                if places.get_column("CHARACTER").null_count() == 0
                else ["ROW"]
            )
            matched = given.join(places.drop_nulls("ROW"), on=on, how="inner")
            for (column,), rows in matched.partition_by("COLUMN", as_dict=True).items():
                keys[(str(name), column)] = rows.get_column(ROW_COLUMN).to_list()
        return keys


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
