"""The child the recording tests record on, in the permission matrix's world
(tests/web/permissions.py): ALLOCATED (1000001), Robin Ashdown (a made-up name), born
1 May 2012, looked after since T-100 under a full care order (C2, CIN N1) in a foster
placement with the authority's own carers (U4, PR1), with `social-worker` (SW1) as
their social worker since T-400 (a child in need before care, so that a return cut
from the record has every social worker episode DfE asks for); `colleague` (SW2) is
in the same team, and may only read it.

Dates are counted back from today (T), as the matrix's world does, so every test runs
in the collection year it is run in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.test import Client

from carematters.web.casework.models import Episode, Header, Person, SocialWorkerEpisode
from carematters.web.people.models import User
from tests.web.permissions import CHILDREN, World, build_world

CHILD = CHILDREN["ALLOCATED"]
BORN = date(2012, 5, 1)


@dataclass(frozen=True)
class Recording:
    world: World
    today: date
    came_into_care: date
    episode: Episode
    """The open episode."""

    @property
    def social_worker(self) -> User:
        return self.world.users["sw"]

    def signed_in(self, username: str = "social-worker") -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client


def build_recording_world() -> Recording:
    """The matrix's world, with ALLOCATED's record made whole enough for the SSDA903
    rules to find nothing wrong with it before a test's entry."""
    world = build_world()
    Header.objects.filter(child=CHILD).update(ethnic="WBRI", upn="A123456789012", dob=BORN)
    Episode.objects.filter(child=CHILD).update(
        cin="N1", place="U4", place_provider="PR1", home_post="ZZ1 1AA", pl_post="ZZ2 2BB"
    )
    Person.objects.create(child=CHILD, given_name="Robin", family_name="Ashdown")
    SocialWorkerEpisode.objects.filter(child=CHILD).update(
        sw_decom=world.today - timedelta(days=400)
    )
    episode = Episode.objects.get(child=CHILD)
    assert episode.decom is not None
    return Recording(world, world.today, episode.decom, episode)


def date_fields(name: str, day: date) -> dict[str, str]:
    """A date as GOV.UK's three boxes post it."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def days_ago(recording: Recording, days: int) -> date:
    return recording.today - timedelta(days=days)
