"""The shape most duties share: something done within a time of a starting point, then
again and again within a time of the last time it was done.

`events_since` gives, for each child owed a duty, the events of one kind since the
duty's starting point (ANCHOR: becoming looked after, a placement starting, the 16th
birthday ...) up to the day asked about, so each duty only says what its times are.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.timescales import after
from carematters.parameters import Quantity

NEVER = pl.lit(None, dtype=pl.Date)
"""LAPSES for a duty that can always still be done, however late."""
NO_DETAIL = pl.lit(None, dtype=pl.String)
"""DETAIL for a duty whose sentence is the same for every child."""


def events_since(owed: pl.LazyFrame, happened: pl.LazyFrame, as_at: date) -> pl.LazyFrame:
    """`owed` (CHILD, ANCHOR, ...) with FIRST, SECOND and LAST event (Dates) on or after
    ANCHOR and on or before `as_at`, and COUNT of them (0 if none). `happened` is CHILD,
    EVENT."""
    held = (
        happened.filter(pl.col("EVENT") <= as_at)
        .join(owed.select("CHILD", "ANCHOR"), on="CHILD")
        .filter(pl.col("EVENT") >= pl.col("ANCHOR"))
        .group_by("CHILD")
        .agg(
            FIRST=pl.col("EVENT").min(),
            # The second earliest, a second event on the same day included.
            SECOND=pl.when(pl.len() > 1).then(pl.col("EVENT").bottom_k(2).max()),
            LAST=pl.col("EVENT").max(),
            COUNT=pl.len(),
        )
    )
    return owed.join(held, on="CHILD", how="left").with_columns(pl.col("COUNT").fill_null(0))


def once(
    frame: pl.LazyFrame,
    due: pl.Expr,
    *,
    basis: str = "ANCHOR",
    done_by: str = "FIRST",
    lapses: pl.Expr = NEVER,
    detail: pl.Expr = NO_DETAIL,
) -> pl.LazyFrame:
    """A duty done once: due as given, done by the first event (or the one named), with
    the explanation naming the anchor's date (or the column named); it lapses as given
    (never, unless said). Columns: `DUTY_COLUMNS`."""
    return frame.select(
        "CHILD",
        DUE_DATE=due,
        LAST_DONE=pl.col(done_by),
        DONE=pl.col(done_by).is_not_null(),
        BASIS=pl.col(basis),
        LAPSES=lapses,
        DETAIL=detail,
    )


def again(
    frame: pl.LazyFrame, due: pl.Expr, *, after: int = 1, detail: pl.Expr = NO_DETAIL
) -> pl.LazyFrame:
    """A duty repeated from the last event (once at least `after` events have happened):
    never done for good, always next due, never lapsing; `detail` words the child's own
    rhythm for the sentence. Columns: `DUTY_COLUMNS`."""
    return frame.filter(pl.col("COUNT") >= after).select(
        "CHILD",
        DUE_DATE=due,
        LAST_DONE=pl.col("LAST"),
        DONE=pl.lit(value=False),
        BASIS=pl.col("LAST"),
        LAPSES=NEVER,
        DETAIL=detail,
    )


def every(frame: pl.LazyFrame, timescale: Quantity) -> pl.LazyFrame:
    """A duty repeated `timescale` after the last event, or after the starting point
    (ANCHOR) while there is none yet: never done for good, never lapsing; the sentence
    names the last event or the starting point. Columns: `DUTY_COLUMNS`."""
    since = pl.coalesce("LAST", "ANCHOR")
    return frame.select(
        "CHILD",
        DUE_DATE=after(since, timescale),
        LAST_DONE=pl.col("LAST"),
        DONE=pl.lit(value=False),
        BASIS=since,
        LAPSES=NEVER,
        DETAIL=NO_DETAIL,
    )
