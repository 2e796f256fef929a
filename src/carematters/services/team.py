"""A team manager's view of a team: each worker's caseload and overdue work, and each
child's worker, work and how many social workers they have had in a year
(REQUIREMENTS.md, "Team dashboard": 001 para 7.13; 000 para 14)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from carematters.calendar.months import months_after
from carematters.geography import Places
from carematters.records.allocations import social_worker_on, social_workers_between
from carematters.records.record import Record
from carematters.services.caseload import caseload_summary

MANY_SOCIAL_WORKERS = 3
"""Children with this many social workers or more in a year are shown apart (DfE's
figure, "three or more social workers in the year")."""


@dataclass(frozen=True)
class Team:
    """A team on a day: `workers` (SW_ID, CHILDREN, OVERDUE, CHILDREN_OVERDUE: how many
    children each is the social worker of, how many duties to them are overdue, and how
    many of the children have overdue work; every worker given, most overdue first) and
    `children` (the caseload summary's columns, see `services.caseload.CASELOAD`, with
    SW_ID and SOCIAL_WORKERS, the count in the year to the day; worst first)."""

    workers: pl.DataFrame
    children: pl.DataFrame

    @property
    def many_social_workers(self) -> pl.DataFrame:
        """The children who had three or more social workers in the year to the day."""
        return self.children.filter(pl.col("SOCIAL_WORKERS") >= MANY_SOCIAL_WORKERS)


def lines_on(
    record: Record, duties: pl.DataFrame, as_at: date, places: Places | None = None
) -> pl.DataFrame:
    """Every child's caseload line on `as_at` (`caseload_summary`'s columns, see
    `services.caseload.CASELOAD`), with SW_ID, their social worker on the day (null for
    none), and SOCIAL_WORKERS, how many they had in the twelve months ending on the day;
    worst first. `duties` as for `caseload_summary`."""
    # The twelve months ending on the day: to 31 March, from 1 April of the year before.
    year_start = months_after(as_at, -12) + timedelta(days=1)
    return (
        caseload_summary(record, duties, as_at, places)
        .join(
            social_worker_on(record.sw_episodes, as_at).select("CHILD", "SW_ID"),
            on="CHILD",
            how="left",
        )
        .join(social_workers_between(record.sw_episodes, year_start, as_at), on="CHILD", how="left")
        .with_columns(pl.col("SOCIAL_WORKERS").fill_null(0))
    )


def team_of(lines: pl.DataFrame, workers: Collection[str], by: str = "SW_ID") -> Team:
    """The team of `workers` from children's lines (`lines_on`'s columns, any children:
    those whose worker is one of `workers` are kept). `by` names the column that holds
    each child's worker: SW_ID for social workers, or another added to the lines (a
    care leaver's personal adviser); `Team.workers` then has that column in SW_ID's
    place."""
    children = lines.filter(pl.col(by).is_in(list(workers)))
    counted = children.group_by(by).agg(
        CHILDREN=pl.len(),
        OVERDUE=pl.col("OVERDUE").sum(),
        CHILDREN_OVERDUE=(pl.col("OVERDUE") > 0).sum(),
    )
    everyone = pl.DataFrame({by: sorted(workers)}, schema={by: pl.String})
    team_workers = (
        everyone.join(counted, on=by, how="left")
        .with_columns(pl.col("CHILDREN", "OVERDUE", "CHILDREN_OVERDUE").fill_null(0))
        .sort(["OVERDUE", "CHILDREN", by], descending=[True, True, False])
    )
    return Team(workers=team_workers, children=children)


def team_on(
    record: Record,
    duties: pl.DataFrame,
    as_at: date,
    workers: Collection[str],
    places: Places | None = None,
) -> Team:
    """The team of social workers `workers` (SW_IDs) on `as_at`, from a record holding at
    least their children (those whose social worker on the day is one of them) and those
    children's `duties` (the duties table's columns: CHILD, DUE_DATE, STATUS,
    DAYS_OVERDUE). A year is the twelve months ending on `as_at`."""
    return team_of(lines_on(record, duties, as_at, places), workers)
