"""The chronology, stored: each child's events worked out with what is due, replaced whole
when their record changes, and read by the pages newest first, each event keyed to the
row it came from."""

from __future__ import annotations

import pytest
from django.utils import timezone

from carematters.web.casework.chronicle import STORED_CHRONOLOGY, Event, chronology_of
from carematters.web.casework.due import refresh_all_due, refresh_due
from carematters.web.casework.models import Header, Visit
from tests.web.pages_world import ALLOCATED, OTHER, TEAM, build_pages_world

pytestmark = pytest.mark.django_db


def _visits(child: str) -> list[tuple[object, str, str, int]]:
    events = chronology_of(child).filter(KIND="visit")
    return list(events.select("DATE", "TITLE", "DETAIL", "KEY").iter_rows())


def test_the_stored_table_has_the_chronologys_columns():
    columns = [field.db_column for field in Event._meta.concrete_fields if field.name != "id"]
    assert columns == STORED_CHRONOLOGY.names()


def test_a_childs_visits_newest_first_by_whom_and_keyed_to_their_rows():
    pages = build_pages_world()
    made = {v.visit_date: v.pk for v in Visit.objects.filter(child=ALLOCATED)}
    # Visited T-98 and T-60 by SW1, who signs in as Sam Okafor, seen alone both times.
    assert _visits(ALLOCATED) == [
        (day, "Visit", "Seen alone, by Sam Okafor", made[day])
        for day in (pages.days_ago(60), pages.days_ago(98))
    ]


def test_the_newest_few_are_the_top_of_the_whole():
    build_pages_world()
    whole = chronology_of(TEAM)
    newest = chronology_of(TEAM, newest=2)
    assert newest.height == 2
    assert newest.equals(whole.head(2))
    assert whole.get_column("PLACE").to_list() == list(range(whole.height))


def test_a_refresh_after_a_write_shows_it_and_touches_no_one_else():
    pages = build_pages_world()
    others = set(Event.objects.exclude(child=ALLOCATED).values_list("pk", flat=True))
    today = Visit.objects.create(
        child=ALLOCATED, visit_date=pages.today, seen_alone="N", sw_id="SW1"
    )
    refresh_due([ALLOCATED], pages.today)
    assert _visits(ALLOCATED)[0] == (
        pages.today,
        "Visit",
        "Not seen alone, by Sam Okafor",
        today.pk,
    )
    assert set(Event.objects.exclude(child=ALLOCATED).values_list("pk", flat=True)) == others


def test_a_withdrawn_entry_leaves_the_chronology_at_the_refresh():
    pages = build_pages_world()
    Visit.objects.filter(child=ALLOCATED, visit_date=pages.days_ago(60)).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Entered in error"
    )
    refresh_due([ALLOCATED], pages.today)
    assert [day for day, *_ in _visits(ALLOCATED)] == [pages.days_ago(98)]


def test_refreshing_everyone_drops_a_child_no_longer_in_the_record():
    pages = build_pages_world()
    assert Event.objects.filter(child=OTHER).exists()
    Header.objects.filter(child=OTHER).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Entered in error"
    )
    refresh_all_due(pages.today)
    assert not Event.objects.filter(child=OTHER).exists()
