"""The permission matrix, in one table: every role against every question, and the small
world of people and children it is asked about.

The access functions are tested against it now (test_permissions.py); the page tests
reuse it row by row, requesting `PAGES[question]` for each child and expecting the page
(200) where the table says Y and "page not found" (404) where it says N.

The world, with T = today:
- Team A (managed by `team-manager`): `social-worker` (SW_ID SW1) and a colleague (SW2).
  Team B: another worker (SW9). Leaving care team: `personal-adviser`.
- ALLOCATED: social worker SW1 and IRO IRO1 since T-100, in care; the designated
  teacher's pupil; it is `young-person`'s own record.
- TEAM: social worker SW2 (a colleague of SW1), IRO IRO2, in care.
- OTHER: social worker SW9 (team B), IRO IRO9, in care.
- LEAVER: left care at T-30, when SW1's and IRO1's episodes ended; `personal-adviser`'s.
- SEALED: social worker SW1 and IRO IRO1, in care; restricted, naming only
  `team-manager` and `director`.
- NOBODY: no such child.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.utils import timezone
from rules.predicates import Predicate

from carematters.web.approvals import access as approvals_access
from carematters.web.approvals import views as approvals_views
from carematters.web.approvals.models import Request
from carematters.web.casework import education_views, mine
from carematters.web.casework import views as casework_views
from carematters.web.casework.models import Episode, Header, IroAssignment, SocialWorkerEpisode
from carematters.web.people import access, actions
from carematters.web.people.access import Purpose
from carematters.web.people.models import AllocationKind, Team, User
from carematters.web.people.roles import Role
from carematters.web.reviews import access as reviews_access

ROLES = {
    "sw": Role.SOCIAL_WORKER,
    "tm": Role.TEAM_MANAGER,
    "iro": Role.IRO,
    "pa": Role.PERSONAL_ADVISER,
    "vsh": Role.VIRTUAL_SCHOOL_HEAD,
    "dt": Role.DESIGNATED_TEACHER,
    "dcs": Role.DIRECTOR,
    "lm": Role.LEAD_MEMBER,
    "po": Role.PERFORMANCE_OFFICER,
    "yp": Role.YOUNG_PERSON,
    "adm": Role.ADMINISTRATOR,
}
"""The matrix's columns: a short name for each role; the world's user for it has the
role's value as username (as the demo's users do)."""

CHILDREN = {
    "ALLOCATED": "1000001",
    "TEAM": "1000002",
    "OTHER": "1000003",
    "LEAVER": "1000004",
    "SEALED": "1000005",
    "NOBODY": "1999999",
}

MATRIX_TEXT = """
question     child      sw tm iro pa vsh dt dcs lm po yp adm
view         ALLOCATED  Y  Y  Y   N  N   N  Y   N  Y  Y  N
view         TEAM       Y  Y  N   N  N   N  Y   N  Y  N  N
view         OTHER      N  N  N   N  N   N  Y   N  Y  N  N
view         LEAVER     N  N  N   Y  N   N  Y   N  Y  N  N
view         SEALED     N  Y  N   N  N   N  Y   N  N  N  N
view         NOBODY     N  N  N   N  N   N  N   N  N  N  N
record       ALLOCATED  Y  N  N   N  N   N  N   N  N  N  N
record       TEAM       N  N  N   N  N   N  N   N  N  N  N
record       LEAVER     N  N  N   N  N   N  N   N  N  N  N
record       SEALED     N  N  N   N  N   N  N   N  N  N  N
record       NOBODY     N  N  N   N  N   N  N   N  N  N  N
review       ALLOCATED  Y  N  Y   N  N   N  N   N  N  N  N
review       TEAM       N  N  N   N  N   N  N   N  N  N  N
review       SEALED     N  N  N   N  N   N  N   N  N  N  N
allocate     ALLOCATED  N  Y  N   N  N   N  N   N  N  N  N
allocate     TEAM       N  Y  N   N  N   N  N   N  N  N  N
allocate     OTHER      N  N  N   N  N   N  N   N  N  N  N
allocate     SEALED     N  Y  N   N  N   N  N   N  N  N  N
education    ALLOCATED  Y  Y  Y   N  Y   Y  Y   N  Y  Y  N
education    OTHER      N  N  N   N  Y   N  Y   N  Y  N  N
education    LEAVER     N  N  N   Y  N   N  Y   N  Y  N  N
education    SEALED     N  Y  N   N  N   N  Y   N  N  N  N
access-log   ALLOCATED  N  Y  N   N  N   N  Y   N  N  N  N
access-log   OTHER      N  N  N   N  N   N  Y   N  N  N  N
access-log   SEALED     N  Y  N   N  N   N  Y   N  N  N  N
access-log   NOBODY     N  N  N   N  N   N  N   N  N  N  N
break-glass  ALLOCATED  N  N  N   Y  Y   N  N   N  N  N  N
break-glass  OTHER      Y  Y  Y   Y  Y   N  N   N  N  N  N
break-glass  SEALED     N  N  N   N  N   N  N   N  N  N  N
break-glass  NOBODY     N  N  N   N  N   N  N   N  N  N  N
reason-page  ALLOCATED  N  N  N   Y  Y   N  N   N  N  N  N
reason-page  TEAM       N  N  Y   Y  Y   N  N   N  N  N  N
reason-page  OTHER      Y  Y  Y   Y  Y   N  N   N  N  N  N
reason-page  LEAVER     Y  Y  Y   N  Y   N  N   N  N  N  N
reason-page  SEALED     Y  N  Y   Y  Y   N  N   N  Y  N  N
reason-page  NOBODY     Y  Y  Y   Y  Y   N  Y   N  Y  N  N
restrict     ALLOCATED  N  Y  N   N  N   N  Y   N  N  N  N
restrict     TEAM       N  Y  N   N  N   N  Y   N  N  N  N
restrict     OTHER      N  N  N   N  N   N  Y   N  N  N  N
restrict     LEAVER     N  N  N   N  N   N  Y   N  N  N  N
restrict     SEALED     N  Y  N   N  N   N  Y   N  N  N  N
restrict     NOBODY     N  N  N   N  N   N  N   N  N  N  N
figures      -          N  Y  N   N  Y   N  Y   Y  Y  N  N
users        -          N  N  N   N  N   N  N   N  N  N  Y
add-user     -          N  N  N   N  N   N  N   N  N  N  Y
change-user  -          N  N  N   N  N   N  N   N  N  N  Y
add-team     -          N  N  N   N  N   N  N   N  N  N  Y
returns      -          N  N  N   N  N   N  N   N  Y  N  N
"""
"""Y: allowed, N: not (for a child: the same answer as for NOBODY, "page not found" or,
for the staff who may break glass, the page asking for a reason: see `reason-page`).

- view: open the child's record (`access.child_for(user, child, Purpose.VIEW)`); the
  Virtual School Head and a designated teacher see the education section only, so the
  record itself is not theirs (see `education`).
- record / review / allocate / education / access-log: the other purposes.
- break-glass: a reason given opens the record (only where nothing else lets them see
  it, and never a restricted record).
- reason-page: the record's pages ask for a reason instead of "page not found": the staff
  who may break glass, for any child they cannot view, whether or not the child exists
  or the record is restricted, so that the page never tells them which children exist
  (a reason given for NOBODY or SEALED is then "page not found", and audited).
- restrict: restrict the record to people named, change whom it names, lift it (the
  director, or the child's team manager; once restricted, only if it names them).
- figures, users, returns: the authority's figures, the list of users and teams, the
  SSDA903 return.
- add-user, change-user, add-team: adding a user, a user's page (and its changes:
  role, team, deactivating, their password), adding a team.
"""


@dataclass(frozen=True)
class Row:
    question: str
    child: str | None
    """The CHILD id asked about, None for a question about no child."""
    expected: dict[str, bool]
    """By the short role names of ROLES."""

    def __str__(self) -> str:
        label = next((k for k, v in CHILDREN.items() if v == self.child), "-")
        return f"{self.question}-{label}"


def _rows(text: str) -> list[Row]:
    header, *lines = (line.split() for line in text.strip().splitlines())
    roles = header[2:]
    assert roles == list(ROLES), "the matrix's columns must be ROLES, in order"
    return [
        Row(
            question,
            None if child == "-" else CHILDREN[child],
            {role: answer == "Y" for role, answer in zip(roles, answers, strict=True)},
        )
        for question, child, *answers in lines
    ]


MATRIX = _rows(MATRIX_TEXT)

PURPOSES = {purpose.value: purpose for purpose in Purpose}

PAGES: dict[str, str | None] = {
    "view": "/children/{child}/",
    "record": "/children/{child}/record-visit/",
    "review": "/children/{child}/record-review/",
    "access-log": "/children/{child}/access-log/",
    "allocate": "/children/{child}/allocate/",
    "education": "/children/{child}/education/",
    "break-glass": None,
    "reason-page": None,
    "figures": "/figures/",
    "restrict": "/children/{child}/restriction/",
    "users": "/users/",
    "add-user": "/users/add/",
    "change-user": "/users/social-worker/",
    "add-team": "/users/teams/add/",
    "returns": None,
}
"""The page that asks each question, for the page tests (None: no page yet)."""


def asked_for_a_reason(role: str, child: str) -> bool:
    """The matrix's `reason-page` answer: the world's user for `role` (a short name) is
    asked for a reason on opening `child`'s record."""
    row = next(r for r in MATRIX if r.question == "reason-page" and r.child == child)
    return row.expected[role]


def page_cases() -> list[tuple[str, str, bool]]:
    """(URL, short role name, allowed) for every row of the matrix whose question has a
    page: what the page tests request, signed in as the world's user for that role."""
    return [
        (page.format(child=row.child), role, allowed)
        for row in MATRIX
        if (page := PAGES[row.question]) is not None
        for role, allowed in row.expected.items()
    ]


ABOUT_A_CHILD: dict[str, Predicate] = {
    "break-glass": access.may_break_glass,
    "reason-page": access.is_break_glass_role & ~access.MAY[Purpose.VIEW],
    "restrict": actions.may_restrict,
}
"""The questions about a child answered by one predicate (user, CHILD) each."""


def ask(question: str, user: User, child: str | None) -> bool:
    """The access functions' answer to one question of the matrix."""
    if question in ASKED_ELSEWHERE:
        return ASKED_ELSEWHERE[question](user, child)
    if question in PURPOSES:
        assert child is not None
        try:
            access.child_for(user, child, PURPOSES[question])
        except Http404:
            return False
        return True
    if question in ABOUT_A_CHILD:
        return bool(ABOUT_A_CHILD[question].test(user, child))
    rule = {
        "figures": access.sees_figures,
        "users": access.manages_users,
        "add-user": access.manages_users,
        "change-user": access.manages_users,
        "add-team": access.manages_users,
        "returns": access.exchanges_returns,
    }[question]
    return bool(rule.test(user))


@dataclass(frozen=True)
class World:
    users: dict[str, User]
    """By the short role names of ROLES."""
    today: date


def _staff(username: str, role: Role, staff_id: str = "", child: str = "") -> User:
    # No password: hashing one with Argon2 for every user of every test would take
    # minutes; page tests sign in with `client.force_login(user)`.
    return User.objects.create_user(
        username, password=None, role=role, staff_id=staff_id, child=child
    )


def _child(child: str, *, since: date, until: date | None = None) -> None:
    Header.objects.create(child=child, sex="1", dob=date(2012, 5, 1))
    Episode.objects.create(child=child, decom=since, dec=until, rne="S", ls="C2", place="U1")


def _social_worker(child: str, sw_id: str, since: date, until: date | None = None) -> None:
    SocialWorkerEpisode.objects.create(child=child, sw_id=sw_id, sw_decom=since, sw_dec=until)


def _iro(child: str, iro_id: str, since: date, until: date | None = None) -> None:
    IroAssignment.objects.create(child=child, iro_id=iro_id, start_date=since, end_date=until)


def build_world() -> World:
    """The people and children the matrix is about (see the module's docstring)."""
    today = timezone.localdate()
    began, ended = today - timedelta(days=100), today - timedelta(days=30)
    c = CHILDREN
    _child(c["ALLOCATED"], since=began)
    _child(c["TEAM"], since=began)
    _child(c["OTHER"], since=began)
    _child(c["LEAVER"], since=began, until=ended)
    _child(c["SEALED"], since=began)
    for child, sw_id, iro_id in (
        (c["ALLOCATED"], "SW1", "IRO1"),
        (c["TEAM"], "SW2", "IRO2"),
        (c["OTHER"], "SW9", "IRO9"),
        (c["SEALED"], "SW1", "IRO1"),
    ):
        _social_worker(child, sw_id, began)
        _iro(child, iro_id, began)
    _social_worker(c["LEAVER"], "SW1", began, ended)
    _iro(c["LEAVER"], "IRO1", began, ended)

    users = {
        "sw": _staff("social-worker", Role.SOCIAL_WORKER, "SW1"),
        "tm": _staff("team-manager", Role.TEAM_MANAGER),
        "iro": _staff("iro", Role.IRO, "IRO1"),
        "pa": _staff("personal-adviser", Role.PERSONAL_ADVISER),
        "vsh": _staff("virtual-school-head", Role.VIRTUAL_SCHOOL_HEAD),
        "dt": _staff("designated-teacher", Role.DESIGNATED_TEACHER),
        "dcs": _staff("director", Role.DIRECTOR),
        "lm": _staff("lead-member", Role.LEAD_MEMBER),
        "po": _staff("performance-officer", Role.PERFORMANCE_OFFICER),
        "yp": _staff("young-person", Role.YOUNG_PERSON, child=c["ALLOCATED"]),
        "adm": _staff("administrator", Role.ADMINISTRATOR),
    }
    team_a = Team.objects.create(name="Team A", manager=users["tm"])
    team_b = Team.objects.create(name="Team B", manager=_staff("manager-b", Role.TEAM_MANAGER))
    leaving_care = Team.objects.create(
        name="Leaving care", manager=_staff("manager-leaving-care", Role.TEAM_MANAGER)
    )
    joined = today - timedelta(days=365)
    actions.join_team(users["sw"], team_a, joined)
    actions.join_team(_staff("colleague", Role.SOCIAL_WORKER, "SW2"), team_a, joined)
    actions.join_team(_staff("other-worker", Role.SOCIAL_WORKER, "SW9"), team_b, joined)
    actions.join_team(users["pa"], leaving_care, joined)
    actions.allocate(
        AllocationKind.PERSONAL_ADVISER, users["pa"], {c["LEAVER"]: ended}, acting_user=None
    )
    actions.allocate(
        AllocationKind.DESIGNATED_TEACHER, users["dt"], {c["ALLOCATED"]: began}, acting_user=None
    )
    actions.restrict(c["SEALED"], "Sealed after adoption", [users["tm"]], acting_user=users["dcs"])
    return World(users, today)


# The IRO's work and the child's voice (carematters.web.reviews) -----------------------

REVIEWS_MATRIX_TEXT = """
question     child      sw tm iro pa vsh dt dcs lm po yp adm
hear         ALLOCATED  Y  N  Y   N  N   N  N   N  N  Y  N
hear         TEAM       N  N  N   N  N   N  N   N  N  N  N
hear         OTHER      N  N  N   N  N   N  N   N  N  N  N
hear         LEAVER     N  N  N   N  N   N  N   N  N  N  N
hear         SEALED     N  N  N   N  N   N  N   N  N  N  N
hear         NOBODY     N  N  N   N  N   N  N   N  N  N  N
chair        ALLOCATED  N  N  Y   N  N   N  N   N  N  N  N
chair        TEAM       N  N  N   N  N   N  N   N  N  N  N
chair        LEAVER     N  N  N   N  N   N  N   N  N  N  N
chair        SEALED     N  N  N   N  N   N  N   N  N  N  N
chair        NOBODY     N  N  N   N  N   N  N   N  N  N  N
iro-page     -          N  N  Y   N  N   N  N   N  N  N  N
escalations  -          N  Y  Y   N  N   N  Y   N  N  N  N
iro-report   -          N  N  Y   N  N   N  Y   Y  Y  N  N
iro-csv      -          N  N  Y   N  N   N  Y   Y  Y  N  N
"""
"""The IRO's work, by the same world:

- hear: record what the child says (their social worker, their IRO, the young person on
  their own record; `reviews.access.may_hear`);
- chair: record a review, postpone one, raise a concern about the plan (the child's
  named IRO; `reviews.access.is_named_iro`);
- iro-page, escalations, iro-report, iro-csv: the IRO's page, the list of escalations
  (IROs, team managers, the director), the IRO service's annual report and its CSV (the
  director, the performance officer, the IROs, and the Lead Member: figures only, no
  child named).

A child's views and reviews pages ask `view`, as the rest of their record does."""

MATRIX += _rows(REVIEWS_MATRIX_TEXT)
PAGES |= {
    "hear": "/children/{child}/views/add/",
    "chair": "/children/{child}/reviews/record/",
    "iro-page": "/reviews/",
    "escalations": "/reviews/escalations/",
    "iro-report": "/reviews/report/",
    "iro-csv": "/reviews/report/csv/",
}
ASKED_ELSEWHERE: dict[str, Callable[[User, str | None], bool]] = {
    "hear": lambda user, child: reviews_access.may_hear(user, str(child)),
    "chair": lambda user, child: reviews_access.is_named_iro(user, str(child)),
    "iro-page": lambda user, _: reviews_access.reviews_children(user),
    "escalations": lambda user, _: reviews_access.reads_escalations(user),
    "iro-report": lambda user, _: reviews_access.reads_the_report(user),
    "iro-csv": lambda user, _: reviews_access.reads_the_report(user),
}
"""The questions other apps answer, by their own access functions (`ask` asks them)."""


# Decisions that need approval (carematters.web.approvals) -----------------------------

APPROVALS_MATRIX_TEXT = """
question      child      sw tm iro pa vsh dt dcs lm po yp adm
ask-decision  ALLOCATED  Y  N  N   N  N   N  N   N  N  N  N
ask-decision  TEAM       N  N  N   N  N   N  N   N  N  N  N
ask-decision  LEAVER     N  N  N   N  N   N  N   N  N  N  N
ask-decision  SEALED     N  N  N   N  N   N  N   N  N  N  N
ask-decision  NOBODY     N  N  N   N  N   N  N   N  N  N  N
decisions     ALLOCATED  Y  Y  Y   N  N   N  Y   N  N  Y  N
decisions     TEAM       N  Y  N   N  N   N  Y   N  N  N  N
decisions     OTHER      N  N  N   N  N   N  Y   N  N  N  N
decisions     LEAVER     N  N  N   N  N   N  Y   N  N  N  N
decisions     SEALED     N  Y  N   N  N   N  Y   N  N  N  N
decisions     NOBODY     N  N  N   N  N   N  N   N  N  N  N
decide-tm     ALLOCATED  N  Y  N   N  N   N  N   N  N  N  N
decide-tm     TEAM       N  Y  N   N  N   N  N   N  N  N  N
decide-tm     OTHER      N  N  N   N  N   N  N   N  N  N  N
decide-tm     SEALED     N  Y  N   N  N   N  N   N  N  N  N
decide-dcs    ALLOCATED  N  N  N   N  N   N  Y   N  N  N  N
decide-dcs    SEALED     N  N  N   N  N   N  Y   N  N  N  N
decide-dcs    NOBODY     N  N  N   N  N   N  N   N  N  N  N
dispute       ALLOCATED  Y  N  Y   N  N   N  N   N  N  Y  N
dispute       TEAM       N  N  N   N  N   N  N   N  N  N  N
dispute       SEALED     N  N  N   N  N   N  N   N  N  N  N
answer        ALLOCATED  N  N  Y   N  N   Y  N   N  N  N  N
answer        TEAM       N  N  N   N  N   N  N   N  N  N  N
answer        OTHER      N  N  N   N  N   N  N   N  N  N  N
answer        SEALED     N  N  N   N  N   N  N   N  N  N  N
approvals     -          Y  Y  Y   N  N   Y  Y   N  N  N  N
"""
"""Decisions that need approval, by the same world:

- ask-decision: ask for a decision about the child, and record who was consulted (their
  social worker);
- decisions: see the child's decisions and each request (their social worker, team
  manager, IRO, the director, the young person on their own record);
- decide-tm, decide-dcs: approve, refuse or return a request about the child that the
  team manager of the child's team decides, or the director;
- dispute: record that the young person disputes a decision (the young person, their
  social worker or IRO);
- answer: answer, as the person consulted, a request about the child that needs both their
  IRO and the designated teacher consulted (a move in year 10: their named IRO and the
  designated teacher of their school, for themselves; nobody else, and never on a
  restricted record that does not name them);
- approvals: the approvals page (social workers, team managers, IROs, designated teachers
  for the requests waiting for their answer, the director)."""

MATRIX += _rows(APPROVALS_MATRIX_TEXT)
PAGES |= {
    "ask-decision": "/children/{child}/decisions/ask/",
    "decisions": "/children/{child}/decisions/",
    "decide-tm": None,
    "decide-dcs": None,
    "dispute": None,
    "answer": None,
    "approvals": "/approvals/",
}
ASKED_ELSEWHERE |= {
    "ask-decision": lambda user, child: approvals_access.may_ask(user, str(child)),
    "decisions": lambda user, child: approvals_access.may_see(user, str(child)),
    "decide-tm": lambda user, child: approvals_access.may_decide(
        user, Request(child=str(child), approver=Role.TEAM_MANAGER.value)
    ),
    "decide-dcs": lambda user, child: approvals_access.may_decide(
        user, Request(child=str(child), approver=Role.DIRECTOR.value)
    ),
    "dispute": lambda user, child: approvals_access.may_dispute(user, str(child)),
    "answer": lambda user, child: (
        approvals_access.answers_as(
            user, Request(child=str(child), gates=["gate.move.years_10_11"])
        )
        is not None
    ),
    "approvals": lambda user, _: Role(user.role) in approvals_views.LISTS,
}


# A young person's own pages (carematters.web.casework.mine) ---------------------------

MINE_MATRIX_TEXT = """
question     child      sw tm iro pa vsh dt dcs lm po yp adm
my-record    -          N  N  N   N  N   N  N   N  N  Y  N
my-reviews   -          N  N  N   N  N   N  N   N  N  Y  N
my-views     -          N  N  N   N  N   N  N   N  N  Y  N
my-view-add  -          N  N  N   N  N   N  N   N  N  Y  N
"""
"""The young person's own record, written to them (no CHILD id in the address: only
their own): "Your record", "Your reviews", "Your views" and "Tell us what you think"
(`casework.mine.reads_own_record`). The staff pages of their record send them to these
(`OWN_PAGES`)."""

MATRIX += _rows(MINE_MATRIX_TEXT)
PAGES |= {
    "my-record": "/my-record/",
    "my-reviews": "/my-record/reviews/",
    "my-views": "/my-record/views/",
    "my-view-add": "/my-record/views/add/",
}
ASKED_ELSEWHERE |= {
    question: lambda user, _: mine.reads_own_record(user)
    for question in ("my-record", "my-reviews", "my-views", "my-view-add")
}

OWN_PAGES = {
    "": "/my-record/",
    "chronology/": "/my-record/",
    "due/": "/my-record/",
    "people/": "/my-record/",
    "reviews/": "/my-record/reviews/",
    "views/": "/my-record/views/",
    "education/": "/my-record/",
    "decisions/": "/my-record/",
}
"""A page of a child's record (its address after /children/<CHILD>/) and where it sends
the young person whose record it is: their own page saying the same to them."""


def sent_to_own_page(role: str, url: str) -> str | None:
    """Where `url` sends the world's user for `role` (a short name): the young person's
    own page, for a staff page of their own record; else None (the page answers as the
    matrix says)."""
    own = f"/children/{CHILDREN['ALLOCATED']}/"
    if role != "yp" or not url.startswith(own):
        return None
    return OWN_PAGES.get(url.removeprefix(own))


def child_in(url: str) -> str | None:
    """The world's child whose page `url` is, if any."""
    return next((c for c in CHILDREN.values() if f"/{c}/" in url), None)


def page_problem(
    response: HttpResponse, role: str, url: str, *, allowed: bool, shown: str, reason_page: bool
) -> str | None:
    """What is wrong with the page `url` as the world's user for `role` got it, or None:
    where `allowed`, the page (showing `shown`), or the young person sent to their own;
    where not, the form asking for a reason if the page is one that asks (`reason_page`)
    and the matrix's `reason-page` says so, else "page not found"."""
    child = child_in(url)
    if allowed and (own := sent_to_own_page(role, url)) is not None:
        if (response.status_code, response.get("Location")) != (302, own):
            return f"{role}: {response.status_code}, expected to be sent to {own}"
        return None
    if allowed:
        expected = (200, shown)
    elif reason_page and child is not None and asked_for_a_reason(role, child):
        expected = (200, "Give a reason to open this record")
    else:
        expected = (404, "Page not found")
    if response.status_code != expected[0] or expected[1] not in response.content.decode():
        return f"{role}: {response.status_code}, expected {expected}"
    return None


# A personal adviser's work with care leavers (carematters.web.leaving) -----------------

LEAVING_MATRIX_TEXT = """
question      child      sw tm iro pa vsh dt dcs lm po yp adm
advise        ALLOCATED  N  N  N   N  N   N  N   N  N  N  N
advise        TEAM       N  N  N   N  N   N  N   N  N  N  N
advise        OTHER      N  N  N   N  N   N  N   N  N  N  N
advise        LEAVER     N  N  N   Y  N   N  N   N  N  N  N
advise        SEALED     N  N  N   N  N   N  N   N  N  N  N
advise        NOBODY     N  N  N   N  N   N  N   N  N  N  N
plan-pathway  ALLOCATED  Y  N  N   N  N   N  N   N  N  N  N
plan-pathway  TEAM       N  N  N   N  N   N  N   N  N  N  N
plan-pathway  OTHER      N  N  N   N  N   N  N   N  N  N  N
plan-pathway  LEAVER     N  N  N   Y  N   N  N   N  N  N  N
plan-pathway  SEALED     N  N  N   N  N   N  N   N  N  N  N
plan-pathway  NOBODY     N  N  N   N  N   N  N   N  N  N  N
caseload      -          Y  Y  Y   Y  N   N  N   N  N  N  N
"""
"""A care leaver's recording, by the same world:

- advise: record (or correct) a contact with the young person (`Purpose.ADVISE`): their
  personal adviser only, as the contact is theirs; not their social worker, team
  manager or anyone else;
- plan-pathway: record a needs assessment, pathway plan or its review
  (`Purpose.PATHWAY_PLAN`): the allocated social worker (an eligible child's plan is
  theirs while the child is looked after) or the personal adviser, not a colleague in
  the team;
- caseload: a caseload page (`/caseload/`): social workers, team managers, IROs and
  personal advisers (their care leavers, in leaving care's own columns)."""

MATRIX += _rows(LEAVING_MATRIX_TEXT)
PAGES |= {
    "advise": "/children/{child}/record-contact/",
    "plan-pathway": "/children/{child}/record-pathway-plan/",
    "caseload": "/caseload/",
}


def _may(user: User, child: str | None, purpose: Purpose) -> bool:
    try:
        access.child_for(user, str(child), purpose)
    except Http404:
        return False
    return True


ASKED_ELSEWHERE |= {
    "plan-pathway": lambda user, child: _may(user, child, Purpose.PATHWAY_PLAN),
    "caseload": lambda user, _: Role(user.role) in casework_views.CASELOADS,
}


# The education pages (carematters.web.casework.education_views) ----------------------

EDUCATION_MATRIX_TEXT = """
question        child      sw tm iro pa vsh dt dcs lm po yp adm
education       TEAM       Y  Y  N   N  Y   N  Y   N  Y  N  N
education       NOBODY     N  N  N   N  N   N  N   N  N  N  N
pep             ALLOCATED  Y  N  N   N  Y   Y  N   N  N  N  N
pep             TEAM       N  N  N   N  Y   N  N   N  N  N  N
pep             OTHER      N  N  N   N  Y   N  N   N  N  N  N
pep             LEAVER     N  N  N   Y  N   N  N   N  N  N  N
pep             SEALED     N  N  N   N  N   N  N   N  N  N  N
pep             NOBODY     N  N  N   N  N   N  N   N  N  N  N
education-list  -          N  N  N   N  Y   N  N   N  N  N  N
pupils          -          N  N  N   N  N   Y  N   N  N  N  N
"""
"""The education pages, by the same world:

- education (more of its rows above): a child's education section, for everyone who may
  open the record, the Virtual School Head for every child in care (not a care leaver,
  nor a restricted record that does not name them), a designated teacher for their
  pupils; staff who may not open it are asked for a reason, as on the record's pages;
- pep: record, correct or withdraw a PEP meeting (`Purpose.PEP`): the child's social
  worker, the personal adviser (as for any recording), the Virtual School Head for every
  child in care, a designated teacher for their pupils;
- education-list, pupils: the Virtual School Head's list of children in care of school
  age, and a designated teacher's list of their pupils."""

MATRIX += _rows(EDUCATION_MATRIX_TEXT)
PAGES |= {
    "pep": "/children/{child}/record-pep/",
    "education-list": "/education/",
    "pupils": "/pupils/",
}
ASKED_ELSEWHERE |= {
    "education-list": lambda user, _: education_views.reads_education_list(user),
    "pupils": lambda user, _: education_views.reads_pupils(user),
}
