"""`carematters createuser`: adding a person who signs in, and the clear refusals."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from carematters.cli import app
from carematters.web.casework.models import Header
from carematters.web.people.models import Membership, Team, User
from carematters.web.people.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "plum orchard lantern"


@pytest.fixture
def new_password(monkeypatch):
    monkeypatch.setenv("CAREMATTERS_NEW_PASSWORD", PASSWORD)


def createuser(*arguments: str, prompted: str | None = None):
    return CliRunner().invoke(app, ["createuser", *arguments], input=prompted)


def test_a_social_worker_is_added_with_their_staff_id(new_password):
    run = createuser(
        "amira.osei",
        "--role",
        "social-worker",
        "--name",
        "Amira Bramblewick",
        "--staff-id",
        "SW0101",
    )
    assert run.exit_code == 0, run.output
    assert run.stderr == "Added amira.osei (Social worker).\n"
    user = User.objects.get(username="amira.osei")
    assert (user.role, user.staff_id, user.first_name, user.last_name) == (
        Role.SOCIAL_WORKER,
        "SW0101",
        "Amira",
        "Bramblewick",
    )
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")


def test_the_password_is_asked_twice_without_showing_it(monkeypatch):
    monkeypatch.delenv("CAREMATTERS_NEW_PASSWORD", raising=False)
    run = createuser(
        "dcs", "--role", "director", prompted=f"{PASSWORD}\nnot the same\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert run.exit_code == 0, run.output
    assert "The two entered values do not match." in run.output
    assert PASSWORD not in run.output
    assert User.objects.get(username="dcs").check_password(PASSWORD)


def test_a_young_person_signs_in_as_their_own_record(new_password):
    Header.objects.create(child="0000042", dob=date(2011, 2, 3))
    run = createuser("jo", "--role", "young-person", "--child", "0000042")
    assert run.exit_code == 0, run.output
    assert User.objects.get(username="jo").child == "0000042"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--role", "social worker"],
            "--role: There is no role called 'social worker'. Roles: social-worker, team-manager, "
            "iro, personal-adviser, virtual-school-head, designated-teacher, director, "
            "lead-member, performance-officer, young-person, administrator.\n",
        ),
        (
            ["--role", "young-person", "--child", "0000099"],
            "--child: There is no child 0000099 in the record.\n",
        ),
        (
            ["--role", "young-person"],
            "A young person signs in as their own record (a child id and no staff id); "
            "nobody else has a child id.\n",
        ),
        (
            ["--role", "iro", "--child", "0000042"],
            "A young person signs in as their own record (a child id and no staff id); "
            "nobody else has a child id.\n",
        ),
        (["--role", "iro", "--staff-id", "IRO001"], "Another user already has this staff id.\n"),
    ],
)
def test_bad_details_are_refused_clearly(new_password, arguments, message):
    User.objects.create_user("taken", role=Role.IRO, staff_id="IRO001")
    run = createuser("newcomer", *arguments)
    assert run.exit_code == 2
    assert run.stderr == f"{message}newcomer was not added\n"
    assert not User.objects.filter(username="newcomer").exists()


def test_a_username_already_taken_is_refused(new_password):
    User.objects.create_user("sam", role=Role.SOCIAL_WORKER)
    run = createuser("sam", "--role", "director")
    assert run.exit_code == 2
    assert run.stderr == "username: A user with that username already exists.\nsam was not added\n"
    assert User.objects.get(username="sam").role == Role.SOCIAL_WORKER


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 12 characters."),
        ("123456789012345", "This password is entirely numeric."),
        ("1qaz2wsx3edc", "This password is too common."),
        ("kim.okoro.kim", "The password is too similar to the username."),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(monkeypatch, password, message):
    monkeypatch.setenv("CAREMATTERS_NEW_PASSWORD", password)
    run = createuser("kim.okoro.kim", "--role", "administrator")
    assert run.exit_code == 2
    assert f"password: {message}\n" in run.stderr
    assert not User.objects.exists()


def test_a_team_manager_is_added_managing_a_new_team_and_a_worker_joins_it(new_password):
    run = createuser(
        "ann.manager", "--role", "team-manager", "--team", "Children in care 1", "--new-team"
    )
    assert run.exit_code == 0, run.output
    assert run.stderr == "Added ann.manager (Team manager, managing Children in care 1).\n"
    run = createuser("sam.worker", "--role", "social-worker", "--team", "Children in care 1")
    assert run.exit_code == 0, run.output
    team = Team.objects.get(name="Children in care 1")
    assert team.manager == User.objects.get(username="ann.manager")
    assert [m.user.username for m in Membership.objects.current().filter(team=team)] == [
        "sam.worker"
    ]


def test_a_team_another_manager_manages_is_refused_and_nobody_is_added(new_password):
    made = createuser("ann.manager", "--role", "team-manager", "--team", "CiC 1", "--new-team")
    assert made.exit_code == 0, made.output
    run = createuser("bo.manager", "--role", "team-manager", "--team", "CiC 1")
    assert run.exit_code == 2
    assert "--team: CiC 1 is managed by ann.manager already." in run.stderr
    assert not User.objects.filter(username="bo.manager").exists()


def test_a_director_is_in_no_team(new_password):
    run = createuser("dcs", "--role", "director", "--team", "CiC 1")
    assert run.exit_code == 2
    assert "--team: Only social workers, personal advisers and team managers are in teams." in (
        run.stderr
    )
    assert not User.objects.filter(username="dcs").exists()


def test_a_misspelt_team_is_refused_naming_the_teams_and_nobody_is_added(new_password):
    Team.objects.create(name="Leaving care")
    Team.objects.create(name="Children in care 1")
    run = createuser("sam.worker", "--role", "social-worker", "--team", "Children in care teem 1")
    assert run.exit_code == 2
    assert run.stderr == (
        "--team: There is no team called Children in care teem 1. The teams are: "
        "Children in care 1, Leaving care.\n"
        "To add a new team of that name, give --new-team as well.\n"
        "sam.worker was not added\n"
    )
    assert not User.objects.filter(username="sam.worker").exists()
    assert sorted(Team.objects.values_list("name", flat=True)) == [
        "Children in care 1",
        "Leaving care",
    ]


def test_a_team_named_before_any_is_added_says_there_are_none(new_password):
    run = createuser("ann.manager", "--role", "team-manager", "--team", "Children in care 1")
    assert run.exit_code == 2
    assert run.stderr.startswith(
        "--team: There is no team called Children in care 1. There are no teams yet.\n"
    )
    assert not Team.objects.exists()
    assert not User.objects.exists()


def test_new_team_with_a_team_already_added_joins_it_and_adds_no_other(new_password):
    Team.objects.create(name="Children in care 1")
    run = createuser(
        "sam.worker", "--role", "social-worker", "--team", "Children in care 1", "--new-team"
    )
    assert run.exit_code == 0, run.output
    assert Team.objects.count() == 1
    assert Membership.objects.current().get().user.username == "sam.worker"


def test_new_team_without_its_name_is_refused(new_password):
    run = createuser("sam.worker", "--role", "social-worker", "--new-team")
    assert run.exit_code == 2
    assert run.stderr == (
        "--new-team: give the new team's name with --team\nsam.worker was not added\n"
    )
    assert not User.objects.exists()
