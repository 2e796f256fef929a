"""The children the education pages are tested on: the permission matrix's world
(tests/web/permissions.py) with dates of birth, names and PEP meetings enough to work
each page's values out by hand. Dates count back from today (T), and dates of birth from
S, the 1 September that began this school year, so that ages and school years are the
same whatever day the tests run on.

- ALLOCATED (1000001, Amara Testwhistle): born 1 September S-11, so aged 11 and in
  Year 6 (10 on 31 August, the day before the school year: 10 - 5 + 1). In care since T-100
  with no PEP meeting: the first PEP (20 working days after T-100) is overdue. The
  designated teacher's pupil (since T-100).
- TEAM (1000002, Ben Fictionby): born 1 September S-15, aged 15, Year 10. A PEP meeting
  on T-20: the next (the end of the term after T-20's) is not overdue.
- OTHER (1000003): born 1 September S-3, aged 3: in care, but not of PEP age (4 to 17).
- LEAVER (left care), SEALED (restricted to the team manager and the director): never on
  the Virtual School Head's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from carematters.web.bridge import mark_held
from carematters.web.casework.due import refresh_all_due
from carematters.web.casework.models import Header, Pep, Person
from carematters.web.people.models import User
from tests.web.permissions import CHILDREN, World, build_world

ALLOCATED, TEAM, OTHER, LEAVER, SEALED = (
    CHILDREN[name] for name in ("ALLOCATED", "TEAM", "OTHER", "LEAVER", "SEALED")
)


def school_year_start(today: date) -> int:
    """The calendar year of the 1 September that began the school year `today` is in."""
    return today.year if (today.month, today.day) >= (9, 1) else today.year - 1


@dataclass(frozen=True)
class Education:
    world: World
    today: date

    def signed_in(self, username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)


def build_education_world() -> Education:
    """The matrix's world with the record above, and what is due worked out today."""
    world = build_world()
    today = timezone.localdate()
    start = school_year_start(today)
    for child, years in ((ALLOCATED, 11), (TEAM, 15), (OTHER, 3)):
        Header.objects.filter(child=child).update(dob=date(start - years, 9, 1))
    Person.objects.create(child=ALLOCATED, given_name="Amara", family_name="Testwhistle")
    Person.objects.create(child=TEAM, given_name="Ben", family_name="Fictionby")
    Pep.objects.create(child=TEAM, pep_date=today - timedelta(days=20))
    mark_held(["people", "peps"])
    named = {
        "social-worker": ("Sam", "Okafor"),
        "colleague": ("Cal", "Colleague"),
        "designated-teacher": ("Dee", "Teacher"),
        "virtual-school-head": ("Vic", "Head"),
    }
    for username, (first, last) in named.items():
        User.objects.filter(username=username).update(first_name=first, last_name=last)
    refresh_all_due(today)
    return Education(world, today)
