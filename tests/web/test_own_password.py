"""Changing one's own password: anyone signed in, from the link on their name."""

from __future__ import annotations

import pytest
from django.test import Client

from carematters.web.audit.models import Event
from carematters.web.people.models import User
from carematters.web.people.roles import Role

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "a longer password nobody guesses"


@pytest.fixture
def young_person():
    return User.objects.create_user(
        "robin", password=OLD, role=Role.YOUNG_PERSON, first_name="Robin", child="1000001"
    )


def _signed_in(username: str, password: str) -> Client:
    client = Client()
    assert client.post("/sign-in/", {"username": username, "password": password}).status_code == 302
    return client


def _signs_in(password: str) -> bool:
    form = {"username": "robin", "password": password}
    return Client().post("/sign-in/", form).status_code == 302


def _change(client: Client, current: str, new: str, again: str | None = None) -> str:
    form = {"current": current, "new": new, "again": new if again is None else again}
    return client.post("/account/password/", form, follow=True).content.decode()


def test_every_page_links_to_it_from_the_persons_name(young_person):
    page = _signed_in("robin", OLD).get("/", follow=True).content.decode()
    assert 'href="/account/password/">Robin (young person)' in page


def test_changed_it_works_and_the_old_one_no_longer_does(young_person):
    here, elsewhere = _signed_in("robin", OLD), _signed_in("robin", OLD)
    page = _change(here, OLD, NEW)
    assert "Your password was changed." in page
    # Still signed in here; signed out on the other device.
    assert here.get("/account/password/").status_code == 200
    assert elsewhere.get("/account/password/").status_code == 302
    assert not _signs_in(OLD)
    assert _signs_in(NEW)
    changed = Event.objects.get(what="Password changed by its holder")
    assert changed.user == young_person
    assert NEW not in str(changed.after) and OLD not in str(changed.after)


@pytest.mark.parametrize(
    ("current", "new", "again", "problem"),
    [
        ("not it at all", NEW, NEW, "Your current password is not right"),
        ("", NEW, NEW, "Enter your current password"),
        (OLD, NEW, NEW + "x", "The passwords do not match"),
        (OLD, "short", "short", "This password is too short"),
        (OLD, OLD, OLD, "Your new password must be different from your current one"),
        (OLD, "", "", "Enter a new password"),
    ],
)
def test_what_is_wrong_is_named_and_nothing_changes(young_person, current, new, again, problem):
    page = _change(_signed_in("robin", OLD), current, new, again)
    assert "There is a problem" in page
    assert problem in page
    assert _signs_in(OLD)
    assert not Event.objects.filter(what="Password changed by its holder").exists()


def test_signed_out_it_asks_to_sign_in():
    response = Client().get("/account/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_wrong_guesses_count_towards_the_sign_in_lock(young_person):
    # Five wrong passwords lock a person out of signing in (django-axes); guessing here,
    # in a session left open, counts the same.
    client = _signed_in("robin", OLD)
    for _ in range(4):
        assert "Your current password is not right" in _change(client, "a guess", NEW)
    form = {"new": NEW, "again": NEW}
    assert client.post("/account/password/", {**form, "current": "a guess"}).status_code == 429
    # Locked now: even the right password changes nothing, and signing in is refused.
    assert client.post("/account/password/", {**form, "current": OLD}).status_code == 429
    assert not _signs_in(OLD)
    assert User.objects.get(username="robin").check_password(OLD)
