"""A child's restriction page (/children/<CHILD>/restriction/): restricting a record to
the people named, naming more, removing someone, lifting it; who may (the permission
matrix's `restrict` rows), and what each change does to who sees the record.

The world is the matrix's (tests/web/permissions.py, T = today): ALLOCATED's social
worker is `social-worker` (SW1) in Team A, managed by `team-manager`; its IRO is `iro`
(IRO1) and `designated-teacher` teaches them; TEAM's social worker is `colleague` (SW2),
also in Team A. SEALED (SW1, IRO1) is restricted to `team-manager` and `director`.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from carematters.web.audit.models import Action, Event
from carematters.web.people import actions
from carematters.web.people.models import Restriction, User
from tests.web.permissions import CHILDREN, World, ask, build_world, page_cases

pytestmark = pytest.mark.django_db

ALLOCATED, SEALED, OTHER = CHILDREN["ALLOCATED"], CHILDREN["SEALED"], CHILDREN["OTHER"]


@pytest.fixture
def world() -> World:
    return build_world()


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_each_role_has_the_page_as_the_matrix_says(world):
    cases = [case for case in page_cases() if case[0].endswith("/restriction/")]
    assert len(cases) == 6 * 11  # the six children, every role
    wrong = []
    for url, role, allowed in cases:
        response = signed_in(world.users[role].username).get(url)
        expected = (200, "Restrict") if allowed else (404, "Page not found")
        if (response.status_code, expected[1] in text_of(response)) != (expected[0], True):
            wrong.append(f"{role} {url}: {response.status_code}")
    assert not wrong


def test_the_childs_people_page_links_to_it_for_those_who_may_only(world):
    link = f'href="/children/{ALLOCATED}/restriction/"'
    for username, shown in (("team-manager", True), ("director", True), ("social-worker", False)):
        html = signed_in(username).get(f"/children/{ALLOCATED}/people/").content.decode()
        assert (link in html) is shown, username


def test_opening_the_page_is_audited_as_a_view_of_the_record(world):
    signed_in("team-manager").get(f"/children/{ALLOCATED}/restriction/")
    viewed = Event.objects.get(action=Action.VIEWED, child=ALLOCATED)
    assert (viewed.user.username, viewed.what) == ("team-manager", "Restriction")


def test_restricting_offers_the_people_who_work_with_the_child(world):
    html = signed_in("team-manager").get(f"/children/{ALLOCATED}/restriction/").content.decode()
    offered = re.findall(r'checkboxes__label" for="[^"]+">([^<]+)</label>', html)
    # The team manager restricting is named anyway, so not offered.
    assert offered == [
        "social-worker, social worker",
        "iro, IRO",
        "designated-teacher, designated teacher",
        "director, director",
    ]


def test_restricting_narrows_who_sees_the_record_to_the_people_named(world):
    sw = world.users["sw"]
    manager = signed_in("team-manager")
    response = manager.post(
        f"/children/{ALLOCATED}/restriction/",
        {"reason": "A member of staff's child", "people": [str(sw.pk)], "username": ""},
    )
    assert response["Location"] == f"/children/{ALLOCATED}/restriction/"
    assert ask("view", sw, ALLOCATED)  # named, and their social worker
    assert not ask("view", world.users["iro"], ALLOCATED)  # their IRO, not named
    assert not ask("view", world.users["yp"], ALLOCATED)  # not even the child themselves
    assert not ask("view", world.users["dcs"], ALLOCATED)  # the director, not named
    assert not ask("break-glass", User.objects.get(username="colleague"), ALLOCATED)

    restricted = Event.objects.filter(action=Action.RESTRICTED, child=ALLOCATED).get()
    assert restricted.after == {"allowed": ["social-worker", "team-manager"]}
    assert restricted.reason == "A member of staff's child"
    page = text_of(manager.get(response["Location"]))
    assert "The record is restricted now." in page
    assert "This record is restricted" in page
    assert "Why A member of staff's child" in page.replace("&#x27;", "'")
    names = page.split("People named, who may see this record")[1].split("Name someone else")[0]
    assert "social-worker Social worker Remove social-worker" in names
    assert "team-manager Team manager You" in names


def test_restricting_needs_a_reason(world):
    response = signed_in("team-manager").post(
        f"/children/{ALLOCATED}/restriction/", {"reason": " ", "username": ""}
    )
    assert "Enter why this record is restricted" in text_of(response)
    assert 'href="#reason"' in response.content.decode()
    assert not Restriction.objects.filter(child=ALLOCATED).exists()


def test_more_people_are_named_by_username_and_see_the_record(world):
    iro = world.users["iro"]
    assert not ask("view", iro, SEALED)
    director = signed_in("director")
    response = director.post(f"/children/{SEALED}/restriction/", {"username": "iro"})
    assert response["Location"] == f"/children/{SEALED}/restriction/"
    assert ask("view", iro, SEALED)  # named now, and SEALED's IRO
    named = Event.objects.filter(child=SEALED, what="Named more people on the restriction").get()
    assert named.before == {"allowed": ["director", "team-manager"]}
    assert named.after == {"allowed": ["director", "iro", "team-manager"]}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"username": "nobody"}, "There is no user called nobody"),
        ({"username": "team-manager"}, "Choose someone who is not named already."),
        ({"username": "administrator"}, "never see this child"),
        ({"username": ""}, "Choose who to name, or enter someone"),
    ],
)
def test_naming_someone_who_cannot_be_named_is_refused(world, form, message):
    response = signed_in("director").post(f"/children/{SEALED}/restriction/", form)
    assert response.status_code == 200
    assert message in text_of(response).replace("&#x27;", "'")
    assert set(
        Restriction.objects.get(child=SEALED).allowed.values_list("username", flat=True)
    ) == {
        "director",
        "team-manager",
    }


def test_someone_removed_no_longer_sees_the_record_and_nobody_removes_themselves(world):
    director = signed_in("director")
    response = director.post(
        f"/children/{SEALED}/restriction/remove/", {"username": "team-manager"}
    )
    assert response["Location"] == f"/children/{SEALED}/restriction/"
    assert not ask("view", world.users["tm"], SEALED)
    page = text_of(director.get(response["Location"]))
    assert "team-manager is no longer named." in page
    names = page.split("People named, who may see this record")[1].split("Name someone else")[0]
    assert "team-manager" not in names
    # The team manager, no longer named, cannot even find the page.
    assert signed_in("team-manager").get(f"/children/{SEALED}/restriction/").status_code == 404

    director.post(f"/children/{SEALED}/restriction/remove/", {"username": "director"})
    page = text_of(director.get(f"/children/{SEALED}/restriction/"))
    assert "You cannot remove yourself: ask another person named to do it." in page
    assert ask("view", world.users["dcs"], SEALED)


def test_lifting_asks_why_then_opens_the_record_to_its_relationships_again(world):
    manager = signed_in("team-manager")
    asked = manager.get(f"/children/{SEALED}/restriction/lift/")
    assert "Lift the restriction?" in text_of(asked)
    refused = manager.post(f"/children/{SEALED}/restriction/lift/", {"reason": ""})
    assert "Enter why the restriction is lifted" in text_of(refused)
    assert Restriction.objects.filter(child=SEALED).exists()

    response = manager.post(
        f"/children/{SEALED}/restriction/lift/", {"reason": "Adoption order refused"}
    )
    assert response["Location"] == f"/children/{SEALED}/restriction/"
    assert not Restriction.objects.filter(child=SEALED).exists()
    kept = Restriction.history.get(child=SEALED)  # lifted, not deleted
    assert (kept.reason, kept.lifted_reason, kept.lifted_by) == (
        "Sealed after adoption",
        "Adoption order refused",
        world.users["tm"],
    )
    assert ask("record", world.users["sw"], SEALED)  # their social worker again
    lifted = Event.objects.get(child=SEALED, action=Action.UNRESTRICTED)
    assert lifted.what == "Lifted the restriction"
    assert lifted.reason == "Adoption order refused"
    assert lifted.before["allowed"] == ["director", "team-manager"]
    assert lifted.before["reason"] == "Sealed after adoption"
    assert lifted.after is None
    page = text_of(manager.get(response["Location"]))
    assert "The restriction is lifted." in page
    assert "Restrict this record" in page


def test_a_manager_not_named_on_a_restriction_finds_no_page(world):
    actions.restrict(ALLOCATED, "Staff child", [], acting_user=world.users["dcs"])
    manager = signed_in("team-manager")
    for page in ("", "lift/"):
        assert manager.get(f"/children/{ALLOCATED}/restriction/{page}").status_code == 404
    response = manager.post(f"/children/{ALLOCATED}/restriction/remove/", {"username": "director"})
    assert response.status_code == 404
    assert list(Restriction.objects.get(child=ALLOCATED).allowed.all()) == [world.users["dcs"]]


def test_a_team_manager_cannot_restrict_another_teams_child(world):
    response = signed_in("team-manager").post(
        f"/children/{OTHER}/restriction/", {"reason": "Staff child", "username": ""}
    )
    assert response.status_code == 404
    assert not Restriction.objects.filter(child=OTHER).exists()


def test_a_record_lifted_can_be_restricted_again(world):
    dcs = world.users["dcs"]
    actions.lift_restriction(SEALED, "Adoption order refused", acting_user=dcs)
    actions.restrict(SEALED, "Adoption order made after all", [], acting_user=dcs)
    assert not ask("view", world.users["tm"], SEALED)
    assert [
        r.lifted_at is None for r in Restriction.history.filter(child=SEALED).order_by("pk")
    ] == [False, True]
