"""The security baseline (WEB.md "Security baseline"), each promise tried as an attacker or
a careless day would try it: wrong passwords, a forged form, a script in a field, an idle
session, the response headers and cookies, and production settings."""

import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.session.idle import RENEWED, duration_in_words

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def social_worker():
    return User.objects.create_user(
        "sam.social", password=PASSWORD, role=Role.SOCIAL_WORKER, first_name="Sam"
    )


def sign_in(client, username="sam.social", password=PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password})


def is_signed_in(client) -> bool:
    # "/" sends a signed-in person on to their role's start page, anyone else to sign in.
    response = client.get("/", follow=True)
    return response.status_code == 200 and response.request["PATH_INFO"] != "/sign-in/"


# Signing in: ten wrong passwords.


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client, social_worker):
    statuses = [sign_in(client, password=f"guess {n}").status_code for n in range(10)]
    # Four wrong passwords are each told so; the fifth locks the account (AXES_FAILURE_LIMIT).
    assert statuses == [200] * 4 + [429] * 6
    refused = sign_in(client)
    assert refused.status_code == 429
    assert "You cannot sign in for 30 minutes" in refused.content.decode()
    assert not is_signed_in(client)


def test_a_locked_out_account_may_sign_in_again_after_30_minutes(client, social_worker):
    for n in range(5):
        sign_in(client, password=f"guess {n}")
    assert sign_in(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert sign_in(client).status_code == 302
    assert is_signed_in(client)


def test_one_person_locked_out_does_not_lock_out_another(client, social_worker):
    User.objects.create_user("tia.manager", password=PASSWORD, role=Role.TEAM_MANAGER)
    for n in range(5):
        sign_in(client, password=f"guess {n}")
    assert sign_in(client, "tia.manager").status_code == 302


# Forms: a forged one, and a script typed into one.


def test_a_form_without_its_csrf_token_is_refused(social_worker):
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client)
    assert response.status_code == 403
    assert "Your form was not sent" in response.content.decode()
    client.force_login(social_worker)
    assert client.post("/sign-out/").status_code == 403
    assert is_signed_in(client)


def test_a_form_with_its_csrf_token_is_accepted(social_worker):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/sign-in/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        "/sign-in/", {"username": "sam.social", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_script_typed_into_a_field_is_shown_as_text(client):
    page = sign_in(client, username=SCRIPT, password="wrong").content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_script_in_a_stored_name_is_shown_as_text(client):
    person = User.objects.create_user("odd.name", role=Role.SOCIAL_WORKER, first_name=SCRIPT)
    client.force_login(person)
    page = client.get("/", follow=True).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page


# Sessions: signed out after 30 idle minutes.


def test_a_session_idle_for_30_minutes_is_sent_to_sign_in(client, social_worker):
    sign_in(client)
    assert is_signed_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def renewed_ago(client, seconds: int) -> None:
    """Make the session's last renewal `seconds` ago, and its expiry a minute away."""
    session = client.session
    session[RENEWED] = int(time.time()) - seconds
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))


def test_a_request_a_minute_after_the_last_renewal_gives_another_30_minutes(client, social_worker):
    sign_in(client)
    renewed_ago(client, 61)
    before = timezone.now()
    client.get("/")
    expires = Session.objects.get().expire_date
    assert before + timedelta(minutes=30) <= expires <= timezone.now() + timedelta(minutes=30)


def test_a_request_within_a_minute_of_the_last_renewal_writes_no_session(client, social_worker):
    sign_in(client)
    renewed_ago(client, 30)
    expires = Session.objects.get().expire_date
    client.get("/")
    assert Session.objects.get().expire_date == expires


def test_the_page_is_told_the_idle_time_truly_left(client, social_worker):
    # Renewed 30 seconds ago and not again (within the minute): 29 minutes 30 seconds left,
    # which is what the timeout warning's script counts down from.
    sign_in(client)
    renewed_ago(client, 30)
    page = client.get("/caseload/").content.decode()
    left = int(re.search(r'data-seconds-left="(\d+)"', page)[1])
    assert 30 * 60 - 31 <= left <= 30 * 60 - 30


def test_stay_signed_in_renews_the_session(client, social_worker):
    sign_in(client)
    renewed_ago(client, 1)  # however recently it was renewed
    assert client.post("/session/keep-alive/").status_code == 204
    assert Session.objects.get().expire_date >= timezone.now() + timedelta(minutes=29)


def test_stay_signed_in_after_the_session_ended_is_refused(client, social_worker):
    sign_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.post("/session/keep-alive/").status_code == 401
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1800, "30 minutes"),
        (90, "1 minute 30 seconds"),
        (61, "1 minute 1 second"),
        (12, "12 seconds"),
    ],
)
def test_the_idle_time_in_words(seconds, words):
    assert duration_in_words(seconds) == words


def test_the_idle_time_can_be_set_in_minutes(tmp_path):
    done = settings_in(tmp_path, CAREMATTERS_SESSION_MINUTES="0.5")
    assert json.loads(done.stdout)["SESSION_COOKIE_AGE"] == 30
    done = settings_in(tmp_path, CAREMATTERS_SESSION_MINUTES="soon")
    assert done.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: CAREMATTERS_SESSION_MINUTES must be a "
        "number of minutes above 0, not 'soon'"
    )


def test_the_timed_out_sign_out_says_why(client, social_worker):
    sign_in(client)
    response = client.post("/session/timed-out/", follow=True)
    assert response.redirect_chain == [("/session/signed-out/", 302)]
    page = response.content.decode()
    assert "You have been signed out" in page
    assert "You had not used carematters for 30 minutes" in page
    assert not is_signed_in(client)


# Every page: a Content Security Policy with a nonce, and cookies scripts cannot read.


def test_every_page_has_a_content_security_policy_with_a_nonce(client, social_worker):
    pages = [client.get("/sign-in/"), client.get("/session/signed-out/"), client.get("/nowhere/")]
    for n in range(5):
        pages.append(sign_in(client, password=f"guess {n}"))  # the last is the locked-out page
    client.force_login(social_worker)
    pages += [client.get("/", follow=True), client.get("/nowhere/")]
    for response in pages:
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy)[1]
        assert "unsafe-inline" not in policy
        # django-csp writes the directives in no fixed order: read them by name.
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
        assert directives["style-src"] == "'self'"
        page = response.content.decode()
        # Every script on the page carries this response's nonce, and none other.
        assert page.count("<script") == page.count(f'nonce="{nonce}"') >= 2


def test_cookies_cannot_be_read_by_scripts(client, social_worker):
    client.get("/sign-in/")
    sign_in(client)
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
    assert client.cookies["sessionid"]["max-age"] == ""  # gone when the browser closes


# Production: refuses to start without its secrets; HTTPS-only once given them.

SETTINGS_AS_JSON = """
import json
from carematters.web.config import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_AGE")}))
"""


STRONG_KEY = "an-unguessable-key-" + "x9" * 30
"""79 characters, 13 different: what Django's deployment check (security.W009) accepts."""


def settings_in(tmp_path, **environment):
    """The settings module imported afresh in a process with only `environment` set."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CAREMATTERS_") and name != "DATABASE_URL"
    }
    env.update(CAREMATTERS_VAR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_AS_JSON],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "CAREMATTERS_SECRET_KEY"),
        ({"CAREMATTERS_ALLOWED_HOSTS": "care.example.org"}, "CAREMATTERS_SECRET_KEY"),
        ({"CAREMATTERS_SECRET_KEY": STRONG_KEY}, "CAREMATTERS_ALLOWED_HOSTS"),
        (
            {"CAREMATTERS_SECRET_KEY": "  ", "CAREMATTERS_ALLOWED_HOSTS": "x"},
            "CAREMATTERS_SECRET_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_its_secret_key_and_hosts(tmp_path, given, missing):
    done = settings_in(tmp_path, CAREMATTERS_PRODUCTION="1", **given)
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {missing} must be set when "
        "CAREMATTERS_PRODUCTION=1"
    )
    assert STRONG_KEY not in done.stderr
    # No secret key was made up in its place.
    assert not (tmp_path / "secret-key").exists()


WEAK = (
    "CAREMATTERS_SECRET_KEY is too easy to guess: when CAREMATTERS_PRODUCTION=1 it must be at "
    'least 50 characters long, with at least 5 different characters, and not start with "django-'
    "insecure-\"; make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


@pytest.mark.parametrize(
    "key",
    [
        "short",  # 5 characters
        "Tq8#zR2!pL" * 4 + "Tq8#zR2!p",  # 49 characters, 10 different
        "ab" * 30,  # 60 characters, 2 different
        "abcd" * 13,  # 52 characters, 4 different
        "django-insecure-" + "x9Zq7" * 10,  # 66 characters, as `startproject` makes them
    ],
)
def test_production_refuses_a_secret_key_that_could_be_guessed(tmp_path, key):
    done = settings_in(
        tmp_path,
        CAREMATTERS_PRODUCTION="1",
        CAREMATTERS_SECRET_KEY=key,
        CAREMATTERS_ALLOWED_HOSTS="care.example.org",
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {WEAK}"
    assert key not in done.stderr


def test_production_accepts_a_key_of_50_characters_with_5_different(tmp_path):
    done = settings_in(
        tmp_path,
        CAREMATTERS_PRODUCTION="1",
        CAREMATTERS_SECRET_KEY="abcde" * 10,
        CAREMATTERS_ALLOWED_HOSTS="care.example.org",
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", [["serve"], ["web", "migrate"]])
def test_a_command_in_production_with_a_weak_key_says_so_in_one_line(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREMATTERS_")}
    done = subprocess.run(
        [sys.executable, "-m", "carematters", *command],
        env={
            **env,
            "CAREMATTERS_VAR": str(tmp_path),
            "CAREMATTERS_PRODUCTION": "1",
            "CAREMATTERS_SECRET_KEY": "short",
            "CAREMATTERS_ALLOWED_HOSTS": "care.example.org",
        },
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"carematters cannot start: {WEAK}"


@pytest.mark.parametrize("command", [["serve"], ["web", "migrate"]])
def test_a_command_in_production_without_its_key_says_so_in_one_line(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREMATTERS_")}
    done = subprocess.run(
        [sys.executable, "-m", "carematters", *command],
        env={**env, "CAREMATTERS_VAR": str(tmp_path), "CAREMATTERS_PRODUCTION": "1"},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "carematters cannot start: CAREMATTERS_SECRET_KEY must be set when CAREMATTERS_PRODUCTION=1"
    )


def test_serve_without_the_static_files_says_so_instead_of_serving_errors(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREMATTERS_")}
    done = subprocess.run(
        [sys.executable, "-m", "carematters", "serve", "--bind", "127.0.0.1:1"],
        env={**env, "CAREMATTERS_VAR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "the static files are not collected" in done.stderr
    assert "carematters web collectstatic" in done.stderr


def test_production_sends_cookies_over_https_only_with_hsts(tmp_path):
    done = settings_in(
        tmp_path,
        CAREMATTERS_PRODUCTION="1",
        CAREMATTERS_SECRET_KEY=STRONG_KEY,
        CAREMATTERS_ALLOWED_HOSTS="care.example.org,care2.example.org",
        CAREMATTERS_DEBUG="1",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "DEBUG": False,  # even when asked for
        "ALLOWED_HOSTS": ["care.example.org", "care2.example.org"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_AGE": 30 * 60,
    }


def test_local_mode_keeps_debug_off_and_makes_a_private_secret_key(tmp_path):
    done = settings_in(tmp_path)
    assert done.returncode == 0, done.stderr
    local = json.loads(done.stdout)
    assert local["DEBUG"] is False
    assert local["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "testserver"]
    key = tmp_path / "secret-key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_text().strip()) >= 50


def test_production_passes_djangos_deployment_checks(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CAREMATTERS_") and name != "DATABASE_URL"
    }
    env.update(
        CAREMATTERS_VAR=str(tmp_path),
        CAREMATTERS_PRODUCTION="1",
        CAREMATTERS_SECRET_KEY="an-unguessable-key-" + "x9" * 30,
        CAREMATTERS_ALLOWED_HOSTS="care.example.org",
        DJANGO_SETTINGS_MODULE="carematters.web.config.settings",
    )
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
