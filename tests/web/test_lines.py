"""Each child's stored caseload line (casework/lines.py), on the pages' world
(tests/web/pages_world.py): what it holds, worked by hand from that world, and that it
moves with what is due, never apart from it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from carematters.web.casework.due import Due, refresh_all_due, refresh_due
from carematters.web.casework.lines import LINE_SCHEMA, Line, lines_of
from carematters.web.casework.models import Header, Visit
from tests.web.pages_world import ALLOCATED, LEAVER, OTHER, TEAM, build_pages_world

pytestmark = pytest.mark.django_db


def test_a_line_holds_what_the_caseload_shows():
    pages = build_pages_world()
    line = Line.objects.get(child=ALLOCATED)
    assert (line.name, line.known_as, line.sort_name) == (
        "Amara Testwhistle",
        "Mara",
        "testwhistle amara",
    )
    assert (line.looked_after, line.place, line.placement_start, line.ls) == (
        True,
        "U6",
        pages.days_ago(100),
        "C2",
    )
    assert (line.iro_id, line.sw_id) == ("IRO1", "SW1")
    assert line.pl_distance is not None  # the miles depend on the postcode list in use
    # Visited at T-60: the six-weekly visit fell due at T-18.
    assert (line.overdue, line.most_days_overdue, line.as_at) == (1, 18, pages.today)


def test_a_line_counts_the_social_workers_of_the_year():
    build_pages_world()
    assert Line.objects.get(child=TEAM).social_workers == 3  # SW7, SW8 and SW2


def test_a_child_without_a_name_is_said_to_have_none():
    build_pages_world()
    line = Line.objects.get(child=OTHER)
    assert (line.name, line.sort_name, line.known_as) == (
        "Name not recorded",
        "name not recorded",
        None,
    )


def test_a_write_refreshes_the_line_with_what_is_due():
    pages = build_pages_world()
    Visit.objects.create(child=ALLOCATED, visit_date=pages.today, seen_alone="Y", sw_id="SW1")
    refresh_due([ALLOCATED], pages.today)
    line = Line.objects.get(child=ALLOCATED)
    overdue = Due.objects.filter(child=ALLOCATED, status="overdue").count()
    assert (line.overdue, overdue) == (0, 0)


def test_the_line_and_what_is_due_are_worked_out_on_the_same_day():
    pages = build_pages_world()
    earlier = pages.today - timedelta(days=3)
    refresh_due([TEAM], earlier)
    assert Line.objects.get(child=TEAM).as_at == earlier
    assert set(Due.objects.filter(child=TEAM).values_list("as_at", flat=True)) == {earlier}


def test_a_child_no_longer_in_the_record_loses_their_line():
    pages = build_pages_world()
    Header.objects.filter(child=OTHER).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Entered in error"
    )
    refresh_all_due(pages.today, chunk=2)
    assert not Line.objects.filter(child=OTHER).exists()
    # LEAVER, owed no duty, still has a line: they are still in the record.
    assert Line.objects.filter(child=LEAVER).exists()


def test_lines_read_back_worst_first_with_their_age_today():
    build_pages_world()
    lines = lines_of([TEAM, ALLOCATED], date(2026, 5, 1))
    assert lines.get_column("CHILD").to_list() == [ALLOCATED, TEAM]  # 1 overdue, then none
    # Born 1 May 2012: 14 on their birthday.
    assert lines.filter(lines["CHILD"] == ALLOCATED).get_column("AGE").item() == 14
    assert set(LINE_SCHEMA.names()) < set(lines.columns)
