"""How many children come into care, so that the authority has the size asked for.

Entries are spread evenly over time from 18 years before the first year simulated
(so that children already in care when it starts have real histories), at the rate
that keeps about the asked-for number in care on each 31 March. That rate is found
by a small pilot run with the same model: stock = entry rate x average stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from carematters.indicators.national import england_by_year
from carematters.parameters import Parameters
from carematters.synth.dates import YEAR_DAYS, day
from carematters.synth.periods import Periods, concat, first_entries, reentries

BURN_IN_YEARS = 18
PILOT_ENTRIES_PER_YEAR = 3000


@dataclass(frozen=True)
class Window:
    """The stretch of time simulated: 1 April of the first year to 31 March after the last,
    or to `until` if that comes first (a record as it stands on a day within a year)."""

    first_year: int
    last_year: int
    until: date | None = None

    @property
    def start(self) -> int:
        return day(date(self.first_year, 4, 1))

    @property
    def end(self) -> int:
        last = day(date(self.last_year + 1, 3, 31))
        return last if self.until is None else min(last, day(self.until))

    @property
    def burn_in(self) -> int:
        return self.start - int(BURN_IN_YEARS * YEAR_DAYS)

    def year_ends(self) -> list[int]:
        """31 March of each collection year in the window."""
        return [end for _, end, _ in self.collection_years()]

    def collection_years(self) -> list[tuple[int, int, str]]:
        """Each whole collection year in the window: first day, last day and label (2024-25)."""
        whole = (
            (day(date(y, 4, 1)), day(date(y + 1, 3, 31)), f"{y}-{(y + 1) % 100:02d}")
            for y in range(self.first_year, self.last_year + 1)
        )
        # A year still under way has no 31 March yet to describe children on.
        return [(first, last, label) for first, last, label in whole if last <= self.end]


def _periods(rng: np.random.Generator, window: Window, per_year: float, law: Parameters) -> Periods:
    count = rng.poisson(per_year * (window.end - window.burn_in) / YEAR_DAYS)
    starts = np.sort(rng.integers(window.burn_in, window.end + 1, count)).astype(np.int64)
    first = first_entries(rng, starts, 1, law)
    again = reentries(rng, first, law)
    third = reentries(rng, again, law)
    return concat([first, again, third])


def stock(periods: Periods, on: int) -> int:
    """How many children are in care on a day."""
    return int(((periods.start <= on) & (periods.end > on)).sum())


def draw_periods(
    seed: np.random.SeedSequence, window: Window, in_care: int, law: Parameters
) -> Periods:
    """Every period of care for an authority with about `in_care` children in care, under
    `law` (the parameters as they stood on the window's last day)."""
    pilot_seed, real_seed = seed.spawn(2)
    pilot = _periods(np.random.default_rng(pilot_seed), window, PILOT_ENTRIES_PER_YEAR, law)
    average = float(np.mean([stock(pilot, d) for d in window.year_ends()]))
    per_year = PILOT_ENTRIES_PER_YEAR * in_care / max(average, 1.0)
    return _periods(np.random.default_rng(real_seed), window, per_year, law)


def children_in_area(in_care: int) -> pl.DataFrame:
    """A child population for the fictional authority, year by year (YEAR, CHILDREN),
    such that its rate of children in care per 10,000 is about England's that year: what
    an authority of its size would have, for the demo's rate per 10,000."""
    england = england_by_year()
    return england.select(
        "YEAR", CHILDREN=(in_care * 10_000 / pl.col("RATE_PER_10000")).round().cast(pl.Int64)
    )
