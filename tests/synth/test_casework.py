"""Casework falls due by the law's timescales and goes on for as long as the care does.

Lateness is switched off (`ON_TIME`) where a test follows the law's rhythm day by day;
the simulated authority's own habits are measured on the demo in test_duties_on_demo.
"""

from datetime import date, timedelta
from itertools import pairwise

import numpy as np
import polars as pl
import pytest

from carematters.parameters import parameters
from carematters.synth import casework
from carematters.synth.dates import EPOCH, NEVER, birthdays, day, later
from carematters.synth.draws import Spans
from carematters.synth.periods import AGE_OUT, Periods
from carematters.synth.placements import moves
from carematters.synth.recurring import Lateness, recur, rhythm

LAW = parameters(date(2026, 3, 31))
ON_TIME = Lateness(share=0.0, most_days=1, early_days=0)
"""Every event held on the day it falls due."""


def _days(*dates: date) -> np.ndarray:
    return np.array([day(d) for d in dates], dtype=np.int64)


def _held(frame: pl.DataFrame, column: str) -> list[date]:
    """The days (day numbers in the simulator's frames) as dates, in order."""
    return [EPOCH + timedelta(days=int(d)) for d in frame[column].sort()]


def _gaps(dates: list[date]) -> list[int]:
    return [(later - earlier).days for earlier, later in pairwise(dates)]


def test_events_go_on_for_the_whole_of_a_long_span():
    """Eighteen years of six-weekly visits is 156 of them, nearly twice the 80 the
    simulator once stopped at; the last is within six weeks of the span's end."""
    start, end = _days(date(2008, 1, 7)), _days(date(2026, 1, 5))
    _, days = recur(
        np.random.default_rng(1),
        start,
        end,
        rhythm(LAW, "visits.interval", "visits.interval"),
        ON_TIME,
    )
    assert len(days) == 156
    assert (np.diff(days) == 42).all()
    assert end[0] - days[-1] <= 42


def test_reviews_fall_due_in_working_days_then_calendar_months(monkeypatch):
    """In care from Thursday 10 April 2025: the first review on the 20th working day
    (13 May: Easter and the May bank holiday skipped), the second 3 months after it,
    then every 6 months."""
    monkeypatch.setattr(casework, "REVIEWS_HELD", ON_TIME)
    spans = Spans(
        np.array([1]), _days(date(2015, 6, 1)), _days(date(2025, 4, 10)), _days(date(2026, 3, 31))
    )
    held = casework.reviews(np.random.default_rng(1), spans, LAW)
    assert _held(held, "REVIEW") == [
        date(2025, 5, 13),
        date(2025, 8, 13),
        date(2026, 2, 13),
    ]


def _placed(
    place: str,
    start: date,
    end: date,
    first_review: date | None = None,
    interim: tuple[date, date] | None = None,
) -> casework.Placed:
    """One placement of a child born 1 May 2014."""

    def when(given: date | None) -> np.ndarray:
        return _days(given) if given else np.array([NEVER])

    return casework.Placed(
        Spans(np.array([1]), _days(date(2014, 5, 1)), _days(start), _days(end)),
        place=np.array([place]),
        first_review=when(first_review),
        interim_from=when(interim[0] if interim else None),
        interim_to=when(interim[1] if interim else None),
    )


def test_a_long_term_foster_child_is_visited_three_monthly_after_the_first_year(monkeypatch):
    """U4 from Monday 6 January 2020: a visit within a week (13 January), six-weekly
    while the placement is under a year old (the last on 14 December 2020, so the next
    is due 25 January 2021), then every 3 months (CPPCR 2010 reg 28(2)-(3))."""
    monkeypatch.setattr(casework, "VISITS_HELD", ON_TIME)
    placed = _placed("U4", date(2020, 1, 6), date(2023, 1, 6))
    visits = casework.visits(np.random.default_rng(1), placed, LAW)
    dates = _held(visits, "VISIT_DATE")
    assert dates[0] == date(2020, 1, 13)
    year_on = date(2021, 1, 6)
    first_year = [d for d in dates if d < year_on]
    assert set(_gaps(first_year)) == {42}
    settled = [d for d in dates if d >= year_on]
    assert settled[:4] == [
        date(2021, 1, 25),
        date(2021, 4, 25),
        date(2021, 7, 25),
        date(2021, 10, 25),
    ]


def test_a_short_term_foster_child_is_visited_six_weekly_for_as_long_as_it_lasts(monkeypatch):
    monkeypatch.setattr(casework, "VISITS_HELD", ON_TIME)
    placed = _placed("U6", date(2020, 1, 6), date(2023, 1, 6))
    visits = casework.visits(np.random.default_rng(1), placed, LAW)
    dates = _held(visits, "VISIT_DATE")
    assert set(_gaps(dates)) == {42}
    assert dates[-1] > date(2022, 11, 24)


def test_at_home_weekly_until_the_first_review_then_four_weekly_under_an_interim_order(
    monkeypatch,
):
    """Placed with a parent (P1) on 6 January 2025 under an interim care order that runs
    to 1 September; the first review on 3 February: weekly visits until the review,
    four-weekly while the interim order runs, six-weekly after."""
    monkeypatch.setattr(casework, "VISITS_HELD", ON_TIME)
    placed = _placed(
        "P1",
        date(2025, 1, 6),
        date(2026, 3, 1),
        first_review=date(2025, 2, 3),
        interim=(date(2024, 12, 1), date(2025, 9, 1)),
    )
    visits = casework.visits(np.random.default_rng(1), placed, LAW)
    dates = _held(visits, "VISIT_DATE")
    assert dates[:5] == [date(2025, 1, d) for d in (13, 20, 27)] + [
        date(2025, 2, 3),
        date(2025, 3, 3),
    ]
    gaps = dict(zip(dates, _gaps(dates), strict=False))
    assert {g for d, g in gaps.items() if date(2025, 2, 3) <= d < date(2025, 9, 1)} == {28}
    assert {g for d, g in gaps.items() if d >= date(2025, 9, 1)} == {42}


def test_health_is_reviewed_six_monthly_before_five_and_yearly_after(monkeypatch):
    """In care from 2 June 2021 at 3: an initial assessment within 20 working days, then
    reviews every 6 months until one falls on or after the 5th birthday (2 March 2023),
    yearly after that (CPPCR 2010 reg 7-8)."""
    monkeypatch.setattr(casework, "HEALTH_HELD", ON_TIME)
    spans = Spans(
        np.array([1]), _days(date(2018, 3, 2)), _days(date(2021, 6, 2)), _days(date(2025, 6, 1))
    )
    found = casework.health_assessments(np.random.default_rng(1), spans, LAW)
    assessments = found.filter(pl.col("KIND").is_in(["IHA", "RHA"])).sort("ASSESSMENT_DATE")
    assert assessments["KIND"].to_list() == ["IHA"] + ["RHA"] * 5
    assert _held(assessments, "ASSESSMENT_DATE") == [
        date(2021, 6, 30),
        date(2021, 12, 30),
        date(2022, 6, 30),
        date(2022, 12, 30),
        date(2023, 6, 30),
        date(2024, 6, 30),
    ]


def test_nobody_is_limited_to_thirty_social_workers():
    """Forty years of a role that changes hands 1.25 times a year: about 50 holders."""
    spans = Spans(
        np.arange(200),
        np.zeros(200, dtype=np.int64),
        np.zeros(200, dtype=np.int64),
        np.full(200, int(40 * 365.25)),
    )
    workers = casework.social_workers(np.random.default_rng(1), spans, 20)
    most = workers.group_by("CHILD_ID").len()["len"].max()
    assert most > 40


def test_an_unsettled_teenager_can_have_more_than_ten_placements_in_a_period():
    size = 2000
    start = np.full(size, day(date(2015, 1, 1)), dtype=np.int64)
    dob = start - int(10 * 365.25)
    periods = Periods(
        child=np.arange(size),
        dob=dob,
        male=np.zeros(size, dtype=bool),
        uasc=np.zeros(size, dtype=bool),
        start=start,
        end=birthdays(dob, 18),
        route=np.full(size, AGE_OUT),
        placed_for_adoption=np.full(size, -1),
    )
    placements = moves(np.random.default_rng(1), periods)
    assert placements.group_by("PERIOD").len()["len"].max() > 15


@pytest.mark.parametrize("kind", ["CARE", "PLACEMENT", "PERMANENCE"])
def test_plans_are_made_within_the_laws_time_when_on_time(monkeypatch, kind):
    """Care plan within 10 working days, placement plan within 5, permanence plan 4
    months in: from Friday 4 April 2025, 22 April (Good Friday and Easter Monday are not
    working days), 11 April and 4 August."""
    monkeypatch.setattr(casework, "PLANS_HELD", ON_TIME)
    spans = Spans(
        np.array([1]), _days(date(2015, 6, 1)), _days(date(2025, 4, 4)), _days(date(2026, 3, 31))
    )
    plans = casework.care_plans(np.random.default_rng(1), spans, spans, LAW)
    expected = {
        "CARE": date(2025, 4, 22),
        "PLACEMENT": date(2025, 4, 11),
        "PERMANENCE": date(2025, 8, 4),
    }
    made = _held(plans.filter(pl.col("KIND") == kind), "PLAN_DATE")
    assert made == [expected[kind]]


def test_a_visit_is_made_by_the_social_worker_the_child_had_that_day():
    workers = pl.DataFrame(
        {"CHILD_ID": [7, 7, 9], "SW_ID": ["SW1", "SW2", "SW3"], "SW_DECOM": [0, 100, 0]}
    )
    visits = pl.DataFrame(
        {"CHILD_ID": [7, 9, 7, 7], "VISIT_DATE": [150, 5, 99, 100], "SEEN_ALONE": ["Y"] * 4}
    )
    made = casework.visited_by(visits, workers)
    # In the order given: SW2 from day 100 (the day itself included), SW1 before it.
    assert made.select("CHILD_ID", "VISIT_DATE", "SW_ID").rows() == [
        (7, 150, "SW2"),
        (9, 5, "SW3"),
        (7, 99, "SW1"),
        (7, 100, "SW2"),
    ]


def test_an_iro_is_named_within_5_working_days_even_over_christmas():
    """Children coming into care on every day from 16 December 2024 to 10 January 2025
    (weekends, Christmas, Boxing Day and New Year's Day among them) are all given an IRO
    on or after the day they come into care and by the 5th working day: for Monday
    23 December that is Thursday 2 January 2025, ten days on; for Sunday 5 January it is
    Friday 10 January, only five (a week's draw, as the simulator once made, would be
    late). Most are named in the first few days."""
    first, days = date(2024, 12, 16), 26
    starts = np.repeat(_days(*(first + timedelta(days=n) for n in range(days))), 40)
    size = len(starts)
    spans = Spans(np.arange(size), np.full(size, day(date(2015, 6, 1))), starts, starts + 365)
    named = casework.iros(np.random.default_rng(1), spans, 5, LAW)
    first_named = named.group_by("CHILD_ID").agg(pl.col("START_DATE").min()).sort("CHILD_ID")
    assert first_named.height == size
    appointed = first_named["START_DATE"].to_numpy()
    latest = later(starts, LAW["iro.named_within"])
    assert (appointed >= starts).all()
    assert (appointed <= latest).all()
    assert latest[starts == day(date(2024, 12, 23))][0] == day(date(2025, 1, 2))
    assert latest[starts == day(date(2025, 1, 5))][0] == day(date(2025, 1, 10))
    assert (appointed == latest).any()  # the last day allowed is used, and never passed
    assert np.median(appointed - starts) <= 3
