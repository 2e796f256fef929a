"""The children the reading pages are tested on: the permission matrix's world
(tests/web/permissions.py) with names, places, visits and social workers enough to work
each page's numbers out by hand. Dates count back from today (T), as the matrix's do.

- ALLOCATED (1000001, `social-worker`'s, SW1): Amara Testwhistle, known as Mara, born
  1 May 2012; placed T-100 in foster care (U6) under a care order, 10.0 miles from home
  and out of the authority (the postcode list below); visited T-98 and T-60: the next
  visit (six-weekly) was due T-18, so 1 duty is overdue, by 18 days. IRO: IRO1, Ivy
  Reviewer.
- TEAM (1000002, SW2, `colleague` in the same team): Ben Fictionby; visited T-98 and
  T-42, so the next visit is due today: 1 due this week. Three social workers in the last
  12 months (SW7 from T-300, SW8 from T-200, SW2 from T-100).
- SEALED (1000005, SW1, restricted to `team-manager` and `director`): never visited, so
  the first visit (within a week of T-100) is 93 days overdue.
- OTHER (SW9, team B) and LEAVER (left care at T-30) have no visits or names.

The record holds visits but no reviews, plans or health assessments, so every duty but
the visits is "not recorded": only visits make work overdue or due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.test import Client
from django.utils import timezone

from carematters.web.bridge import mark_held
from carematters.web.casework.due import refresh_all_due
from carematters.web.casework.models import Episode, Person, SocialWorkerEpisode, Visit
from carematters.web.people.models import User
from tests.web.permissions import CHILDREN, World, build_world

ALLOCATED, TEAM, OTHER, LEAVER, SEALED = (
    CHILDREN[name] for name in ("ALLOCATED", "TEAM", "OTHER", "LEAVER", "SEALED")
)

POSTCODES = """POSTCODE,LA,X,Y
ZZ1 1AA,999,0,0
ZA9 9ZZ,888,16093,0
ZZ2 2BB,999,0,8046.5
"""
"""A postcode list as the validator takes it: home ZZ1 1AA; ZA9 9ZZ in another authority,
16,093 metres (10.0 miles) east; ZZ2 2BB in the authority, 5.0 miles north."""


@dataclass(frozen=True)
class Pages:
    world: World
    today: date

    def signed_in(self, username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)


def postcode_list(folder: Path) -> Path:
    path = folder / "postcodes.csv"
    path.write_text(POSTCODES, encoding="utf-8")
    return path


def build_pages_world() -> Pages:
    """The matrix's world with the record above, and what is due worked out today."""
    world = build_world()
    today = timezone.localdate()
    pages = Pages(world, today)
    ago = pages.days_ago
    Episode.objects.filter(child=ALLOCATED).update(
        place="U6", home_post="ZZ1 1AA", pl_post="ZA9 9ZZ"
    )
    Episode.objects.filter(child=TEAM).update(place="U6", home_post="ZZ1 1AA", pl_post="ZZ2 2BB")
    Person.objects.create(
        child=ALLOCATED, given_name="Amara", family_name="Testwhistle", preferred_name="Mara"
    )
    Person.objects.create(child=TEAM, given_name="Ben", family_name="Fictionby")
    for child, day in ((ALLOCATED, 98), (ALLOCATED, 60), (TEAM, 98), (TEAM, 42)):
        Visit.objects.create(child=child, visit_date=ago(day), seen_alone="Y", sw_id="SW1")
    SocialWorkerEpisode.objects.create(child=TEAM, sw_id="SW7", sw_decom=ago(300), sw_dec=ago(200))
    SocialWorkerEpisode.objects.create(child=TEAM, sw_id="SW8", sw_decom=ago(200), sw_dec=ago(100))
    mark_held(["people", "visits"])
    named = {
        "social-worker": ("Sam", "Okafor"),
        "colleague": ("Cal", "Colleague"),
        "iro": ("Ivy", "Reviewer"),
        "team-manager": ("Tess", "Manager"),
    }
    for username, (first, last) in named.items():
        User.objects.filter(username=username).update(first_name=first, last_name=last)
    refresh_all_due(today)
    return pages
