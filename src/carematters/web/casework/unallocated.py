"""Children looked after with no social worker, held by the team of their last one, as
the days it holds (WEB.md "Who sees what"; `people.access`): a child in care whose social
worker's time has ended, with no new one yet, stays their last worker's team's, so that
its manager sees them and allocates one.

Whether that holds for one child is asked of the record itself when their record is
opened (`people.access`). A team's list cannot ask it that way cheaply: finding the
children in care with no social worker today means reading every child in care and
every child with a worker (about 5 ms on every team page of a 3,000-child authority,
however the query is put). So, like `lines.Line`, it is worked out from the record and
stored, by `due.refresh_due` in the same transaction as every write to the child's
record: a row for each stretch of days on which the child is in care with no social
worker, naming the last one. Since the rows are days, not a status on a day, they need
no daily refresh. A test holds the two ways of asking to the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.db import models

from carematters.records.periods import open_on
from carematters.records.record import Record
from carematters.web.bulk import insert_frame

UNALLOCATED_SCHEMA = pl.Schema(
    {"CHILD": pl.String(), "SW_ID": pl.String(), "START": pl.Date(), "END": pl.Date()}
)
"""A stretch of days from START up to END (not included; null: no end yet) on which the
child is looked after, has no social worker, and the last one they had is SW_ID."""


class Unallocated(models.Model):
    """One stretch of UNALLOCATED_SCHEMA: who holds a child in care with no social worker."""

    child = models.CharField(max_length=None, db_column="CHILD")
    sw_id = models.TextField(db_column="SW_ID")
    start = models.DateField(db_column="START")
    end = models.DateField(db_column="END", null=True, blank=True)

    class Meta:
        db_table = "casework_unallocated"
        # A team's list asks for the stretches of its workers that hold today.
        indexes = (
            models.Index(fields=("sw_id", "start", "end", "child"), name="unallocated_by_worker"),
        )

    def __str__(self) -> str:
        return f"{self.child} held by {self.sw_id} from {self.start}"


def unallocated_from(record: Record) -> pl.DataFrame:
    """The stretches (UNALLOCATED_SCHEMA) of every child in `record`, by child and start.

    On a day d, as `people.access` asks it of one child: looked after if an episode has
    DECOM on or before d and DEC after it (or none); with a social worker if a social
    worker episode has SW_DECOM on or before d and SW_DEC after it (or none: the day an
    episode ends, the next begins); the last one is the latest begun on or before d (the
    later row where two began the same day). A child whose last episode names no worker
    is held by no team. Nothing changes but on the days the episodes begin and end, so
    each stretch between two such days is asked once."""
    episodes = record.episodes.select("CHILD", "DECOM", "DEC")
    workers = record.sw_episodes.with_row_index("ROW").select(
        "CHILD", "ROW", "SW_ID", "SW_DECOM", "SW_DEC"
    )
    days = (
        pl.concat(
            [
                episodes.select("CHILD", DAY="DECOM"),
                episodes.select("CHILD", DAY="DEC"),
                workers.select("CHILD", DAY="SW_DECOM"),
                workers.select("CHILD", DAY="SW_DEC"),
            ]
        )
        .drop_nulls()
        .unique()
        .sort("CHILD", "DAY")
        .with_columns(UNTIL=pl.col("DAY").shift(-1).over("CHILD"))
    )
    key = ["CHILD", "DAY"]
    in_care = open_on(days.join(episodes, on="CHILD"), pl.col("DAY"))
    began = days.join(workers, on="CHILD").filter(pl.col("SW_DECOM") <= pl.col("DAY"))
    allocated = began.filter(pl.col("SW_DEC").is_null() | (pl.col("SW_DEC") > pl.col("DAY")))
    last = began.sort("SW_DECOM", "ROW").group_by(key).agg(pl.col("SW_ID").last())
    stretches = (
        days.join(in_care, on=key, how="semi")
        .join(allocated, on=key, how="anti")
        .join(last, on=key)
        .filter(pl.col("SW_ID").is_not_null())
        .sort(key)
    )
    # Stretches that follow on, with the same last worker, are one.
    follows = (
        (pl.col("DAY") == pl.col("UNTIL").shift(1).over("CHILD"))
        & (pl.col("SW_ID") == pl.col("SW_ID").shift(1).over("CHILD"))
    ).fill_null(value=False)
    return (
        stretches.with_columns(RUN=(~follows).cum_sum())
        .group_by("CHILD", "RUN", maintain_order=True)
        .agg(pl.col("SW_ID").first(), START=pl.col("DAY").first(), END=pl.col("UNTIL").last())
        .select(UNALLOCATED_SCHEMA.names())
        .cast(UNALLOCATED_SCHEMA)
    )


def store_unallocated(children: Iterable[str], stretches: pl.DataFrame) -> None:
    """Replace the stored stretches of `children` (CHILD ids) with `stretches`
    (UNALLOCATED_SCHEMA's columns). Call it inside the transaction that worked them out
    (`due.refresh_due` does)."""
    Unallocated.objects.filter(child__in=sorted(set(children))).delete()
    insert_frame(Unallocated, stretches.select(UNALLOCATED_SCHEMA.names()))
