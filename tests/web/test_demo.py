"""`carematters web setup-demo`: the demo authority in the database, its people tied to
its children as in life, once however often it runs."""

from __future__ import annotations

import stat
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from typer.testing import CliRunner

from carematters.cli import app
from carematters.services import demo as demo_settings
from carematters.web.approvals.models import Request, State
from carematters.web.audit.models import Event
from carematters.web.casework.models import Episode, Header, Person, SocialWorkerEpisode
from carematters.web.demo import DEMO_USERNAMES, DemoError, setup_demo
from carematters.web.people import access
from carematters.web.people.access import Purpose, Relationship
from carematters.web.people.models import Allocation, AllocationKind, Membership, Team, User
from carematters.web.people.roles import Role
from carematters.web.reviews.models import Escalation, Outcome

pytestmark = pytest.mark.django_db

PASSWORD = "a long demo password for tests"


@pytest.fixture
def var(settings, tmp_path, monkeypatch):
    """A private var for the demo's record and password file; no password given."""
    settings.VAR = tmp_path
    monkeypatch.delenv("CAREMATTERS_DEMO_PASSWORD", raising=False)
    return tmp_path


@pytest.fixture
def small_demo(monkeypatch):
    """A demo authority of about 100 in care, for tests of the command rather than of the
    demo's people."""
    monkeypatch.setattr(demo_settings, "IN_CARE", 100)


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _children(user: User, purpose: Purpose = Purpose.VIEW) -> set[str]:
    return set(access.children_visible_to(user, purpose).values_list("child", flat=True))


def test_the_demos_people_are_tied_as_in_life(var):
    done = setup_demo()
    today = timezone.localdate()
    users = User.objects.in_bulk(DEMO_USERNAMES, field_name="username")
    assert {users[name].role for name in DEMO_USERNAMES} == set(Role)

    # social-worker: a real worker of the record, with a sensible caseload today.
    social_worker = users["social-worker"]
    caseload = _children(social_worker, Purpose.RECORD)
    assert social_worker.staff_id.startswith("SW")
    assert 12 <= len(caseload) <= 20
    assert caseload == set(
        SocialWorkerEpisode.objects.filter(
            sw_id=social_worker.staff_id, sw_dec__isnull=True
        ).values_list("child", flat=True)
    )

    # team-manager manages social-worker's team, of 6 to 8 workers.
    team = Membership.objects.current().get(user=social_worker).team
    assert team.manager == users["team-manager"]
    assert 6 <= team.memberships.count() <= 8
    assert caseload < _children(users["team-manager"])

    # young-person is one of social-worker's children, aged 12 to 17.
    young_person = users["young-person"].child
    assert young_person in caseload
    assert 12 <= _age(Header.objects.get(child=young_person).dob, today) <= 17
    assert _children(users["young-person"]) == {young_person}
    called = Person.objects.get(child=young_person)
    assert users["young-person"].first_name in {called.given_name, called.preferred_name}
    assert users["young-person"].last_name == called.family_name

    # iro is the named IRO of more than one of them.
    assert len(_children(users["iro"]) & caseload) >= 3  # several

    # personal-adviser holds care leavers, none of them in care today.
    leavers = _children(users["personal-adviser"], Purpose.ADVISE)
    assert 15 <= len(leavers) <= 30
    in_care = set(
        Episode.objects.filter(dec__isnull=True, child__in=leavers).values_list("child", flat=True)
    )
    assert not in_care

    # designated-teacher teaches six children in care, three of them social-worker's.
    pupils = _children(users["designated-teacher"], Purpose.EDUCATION)
    assert len(pupils) == 6
    assert len(pupils & caseload) == 3
    assert not _children(users["designated-teacher"])  # the record itself is not theirs

    # Every child in care today has a social worker in a team with a manager.
    in_care_today = set(Episode.objects.filter(dec__isnull=True).values_list("child", flat=True))
    managed = set()
    for manager in User.objects.filter(role=Role.TEAM_MANAGER):
        managed |= set(access.team_children(manager).values_list("child", flat=True))
    assert in_care_today <= managed
    assert Team.objects.filter(manager__isnull=True).count() == 0

    # The rest see what their role allows, and no child is tied to them.
    assert _children(users["director"]) == set(Header.objects.values_list("child", flat=True))
    for name in ("lead-member", "administrator", "virtual-school-head"):
        assert not _children(users[name]), name
    assert access.child_for(social_worker, young_person).relationship is Relationship.ALLOCATED
    assert done.children_loaded == Header.objects.count()

    # The first day's work in progress, on colleagues' children in the team and as the
    # people who would do it: three concerns of the IRO's and a request to end care.
    raised = Escalation.objects.order_by("pk")
    assert [(e.raised_by, e.outcome) for e in raised] == [
        (users["iro"], Outcome.OPEN),
        (users["iro"], Outcome.OPEN),
        (users["iro"], Outcome.RESOLVED),
    ]
    held = [e.stages.order_by("-number").first() for e in raised[:2]]
    assert [(s.number, s.holder) for s in held] == [
        (1, users["team-manager"]),
        (3, users["director"]),
    ]
    asked = Request.objects.get()
    assert (asked.decision, asked.state, asked.on) == (
        "cease-care",
        State.WAITING,
        today + timedelta(days=14),
    )
    assert asked.asked_by != social_worker and asked.asked_by.role == Role.SOCIAL_WORKER
    children = {e.child for e in raised} | {asked.child}
    assert len(children) == 4 and children <= _children(users["team-manager"])
    assert not children & caseload
    assert (
        Event.objects.filter(child__in=children, user__in=[users["iro"], asked.asked_by]).count()
        >= 4
    )


def test_the_password_is_made_once_and_kept_for_its_owner_only(var, small_demo):
    done = setup_demo()
    kept = var / "demo-password"
    assert done.password_file == kept
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept.read_text().strip() == done.password_made
    assert len(done.password_made) >= 16
    assert check_password(done.password_made, User.objects.get(username="director").password)


def test_running_it_again_changes_nothing_and_says_the_demo_is_ready(var, small_demo):
    runner = CliRunner()
    first = runner.invoke(app, ["web", "setup-demo"])
    assert first.exit_code == 0, first.output
    password = (var / "demo-password").read_text().strip()
    assert f"Their password: {password}" in first.stderr
    counts = (User.objects.count(), Event.objects.count(), Allocation.objects.count())

    again = runner.invoke(app, ["web", "setup-demo"])
    assert again.exit_code == 0, again.output
    assert again.stderr == (
        f"The demo is ready. The demo users' password is kept in {var / 'demo-password'}.\n"
    )
    assert password not in again.output
    assert (User.objects.count(), Event.objects.count(), Allocation.objects.count()) == counts


def test_the_password_can_come_from_the_environment(var, small_demo, monkeypatch):
    monkeypatch.setenv("CAREMATTERS_DEMO_PASSWORD", PASSWORD)
    done = setup_demo()
    assert (done.password_made, done.password_file) == (None, None)
    assert not (var / "demo-password").exists()
    assert check_password(PASSWORD, User.objects.get(username="young-person").password)


def test_a_weak_password_from_the_environment_is_refused_before_anything_is_done(var, monkeypatch):
    monkeypatch.setenv("CAREMATTERS_DEMO_PASSWORD", "demo")
    result = CliRunner().invoke(app, ["web", "setup-demo"])
    assert result.exit_code == 2
    assert "CAREMATTERS_DEMO_PASSWORD is too weak: This password is too short." in result.stderr
    assert not Header.objects.exists()
    assert not User.objects.exists()


def test_demo_users_half_there_are_not_overwritten(var):
    User.objects.create_user("director", role=Role.DIRECTOR)
    with pytest.raises(DemoError, match=r"some demo users are there already \(director\)"):
        setup_demo()
    assert User.objects.count() == 1
    assert not Header.objects.exists()


def test_the_allocations_are_audited(var, small_demo):
    setup_demo()
    adviser = User.objects.get(username="personal-adviser")
    allocated = Allocation.objects.filter(user=adviser, kind=AllocationKind.PERSONAL_ADVISER)
    audited = Event.objects.filter(child__in=allocated.values("child"), what="Personal adviser")
    assert audited.count() == allocated.count() > 0
