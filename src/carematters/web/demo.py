"""The demo authority in the database, with one user per role tied to it as in life.

`setup_demo` brings the database up to date, loads the demo authority's record (600 in
care, from the simulator: `carematters.services.demo`'s settings, kept as a record
directory under `$CAREMATTERS_VAR/demo/record`) and makes its people:

- a user for every social worker (SW_ID) and IRO (IRO_ID) in the record, the social
  workers in teams of about eight, each team with a manager, so every child in care has
  a real social worker, team and manager;
- `social-worker` is a social worker of the record with a usual caseload today (12 to 18
  children in care), the one sharing most children with one IRO;
  `team-manager` manages their team; `iro` is the IRO named for most of their children;
  `young-person` is one of their children, aged 12 to 17, with `iro` as IRO if any is;
- `personal-adviser` and colleagues in a leaving care team hold the care leavers the
  record has a personal adviser's contact with in its last year (about 22 each);
- `designated-teacher` has some children in care of school age, a few of them
  `social-worker`'s;
- `virtual-school-head`, `director`, `lead-member`, `performance-officer` and
  `administrator`, with no tie to any one child;
- and, made as those users, the work in progress of its first day (`demo_work`): the
  IRO's concerns about three children's plans and a request to end a child's care.

Every demo user has one password: `CAREMATTERS_DEMO_PASSWORD` if set, otherwise one made
here once, shown once and kept in `$CAREMATTERS_VAR/demo-password` (mode 0600). Running
it again changes nothing.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path

import polars as pl
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from carematters.calendar.birthdays import age_on
from carematters.records import directory
from carematters.records.record import Record
from carematters.services import demo
from carematters.services.recording import collection_year_of
from carematters.services.synth import make_authority
from carematters.synth.names import BOYS, EITHER, FIRST_HALVES, GIRLS, SECOND_HALVES
from carematters.web import bridge
from carematters.web.casework.due import refresh_all_due
from carematters.web.demo_work import start_work
from carematters.web.people import actions
from carematters.web.people.models import AllocationKind, Membership, Team, User
from carematters.web.people.roles import Role

PASSWORD_VARIABLE = "CAREMATTERS_DEMO_PASSWORD"  # noqa: S105 - a variable's name, no secret
PASSWORD_FILE = "demo-password"  # noqa: S105 - a file's name, no secret
RECORD_FOLDER = Path("demo") / "record"
"""Where the demo record is kept, under CAREMATTERS_VAR (where `carematters demo` puts it)."""

TEAM_SIZE = 8
"""Social workers per team, at most; teams are made as even as the record allows."""
CARE_LEAVERS_PER_ADVISER = 22
"""About a personal adviser's caseload of care leavers."""
LEAVERS_CONTACTED_WITHIN = timedelta(days=365)
"""A care leaver the demo allocates: contacted by a personal adviser in the record's last year."""
PUPILS = 6
OWN_PUPILS = 3
"""The designated teacher's pupils, and how many of them are `social-worker`'s children."""
SCHOOL_AGE = (5, 15)
"""Not law: the ages (in whole years, both ends included) of the children the demo
gives the designated teacher, about those of compulsory school age."""
YOUNG_PERSON_AGE = (12, 17)
"""Not law: the ages (in whole years, both ends included) of the child the demo makes
`young-person`."""


class DemoError(Exception):
    """The demo cannot be set up as asked (a weak password, an unreadable demo record, or
    users in the way); the message says what and where."""


@dataclass(frozen=True)
class Ties:
    """Who is who in the demo, picked from the record."""

    social_worker: str
    """SW_ID of `social-worker`."""
    iro: str
    """IRO_ID of `iro`."""
    young_person: str
    """CHILD of `young-person`."""
    young_persons_name: tuple[str, str] | None
    """What `young-person` is called in the record (the name they go by, family name)."""
    teams: list[list[str]]
    """Every SW_ID in the record, by team; `social-worker`'s team first."""
    joined: dict[str, date]
    """Each social worker's first day with a child in the record: when they joined."""
    iros: list[str]
    """Every IRO_ID in the record."""
    care_leavers: list[list[tuple[str, date]]]
    """Care leavers (CHILD, first contact) by personal adviser; `personal-adviser`'s first."""
    pupils: list[str]
    """The designated teacher's pupils (CHILD)."""


@dataclass(frozen=True)
class DemoSetup:
    """What `setup_demo` did: nothing, when the demo was ready already."""

    children_loaded: int
    """Children whose record was loaded now (0: the database held the record already)."""
    users_created: int
    password_made: str | None
    """The password made now, to be shown this once (None: from the environment, or made
    before)."""
    password_file: Path | None
    """Where a made password is kept (None: it came from the environment)."""


def _current(start: str, end: str, day: date) -> pl.Expr:
    return (pl.col(start) <= day) & (pl.col(end).is_null() | (pl.col(end) > day))


def _age(day: date) -> pl.Expr:
    """Age in whole years on `day`, by the one birthday rule (`calendar.birthdays`)."""
    return age_on(pl.col("DOB"), day).alias("AGE")


def _between(ages: tuple[int, int]) -> pl.Expr:
    return pl.col("AGE").is_between(*ages)


def _teams(sw_ids: list[str], first: str) -> list[list[str]]:
    """`sw_ids` (sorted) cut into as few teams of at most TEAM_SIZE as will do, sizes
    differing by one at most; the team holding `first` put first."""
    count = -(-len(sw_ids) // TEAM_SIZE)
    teams = [
        sw_ids[i * len(sw_ids) // count : (i + 1) * len(sw_ids) // count] for i in range(count)
    ]
    return sorted(teams, key=lambda team: first not in team)


def pick_ties(record: Record, day: date) -> Ties:
    """Who is who in the demo on `day`, from the record (see the module's docstring).
    Raises DemoError if the record has no social worker with a child of 12 to 17."""
    ages = record.header.select("CHILD", _age(day))
    in_care = record.episodes.filter(_current("DECOM", "DEC", day)).select("CHILD").unique()
    caseloads = (
        record.sw_episodes.filter(_current("SW_DECOM", "SW_DEC", day))
        .join(in_care, on="CHILD")
        .join(ages, on="CHILD")
        .select("SW_ID", "CHILD", "AGE")
    )
    iros = record.iro.filter(_current("START_DATE", "END_DATE", day)).select("CHILD", "IRO_ID")
    shared = caseloads.join(iros, on="CHILD").group_by("SW_ID", "IRO_ID").len("SHARED")
    candidates = (
        caseloads.group_by("SW_ID")
        .agg(
            pl.col("CHILD").n_unique().alias("CASELOAD"),
            _between(YOUNG_PERSON_AGE).any().alias("TEENAGER"),
        )
        .filter(pl.col("TEENAGER"))
        .join(shared.group_by("SW_ID").agg(pl.col("SHARED").max()), on="SW_ID", how="left")
        # A caseload of a usual size, and of those the one sharing most children with
        # one IRO, so the demo's IRO is the named IRO of several of them.
        .with_columns(USUAL=pl.col("CASELOAD").is_between(*USUAL_CASELOAD))
        .sort(
            ["USUAL", "SHARED", "CASELOAD", "SW_ID"],
            descending=[True, True, True, False],
            nulls_last=True,
        )
    )
    if candidates.is_empty():
        raise DemoError("the demo record has no social worker with a child aged 12 to 17")
    social_worker = candidates.item(0, "SW_ID")
    their_iros = shared.filter(pl.col("SW_ID") == social_worker).sort(
        ["SHARED", "IRO_ID"], descending=[True, False]
    )
    iro = their_iros.item(0, "IRO_ID")
    children = caseloads.filter(pl.col("SW_ID") == social_worker).join(iros, on="CHILD", how="left")
    young_person = children.filter(_between(YOUNG_PERSON_AGE)).sort(
        pl.col("IRO_ID") != iro, "CHILD", nulls_last=True
    )
    workers = (
        record.sw_episodes.drop_nulls(["SW_ID", "SW_DECOM"])
        .group_by("SW_ID")
        .agg(pl.col("SW_DECOM").min())
    )
    child = young_person.item(0, "CHILD")
    return Ties(
        social_worker=social_worker,
        iro=iro,
        young_person=child,
        young_persons_name=_name(record, child),
        teams=_teams(sorted(workers["SW_ID"]), social_worker),
        joined=dict(workers.iter_rows()),
        iros=sorted(record.iro.get_column("IRO_ID").drop_nulls().unique()),
        care_leavers=_care_leavers(record, in_care),
        pupils=_pupils(children, in_care.join(ages, on="CHILD")),
    )


def _name(record: Record, child: str) -> tuple[str, str] | None:
    """What `child` is called in the record's `people` table, if it has them."""
    names = record.table("people").filter(pl.col("CHILD") == child)
    if names.is_empty():
        return None
    given = names.item(0, "PREFERRED_NAME") or names.item(0, "GIVEN_NAME") or ""
    return given, names.item(0, "FAMILY_NAME") or ""


def _care_leavers(record: Record, in_care: pl.DataFrame) -> list[list[tuple[str, date]]]:
    """Children out of care whom a personal adviser contacted in the record's last year,
    with their first contact, in caseloads of about CARE_LEAVERS_PER_ADVISER (one empty
    caseload if there are none: `personal-adviser` is still made)."""
    contacts = record.pa_contacts.drop_nulls("CONTACT_DATE")
    if contacts.is_empty():
        return [[]]
    since = contacts.get_column("CONTACT_DATE").max() - LEAVERS_CONTACTED_WITHIN  # type: ignore[operator]
    leavers = (
        contacts.join(in_care, on="CHILD", how="anti")
        .group_by("CHILD")
        .agg(pl.col("CONTACT_DATE").min().alias("FIRST"), pl.col("CONTACT_DATE").max())
        .filter(pl.col("CONTACT_DATE") >= since)
        .sort("CHILD")
    )
    rows = list(leavers.select("CHILD", "FIRST").iter_rows())
    count = max(1, round(len(rows) / CARE_LEAVERS_PER_ADVISER))
    return [rows[i::count] for i in range(count)]


def _pupils(children: pl.DataFrame, in_care: pl.DataFrame) -> list[str]:
    """PUPILS children in care of school age: OWN_PUPILS of `children` (the social
    worker's), then others, by CHILD."""
    own = children.filter(_between(SCHOOL_AGE)).sort("CHILD").head(OWN_PUPILS)
    others = (
        in_care.filter(_between(SCHOOL_AGE))
        .join(children, on="CHILD", how="anti")
        .sort("CHILD")
        .head(PUPILS - own.height)
    )
    return [*own["CHILD"], *others["CHILD"]]


def _names() -> cycle[tuple[str, str]]:
    """Invented staff names, given and family, from the simulator's lists."""
    given = (*EITHER, *GIRLS, *BOYS)
    return cycle(
        (given[(7 * i) % len(given)], FIRST_HALVES[i % len(FIRST_HALVES)] + half)
        for i, half in enumerate(SECOND_HALVES * len(FIRST_HALVES))
    )


def _school_year_start(day: date) -> date:
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def _make_people(ties: Ties, password: str, day: date) -> int:
    """Every demo user, team, membership and allocation, in one transaction. Gives how
    many users were made."""
    names = _names()
    hashed = make_password(password)  # once for all: Argon2 is slow on purpose

    def new(username: str, role: Role, *, staff_id: str = "", child: str = "") -> User:
        first, last = next(names)
        return User(
            username=username,
            role=role,
            staff_id=staff_id,
            child=child,
            first_name=first,
            last_name=last,
            password=hashed,
        )

    workers = {
        sw_id: new(
            Role.SOCIAL_WORKER if sw_id == ties.social_worker else sw_id.lower(),
            Role.SOCIAL_WORKER,
            staff_id=sw_id,
        )
        for team in ties.teams
        for sw_id in team
    }
    managers = [new(Role.TEAM_MANAGER, Role.TEAM_MANAGER)] + [
        new(f"manager-team-{n}", Role.TEAM_MANAGER) for n in range(2, len(ties.teams) + 1)
    ]
    advisers = [
        new(
            Role.PERSONAL_ADVISER if n == 1 else f"pa{n:03d}",
            Role.PERSONAL_ADVISER,
            staff_id=f"PA{n:03d}",
        )
        for n in range(1, len(ties.care_leavers) + 1)
    ]
    leaving_care_manager = new("manager-leaving-care", Role.TEAM_MANAGER)
    iros = [new(Role.IRO if i == ties.iro else i.lower(), Role.IRO, staff_id=i) for i in ties.iros]
    others = [
        new(role, role)
        for role in (
            Role.VIRTUAL_SCHOOL_HEAD,
            Role.DESIGNATED_TEACHER,
            Role.DIRECTOR,
            Role.LEAD_MEMBER,
            Role.PERFORMANCE_OFFICER,
            Role.ADMINISTRATOR,
        )
    ]
    young_person = new(Role.YOUNG_PERSON, Role.YOUNG_PERSON, child=ties.young_person)
    if ties.young_persons_name:
        young_person.first_name, young_person.last_name = ties.young_persons_name
    everyone = [
        *workers.values(),
        *managers,
        leaving_care_manager,
        *advisers,
        *iros,
        *others,
        young_person,
    ]
    with transaction.atomic():
        User.objects.bulk_create(everyone)
        saved = User.objects.in_bulk([u.username for u in everyone], field_name="username")
        teams = [
            Team.objects.create(name=f"Children in care team {n}", manager=saved[m.username])
            for n, m in enumerate(managers, start=1)
        ]
        leaving_care = Team.objects.create(
            name="Leaving care team", manager=saved[leaving_care_manager.username]
        )
        Membership.objects.bulk_create(
            [
                Membership(team=team, user=saved[workers[i].username], start=ties.joined[i])
                for team, sw_ids in zip(teams, ties.teams, strict=True)
                for i in sw_ids
            ]
            + [
                Membership(
                    team=leaving_care,
                    user=saved[adviser.username],
                    start=min((start for _, start in leavers), default=day),
                )
                for adviser, leavers in zip(advisers, ties.care_leavers, strict=True)
            ]
        )
        for adviser, leavers in zip(advisers, ties.care_leavers, strict=True):
            actions.allocate(
                AllocationKind.PERSONAL_ADVISER,
                saved[adviser.username],
                dict(leavers),
                acting_user=None,
            )
        teacher = saved[Role.DESIGNATED_TEACHER]
        start = _school_year_start(day)
        actions.allocate(
            AllocationKind.DESIGNATED_TEACHER,
            teacher,
            dict.fromkeys(ties.pupils, start),
            acting_user=None,
        )
    return len(everyone)


def _password(var: Path) -> tuple[str, str | None, Path | None]:
    """The demo users' password, the one made now (to show once) and the file keeping a
    made one: from CAREMATTERS_DEMO_PASSWORD (checked by the site's password rules), else
    the file made before, else a new one, written to the file (mode 0600) before use."""
    if given := os.environ.get(PASSWORD_VARIABLE, ""):
        try:
            validate_password(given)
        except ValidationError as weak:
            raise DemoError(f"{PASSWORD_VARIABLE} is too weak: {' '.join(weak.messages)}") from weak
        return given, None, None
    path = var / PASSWORD_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), None, path
    made = secrets.token_urlsafe(15)
    var.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(made + "\n")
    return made, made, path


def _demo_record(folder: Path, day: date) -> Record:
    """The demo record kept in `folder`, made there first if it is not: a live record,
    simulated from the demo's first year up to `day` (today), so that the work due today
    is the work a social worker would have today."""
    if not folder.exists():
        return make_authority(
            folder,
            children_in_care=demo.IN_CARE,
            first_year=demo.FIRST_YEAR,
            last_year=collection_year_of(day).start_year,
            seed=demo.SEED,
            until=day,
        ).record
    loaded = directory.load(folder)
    if loaded.problems:
        raise DemoError(
            f"the demo record in {folder} cannot be read ({len(loaded.problems)} problems, "
            f"the first: {loaded.problems[0]}); move it away to have it made again"
        )
    return loaded.record


USUAL_CASELOAD = (12, 18)
"""The demo's social worker holds between this many children in care (inclusive)."""
DEMO_USERNAMES = frozenset(Role.values)
"""Each role's demo user is called by the role's name."""


def setup_demo() -> DemoSetup:
    """Make the database ready for the demo: its tables brought up to date, the demo
    record loaded and its people made, as the module's docstring says; whatever of that
    is done already is left as it is. Raises DemoError, before changing anything, for a
    weak CAREMATTERS_DEMO_PASSWORD, an unreadable demo record, or some demo users there
    already and others not."""
    call_command("migrate", interactive=False, verbosity=0)
    var: Path = settings.VAR
    present = set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    if present and present != DEMO_USERNAMES:
        raise DemoError(
            f"some demo users are there already ({', '.join(sorted(present))}) and others "
            "are not; remove them, or set the demo up in an empty database"
        )
    password, made, kept = _password(var) if not present else (None, None, var / PASSWORD_FILE)
    day = timezone.localdate()
    record = None if bridge.holds_a_record() else _demo_record(var / RECORD_FOLDER, day)
    with transaction.atomic():
        if record is not None:
            bridge.load_record(record)
        users = 0
        if password is not None:
            users = _make_people(pick_ties(record or bridge.record_from_db(), day), password, day)
            start_work(day)
    # What is due is derived from the record and moves with the date: worked out afresh
    # each time, so the demo's pages show today's work.
    refresh_all_due(day)
    return DemoSetup(
        record.header.height if record is not None else 0,
        users,
        made,
        kept if kept is not None and kept.exists() else None,
    )
