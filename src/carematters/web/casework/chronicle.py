"""Each child's chronology, stored (WEB.md "What is due, on the page": pages read what was
worked out, they do not recompute it): the events `services.chronology.chronology`
makes of the record, newest first, each with the key of the row it came from.

Like `due.Due` and `lines.Line`, `Event` is derived data, not the record:
`store_chronology` replaces a child's events from the record as `due.refresh_due` has
just read it, in the same transaction, so the chronology a page shows is the record as it
stands after every write. Staff are named as they were named when the events were worked
out (a renamed user is renamed at the daily refresh, `carematters web refresh-due`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.db import models

from carematters.records.record import Record
from carematters.services.chronology import CHRONOLOGY, chronology
from carematters.web.bulk import insert_frame, read_frame
from carematters.web.people.models import User

STORED_CHRONOLOGY = pl.Schema(
    {
        **{name: dtype for name, dtype in CHRONOLOGY.items() if name != "ROW"},
        "KEY": pl.Int64(),
        "PLACE": pl.UInt32(),
    }
)
"""A stored event: CHRONOLOGY's columns but ROW, with KEY, the key in the database of the
row of TABLE it came from (so a page can lead to that entry), and PLACE, its place in the
child's chronology (0 is the newest)."""


class Event(models.Model):
    """One event of one child's chronology (see STORED_CHRONOLOGY)."""

    child = models.CharField(max_length=None, db_column="CHILD")
    date = models.DateField(db_column="DATE")
    kind = models.CharField(max_length=None, db_column="KIND")
    title = models.TextField(db_column="TITLE")
    detail = models.TextField(db_column="DETAIL", null=True, blank=True)
    table = models.CharField(max_length=None, db_column="TABLE")
    key = models.BigIntegerField(db_column="KEY")
    place = models.PositiveIntegerField(db_column="PLACE")

    class Meta:
        db_table = "casework_event"
        indexes = (models.Index(fields=("child", "place"), name="casework_event_child"),)

    def __str__(self) -> str:
        return f"{self.child} {self.date} {self.title}"


_FIELDS = tuple(column.lower() for column in STORED_CHRONOLOGY)
"""Event's fields in STORED_CHRONOLOGY's order (each column's name in lower case)."""


def staff_names(ids: Iterable[str | None]) -> dict[str, str]:
    """The names of the people the record knows by these ids (SW_ID, IRO_ID, PA_ID),
    for those who sign in: one query. An id without a user is left out."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    users = User.objects.filter(staff_id__in=wanted).only(
        "staff_id", "first_name", "last_name", "username"
    )
    return {user.staff_id: str(user) for user in users}


def chronology_from(record: Record, keys: dict[str, list[int]]) -> pl.DataFrame:
    """Every child's chronology in `record` (STORED_CHRONOLOGY's columns, by child, newest
    first), its staff named (one query), each event keyed by `keys` (each table's rows'
    keys in the database, in the record's order, as `bridge.record_with_keys` gives)."""
    staff = staff_names(
        pl.concat(
            [
                record.sw_episodes.get_column("SW_ID"),
                record.visits.get_column("SW_ID"),
                record.iro.get_column("IRO_ID"),
                record.pa_contacts.get_column("PA_ID"),
            ]
        )
    )
    events = chronology(record, staff)
    keyed = pl.DataFrame(
        [(table, row, key) for table in keys for row, key in enumerate(keys[table])],
        schema={"TABLE": pl.String, "ROW": pl.UInt32, "KEY": pl.Int64},
        orient="row",
    )
    return (
        events.join(keyed, on=["TABLE", "ROW"], how="left", maintain_order="left")
        .with_columns(PLACE=pl.int_range(pl.len(), dtype=pl.UInt32).over("CHILD"))
        .select(STORED_CHRONOLOGY.names())
    )


def store_chronology(children: Iterable[str], events: pl.DataFrame) -> None:
    """Replace the stored events of `children` (CHILD ids) with `events`
    (STORED_CHRONOLOGY's columns). Call it inside the transaction that read the record
    they come from (`due.refresh_due` does)."""
    Event.objects.filter(child__in=sorted(set(children))).delete()
    insert_frame(Event, events.select(STORED_CHRONOLOGY.names()))


def chronology_of(child: str, newest: int | None = None) -> pl.DataFrame:
    """`child`'s stored chronology (STORED_CHRONOLOGY's columns), newest first; only the
    `newest` events, where given. One query."""
    events = read_frame(Event, _FIELDS, STORED_CHRONOLOGY, [child], order_by=("place",))
    return events if newest is None else events.head(newest)
