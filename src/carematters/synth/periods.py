"""Periods of care: who comes into care, when, at what age, how, and how they leave.

Each period is drawn whole at entry: the child's age, whether unaccompanied and
seeking asylum, category of need, first legal status, and the route out of care
(home, adoption, special guardianship, turning 18 ...) with how long that route
takes. In a steady state the routes out are drawn in the same shares as DfE's
reasons for ceasing, and the long routes (adoption, staying to 18) are what make
up most of the children in care on any 31 March.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from carematters.parameters import Parameters
from carematters.synth.dates import YEAR_DAYS, Days, age_in_years, birthdays

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

ROUTES = (
    "home",
    "relatives",
    "adopted",
    "sgo",
    "cao",
    "age_out",
    "transferred",
    "custody",
    "other",
)
HOME, RELATIVES, ADOPTED, SGO, CAO, AGE_OUT, TRANSFERRED, CUSTODY, OTHER = range(len(ROUTES))

BANDS = ((0, 1), (1, 5), (5, 10), (10, 16), (16, 18))
"""Age bands at entry, in whole years [from, to)."""
BAND_SHARES = (0.205, 0.13, 0.17, 0.385, 0.11)
"""Entrants other than UASC by age band; with UASC mostly 16-17, a sixth of all
entrants are under 1 and over a quarter 16 or over (calibration: started_in_year)."""
UASC_SHARE = 0.22
UASC_BAND_SHARES = (0.0, 0.0, 0.0, 0.1, 0.9)
UASC_YOUNGEST = 11
"""DfE's rule 231: unaccompanied children seeking asylum come into care this old or older."""

ROUTE_SHARES = np.array(
    [
        #  home rel  adopt sgo  cao  age  trans cust other
        [0.12, 0.04, 0.46, 0.25, 0.03, 0.04, 0.03, 0.00, 0.03],  # under 1
        [0.23, 0.05, 0.20, 0.29, 0.05, 0.08, 0.06, 0.00, 0.04],  # 1-4
        [0.26, 0.06, 0.02, 0.20, 0.05, 0.31, 0.06, 0.00, 0.04],  # 5-9
        [0.33, 0.05, 0.00, 0.08, 0.03, 0.34, 0.07, 0.02, 0.08],  # 10-15
        [0.35, 0.05, 0.00, 0.01, 0.00, 0.38, 0.09, 0.03, 0.09],  # 16-17
    ]
)
"""Route out of care by age band at entry, for children who are not UASC."""
UASC_ROUTES = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.36, 0.36, 0.0, 0.28])

MEDIAN_DAYS = {
    HOME: 260,
    RELATIVES: 600,
    SGO: 700,
    CAO: 560,
    TRANSFERRED: 330,
    CUSTODY: 120,
    OTHER: 200,
}
SPREAD = {
    HOME: 1.0,
    RELATIVES: 0.7,
    SGO: 0.45,
    CAO: 0.6,
    TRANSFERRED: 1.0,
    CUSTODY: 0.8,
    OTHER: 1.0,
}
"""Lognormal time in care for routes that do not run to a fixed event."""
TO_PLACED_FOR_ADOPTION = (580, 150)
PLACED_TO_ORDER = (270, 90)
"""Days from entry to adoptive placement, and from placement to adoption order (mean,
standard deviation): DfE 2025, 1 year 7 months and 9 months."""
REENTRY = 0.25
REENTRY_GAP_DAYS = 400
"""Share of children returned home who come back into care, and the median gap."""
REENTRY_BEFORE_AGE = 17
"""Not law: children come back into care only before this birthday (calibration)."""


@dataclass
class Periods:
    """One row per period of care; a child who comes back has several."""

    child: Ints
    dob: Days
    male: Flags
    uasc: Flags
    start: Days
    end: Days
    route: Ints
    placed_for_adoption: Days
    """Day of the adoptive placement for the adoption route, else -1."""

    def __len__(self) -> int:
        return len(self.child)


def _choose(rng: np.random.Generator, shares: npt.NDArray[np.float64]) -> Ints:
    """One category per row of `shares` (each row the probabilities for one draw)."""
    cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
    cumulative[:, -1] = 1.0
    chosen: Ints = (rng.random(len(shares))[:, None] > cumulative).sum(axis=1).astype(np.int64)
    return chosen


def _ages_on_entry(rng: np.random.Generator, uasc: Flags) -> Days:
    """Age at entry in days: a band, then a day within it (babies mostly in their first weeks)."""
    shares = np.where(uasc[:, None], UASC_BAND_SHARES, BAND_SHARES)
    band = _choose(rng, shares)
    low = np.array([b[0] for b in BANDS])[band] * YEAR_DAYS
    high = np.array([b[1] for b in BANDS])[band] * YEAR_DAYS - 1
    within = rng.random(len(band))
    within = np.where(band == 0, within**2, within)
    age = (low + within * (high - low)).astype(np.int64)
    # Unaccompanied children seeking asylum are 11 or older (validator rule 231).
    return np.where(uasc, np.maximum(age, int(UASC_YOUNGEST * YEAR_DAYS)), age)


def _durations(rng: np.random.Generator, route: Ints) -> tuple[Days, Days]:
    """Days in care by route, and for adoption the day (from entry) of placement."""
    size = len(route)
    median = np.array([MEDIAN_DAYS.get(r, 1) for r in range(len(ROUTES))], dtype=float)[route]
    spread = np.array([SPREAD.get(r, 0.0) for r in range(len(ROUTES))])[route]
    days = np.maximum(1, median * np.exp(spread * rng.standard_normal(size))).astype(np.int64)
    to_placement = np.maximum(120, rng.normal(*TO_PLACED_FOR_ADOPTION, size)).astype(np.int64)
    to_order = np.maximum(70, rng.normal(*PLACED_TO_ORDER, size)).astype(np.int64)
    adopted = route == ADOPTED
    days = np.where(adopted, to_placement + to_order, days)
    return days, np.where(adopted, to_placement, -1)


def _entries(
    rng: np.random.Generator,
    child: Ints,
    law: Parameters,
    *,
    dob: Days,
    male: Flags,
    uasc: Flags,
    start: Days,
) -> Periods:
    """Draw route and length of care for periods whose child and start are known: none
    lasts past the day the child becomes an adult (ages.adulthood), the day those who
    stay in care to the end leave it."""
    age_band = np.searchsorted([b[1] for b in BANDS], age_in_years(dob, start), side="right").clip(
        0, len(BANDS) - 1
    )
    route = _choose(rng, np.where(uasc[:, None], UASC_ROUTES, ROUTE_SHARES[age_band]))
    days, to_placement = _durations(rng, route)
    eighteen = birthdays(dob, law["ages.adulthood"].number)
    end = np.where(route == AGE_OUT, eighteen, start + days)
    late = end > eighteen
    route = np.where(late, AGE_OUT, route)
    end = np.minimum(end, eighteen)
    placed = np.where(route == ADOPTED, start + to_placement, -1)
    return Periods(child, dob, male, uasc, start, np.maximum(end, start + 1), route, placed)


def first_entries(
    rng: np.random.Generator, starts: Days, first_child: int, law: Parameters
) -> Periods:
    """Children coming into care for the first time on the given days."""
    size = len(starts)
    uasc = rng.random(size) < UASC_SHARE
    male = rng.random(size) < np.where(uasc, 0.94, 0.52)
    dob = starts - _ages_on_entry(rng, uasc)
    child = np.arange(first_child, first_child + size, dtype=np.int64)
    return _entries(rng, child, law, dob=dob, male=male, uasc=uasc, start=starts)


def reentries(rng: np.random.Generator, earlier: Periods, law: Parameters) -> Periods:
    """Some children who went home come back into care, as a new period."""
    went_home = np.isin(earlier.route, (HOME, RELATIVES))
    gap = (REENTRY_GAP_DAYS * np.exp(0.8 * rng.standard_normal(len(earlier)))).astype(np.int64)
    start = earlier.end + np.maximum(gap, 7)
    young_enough = start < birthdays(earlier.dob, REENTRY_BEFORE_AGE)
    back = went_home & (rng.random(len(earlier)) < REENTRY) & young_enough
    pick = np.flatnonzero(back)
    return _entries(
        rng,
        earlier.child[pick],
        law,
        dob=earlier.dob[pick],
        male=earlier.male[pick],
        uasc=earlier.uasc[pick],
        start=start[pick],
    )


def concat(parts: list[Periods]) -> Periods:
    """All periods, ordered by child and start."""
    fields = {
        name: np.concatenate([getattr(p, name) for p in parts])
        for name in Periods.__dataclass_fields__
    }
    order = np.lexsort((fields["start"], fields["child"]))
    return Periods(**{name: values[order] for name, values in fields.items()})
