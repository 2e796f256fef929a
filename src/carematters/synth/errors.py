"""Known data-quality errors, injected on purpose so validators can be tested against
answers: each of a named kind that DfE's validation rules catch, each written down.

Every injection changes one cell or removes one row, and is recorded with the table,
the row, the child, the column, and the value before and after. ROW is the row as
numbered in the saved record file (header = row 1); for a removed row, ROW is where
it was in the clean record and BEFORE holds the whole row as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import polars as pl

INJECTED_COLUMNS = ("KIND", "TABLE", "ROW", "CHILD", "COLUMN", "BEFORE", "AFTER")


@dataclass
class Injection:
    """The tables being spoiled, what has been done to them, and which rows are taken."""

    tables: dict[str, pl.DataFrame]
    rng: np.random.Generator
    done: list[tuple[str, str, int, str, str | None, str | None, str | None]] = field(
        default_factory=list
    )
    taken: set[tuple[str, int]] = field(default_factory=set)

    def rows(self, table: str, eligible: pl.Expr, count: int) -> list[int]:
        """Up to `count` row positions of `table` where `eligible` holds, not used before."""
        frame = self.tables[table].with_row_index("_AT").filter(eligible)
        free = [i for i in frame["_AT"].to_list() if (table, i) not in self.taken]
        picked = (
            sorted(self.rng.choice(free, size=min(count, len(free)), replace=False).tolist())
            if free
            else []
        )
        self.taken.update((table, i) for i in picked)
        return picked

    def change(self, kind: str, table: str, row: int, column: str, value: object) -> None:
        """Set one cell, and record it."""
        frame = self.tables[table]
        before = frame[column][row]
        series = (
            frame[column].scatter([row], [value])
            if value is not None
            else frame[column].scatter([row], None)
        )
        self.tables[table] = frame.with_columns(series)
        self.done.append(
            (kind, table, row, str(frame["CHILD"][row]), column, _text(before), _text(value))
        )

    def remove(self, kind: str, table: str, rows: list[int]) -> None:
        """Take rows out, recording each where it was."""
        frame = self.tables[table]
        for row in rows:
            values = ",".join(_text(v) or "" for v in frame.row(row))
            self.done.append((kind, table, row, str(frame["CHILD"][row]), None, values, None))
        keep = ~pl.int_range(frame.height).is_in(rows)
        self.tables[table] = frame.filter(keep)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")  # type: ignore[no-any-return]
    return str(value)


def unknown_code(job: Injection, count: int) -> None:
    """A code no list has (DfE rules 103, 141, 143-146, 132 ...)."""
    for table, column, bad in (
        ("episodes", "PLACE", "Q9"),
        ("episodes", "LS", "C9"),
        ("header", "ETHNIC", "WBRX"),
        ("reviews", "REVIEW_CODE", "PN9"),
    ):
        for row in job.rows(table, pl.col(column).is_not_null(), max(count // 4, 1)):
            job.change("unknown_code", table, row, column, bad)


def missing_value(job: Injection, count: int) -> None:
    """A required value left blank (DfE rules 102, 141, 143 ...)."""
    for table, column in (("episodes", "CIN"), ("episodes", "PLACE_PROVIDER"), ("header", "DOB")):
        for row in job.rows(table, pl.col(column).is_not_null(), max(count // 3, 1)):
            job.change("missing_value", table, row, column, None)


def ends_before_start(job: Injection, count: int) -> None:
    """An episode that ends before it began (DfE rule 135 and similar)."""
    episodes = job.tables["episodes"]
    for row in job.rows("episodes", pl.col("DEC").is_not_null(), count):
        started = episodes["DECOM"][row]
        job.change(
            "ends_before_start",
            "episodes",
            row,
            "DEC",
            started - timedelta(days=int(job.rng.integers(1, 30))),
        )


def overlapping_episodes(job: Injection, count: int) -> None:
    """An episode running on past the start of the next (DfE rules 499, 503 ...)."""
    episodes = job.tables["episodes"]
    followed = (pl.col("CHILD") == pl.col("CHILD").shift(-1)) & pl.col("DEC").is_not_null()
    followed &= pl.col("DEC").shift(-1).is_not_null() | pl.col("DEC").shift(-1).is_null()
    for row in job.rows("episodes", followed & (pl.col("DEC") == pl.col("DECOM").shift(-1)), count):
        job.change(
            "overlapping_episodes",
            "episodes",
            row,
            "DEC",
            episodes["DEC"][row] + timedelta(days=10),
        )


def missing_review(job: Injection, count: int) -> None:
    """A review that was held but not recorded (DfE rules on review timeliness)."""
    job.remove("missing_review", "reviews", job.rows("reviews", pl.lit(value=True), count))


def before_birth(job: Injection, count: int) -> None:
    """A missing episode dated before the child was born (DfE rule 1004 and similar)."""
    missing = job.tables["missing"]
    births = missing["DOB"]
    for row in job.rows("missing", pl.col("DOB").is_not_null(), count):
        job.change("before_birth", "missing", row, "MIS_START", births[row] - timedelta(days=30))


def wrong_oc3_cohort(job: Injection, count: int) -> None:
    """A care leaver's OC3 row put in a year their 17th-21st birthday does not fall in
    (DfE's OC3 cohort rules, e.g. 1001, 1016): the YEAR moved one year earlier."""
    oc3 = job.tables["oc3"]
    for row in job.rows("oc3", pl.col("YEAR").is_not_null(), count):
        year = oc3["YEAR"][row]
        start = int(year[:4]) - 1
        job.change("wrong_oc3_cohort", "oc3", row, "YEAR", f"{start}-{(start + 1) % 100:02d}")


KINDS: dict[str, Callable[[Injection, int], None]] = {
    "unknown_code": unknown_code,
    "missing_value": missing_value,
    "ends_before_start": ends_before_start,
    "overlapping_episodes": overlapping_episodes,
    "missing_review": missing_review,
    "before_birth": before_birth,
    "wrong_oc3_cohort": wrong_oc3_cohort,
}
"""Every kind of error that can be injected, by the name written in injected.csv."""


def inject_errors(
    tables: dict[str, pl.DataFrame], rate: float, seed: int
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """The tables with about `rate` of episode rows' worth of errors of each kind, and
    the list of every error injected."""
    job = Injection(dict(tables), np.random.default_rng(np.random.SeedSequence([seed, 903])))
    if rate <= 0:
        return job.tables, pl.DataFrame(
            schema=dict.fromkeys(INJECTED_COLUMNS, pl.String)
        ).with_columns(pl.col("ROW").cast(pl.Int64))
    count = max(1, round(rate * tables["episodes"].height / len(KINDS)))
    for inject in KINDS.values():
        inject(job, count)
    injected = pl.DataFrame(job.done, schema=list(INJECTED_COLUMNS), orient="row")
    removed = injected.filter(pl.col("COLUMN").is_null()).select("TABLE", GONE="ROW")
    shifted = (
        injected.with_row_index("_ORDER")
        .join(removed, on="TABLE", how="left")
        .group_by("_ORDER", maintain_order=True)
        .agg(
            pl.all().exclude("GONE").first(), (pl.col("GONE") < pl.col("ROW")).sum().alias("SHIFT")
        )
    )
    rows = (
        pl.when(pl.col("COLUMN").is_null())
        .then(pl.col("ROW"))
        .otherwise(pl.col("ROW") - pl.col("SHIFT"))
    )
    return job.tables, shifted.with_columns(ROW=rows + 2).select(INJECTED_COLUMNS).sort(
        "TABLE", "ROW"
    )
