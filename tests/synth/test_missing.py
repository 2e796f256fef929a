"""Missing periods as DfE asks for them: each belongs to the placement the child went
missing from, the episode it began in, and has an end date once that episode has ended
(validator rule 575). A demo made until a day in December once showed a child missing
from 24 March 2026 to 6 April from a placement that ended on 27 March: open in the
2025-26 return, from a placement that return shows ended."""

from datetime import date

import numpy as np
import polars as pl

from carematters.synth import casework
from carematters.synth.authority import simulate
from carematters.synth.dates import day
from carematters.synth.draws import Spans

EPISODE_DAYS = 30
"""Each child in the hand-made spans below starts a new episode every 30 days."""


def _spans(children: int) -> tuple[Spans, pl.DataFrame]:
    """`children` 15-year-olds (the age most often missing), each in care for three years
    from 1 January 2020, with a new episode every EPISODE_DAYS days of it."""
    start = np.full(children, day(date(2020, 1, 1)), dtype=np.int64)
    end = start + 3 * 365
    dob = start - 15 * 365 - 100
    spans = Spans(np.arange(children, dtype=np.int64) + 1, dob, start, end)
    offsets = np.arange(0, 3 * 365, EPISODE_DAYS, dtype=np.int64)
    episodes = pl.DataFrame(
        {
            "PERIOD": np.repeat(np.arange(children, dtype=np.int64), len(offsets)),
            "DECOM": np.tile(offsets, children) + start[0],
        }
    )
    return spans, episodes


def test_a_child_still_away_when_their_episode_ends_is_found_that_day():
    """The same draws with the episodes and without: a period running past the day its
    episode ends (the next one begins) ends on that day instead; one over by then is as
    drawn. Both kinds are among them."""
    spans, episodes = _spans(200)
    no_changes = episodes.clear()
    bounded = casework.missing(np.random.default_rng(5), spans, episodes)
    as_drawn = casework.missing(np.random.default_rng(5), spans, no_changes)
    first = int(spans.start[0])
    episode_ends = first + EPISODE_DAYS * ((pl.col("MIS_START") - first) // EPISODE_DAYS + 1)
    care_ends = int(spans.end[0])
    both = (
        bounded.join(as_drawn, on=["CHILD_ID", "MIS_START"], suffix="_DRAWN")
        .with_columns(EPISODE_ENDS=episode_ends)
        .with_columns(
            SHOULD_END=pl.when(pl.col("EPISODE_ENDS") < care_ends)
            .then(pl.min_horizontal("MIS_END_DRAWN", "EPISODE_ENDS"))
            .otherwise(pl.col("MIS_END_DRAWN"))
        )
    )
    assert both.height > 0.9 * bounded.height > 500
    assert (both["MISSING"] == both["MISSING_DRAWN"]).all()
    assert (both["MIS_END"] == both["SHOULD_END"]).all()
    cut_short = both.filter(pl.col("MIS_END") < pl.col("MIS_END_DRAWN"))
    assert cut_short.height > 20
    assert (cut_short["MIS_END"] == cut_short["EPISODE_ENDS"]).all()
    assert both.filter(pl.col("MIS_END") == pl.col("MIS_END_DRAWN")).height > 400


def test_no_missing_period_outlives_the_episode_it_began_in():
    """On a simulated authority made until a day, as the demo is: each missing period's
    episode, found as rule 575 finds it (the child's latest episode beginning on or
    before MIS_START), has not ended, or ended on or after the period did. So no year's
    return, cut on any 31 March, can show a period still open from a placement it shows
    ended."""
    record = simulate(300, 2023, 2026, seed=3, until=date(2026, 11, 30))
    episodes = record["episodes"].select("CHILD", "DECOM", "DEC").sort("CHILD", "DECOM")
    found = (
        record["missing"]
        .sort("CHILD", "MIS_START")
        .join_asof(
            episodes, left_on="MIS_START", right_on="DECOM", by="CHILD", check_sortedness=False
        )
    )
    assert found.height > 1000
    assert found["DECOM"].null_count() == 0  # none before care (rule 581)
    ended = found.filter(pl.col("DEC").is_not_null())
    outliving = ended.filter(pl.col("MIS_END").is_null() | (pl.col("MIS_END") > pl.col("DEC")))
    assert outliving.is_empty(), outliving.select("CHILD", "MIS_START", "MIS_END", "DEC")
    assert ended.filter(pl.col("MIS_END") == pl.col("DEC")).height > 5
