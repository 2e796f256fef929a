"""The demo authority's casework is late about as often as England's is, and never stops:
measured with the duties engine as at 31 March 2026, the demo record's last day.

The shares are of children in care that day with a duty of the kind overdue. DfE
publishes one national figure for this (OC2: health assessments up to date on 31 March);
for visits and reviews the bounds come from the share held on time, which at most can
be overdue on a day, and councils' published performance figures.
"""

from datetime import date

import polars as pl
import pytest

from carematters.duties.engine import duties_as_at
from carematters.records.periods import looked_after_on
from carematters.records.record import Record
from carematters.synth.authority import simulate

AS_AT = date(2026, 3, 31)
LONGEST_WITHOUT_A_VISIT = 183
"""Days: six months. The most a visit falls due apart is 3 months (a settled long-term
foster placement); the simulator's visits once stopped after 80, leaving children in
long placements unvisited for up to five years."""

OVERDUE = {
    "visits": (("visit.placement.first", "visit.placement"), 0.03, 0.15),
    "reviews": (("review.first", "review.second", "review.subsequent"), 0.01, 0.15),
    "health assessments": (("health.initial", "health.review"), 0.05, 0.15),
}
"""Duties of each kind, and the least and most share of children with one overdue.

- visits: councils publish 85-95% of statutory visits to children in care within
  timescale (DfE publishes no national figure), so 5-15% late; a snapshot finds a few
  fewer, as late visits are mostly a few weeks late: 3-15%.
- reviews: 85-95% held on time (the national indicator NI 66, to 2010, was about 90%;
  councils publish 90-99%), so at most 15% overdue; late reviews are mostly weeks late
  against a 6-month interval, so a day finds far fewer overdue, though never none: 1-15%.
- health assessments: DfE's OC2 figure for England, 2025 (CALIBRATION.md): 90% of
  children looked after for 12 months had theirs up to date on 31 March; 5-15% overdue
  among those children.
"""


@pytest.fixture(scope="module")
def demo() -> Record:
    """The demo authority (`carematters synth` defaults; `carematters demo`)."""
    return Record.of(simulate(600, 2019, 2025, seed=7))


@pytest.fixture(scope="module")
def in_care(demo: Record) -> pl.DataFrame:
    children = looked_after_on(demo.episodes, AS_AT)
    assert children.height > 500
    return children


@pytest.fixture(scope="module")
def duties(demo: Record) -> pl.DataFrame:
    return duties_as_at(demo, AS_AT)


@pytest.mark.parametrize("kind", list(OVERDUE))
def test_the_share_of_children_with_casework_overdue_is_englands(kind, in_care, duties):
    ids, least, most = OVERDUE[kind]
    children = in_care
    if kind == "health assessments":
        # OC2's cohort: looked after continuously for the 12 months to 31 March.
        children = in_care.filter(pl.col("PERIOD_START") <= date(2025, 3, 31))
    owed = duties.filter(
        pl.col("DUTY").is_in(ids) & pl.col("CHILD").is_in(children["CHILD"].implode())
    )
    assert owed["CHILD"].n_unique() == children.height
    overdue = owed.filter(pl.col("STATUS") == "overdue")["CHILD"].n_unique()
    share = overdue / children.height
    assert least <= share <= most, (
        f"{kind}: {overdue} of {children.height} children overdue ({share:.1%}), "
        f"not {least:.0%}-{most:.0%}"
    )


def test_no_child_in_care_has_gone_six_months_without_a_visit(demo, in_care):
    """Counted from the later of the last visit and the start of the child's period of
    care, to 31 March 2026."""
    last = (
        demo.visits.filter(pl.col("VISIT_DATE") <= AS_AT)
        .group_by("CHILD")
        .agg(LAST=pl.col("VISIT_DATE").max())
    )
    since = in_care.join(last, on="CHILD", how="left").select(
        "CHILD",
        DAYS=(
            pl.lit(AS_AT) - pl.max_horizontal("PERIOD_START", pl.col("LAST").fill_null(date.min))
        ).dt.total_days(),
    )
    unvisited = since.filter(pl.col("DAYS") > LONGEST_WITHOUT_A_VISIT)
    assert unvisited.is_empty(), unvisited
    # Not vacuous: some child is between visits longer than the 6 weeks most wait.
    assert since["DAYS"].max() > 42


def test_every_child_in_care_has_an_iro_named_in_time(in_care, duties):
    """The demo authority names an IRO for every child within 5 working days of coming
    into care (IRO Handbook): on 31 March 2026 none is overdue, every one named was named
    by the day it was due, and the only children still waiting came into care too
    recently for theirs to be due yet."""
    named = duties.filter(pl.col("DUTY") == "review.iro_named")
    assert named["CHILD"].n_unique() == in_care.height
    done = named.filter(pl.col("STATUS") == "done")
    waiting = named.filter(pl.col("STATUS") != "done")
    assert done.height > waiting.height
    assert (done["LAST_DONE"] <= done["DUE_DATE"]).all()
    assert (waiting["DUE_DATE"] >= AS_AT).all()
