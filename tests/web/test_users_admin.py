"""The administrator's pages: adding a user, a user's page and its changes (role, team,
deactivating, password, unlocking), adding a team and changing its manager. Each page
against every role from the permission matrix (tests/web/permissions.py); each change
as the administrator sees it, in what people can then do, and in the audit trail.

The world is the matrix's (T = today): Team A, managed by `team-manager` (Tess
Manager), holds `social-worker` (Sam Okafor, SW1, the social worker of ALLOCATED and
SEALED) and `colleague` (SW2), in it since T-365; Team B holds `other-worker`.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from carematters.web.audit.models import Action, Event
from carematters.web.people.models import Membership, Team, User
from carematters.web.people.roles import Role
from tests.web.permissions import CHILDREN, World, ask, build_world, page_cases

pytestmark = pytest.mark.django_db

PASSWORD = "plum orchard lantern"
QUESTIONS = {"users", "add-user", "change-user", "add-team"}


@pytest.fixture
def world() -> World:
    world = build_world()
    for username, first, last in (
        ("social-worker", "Sam", "Okafor"),
        ("colleague", "Cal", "Colleague"),
        ("team-manager", "Tess", "Manager"),
        ("administrator", "Ada", "Admin"),
    ):
        User.objects.filter(username=username).update(first_name=first, last_name=last)
    return world


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def admin() -> Client:
    return signed_in("administrator")


def text_of(response) -> str:
    """The page's words, tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def audited(what: str) -> Event:
    return Event.objects.filter(what=what).latest("id")


# Who may ---------------------------------------------------------------------------------


def test_only_the_administrator_has_the_pages(world):
    cases = [
        (url, role, allowed)
        for url, role, allowed in page_cases()
        if url in {"/users/", "/users/add/", "/users/social-worker/", "/users/teams/add/"}
    ]
    assert len(cases) == len(QUESTIONS) * 11
    team = Team.objects.get(name="Team A").pk
    more = [f"/users/teams/{team}/", f"/users/teams/{team}/manager/"] + [
        f"/users/social-worker/{page}/"
        for page in ("role", "team", "deactivate", "reactivate", "password", "unlock")
    ]
    cases += [(url, role, role == "adm") for url in more for role in world.users]
    wrong = []
    for url, role, allowed in cases:
        status = signed_in(world.users[role].username).get(url).status_code
        if status != (200 if allowed else 404):
            wrong.append(f"{role} {url}: {status}")
    assert not wrong


def test_a_change_posted_by_anyone_else_is_not_found_and_changes_nothing(world):
    response = signed_in("director").post(
        "/users/social-worker/deactivate/", {}
    )  # the director is not an administrator
    assert response.status_code == 404
    assert User.objects.get(username="social-worker").is_active


def test_a_stranger_is_sent_to_sign_in(world):
    response = Client().get("/users/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


# The list --------------------------------------------------------------------------------


def test_the_list_links_each_user_and_team_and_finds_by_name_and_role(world, admin):
    response = admin.get("/users/")
    html = response.content.decode()
    assert 'href="/users/social-worker/">Sam Okafor</a>' in html
    assert f'href="/users/teams/{Team.objects.get(name="Team A").pk}/">Team A</a>' in html
    assert 'href="/users/add/"' in html and 'href="/users/teams/add/"' in html
    # 15 users: the 11 of the roles, 2 other managers, the colleague, the other worker.
    assert "15 users, by family name." in text_of(response)

    found = admin.get("/users/", {"q": "okafor"})
    assert "1 user found." in text_of(found)
    assert "Sam Okafor" in text_of(found)
    managers = admin.get("/users/", {"role": "team-manager"})
    assert "3 users found." in text_of(managers)


# Adding a user ---------------------------------------------------------------------------


def new_worker(**changes: str) -> dict[str, str]:
    return {
        "username": "amira.osei",
        "first_name": "Amira",
        "last_name": "Bramblewick",
        "email": "amira.osei@example.org",
        "role": "social-worker",
        "staff_id": "SW0101",
        "team": str(Team.objects.get(name="Team A").pk),
        "child": "",
        "password": PASSWORD,
        **changes,
    }


def test_a_social_worker_is_added_in_a_team_with_their_password(world, admin):
    response = admin.post("/users/add/", new_worker())
    assert response.status_code == 302
    assert response["Location"] == "/users/amira.osei/"
    amira = User.objects.get(username="amira.osei")
    assert (amira.first_name, amira.last_name, amira.email, amira.role, amira.staff_id) == (
        "Amira",
        "Bramblewick",
        "amira.osei@example.org",
        Role.SOCIAL_WORKER,
        "SW0101",
    )
    assert amira.check_password(PASSWORD)
    team = Membership.objects.current().get(user=amira)
    assert (team.team.name, team.start) == ("Team A", world.today)

    added = audited("User added")
    assert (added.user, added.child, added.action) == (world.users["adm"], "", Action.CREATED)
    assert added.after["account"] == "amira.osei"
    assert added.after["staff_id"] == "SW0101"
    joined = audited("Joined a team")
    assert joined.after == {"account": "amira.osei", "team": "Team A", "start": str(world.today)}
    assert PASSWORD not in str(list(Event.objects.values_list("before", "after")))

    page = admin.get(response["Location"])
    assert "Amira Bramblewick was added. They can sign in now." in text_of(page)
    since = f"Team A</a>, since {world.today.day} {world.today:%B %Y}"
    assert since in page.content.decode()
    assert "Child ID" not in text_of(page)  # nothing to say of what they do not have


def test_without_a_password_one_is_made_and_shown_once(world, admin):
    response = admin.post("/users/add/", new_worker(password=""))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    made = re.search(r'id="made-password"><code>([^<]+)</code>', response.content.decode())
    assert made is not None
    assert re.fullmatch(r"([a-z2-9]{4}-){3}[a-z2-9]{4}", made.group(1))
    assert User.objects.get(username="amira.osei").check_password(made.group(1))
    assert "Amira Bramblewick was added" in text_of(response)
    assert made.group(1) not in admin.get("/users/amira.osei/").content.decode()


def test_a_young_person_is_added_signing_in_as_their_own_record(world, admin):
    child = CHILDREN["TEAM"]
    details = new_worker(
        username="ben", role="young-person", staff_id="", team="", child=child, email=""
    )
    assert admin.post("/users/add/", details).status_code == 302
    ben = User.objects.get(username="ben")
    assert ben.child == child
    assert ask("view", ben, child)
    # Adding a sign-in to a child's record is in that record's history.
    assert audited("User added").child == child


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "social-worker"}, "username", "A user with that username already exists."),
        ({"username": "add"}, "username", "add is the name of a page: choose another username."),
        ({"first_name": ""}, "first_name", "Enter their first name"),
        ({"email": "amira@"}, "email", "Enter an email address in the correct format"),
        ({"role": ""}, "role", "Choose a role"),
        ({"staff_id": "SW1"}, "staff_id", "Another user already has this staff id."),
        (
            {"role": "director", "team": ""},
            "staff_id",
            "Only social workers, team managers, IROs and personal advisers have a staff id.",
        ),
        (
            {"role": "director", "staff_id": ""},
            "team",
            "Only social workers, personal advisers and team managers are in teams.",
        ),
        ({"role": "young-person", "staff_id": ""}, "child", "Enter the young person's child ID"),
        ({"child": "1000001"}, "child", "Only a young person has a child ID"),
        (
            {"role": "young-person", "staff_id": "", "team": "", "child": "1000001"},
            "child",
            "Another user already signs in as this child.",
        ),
        ({"password": "short1"}, "password", "This password is too short."),
        ({"password": "amira.osei.amira"}, "password", "too similar to the username"),
    ],
)
def test_bad_details_are_refused_on_their_field_and_nobody_is_added(
    world, admin, changes, field, message
):
    response = admin.post("/users/add/", new_worker(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    # In the error summary, linking to the field, and by the field itself.
    summary = re.search(rf'<a href="#{field}">([^<]*)</a>', html)
    assert summary is not None, html
    assert message in summary.group(1).replace("&#x27;", "'")
    assert f'id="{field}-error"' in html
    assert not User.objects.filter(username="amira.osei").exists()
    assert not Event.objects.filter(what="User added").exists()
    assert "Error: Add a user" in html


# A user's page ---------------------------------------------------------------------------


def test_a_users_page_counts_their_children_and_never_names_them(world, admin):
    text = text_of(admin.get("/users/social-worker/"))
    assert "Role Social worker Change role" in text
    assert "Staff ID SW1" in text
    # SW1 is the social worker of ALLOCATED and SEALED today (LEAVER's episode ended).
    assert "Children they are social worker for 2" in text
    last_year = world.today - timedelta(days=365)
    assert f"Team A {last_year.day} {last_year:%B %Y} Still in it" in text
    assert "1000001" not in text and "1000005" not in text
    adviser = text_of(admin.get("/users/personal-adviser/"))
    assert "Care leavers they are personal adviser for 1" in adviser


def test_the_administrator_cannot_deactivate_themselves(world, admin):
    own_page = admin.get("/users/administrator/").content.decode()
    assert "/users/administrator/deactivate/" not in own_page
    asked = admin.get("/users/administrator/deactivate/")
    main = asked.content.decode().split("<main")[1].split("</main>")[0]
    assert "You cannot deactivate yourself" in main
    assert "<button" not in main
    refused = admin.post("/users/administrator/deactivate/")
    assert "You cannot deactivate yourself" in text_of(refused)
    assert User.objects.get(username="administrator").is_active
    assert not Event.objects.filter(what__startswith="Deactivated").exists()


def test_deactivating_asks_first_warns_of_their_children_and_signs_them_out(world, admin):
    worker = signed_in("social-worker")
    assert worker.get("/caseload/").status_code == 200

    asked = text_of(admin.get("/users/social-worker/deactivate/"))
    assert "Deactivate Sam Okafor?" in asked
    assert "Children they are social worker for: 2." in asked
    assert User.objects.get(username="social-worker").is_active  # asking changes nothing

    done = admin.post("/users/social-worker/deactivate/")
    assert done["Location"] == "/users/social-worker/"
    assert not User.objects.get(username="social-worker").is_active
    page = text_of(admin.get("/users/social-worker/"))
    assert "Sam Okafor cannot sign in now." in page
    assert "Can sign in No, deactivated Reactivate Sam Okafor" in page
    # Their session ends at the next page; they stay in the record and its audit trail.
    assert worker.get("/caseload/")["Location"].startswith("/sign-in/")
    event = audited("Deactivated: cannot sign in")
    assert (event.before, event.after) == (
        {"account": "social-worker", "can_sign_in": True},
        {"account": "social-worker", "can_sign_in": False},
    )

    admin.post("/users/social-worker/reactivate/")
    assert User.objects.get(username="social-worker").is_active
    assert "Reactivated: can sign in" in text_of(admin.get("/users/social-worker/"))


def test_a_promotion_to_team_manager_leaves_the_team_today(world, admin):
    response = admin.post("/users/colleague/role/", {"role": "team-manager", "staff_id": "SW2"})
    assert response["Location"] == "/users/colleague/"
    colleague = User.objects.get(username="colleague")
    assert (colleague.role, colleague.staff_id) == (Role.TEAM_MANAGER, "SW2")
    assert not Membership.objects.current().filter(user=colleague).exists()
    assert Membership.objects.get(user=colleague).end == world.today  # ended, not removed
    # A team manager who still holds a case keeps it: TEAM's social worker is SW2.
    assert ask("record", colleague, CHILDREN["TEAM"])
    page = text_of(admin.get("/users/colleague/"))
    assert "Cal Colleague is now a team manager." in page
    assert "Role changed Role: Social worker Team manager" in page
    assert "Left their team" in page


def test_a_role_change_that_would_strand_a_team_or_a_sign_in_is_refused(world, admin):
    refused = text_of(admin.post("/users/team-manager/role/", {"role": "director"}))
    assert "Tess Manager manages Team A: give that team another manager first." in refused
    young = text_of(admin.post("/users/young-person/role/", {"role": "social-worker"}))
    assert "A young person's sign-in cannot become a member of staff's" in young.replace(
        "&#x27;", "'"
    )
    staff_id = text_of(admin.post("/users/director/role/", {"role": "iro", "staff_id": "IRO1"}))
    assert "Another user already has this staff id." in staff_id
    assert User.objects.get(username="team-manager").role == Role.TEAM_MANAGER
    assert User.objects.get(username="director").role == Role.DIRECTOR


def test_moving_team_ends_the_old_one_the_day_before_and_moves_what_they_see(world, admin):
    team_b = Team.objects.get(name="Team B")
    today = world.today
    response = admin.post(
        "/users/social-worker/team/",
        {
            "team": str(team_b.pk),
            "start-day": str(today.day),
            "start-month": str(today.month),
            "start-year": str(today.year),
        },
    )
    assert response["Location"] == "/users/social-worker/"
    sw = world.users["sw"]
    assert not ask("view", sw, CHILDREN["TEAM"])  # Team A's, no longer theirs to read
    assert ask("view", sw, CHILDREN["OTHER"])  # Team B's
    yesterday = today - timedelta(days=1)
    page = text_of(admin.get("/users/social-worker/"))
    assert "Sam Okafor is in Team B now." in page
    assert f"{yesterday.day} {yesterday:%B %Y}" in page  # Team A's last day
    moved = audited("Moved team")
    assert (moved.before["team"], moved.after["team"]) == ("Team A", "Team B")


def test_a_move_before_they_joined_their_team_is_refused_on_the_date(world, admin):
    long_ago = world.today - timedelta(days=400)
    team_b = Team.objects.get(name="Team B")
    response = admin.post(
        "/users/social-worker/team/",
        {
            "team": str(team_b.pk),
            "start-day": str(long_ago.day),
            "start-month": str(long_ago.month),
            "start-year": str(long_ago.year),
        },
    )
    joined = world.today - timedelta(days=365)
    assert f"joined Team A on {joined:%d/%m/%Y}; a move must start after that." in text_of(response)
    assert Membership.objects.current().get(user=world.users["sw"]).team.name == "Team A"


def test_only_social_workers_and_personal_advisers_move_team(world, admin):
    assert admin.get("/users/director/team/").status_code == 404
    assert "/users/director/team/" not in admin.get("/users/director/").content.decode()


def test_a_password_reset_signs_them_out_and_a_made_one_is_shown_once(world, admin):
    worker = signed_in("social-worker")
    response = admin.post("/users/social-worker/password/", {"password": ""})
    assert "no-store" in response["Cache-Control"]
    made = re.search(r'id="made-password"><code>([^<]+)</code>', response.content.decode())
    assert made is not None
    assert User.objects.get(username="social-worker").check_password(made.group(1))
    assert "Sam Okafor\N{RIGHT SINGLE QUOTATION MARK}s password was changed" in text_of(response)
    assert worker.get("/caseload/")["Location"].startswith("/sign-in/")
    assert audited("Password reset").user == world.users["adm"]

    weak = admin.post("/users/social-worker/password/", {"password": "password"})
    assert "This password is too short." in text_of(weak)


def test_resetting_their_own_password_keeps_the_administrator_signed_in(world, admin):
    admin.post("/users/administrator/password/", {"password": PASSWORD})
    assert admin.get("/users/").status_code == 200


def test_a_locked_out_user_is_shown_and_unlocked(world, admin):
    AccessAttempt.objects.create(
        username="social-worker",
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    assert "Locked out" in text_of(admin.get("/users/social-worker/"))
    asked = admin.get("/users/social-worker/unlock/")
    assert "Unlock Sam Okafor\N{RIGHT SINGLE QUOTATION MARK}s sign-in?" in text_of(asked)
    assert AccessAttempt.objects.exists()
    admin.post("/users/social-worker/unlock/")
    assert not AccessAttempt.objects.exists()
    assert "Locked out" not in text_of(admin.get("/users/social-worker/"))
    assert audited("Unlocked after too many wrong passwords").after == {"account": "social-worker"}


# Teams -----------------------------------------------------------------------------------


def test_a_team_is_added_with_its_manager(world, admin):
    manager_b = User.objects.get(username="manager-b")
    response = admin.post("/users/teams/add/", {"name": " Team C ", "manager": str(manager_b.pk)})
    team = Team.objects.get(name="Team C")
    assert response["Location"] == f"/users/teams/{team.pk}/"
    assert team.manager == manager_b
    assert audited("Team added").after == {"team": "Team C", "manager": "manager-b"}
    page = text_of(admin.get(response["Location"]))
    assert "Team C was added." in page
    assert "Nobody is in this team now." in page

    again = text_of(admin.post("/users/teams/add/", {"name": "team c", "manager": ""}))
    assert "There is a team called team c already." in again
    not_a_manager = admin.post(
        "/users/teams/add/", {"name": "Team D", "manager": str(world.users["sw"].pk)}
    )
    assert "Choose a team manager from the list" in text_of(not_a_manager)
    assert not Team.objects.filter(name="Team D").exists()


def test_a_new_manager_oversees_the_teams_children_at_once(world, admin):
    team_b = Team.objects.get(name="Team B")
    tm = world.users["tm"]
    assert not ask("allocate", tm, CHILDREN["OTHER"])
    response = admin.post(f"/users/teams/{team_b.pk}/manager/", {"manager": str(tm.pk)})
    assert response["Location"] == f"/users/teams/{team_b.pk}/"
    assert ask("allocate", tm, CHILDREN["OTHER"])  # Team B's child
    page = text_of(admin.get(response["Location"]))
    assert "Tess Manager manages Team B now." in page
    assert "Manager changed" in page
    assert "Manager: manager-b team-manager" in page
    assert audited("Manager changed").before == {"team": "Team B", "manager": "manager-b"}


def test_a_teams_page_shows_its_members_now_and_before(world, admin):
    team_a = Team.objects.get(name="Team A")
    team_b = Team.objects.get(name="Team B")
    admin.post(
        "/users/colleague/team/",
        {
            "team": str(team_b.pk),
            "start-day": str(world.today.day),
            "start-month": str(world.today.month),
            "start-year": str(world.today.year),
        },
    )
    page = text_of(admin.get(f"/users/teams/{team_a.pk}/"))
    now = page.split("Members now, by family name")[1].split("Members before")[0]
    before = page.split("the latest to leave first")[1].split("Changes")[0]
    assert "Sam Okafor" in now and "Cal Colleague" not in now
    assert "Cal Colleague" in before
    yesterday = world.today - timedelta(days=1)
    assert f"{yesterday.day} {yesterday:%B %Y}" in before  # their last day in Team A
    assert "Moved team : colleague" in page
