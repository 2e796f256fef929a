"""The audit trail only grows: the application refuses to change or remove a row, and so
does the database itself (a trigger on SQLite and on PostgreSQL), whichever way it is
asked. And the access log a manager reads."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from carematters.web.audit import log
from carematters.web.audit.access import access_log
from carematters.web.audit.models import Action, AppendOnlyError, Event
from carematters.web.people import access
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from tests.web.permissions import CHILDREN, build_world

pytestmark = pytest.mark.django_db

REFUSED = "the audit trail cannot be changed or deleted"


@pytest.fixture
def event() -> Event:
    user = User.objects.create_user("sam", role=Role.SOCIAL_WORKER, staff_id="SW1")
    return log.viewed(user, "1000001", "Chronology")


def _refused_by_the_database(attempt) -> None:
    # In a savepoint, so that PostgreSQL carries on after the refusal.
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        attempt()


def test_the_database_refuses_an_update_in_sql(event):
    def update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_event SET what = %s WHERE id = %s", ["x", event.pk])

    _refused_by_the_database(update)
    assert Event.objects.get(pk=event.pk).what == "Chronology"


def test_the_database_refuses_a_delete_in_sql(event):
    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_event WHERE id = %s", [event.pk])

    _refused_by_the_database(delete)
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_the_orms_update_and_delete(event):
    # A plain QuerySet, round the application's own refusal, straight to the database.
    plain = models.QuerySet(model=Event).filter(pk=event.pk)
    _refused_by_the_database(lambda: plain.update(what="x"))
    _refused_by_the_database(plain.delete)
    _refused_by_the_database(lambda: models.Model.save(event))
    assert Event.objects.get(pk=event.pk).what == "Chronology"


def test_the_application_refuses_to_change_or_remove_a_row(event):
    event.what = "Something else"
    for attempt in (
        event.save,
        event.delete,
        lambda: Event.objects.filter(pk=event.pk).update(what="x"),
        lambda: Event.objects.filter(pk=event.pk).delete(),
        lambda: Event.objects.all().delete(),
        lambda: Event.objects.bulk_update([event], ["what"]),
        lambda: Event.objects.update_or_create(pk=event.pk, defaults={"what": "x"}),
    ):
        with pytest.raises(AppendOnlyError, match="rows are only added"):
            attempt()
    assert Event.objects.get(pk=event.pk).what == "Chronology"


def test_rows_are_still_added(event):
    log.changed(
        event.user,
        "1000001",
        Action.CORRECTED,
        "Visit on 01/11/2026",
        before={"SEEN_ALONE": "N"},
        after={"SEEN_ALONE": "Y"},
        reason="Typed the wrong answer",
    )
    assert Event.objects.count() == 2


def test_a_child_id_longer_than_dfes_ten_characters_is_still_audited(event):
    # An imported return may hold a CHILD id longer than the return allows (the
    # validator reports it); viewing that child's record must still be audited.
    long_id = "CHILD-ID-0000001"
    log.viewed(event.user, long_id, "Overview")
    assert Event.objects.filter(child=long_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_audit_rows_still_ends_cleanly():
    # Such tests end by emptying every table; tests/web/conftest.py lets the audit table
    # be emptied then (and only then), or this test would fail in its teardown.
    User.objects.create_user("sam", role=Role.SOCIAL_WORKER)
    log.viewed(User.objects.get(), "1000001", "Chronology")
    assert Event.objects.count() == 1


# The access log ----------------------------------------------------------------------


def test_the_team_manager_reads_who_viewed_and_changed_newest_first():
    world = build_world()
    child = CHILDREN["ALLOCATED"]
    access.view_child(world.users["sw"], child, "Chronology")
    access.view_child(world.users["yp"], child, "My record")
    entries = list(access_log(world.users["tm"], child))
    assert [(e.user.username if e.user else None, e.action, e.what) for e in entries] == [
        ("team-manager", Action.VIEWED, "Access log"),
        ("young-person", Action.VIEWED, "My record"),
        ("social-worker", Action.VIEWED, "Chronology"),
        (None, Action.ALLOCATED, "Designated teacher"),
    ]


def test_the_access_log_is_one_query():
    world = build_world()
    entries = access_log(world.users["dcs"], CHILDREN["ALLOCATED"])
    with CaptureQueriesContext(connection) as queries:
        names = [e.user.username if e.user else "-" for e in entries]
    assert names[0] == "director"
    assert len(queries) == 1


@pytest.mark.parametrize("role", ["sw", "iro", "po", "yp", "adm"])
def test_nobody_else_reads_the_access_log(role):
    world = build_world()
    with pytest.raises(Http404):
        access_log(world.users[role], CHILDREN["ALLOCATED"])
    assert not Event.objects.filter(action=Action.VIEWED).exists()
