"""The web suite: Django's test client against a fresh test database (SQLite, or the
PostgreSQL that DATABASE_URL names), with static files served unhashed so pages render
without `collectstatic`."""

import pytest
from django.db import connection
from pytest_django.fixtures import validate_django_db

from tests.web.recording_world import Recording, build_recording_world


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _audit_trail_emptied_after_transactional_tests(request, django_db_blocker):
    """A transactional test ends by emptying every table, and the audit trail's triggers
    refuse that by design on SQLite (where emptying a table is a DELETE; PostgreSQL's
    TRUNCATE is not a row's delete). For such a test only, the triggers stand aside
    while its audit rows are removed, and are put back as they were."""
    marker = request.node.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    if not (
        transaction
        or reset_sequences
        or {"transactional_db", "live_server"} & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so its flush comes after
    yield
    if connection.vendor != "sqlite":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["audit_event"],
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute("DELETE FROM audit_event")
        for _, sql in triggers:
            cursor.execute(sql)


@pytest.fixture
def robin() -> Recording:
    """The recording tests' world: Robin, a child in care, with their social worker and
    others around them (tests/web/recording_world.py)."""
    return build_recording_world()
