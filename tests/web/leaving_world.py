"""Care leavers for the personal adviser's pages: the permission matrix's world
(tests/web/permissions.py) with three young people who left care, their dates counted
back from today (T) in whole months from the first of a month, so that every date a
page shows can be worked out by hand. M-n is the first day of the month n months before
T's month; M+n, n months after it.

- AMA (2000101, Ama Ashgrove), `personal-adviser`'s: born on the 10th, 19 years and 3
  months before T's month (so aged 19); looked after from her 15th birthday to her
  18th, when she moved to independent living (E5): a former relevant care leaver, until
  her 21st birthday. Pathway plan made M-6, reviewed M-3: the next review is due M+3
  (six months). Her personal adviser was last in touch M-3: the next contact was due
  M-1 (two months), so it is overdue. The care leavers' return (OC3) for 2023-24 has
  her out of touch, homeless, not in education, employment or training; the latest,
  2024-25, in touch, in independent living that suits her (U1) and in full-time
  education (F2).
- BO (2000102, Bo Birchfield), `personal-adviser`'s: born on the 10th, 17 years and 6
  months before T's month (aged 17); looked after from his 15th birthday to M-3, when
  he moved to independent living: a relevant care leaver, until his 21st birthday. No
  contact since: one was due two months after he left, M-1 (overdue). No needs
  assessment or pathway plan: the first plan was due three months after his 16th
  birthday, long ago (overdue). Not in a return yet.
- CY (2000103, Cy Cedarwood): as BO, but `pa002`'s (another adviser in the team).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.test import Client

from carematters.web.bridge import mark_held
from carematters.web.casework.due import refresh_all_due
from carematters.web.casework.models import Episode, Header, Oc3, PaContact, PathwayPlan, Person
from carematters.web.people import actions
from carematters.web.people.models import AllocationKind, Team, User
from carematters.web.people.roles import Role
from tests.web.permissions import World, build_world

AMA, BO, CY = "2000101", "2000102", "2000103"


def month_start(today: date, months: int) -> date:
    """M+months: the first of the month `months` after (or, negative, before) today's."""
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def tenth(today: date, months_ago: int) -> date:
    """The 10th of the month `months_ago` months before today's."""
    return month_start(today, -months_ago).replace(day=10)


def years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years)


def in_words(day: date) -> str:
    """A date as a page writes it in a sentence: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def short(day: date) -> str:
    """A date as a table writes it: 3 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Leavers:
    world: World
    today: date

    def signed_in(self, username: str = "personal-adviser") -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    def m(self, months: int) -> date:
        return month_start(self.today, months)

    @property
    def ama_born(self) -> date:
        return tenth(self.today, 19 * 12 + 3)

    @property
    def bo_born(self) -> date:
        return tenth(self.today, 17 * 12 + 6)


def leaver(child: str, born: date, left: date, given: str, family: str) -> None:
    """A young person looked after from their 15th birthday until `left`, when they moved
    to independent living with support (E5)."""
    Header.objects.create(child=child, sex="2", dob=born)
    Episode.objects.create(
        child=child,
        decom=years_after(born, 15),
        dec=left,
        rec="E5",
        rne="S",
        ls="C2",
        place="U4",
        cin="N1",
    )
    Person.objects.create(child=child, given_name=given, family_name=family)


def build_leavers() -> Leavers:
    """The matrix's world with the care leavers above, and what is due worked out today."""
    world = build_world()
    leavers = Leavers(world, world.today)
    m = leavers.m
    pa = world.users["pa"]
    User.objects.filter(pk=pa.pk).update(first_name="Pat", last_name="Adviser", staff_id="PA001")
    other = User.objects.create_user(
        "pa002", password=None, role=Role.PERSONAL_ADVISER, staff_id="PA002"
    )
    actions.join_team(other, Team.objects.get(name="Leaving care"), m(-24))

    leaver(AMA, leavers.ama_born, years_after(leavers.ama_born, 18), "Ama", "Ashgrove")
    leaver(BO, leavers.bo_born, m(-3), "Bo", "Birchfield")
    leaver(CY, leavers.bo_born, m(-3), "Cy", "Cedarwood")
    PathwayPlan.objects.create(child=AMA, event_date=m(-6), kind="PLAN")
    PathwayPlan.objects.create(child=AMA, event_date=m(-3), kind="REVIEW")
    PaContact.objects.create(child=AMA, contact_date=m(-3), pa_id="PA001")
    Oc3.objects.create(
        child=AMA, dob=leavers.ama_born, in_touch="NO", activ="G5", accom="S2", year="2023-24"
    )
    Oc3.objects.create(
        child=AMA, dob=leavers.ama_born, in_touch="YES", activ="F2", accom="U1", year="2024-25"
    )
    actions.allocate(
        AllocationKind.PERSONAL_ADVISER, pa, {AMA: m(-15), BO: m(-3)}, acting_user=None
    )
    actions.allocate(AllocationKind.PERSONAL_ADVISER, other, {CY: m(-3)}, acting_user=None)
    mark_held(["people", "pathway_plans", "pa_contacts", "oc3"])
    refresh_all_due(world.today)
    return leavers
