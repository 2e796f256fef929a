"""Children's education as the Virtual School Head and a designated teacher see it (WEB.md
"Who sees what"): the list of children in care of school age with their personal
education plans (PEPs), and one child's education section.

What is due is read as stored (`due.Due`: the duties `pep.initial` and `pep.review`,
worked out on each write and nightly), never worked out here. School age is the PEP
duties' own (`education.pep_from_age` to `education.pep_until_age`), and the school year
is the National Curriculum year a child's date of birth puts them in
(`calendar.school.school_year`), which a child held back or moved up a year is not in:
pages say "by age".

The record keeps PEP meetings and nothing else of a child's education: no attendance,
exclusions or school. Pages say so rather than show anything in their place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import polars as pl
from django.db.models import Q
from django.urls import reverse

from carematters.calendar.school import school_year
from carematters.parameters import parameters
from carematters.web.bridge import table_from_db
from carematters.web.bulk import read_frame
from carematters.web.casework.due import DUTY_TITLES, STATUS_TAGS, TO_DO, Due, stored_on
from carematters.web.casework.lines import lines_of
from carematters.web.casework.models import Pep
from carematters.web.people.models import Allocation, AllocationKind, User

PEP_DUTIES = ("pep.initial", "pep.review")
"""The duties of personal education plans (`duties.education`)."""
LAST_YEAR = 13
"""Year 13, the last National Curriculum year."""
NOT_RECORDED_YET = "Not recorded in carematters yet"
"""What the education section says of attendance and exclusions, which the record does
not keep."""

_DUE_SCHEMA = {
    "CHILD": pl.String(),
    "DUTY": pl.String(),
    "DUE_DATE": pl.Date(),
    "STATUS": pl.String(),
    "DAYS_OVERDUE": pl.Int64(),
    "AS_AT": pl.Date(),
}
_DUE_FIELDS = ("child", "duty", "due_date", "status", "days_overdue", "as_at")
_STATUS_ORDER = {"overdue": 0, "due": 1, "upcoming": 2}


@dataclass(frozen=True)
class PepAges:
    """The ages PEPs are kept between, on a day: from the birthday `start` (included) to
    the birthday `stop` (excluded), as the PEP duties read them."""

    start: int
    stop: int

    def holds(self, age: int | None) -> bool:
        return age is not None and self.start <= age < self.stop


def pep_ages(today: date) -> PepAges:
    """The PEP ages in force on `today` (`education.pep_from_age`, `pep_until_age`)."""
    p = parameters(today)
    return PepAges(p["education.pep_from_age"].number, p["education.pep_until_age"].number)


def school_year_words(dob: date | None, today: date) -> str | None:
    """The school year a child born on `dob` is in by age on `today`: "Reception",
    "Year 1" to "Year 13", "Before Reception"; None without a date of birth or after
    Year 13."""
    if dob is None:
        return None
    year = school_year(dob, today)
    if year < 0:
        return "Before Reception"
    if year == 0:
        return "Reception"
    return f"Year {year}" if year <= LAST_YEAR else None


@dataclass(frozen=True)
class NextPep:
    """A child's next PEP as stored: the duty still to do that falls due first, or, with
    none to do, why (`status` "not recorded" where the record keeps no PEPs at all; None
    where no PEP is owed today)."""

    title: str | None
    due_date: date | None
    status: str | None
    days_overdue: int | None

    @property
    def words(self) -> str:
        if self.status is None:
            return "None due"
        return STATUS_TAGS.get(self.status, (self.status, "grey"))[0]

    @property
    def colour(self) -> str:
        return STATUS_TAGS.get(self.status or "", ("", "grey"))[1]

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"

    @property
    def rank(self) -> tuple[int, int, date]:
        """Worst first: overdue (the longest first), due, upcoming (soonest first), then
        those with nothing to do."""
        return (
            _STATUS_ORDER.get(self.status or "", len(_STATUS_ORDER)),
            -(self.days_overdue or 0),
            self.due_date or date.max,
        )


NONE_DUE = NextPep(None, None, None, None)


def next_peps(duties: pl.DataFrame) -> dict[str, NextPep]:
    """Each child's next PEP (see `NextPep`) from their stored PEP duties (CHILD, DUTY,
    DUE_DATE, STATUS, DAYS_OVERDUE): no query."""
    found: dict[str, NextPep] = {}
    to_do = duties.filter(pl.col("STATUS").is_in(TO_DO)).sort("DUE_DATE", nulls_last=True)
    for row in to_do.iter_rows(named=True):
        found.setdefault(
            row["CHILD"],
            NextPep(
                DUTY_TITLES.get(row["DUTY"], row["DUTY"]),
                row["DUE_DATE"],
                row["STATUS"],
                row["DAYS_OVERDUE"],
            ),
        )
    for row in duties.filter(pl.col("STATUS") == "not recorded").iter_rows(named=True):
        found.setdefault(row["CHILD"], NextPep(None, None, "not recorded", None))
    return found


def stored_peps_due(children: list[str]) -> pl.DataFrame:
    """The stored PEP duties of `children` (CHILD ids): CHILD, DUTY, DUE_DATE, STATUS,
    DAYS_OVERDUE, AS_AT. One query."""
    return read_frame(
        Due,
        _DUE_FIELDS,
        _DUE_SCHEMA,
        children,
        order_by=("child", "due_date", "duty"),
        where=Q(duty__in=PEP_DUTIES),
    )


def designated_teachers(today: date) -> dict[str, str]:
    """Each child's designated teacher on `today` (CHILD: name), for every child who has
    one: one query (there are few, so all of them are read, not the list's children)."""
    allocated = Allocation.objects.current(today).filter(kind=AllocationKind.DESIGNATED_TEACHER)
    return {a.child: str(a.user) for a in allocated.select_related("user").order_by("pk")}


def _education_href(child: str) -> str:
    return reverse("child-education", args=[child])


@dataclass(frozen=True)
class EducationLine:
    """One child on the education list."""

    child: str
    name: str
    known_as: str | None
    sort_name: str
    age: int | None
    school_year: str | None
    latest_pep: date | None
    next_pep: NextPep
    teacher: str | None
    href: str


@dataclass(frozen=True)
class EducationList:
    """The education list: its children (worst first), how many there were before the
    filter, and the day what is due was worked out on (None: nothing stored)."""

    lines: list[EducationLine]
    children: int
    overdue: int
    worked_out_on: date | None


def education_list(
    children: Iterable[str], today: date, *, in_care_of_school_age: bool, overdue_only: bool
) -> EducationList:
    """The education list of `children` (CHILD ids the user may open for education) on
    `today`: with `in_care_of_school_age`, only those looked after (as their stored line
    says) and of PEP age; with `overdue_only`, only those whose PEP is overdue. Each with
    their name, age, school year by age, latest PEP meeting, next PEP and designated
    teacher; worst first (PEP overdue longest, then due soonest, then by name). Four
    queries, however many children."""
    wanted = sorted({c for c in children if c})
    lines = lines_of(wanted, today)
    if in_care_of_school_age:
        ages = pep_ages(today)
        lines = lines.filter(
            pl.col("LOOKED_AFTER") & (pl.col("AGE") >= ages.start) & (pl.col("AGE") < ages.stop)
        )
    shown = lines.get_column("CHILD").to_list()
    duties = stored_peps_due(shown)
    due = next_peps(duties)
    peps = table_from_db("peps", shown).filter(pl.col("PEP_DATE") <= today)
    latest = dict(peps.group_by("CHILD").agg(pl.col("PEP_DATE").max()).iter_rows())
    teachers = designated_teachers(today) if shown else {}
    # One address reversed, the rest made from it: reversing each of hundreds costs more.
    slot = "child-id-goes-here"
    before, after = _education_href(slot).split(slot)
    every = [
        EducationLine(
            child=row["CHILD"],
            name=row["NAME"],
            known_as=row["KNOWN_AS"],
            sort_name=row["SORT_NAME"],
            age=row["AGE"],
            school_year=school_year_words(row["DOB"], today),
            latest_pep=latest.get(row["CHILD"]),
            next_pep=due.get(row["CHILD"], NONE_DUE),
            teacher=teachers.get(row["CHILD"]),
            href=f"{before}{quote(row['CHILD'], safe='')}{after}",
        )
        for row in lines.iter_rows(named=True)
    ]
    every.sort(key=lambda line: (line.next_pep.rank, line.sort_name, line.child))
    overdue = [line for line in every if line.next_pep.overdue]
    return EducationList(
        lines=overdue if overdue_only else every,
        children=len(every),
        overdue=len(overdue),
        worked_out_on=stored_on(duties),
    )


@dataclass(frozen=True)
class PepMeeting:
    """A PEP meeting in force in the record, with who recorded it, and the addresses of
    its correction and withdrawal for those who may (else None)."""

    pep_date: date | None
    recorded_by: str | None
    change: str | None
    withdraw: str | None


def pep_meetings(child: str, *, may_change: bool) -> list[PepMeeting]:
    """`child`'s PEP meetings in force, newest first. One query."""
    rows = Pep.objects.current().filter(child=child).select_related("created_by")
    meetings = []
    for row in rows.order_by("-pep_date", "-pk"):
        entry = [child, "peps", row.pk]
        meetings.append(
            PepMeeting(
                pep_date=row.pep_date,
                recorded_by=_name_of(row.created_by),
                change=reverse("change-entry", args=entry) if may_change else None,
                withdraw=reverse("withdraw-entry", args=entry) if may_change else None,
            )
        )
    return meetings


def _name_of(user: User | None) -> str | None:
    return str(user) if user is not None else None


def designated_teacher_of(child: str, today: date) -> Allocation | None:
    """`child`'s designated teacher on `today`, if they have one. One query."""
    allocated = Allocation.objects.current(today).filter(
        kind=AllocationKind.DESIGNATED_TEACHER, child=child
    )
    return allocated.select_related("user").order_by("-start", "-pk").first()
