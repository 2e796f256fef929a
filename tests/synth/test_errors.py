"""Injected errors are exactly the ones listed in injected.csv, no more and no fewer."""

from datetime import datetime

import polars as pl

from carematters.synth.authority import simulate
from carematters.synth.errors import KINDS, inject_errors

CLEAN = simulate(300, 2021, 2024, seed=4)


def _value(text: str | None, dtype: pl.DataType) -> object:
    if text is None:
        return None
    if dtype == pl.Date:
        return datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 (a calendar date)
    return int(text) if dtype == pl.Int64 else text


def _replay(clean: dict[str, pl.DataFrame], injected: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Apply the listing by hand: removals by their place in the clean table, then cells."""
    tables = dict(clean)
    for table, rows in (
        injected.filter(pl.col("COLUMN").is_null()).group_by("TABLE").agg("ROW").iter_rows()
    ):
        gone = [r - 2 for r in rows]
        tables[table] = tables[table].filter(~pl.int_range(tables[table].height).is_in(gone))
    for _, table, row, child, column, before, after in injected.filter(
        pl.col("COLUMN").is_not_null()
    ).iter_rows():
        frame = tables[table]
        assert frame["CHILD"][row - 2] == child
        assert frame[column][row - 2] == _value(before, frame.schema[column])
        tables[table] = frame.with_columns(
            frame[column].scatter([row - 2], [_value(after, frame.schema[column])])
        )
    return tables


def test_replaying_the_listing_on_the_clean_record_gives_the_spoiled_one():
    dirty, injected = inject_errors(CLEAN, 0.03, seed=4)
    replayed = _replay(CLEAN, injected)
    assert set(replayed) == set(dirty)
    for name, frame in dirty.items():
        assert replayed[name].equals(frame), name
    assert set(injected["KIND"]) == set(KINDS)


def test_every_kind_is_injected_in_proportion_to_the_rate():
    _, few = inject_errors(CLEAN, 0.01, seed=1)
    _, many = inject_errors(CLEAN, 0.05, seed=1)
    assert 3 * few.height < many.height
    assert many.group_by("KIND").len()["len"].min() >= few.group_by("KIND").len()["len"].min()


def test_the_same_seed_injects_the_same_errors():
    assert inject_errors(CLEAN, 0.02, seed=8)[1].equals(inject_errors(CLEAN, 0.02, seed=8)[1])


def test_no_rate_no_errors():
    dirty, injected = inject_errors(CLEAN, 0.0, seed=1)
    assert injected.height == 0
    assert all(dirty[name].equals(frame) for name, frame in CLEAN.items())
