"""Children as the pages describe them, in words: names, age, placement with its
distance and area, legal status, IRO, and their work (overdue, due this week and next).

Lists of children (a caseload, a team) are read from their stored lines (`lines`, one
query), and a child's pages from their line, what is due (`due.due_table`) and their
chronology (`chronicle`) as stored, one query each, with the record itself
(`bridge.record_from_db`, one query per table) only where a page needs it: a page of one
child or of a team of a hundred costs the same number of queries, and no page recomputes
what the daily refresh and each write have worked out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import polars as pl
from django.db.models import Prefetch, Q
from django.urls import reverse

from carematters.records.allocations import social_worker_on
from carematters.records.periods import looked_after_on
from carematters.records.record import Record
from carematters.services.chronology import meaning, named
from carematters.services.team import team_of
from carematters.web.bridge import record_with_keys, table_from_db
from carematters.web.bulk import read_frame
from carematters.web.casework.chronicle import staff_names
from carematters.web.casework.due import due_table, in_words, stored_on
from carematters.web.casework.lines import lines_of
from carematters.web.people.models import (
    Allocation,
    AllocationKind,
    Membership,
    User,
    current_on,
)

Row = dict[str, Any]
"""One row of a frame, by column name, as a template reads it."""


def _placement_words() -> pl.Expr:
    """Where the child lives, in words: the placement type, or that they are not looked
    after today."""
    return (
        pl.when(pl.col("LOOKED_AFTER"))
        .then(pl.col("PLACEMENT").fill_null("Placement not recorded"))
        .otherwise(pl.lit("Not looked after today"))
    )


def _distance_words() -> pl.Expr:
    """How far the placement is from home and whether it is out of the authority's area:
    "12.3 miles, out of area"; null where neither is known."""
    miles = pl.format("{} miles", pl.col("PL_DISTANCE").round(1))
    area = pl.when(pl.col("OUT_OF_AREA")).then(pl.lit("out of area"))
    return pl.concat_str(miles, area, separator=", ", ignore_nulls=True).replace("", None)


@dataclass(frozen=True)
class Caseload:
    """Children in words (see `described`), worst first, and the day what is due was
    worked out on (None: nothing is stored for them)."""

    children: pl.DataFrame
    worked_out_on: date | None

    def rows(self) -> list[Row]:
        return list(self.children.iter_rows(named=True))


LINKS = {"HREF": "child", "ALLOCATE_HREF": "child-allocate", "ACCESS_LOG_HREF": "child-access-log"}
"""The addresses a list of children links each child to: column, and the page's URL name."""
_PLAIN_ID = r"^[A-Za-z0-9._~-]+$"
"""A CHILD id that goes into an address as it is (RFC 3986's unreserved characters)."""
_SLOT = "child-id-goes-here"


def _with_links(children: pl.DataFrame) -> pl.DataFrame:
    """`children` (a CHILD column at least) with each of LINKS, the address of the row's
    child as `reverse` gives it: worked out for the whole column at once where every id
    goes into an address as it is, since reversing for each row of a team's hundred
    children costs more than the rest of the page."""
    plain = children.get_column("CHILD").str.contains(_PLAIN_ID).all()

    def address(name: str) -> pl.Expr:
        if not plain:  # an id needing quoting: `reverse` quotes it
            return pl.col("CHILD").map_elements(
                lambda child: reverse(name, args=[child]), return_dtype=pl.String
            )
        before, after = reverse(name, args=[_SLOT]).split(_SLOT)
        return pl.concat_str(pl.lit(before), pl.col("CHILD"), pl.lit(after))

    return children.with_columns(address(name).alias(column) for column, name in LINKS.items())


def described(lines: pl.DataFrame, staff: dict[str, str]) -> pl.DataFrame:
    """Stored lines (`lines.lines_of`) with the words a page shows: PLACE_WORDS,
    DISTANCE_WORDS and IRO_NAME (null where the child has no IRO today); and the child's
    addresses (LINKS' columns)."""
    return _with_links(lines).with_columns(
        PLACE_WORDS=_placement_words(),
        DISTANCE_WORDS=_distance_words(),
        IRO_NAME=named("IRO_ID", staff),
    )


def caseload(children: Iterable[str], as_at: date) -> Caseload:
    """The caseload of `children` (CHILD ids) on `as_at`, in words, worst
    first: two queries (the lines, then the IROs' names)."""
    lines = lines_of(children, as_at)
    staff = staff_names(lines.get_column("IRO_ID"))
    return Caseload(described(lines, staff), stored_on(lines))


@dataclass(frozen=True)
class TeamPage:
    """A team in words: `workers` (SW_ID, NAME, CHILDREN, OVERDUE, CHILDREN_OVERDUE,
    most overdue first), `children` (as `caseload`, with SW_ID, SOCIAL_WORKER (a name)
    and SOCIAL_WORKERS, the count in the year; those in care with no social worker
    first, then the worst first); the team's personal advisers (`advisers`: PA, NAME and
    the counts as `workers`) and their care leavers (`leavers`: as `children`, with PA
    and PERSONAL_ADVISER, a name); and the day what is due was worked out on."""

    workers: pl.DataFrame
    children: pl.DataFrame
    many_social_workers: pl.DataFrame
    advisers: pl.DataFrame
    leavers: pl.DataFrame
    worked_out_on: date | None


@dataclass(frozen=True)
class TeamInputs:
    """Everything a team's page is worked out from (`team_inputs`): the team's children's
    stored lines with their personal adviser (`lines.lines_of`'s columns and PA), the
    team's social workers (SW_ID: name) and personal advisers (user key as text: name),
    the names of the staff the lines name, and the day."""

    lines: pl.DataFrame
    workers: dict[str, str]
    advisers: dict[str, str]
    staff: dict[str, str]
    as_at: date

    def digest(self) -> str:
        """A fingerprint of every value above: two teams' inputs with the same digest
        give the same page, so a page made from one serves the other."""
        # The lines in Polars's own serialisation, which holds every value and its type:
        # a fifth of the time of their rows' text, for a team of a hundred children.
        others = repr((self.workers, self.advisers, self.staff, self.as_at)).encode()
        digest = hashlib.blake2b(digest_size=32)
        for part in (self.lines.serialize(), others):
            digest.update(len(part).to_bytes(8, "big"))  # so no two splits read alike
            digest.update(part)
        return digest.hexdigest()


def team_inputs(
    children: Iterable[str],
    workers: dict[str, str],
    advisers: dict[str, str],
    as_at: date,
) -> TeamInputs:
    """What the page of the team of social workers `workers` (SW_ID: name) and personal
    advisers `advisers` (user key as text: name) is made from on `as_at`, among
    `children` (CHILD ids: the team's children as access gives them): three queries."""
    lines = lines_of(children, as_at).join(_advisers_of(children, as_at), on="CHILD", how="left")
    staff = {**staff_names(lines.get_column("IRO_ID")), **workers}
    return TeamInputs(lines, workers, advisers, staff, as_at)


def team_page(inputs: TeamInputs) -> TeamPage:
    """The team's page in words from what it is made from (`team_inputs`); no query."""
    lines, workers, advisers, staff = inputs.lines, inputs.workers, inputs.advisers, inputs.staff
    team = team_of(lines, list(workers))
    leaving_care = team_of(lines, list(advisers), by="PA")
    # In care with no social worker today: the team of their last one holds them until it
    # allocates one (`access`), so they come first, for the manager to act on.
    unallocated = lines.filter(pl.col("SW_ID").is_null() & pl.col("LOOKED_AFTER"))
    children_words = described(pl.concat([unallocated, team.children]), staff).with_columns(
        SOCIAL_WORKER=named("SW_ID", staff)
    )
    return TeamPage(
        workers=team.workers.with_columns(NAME=named("SW_ID", workers)),
        children=children_words,
        many_social_workers=children_words.filter(
            pl.col("CHILD").is_in(team.many_social_workers.get_column("CHILD").implode())
        ),
        advisers=leaving_care.workers.with_columns(NAME=named("PA", advisers)),
        leavers=described(leaving_care.children, staff).with_columns(
            PERSONAL_ADVISER=named("PA", advisers)
        ),
        worked_out_on=stored_on(lines),
    )


def _advisers_of(children: Iterable[str], as_at: date) -> pl.DataFrame:
    """Each of `children`'s personal adviser on `as_at` (CHILD, PA: the user's key as
    text), for those who have one: one query."""
    adviser = Q(kind=AllocationKind.PERSONAL_ADVISER) & current_on("start", "end", as_at)
    allocated = read_frame(
        Allocation,
        ("child", "user"),
        {"CHILD": pl.String(), "PA": pl.Int64()},
        sorted(set(children)),
        order_by=("pk",),
        where=adviser,
    )
    return allocated.with_columns(pl.col("PA").cast(pl.String))


@dataclass(frozen=True)
class ChildRecord:
    """One child's record as their pages show it: their caseload line in words
    (`summary`), every stored duty in words (`due.in_words`) and the day those were worked
    out on; and, read from the database only when a page asks for them, the record itself
    and its rows' keys."""

    child: str
    summary: Row
    duties: pl.DataFrame
    worked_out_on: date | None

    @cached_property
    def _read(self) -> tuple[Record, dict[str, list[int]]]:
        return record_with_keys([self.child])

    @property
    def record(self) -> Record:
        """The child's record (one query per table, on first use)."""
        return self._read[0]

    @property
    def keys(self) -> dict[str, list[int]]:
        """Each table's rows' keys in the database, in the record's order (by table)."""
        return self._read[1]


def child_record(child: str, as_at: date) -> ChildRecord:
    """`child`'s record (a CHILD id the caller has checked access to) on `as_at`: one
    query for what is due, one for their line and one for their social worker's and
    IRO's names (SOCIAL_WORKER and IRO_NAME in the summary); the record itself is read
    when asked for (`ChildRecord.record`)."""
    duties = due_table([child])
    lines = lines_of([child], as_at)
    staff = staff_names([*lines.get_column("IRO_ID"), *lines.get_column("SW_ID")])
    rows = (
        described(lines, staff).with_columns(SOCIAL_WORKER=named("SW_ID", staff)).rows(named=True)
    )
    return ChildRecord(
        child=child,
        summary=rows[0] if rows else {"CHILD": child, "NAME": "Name not recorded"},
        duties=in_words(duties),
        worked_out_on=stored_on(duties),
    )


def _current(frame: pl.DataFrame, start: str, end: str, day: date) -> pl.DataFrame:
    """Rows in force on `day`: begun by then, not ended before it; latest begun first."""
    return frame.filter(
        (pl.col(start) <= day) & (pl.col(end).is_null() | (pl.col(end) > day))
    ).sort(start, descending=True, nulls_last=True)


NOBODY = {"Social worker": "None allocated", "Independent reviewing officer": "None named"}
"""What a page says where a child has nobody in a role: "None allocated" for a social
worker, as the team page says, "None named" for an IRO."""


def _person(role: str, name: str | None, since: date | None, detail: str | None) -> Row:
    return {
        "ROLE": role,
        "NAME": name,
        "NOBODY": NOBODY.get(role),
        "SINCE": since,
        "DETAIL": detail,
    }


def child_people(child: str, as_at: date) -> list[Row]:
    """The people `child` has on `as_at`, from their record's social workers and IROs
    and who signs in: each a row with ROLE, NAME (None: nobody), NOBODY (what a page
    says when there is nobody, see NOBODY), SINCE (a date or None) and DETAIL (their
    team and its manager, for a social worker). Five queries."""
    social_worker = social_worker_on(table_from_db("sw_episodes", [child]), as_at)
    iro = _current(table_from_db("iro", [child]), "START_DATE", "END_DATE", as_at)
    ids = [*social_worker.get_column("SW_ID"), *iro.get_column("IRO_ID")]
    users = {
        user.staff_id: user
        for user in User.objects.filter(staff_id__in=[i for i in ids if i]).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current(as_at).select_related("team__manager"),
                to_attr="teams_now",
            )
        )
    }

    def person(role: str, staff_id: str | None, since: date | None) -> Row:
        user = users.get(staff_id or "")
        detail = None
        if user is not None and user.teams_now:
            membership: Membership = user.teams_now[0]
            manager = membership.team.manager
            detail = f"{membership.team}" + (f", managed by {manager}" if manager else "")
        name = str(user) if user is not None else staff_id
        return _person(role, name, since, detail)

    people = [
        person("Social worker", *row)
        for row in social_worker.select("SW_ID", "SW_DECOM").head(1).iter_rows()
    ] or [person("Social worker", None, None)]
    people += [
        person("Independent reviewing officer", *row)
        for row in iro.select("IRO_ID", "START_DATE").head(1).iter_rows()
    ] or [person("Independent reviewing officer", None, None)]
    return people + _allocated_people(child, as_at)


def people_at_a_glance(page: ChildRecord, as_at: date) -> list[Row]:
    """The people of `child_people` without SINCE or DETAIL, for the overview of the
    record: the social worker and IRO named by the child's stored line (as `page`
    summarises it: pages read what was worked out), and whoever is allocated to them on
    `as_at`. One query."""
    summary = page.summary
    return [
        _person("Social worker", summary.get("SOCIAL_WORKER"), None, None),
        _person("Independent reviewing officer", summary.get("IRO_NAME"), None, None),
        *_allocated_people(page.child, as_at),
    ]


def _allocated_people(child: str, as_at: date) -> list[Row]:
    """Who is allocated to `child` on `as_at` (a personal adviser, a designated teacher),
    as `child_people`'s rows. One query."""
    allocated = Allocation.objects.current(as_at).filter(child=child).select_related("user")
    return [
        _person(allocation.get_kind_display(), str(allocation.user), allocation.start, None)
        for allocation in allocated.order_by("kind")
    ]


def placement(record: Record, as_at: date) -> Row | None:
    """Where a child (one child's record) lives on `as_at`, in words: PLACEMENT (type),
    PLACEMENT_START, PROVIDER, PL_POST (the placement's postcode), LEGAL_STATUS and
    PERIOD_START (when this time in care began). None if they are not looked after."""
    episodes = looked_after_on(record.episodes, as_at)
    rows = episodes.select(
        meaning("PLACE", "placement_type", alias="PLACEMENT"),
        "PLACEMENT_START",
        meaning("PLACE_PROVIDER", "placement_provider", alias="PROVIDER"),
        "PL_POST",
        meaning("LS", "legal_status", alias="LEGAL_STATUS"),
        "PERIOD_START",
    ).rows(named=True)
    return rows[0] if rows else None
