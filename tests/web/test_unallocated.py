"""Children in care with no social worker, held by their last one's team: the stretches of
days worked out and stored with what is due (`casework.unallocated`), and the same answer
as the question asked of one child's record when it is opened (`people.access`)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from django.utils import timezone

from carematters.records.record import Record
from carematters.web.casework.due import refresh_due
from carematters.web.casework.models import Episode, Header, SocialWorkerEpisode
from carematters.web.casework.unallocated import Unallocated, unallocated_from
from carematters.web.people import access
from carematters.web.people.access import Relationship
from carematters.web.people.models import Team, User
from tests.web.permissions import build_world

D = date


def _record(episodes: list[tuple], workers: list[tuple]) -> Record:
    """One child's record, A: episodes (DECOM, DEC) and social worker episodes (SW_ID,
    SW_DECOM, SW_DEC), in the order they were made."""
    return Record.of(
        {
            "episodes": pl.DataFrame(
                [("A", *e) for e in episodes],
                schema={"CHILD": pl.String, "DECOM": pl.Date, "DEC": pl.Date},
                orient="row",
            ),
            "sw_episodes": pl.DataFrame(
                [("A", *w) for w in workers],
                schema={
                    "CHILD": pl.String,
                    "SW_ID": pl.String,
                    "SW_DECOM": pl.Date,
                    "SW_DEC": pl.Date,
                },
                orient="row",
            ),
        }
    )


def _stretches(episodes: list[tuple], workers: list[tuple]) -> list[tuple]:
    return unallocated_from(_record(episodes, workers)).drop("CHILD").rows()


def test_between_two_workers_the_last_holds_them():
    # In care from 1 January; Ann until 1 March, Bo from 10 March: Ann's from 1 to 10 March.
    assert _stretches(
        [(D(2026, 1, 1), None)],
        [("ANN", D(2026, 1, 1), D(2026, 3, 1)), ("BO", D(2026, 3, 10), None)],
    ) == [("ANN", D(2026, 3, 1), D(2026, 3, 10))]


def test_a_handover_on_the_same_day_leaves_no_day_without_a_worker():
    assert (
        _stretches(
            [(D(2026, 1, 1), None)],
            [("ANN", D(2026, 1, 1), D(2026, 3, 1)), ("BO", D(2026, 3, 1), None)],
        )
        == []
    )


def test_no_worker_after_the_last_one_is_held_until_care_ends():
    # Ann until 1 March; care ends 1 May: held by Ann's team from 1 March to 1 May.
    assert _stretches(
        [(D(2026, 1, 1), D(2026, 5, 1))], [("ANN", D(2026, 1, 1), D(2026, 3, 1))]
    ) == [("ANN", D(2026, 3, 1), D(2026, 5, 1))]


def test_still_in_care_with_no_worker_is_held_with_no_end():
    assert _stretches([(D(2026, 1, 1), None)], [("ANN", D(2026, 1, 1), D(2026, 3, 1))]) == [
        ("ANN", D(2026, 3, 1), None)
    ]


def test_a_child_who_never_had_a_worker_is_held_by_nobody():
    assert _stretches([(D(2026, 1, 1), None)], []) == []


def test_between_two_periods_of_care_nobody_holds_them():
    # Ann from 1 January, open; care 1 January to 1 February, again from 1 April: Ann's
    # episode never ended, so they always had a worker while in care.
    assert (
        _stretches(
            [(D(2026, 1, 1), D(2026, 2, 1)), (D(2026, 4, 1), None)],
            [("ANN", D(2026, 1, 1), None)],
        )
        == []
    )
    # Ann until 1 March: not held while out of care, held again from 1 April.
    assert _stretches(
        [(D(2026, 1, 1), D(2026, 2, 1)), (D(2026, 4, 1), None)],
        [("ANN", D(2026, 1, 1), D(2026, 3, 1))],
    ) == [("ANN", D(2026, 4, 1), None)]


def test_the_later_of_two_begun_on_one_day_is_the_last():
    assert _stretches(
        [(D(2026, 1, 1), None)],
        [("ANN", D(2026, 1, 1), D(2026, 2, 1)), ("BO", D(2026, 1, 1), D(2026, 2, 1))],
    ) == [("BO", D(2026, 2, 1), None)]


def test_a_worker_begun_and_ended_in_a_gap_takes_it_over_from_that_day():
    # Ann until 1 February; Bo from 1 to 1 March (a day's episode ends as it begins).
    assert _stretches(
        [(D(2026, 1, 1), None)],
        [("ANN", D(2026, 1, 1), D(2026, 2, 1)), ("BO", D(2026, 3, 1), D(2026, 3, 1))],
    ) == [("ANN", D(2026, 2, 1), D(2026, 3, 1)), ("BO", D(2026, 3, 1), None)]


def test_a_last_episode_naming_no_worker_is_held_by_nobody():
    assert (
        _stretches(
            [(D(2026, 1, 1), None)],
            [("ANN", D(2026, 1, 1), D(2026, 2, 1)), (None, D(2026, 2, 1), D(2026, 3, 1))],
        )
        == []
    )


# The list of a team (stored stretches) and one child's record (asked of the record) agree.


@pytest.mark.django_db
def test_a_teams_list_and_a_childs_record_give_the_same_answer():
    world = build_world()
    manager = world.users["tm"]
    today = timezone.localdate()

    def days(n: int) -> date:
        return today + timedelta(days=n)

    # Team A's workers are SW1 and SW2; SW9 is team B's. Each case: episodes (DECOM,
    # DEC) and social worker episodes (SW_ID, SW_DECOM, SW_DEC).
    cases = {
        "5000001": ([(-100, None)], [("SW2", -100, -10)]),  # ended 10 days ago
        "5000002": ([(-100, None)], [("SW2", -100, 0)]),  # ends today: none today
        "5000003": ([(-100, None)], [("SW2", -100, 1)]),  # ends tomorrow: one today
        "5000004": ([(-100, None)], []),  # never had one
        "5000005": ([(-100, -1)], [("SW2", -100, -1)]),  # care ended yesterday
        "5000006": ([(-100, None)], [("SW9", -100, -10)]),  # team B's
        "5000007": ([(-100, None)], [("SW2", -100, -50), ("SW9", -50, -10)]),  # then B's
        "5000008": ([(1, None)], [("SW2", -100, -10)]),  # in care from tomorrow
        "5000009": ([(-100, None)], [("SW9", -100, -10), ("SW2", -100, -10)]),  # later row
        "5000010": ([(-100, 0)], [("SW2", -100, -10)]),  # care ends today
    }
    for child, (episodes, workers) in cases.items():
        Header.objects.create(child=child, sex="1", dob=date(2012, 1, 1))
        for start, end in episodes:
            Episode.objects.create(
                child=child,
                decom=days(start),
                dec=None if end is None else days(end),
                rne="S",
                ls="C2",
                place="U1",
            )
        for sw_id, start, end in workers:
            SocialWorkerEpisode.objects.create(
                child=child,
                sw_id=sw_id,
                sw_decom=days(start),
                sw_dec=None if end is None else days(end),
            )
    refresh_due(list(cases), today)

    listed = set(access.team_child_ids(manager))
    for child in cases:
        opened = Relationship.TEAM_MANAGER in access.relationships_to(manager, child)
        assert (child in listed) == opened, child
    assert {c for c in cases if c in listed} == {"5000001", "5000002", "5000003", "5000009"}
    # Team B's manager holds the ones whose last worker is SW9.
    other = User.objects.get(username="manager-b")
    assert Team.objects.filter(manager=other).exists()
    assert {c for c in cases if c in set(access.team_child_ids(other))} == {
        "5000006",
        "5000007",
    }


@pytest.mark.django_db
def test_recording_a_worker_ends_the_stretch_at_once():
    world = build_world()
    today = timezone.localdate()
    Header.objects.create(child="5000020", sex="1", dob=date(2012, 1, 1))
    Episode.objects.create(
        child="5000020", decom=today - timedelta(days=100), rne="S", ls="C2", place="U1"
    )
    SocialWorkerEpisode.objects.create(
        child="5000020",
        sw_id="SW2",
        sw_decom=today - timedelta(days=100),
        sw_dec=today - timedelta(days=10),
    )
    refresh_due(["5000020"], today)
    assert list(Unallocated.objects.values_list("sw_id", "start", "end")) == [
        ("SW2", today - timedelta(days=10), None)
    ]
    SocialWorkerEpisode.objects.create(
        child="5000020", sw_id="SW1", sw_decom=today - timedelta(days=3)
    )
    refresh_due(["5000020"], today)
    assert list(Unallocated.objects.values_list("sw_id", "start", "end")) == [
        ("SW2", today - timedelta(days=10), today - timedelta(days=3))
    ]
    assert "5000020" in access.team_child_ids(world.users["tm"])  # SW1's, team A
