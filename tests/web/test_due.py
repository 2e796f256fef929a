"""What is due, stored: the duties engine's rows kept per child, replaced whole when the
record changes or the day moves on, and read by the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from carematters.cli import app
from carematters.duties.engine import DUTIES, SCHEMA
from carematters.web.casework.due import (
    DUE_SCHEMA,
    DUTY_TITLES,
    Due,
    due_table,
    refresh_all_due,
    refresh_due,
)
from carematters.web.casework.models import Header, Visit
from tests.web.pages_world import ALLOCATED, OTHER, TEAM, build_pages_world

pytestmark = pytest.mark.django_db


def test_the_stored_table_is_the_engines_and_the_day():
    columns = [field.db_column for field in Due._meta.concrete_fields if field.name != "id"]
    assert columns == [*SCHEMA.names(), "AS_AT"]
    assert DUE_SCHEMA.names() == columns


def test_every_duty_has_a_name_on_the_page():
    assert sorted(DUTY_TITLES) == sorted(duty.id for duty in DUTIES)


def test_refreshing_replaces_only_that_childs_rows():
    pages = build_pages_world()
    others = set(Due.objects.exclude(child=ALLOCATED).values_list("pk", flat=True))
    # A visit today: the next is then due in six weeks, no longer overdue.
    Visit.objects.create(child=ALLOCATED, visit_date=pages.today, seen_alone="N", sw_id="SW1")
    stored = refresh_due([ALLOCATED], pages.today)
    mine = Due.objects.filter(child=ALLOCATED)
    assert stored == mine.count()
    visit = mine.get(duty="visit.placement")
    assert (visit.status, visit.due_date, visit.last_done, visit.days_overdue) == (
        "upcoming",
        pages.today + timedelta(weeks=6),
        pages.today,
        0,
    )
    assert set(Due.objects.exclude(child=ALLOCATED).values_list("pk", flat=True)) == others


def test_a_day_later_the_statuses_move():
    pages = build_pages_world()
    tomorrow = pages.today + timedelta(days=1)
    refresh_due([TEAM], tomorrow)
    visit = Due.objects.get(child=TEAM, duty="visit.placement")
    # Due today at T, overdue by one day at T+1.
    assert (visit.status, visit.days_overdue, visit.as_at) == ("overdue", 1, tomorrow)


def test_refreshing_everyone_drops_a_child_no_longer_in_the_record():
    pages = build_pages_world()
    Header.objects.filter(child=OTHER).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Entered in error"
    )
    refresh_all_due(pages.today, chunk=2)
    assert not Due.objects.filter(child=OTHER).exists()
    # LEAVER (1000004), out of care at 14, is owed nothing.
    assert set(Due.objects.values_list("child", flat=True)) == {"1000001", "1000002", "1000005"}
    assert set(Due.objects.values_list("as_at", flat=True)) == {pages.today}


def test_the_table_reads_back_as_the_engine_gave_it():
    pages = build_pages_world()
    table = due_table([ALLOCATED])
    assert table.schema == DUE_SCHEMA
    assert table.height == Due.objects.filter(child=ALLOCATED).count() > 0
    overdue = table.filter(table["STATUS"] == "overdue").rows(named=True)
    assert [(r["DUTY"], r["DUE_DATE"], r["DAYS_OVERDUE"]) for r in overdue] == [
        ("visit.placement", pages.days_ago(18), 18)
    ]


def test_the_daily_command_refreshes_everyone():
    pages = build_pages_world()
    Due.objects.all().delete()
    run = CliRunner().invoke(app, ["web", "refresh-due"])
    assert run.exit_code == 0, run.output
    stored = Due.objects.count()
    assert run.stderr == (
        f"worked out what is due on {pages.today:%d/%m/%Y}: {stored} duties stored\n"
    )
    assert Due.objects.filter(child=ALLOCATED, status="overdue").count() == 1
