"""Placements within each period of care: when each begins, what kind it is, who
provides it and where.

Placements change at random times, more often for teenagers and again and again for a
few; many children's first placement is an emergency one; adopted children move to
their adoptive placement; some children going home are first placed with their
parents. Each placement's code is one valid for every collection year it lasts.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from carematters.parameters import parameter
from carematters.ssda903.codelists import code_group, code_list
from carematters.synth.dates import YEAR_DAYS, age_in_years, day, text_where, to_dates
from carematters.synth.draws import choice
from carematters.synth.periods import HOME, Periods

EMERGENCY_SHARE = 0.35
MOVES_PER_YEAR = ((10, 0.14), (16, 0.26), (99, 0.32))
"""Rate of unplanned placement moves by age (up to the age given)."""
PARENTS_BEFORE_HOME = 0.45
UNSETTLED_SHARE = 0.16
UNSETTLED_MOVES_PER_YEAR = 2.6
"""Some children, mostly teenagers, move again and again: DfE's 1 in 10 with three
or more placements in a year while two in three have only one."""
UNSETTLED_FROM_AGE = 10
"""Not law: from this age at entry a child is more often one who moves again and again
(calibration)."""

CATEGORIES = (
    "foster",
    "kin",
    "home",
    "secure",
    "supported",
    "parents",
    "residential",
    "other",
    "custody",
)
CATEGORY_SHARES = {
    "under 5": (0.57, 0.24, 0.05, 0.00, 0.00, 0.08, 0.00, 0.06, 0.0),
    "young": (0.55, 0.24, 0.05, 0.00, 0.00, 0.08, 0.02, 0.06, 0.0),
    "teen": (0.38, 0.12, 0.34, 0.01, 0.00, 0.08, 0.015, 0.05, 0.005),
    "older": (0.29, 0.06, 0.19, 0.01, 0.35, 0.05, 0.005, 0.04, 0.005),
    "uasc": (0.40, 0.00, 0.05, 0.00, 0.52, 0.00, 0.00, 0.03, 0.0),
    "young uasc": (0.85, 0.00, 0.10, 0.00, 0.00, 0.00, 0.00, 0.05, 0.0),
}
"""Placement category by age (under 5: no residential school; under 12, 12-15, 16-17)
and for UASC (under 16: no supported accommodation, which is for 16-17s only)."""
UNDER_FIVE_UNTIL_AGE = 5
"""Not law: the youngest group's ages, under this one, placed in no residential school
(calibration; DfE's rule 373 refuses one under 4)."""
TEEN_FROM_AGE = 12
"""Not law: where the young group ends and the teenagers' begins (calibration)."""
OLDER_FROM_AGE = 16
"""DfE's rules 370 and 371: supported accommodation (and semi-independent and independent
living before it) is for young people of this age or over, so the groups placed there
(older, and UASC) start at it."""
CODE_CHOICES = {
    "foster": (("U4", "U6", "U5"), (0.45, 0.50, 0.05)),
    "kin": (("U1", "U3", "U2"), (0.45, 0.52, 0.03)),
    "home": (("K2",), (1.0,)),
    "secure": (("K1",), (1.0,)),
    "supported": (("K3", "H5", "P2"), (1.0, 0.7, 0.3)),
    "parents": (("P1",), (1.0,)),
    "residential": (("R1", "S1", "R2"), (0.45, 0.35, 0.2)),
    "custody": (("R5",), (1.0,)),
    "other": (("Z1", "Z11", "Z12", "Z13", "Z14"), (1.0, 0.4, 0.2, 0.2, 0.2)),
}
"""Codes for each category, in order of preference where a code is not valid for
every year the placement lasts (H5 and P2 retired after 2024-25, K3 began in
2024-25, Z1 became Z11-Z14 in 2025-26); U6 when none fits."""
FOSTER = code_group("placement_type", "foster")
CONNECTED = code_group("placement_type", "foster_with_connected_persons")
LONG_TERM_FOSTER = code_group("placement_type", "long_term_foster")
ADOPTIVE = code_group("placement_type", "placed_for_adoption")
NO_URN = frozenset(
    {
        "H5",
        "P1",
        "P2",
        "P3",
        "R1",
        "R2",
        "R5",
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
        "Z1",
        "Z11",
        "Z12",
        "Z13",
        "Z14",
    }
)
"""Placements with no Ofsted registration to quote: every other placement carries the
URN of its home, fostering service or adoption agency (validator rules 218, 222)."""
NO_PROVIDER = frozenset({"T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"})
"""Placements that take no provider (validator rules 178, 213)."""
_FOSTERING = (("PR1", "PR4", "PR5"), (0.34, 0.56, 0.10))
_HOMES = (("PR1", "PR4", "PR5"), (0.18, 0.76, 0.06))
_ADOPTION = (("PR1", "PR5"), (0.75, 0.25))
PROVIDERS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    **dict.fromkeys(CONNECTED, (("PR1",), (1.0,))),
    **dict.fromkeys((c for c in FOSTER if c not in CONNECTED), _FOSTERING),
    **dict.fromkeys(("K2", "K3", "H5", "P2"), _HOMES),
    "K1": (("PR1", "PR2"), (0.5, 0.5)),
    "P1": (("PR0",), (1.0,)),
    **dict.fromkeys(ADOPTIVE, _ADOPTION),
    **dict.fromkeys(("R1", "R2", "R5", "S1"), (("PR3", "PR4"), (0.4, 0.6))),
    **dict.fromkeys(NO_PROVIDER, ((), ())),
}
"""Who provides each kind of placement: DfE 2025, 43% own authority, 40% private,
7% voluntary, 6% parents (their own home)."""
UNREGULATED_ENDED = "law.supported_accommodation_registration"
"""Unregulated semi-independent (H5) and independent (P2) placements had ended by the day
supported accommodation for 16-17s had to be registered, 28 October 2023 (the validator's
rules 217t and 230, and the community validator's 217, refuse one open after it)."""


def _collection_year(day: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The collection year (by its first calendar year) each day falls in."""
    dates = to_dates("D", day)
    return (dates.dt.year() - (dates.dt.month() < 4).cast(pl.Int32)).cast(pl.Int64).to_numpy()


def _valid_between(
    code: str, first: npt.NDArray[np.int64], last: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether `code` is valid in every collection year from `first` to `last`."""
    entry = code_list("placement_type").find(code)
    if entry is None:
        return np.zeros(len(first), dtype=bool)
    valid_from = entry.first_year.start_year if entry.first_year.start_year > 2022 else -9999
    valid_to = entry.last_year.start_year if entry.last_year else 9999
    return (first >= valid_from) & (last <= valid_to)


def moves(rng: np.random.Generator, periods: Periods) -> pl.DataFrame:
    """When each placement starts, one row per placement, with why it was made."""
    n = len(periods)
    index = np.arange(n, dtype=np.int64)
    years = (periods.end - periods.start) / YEAR_DAYS
    age = age_in_years(periods.dob, periods.start)
    rate = np.select([age < a for a, _ in MOVES_PER_YEAR], [r for _, r in MOVES_PER_YEAR])
    unsettled = rng.random(n) < UNSETTLED_SHARE * np.where(age >= UNSETTLED_FROM_AGE, 1.6, 0.4)
    rate = np.where(unsettled, UNSETTLED_MOVES_PER_YEAR, rate)
    adoptive = periods.placed_for_adoption
    parents_from = periods.end - np.maximum(30, rng.normal(120, 50, n)).astype(np.int64)
    parents = (periods.route == HOME) & (periods.end - periods.start > 180)
    parents &= (rng.random(n) < PARENTS_BEFORE_HOME) & (parents_from > periods.start + 30)
    last = np.where(adoptive > 0, adoptive, np.where(parents, parents_from, periods.end))
    emergency_end = periods.start + np.maximum(3, rng.normal(40, 25, n)).astype(np.int64)
    emergency = (rng.random(n) < EMERGENCY_SHARE) & (emergency_end < last - 1)
    count = rng.poisson(rate * years)
    owner = np.repeat(index, count)
    low = np.where(emergency, emergency_end, periods.start)[owner] + 1
    high = last[owner] - 1
    times = low + (rng.random(len(owner)) * np.maximum(high - low, 0)).astype(np.int64)
    keep = times < high
    starts = (
        (index, periods.start, "start"),
        (index[emergency], emergency_end[emergency], "after emergency"),
        (owner[keep], times[keep], "move"),
        (index[adoptive > 0], adoptive[adoptive > 0], "adoptive"),
        (index[parents], parents_from[parents], "parents"),
    )
    return (
        pl.concat(
            pl.DataFrame(
                {"PERIOD": period, "TIME": time, "WHY": [why] * len(period)},
                schema={"PERIOD": pl.Int64, "TIME": pl.Int64, "WHY": pl.String},
            )
            for period, time, why in starts
        )
        .unique(["PERIOD", "TIME"], keep="first", maintain_order=True)
        .sort("PERIOD", "TIME")
    )


def _category(
    rng: np.random.Generator, age: npt.NDArray[np.int64], uasc: npt.NDArray[np.bool_]
) -> npt.NDArray[np.str_]:
    by_age = np.where(age < TEEN_FROM_AGE, "young", np.where(age < OLDER_FROM_AGE, "teen", "older"))
    group = np.where(uasc, np.where(age < OLDER_FROM_AGE, "young uasc", "uasc"), by_age)
    group = np.where(age < UNDER_FIVE_UNTIL_AGE, "under 5", group)
    result = np.empty(len(age), dtype=object)
    for name, shares in CATEGORY_SHARES.items():
        rows = group == name
        result[rows] = choice(rng, (CATEGORIES, shares), int(rows.sum()))
    return result.astype(str)


def _code_for(
    rng: np.random.Generator,
    category: npt.NDArray[np.str_],
    start: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
    long_term: npt.NDArray[np.bool_],
) -> npt.NDArray[np.str_]:
    """A placement code of the category, valid for every year the placement lasts (and
    and no unregulated placement still open when they were banned)."""
    code = np.full(len(category), "U6", dtype=object)
    first, last = _collection_year(start), _collection_year(end - 1)
    regulated_only = end - 1 >= day(parameter(UNREGULATED_ENDED).first_day)
    for name, (options, weights) in CODE_CHOICES.items():
        rows = np.flatnonzero(category == name)
        if not len(rows):
            continue
        allowed = np.stack(
            [
                _valid_between(o, first[rows], last[rows])
                & ~(regulated_only[rows] & (o in ("H5", "P2")))
                for o in options
            ],
            axis=1,
        )
        wanted = np.where(allowed, np.array(weights), 0.0)
        if name in ("foster", "kin"):
            wanted[:, 0] = np.where(long_term[rows], wanted[:, 0] * 4, wanted[:, 0] * 0.1)
        total = wanted.sum(axis=1)
        pick = (rng.random(len(rows)) * total)[:, None] > np.cumsum(wanted, axis=1)
        picked = np.minimum(pick.sum(axis=1), len(options) - 1)
        code[rows] = np.where(total > 0, np.array(options)[picked], "U6")
    return code.astype(str)


def placement_rows(
    rng: np.random.Generator,
    periods: Periods,
    starts: pl.DataFrame,
    care_order_from: npt.NDArray[np.int64],
) -> pl.DataFrame:
    """Each placement's type, provider, carer and place, from when and why it began.

    A child is only placed with parents under a care order (interim or full): one
    accommodated under section 20 goes to relatives instead (validator rule 378).
    """
    period = starts["PERIOD"].to_numpy()
    time = starts["TIME"].to_numpy()
    why = starts["WHY"].to_numpy()
    following = starts.select(pl.col("TIME").shift(-1).over("PERIOD").fill_null(-1))
    end = following.to_series().to_numpy()
    end = np.where(end < 0, periods.end[period], end)
    age = age_in_years(periods.dob[period], time)
    category = _category(rng, age, periods.uasc[period])
    first_of_emergency = (why == "start") & np.roll(why == "after emergency", -1)
    category = np.where(
        first_of_emergency, np.where(rng.random(len(why)) < 0.25, "kin", "foster"), category
    )
    under_order = time >= care_order_from[period]
    category = np.where((category == "parents") & ~under_order, "kin", category)
    long_term = (end - time > YEAR_DAYS) & ~first_of_emergency
    code = _code_for(rng, category, time, end, long_term)
    # Some moves only make the placement long-term, with the same carer (RNE T or U).
    settled = np.isin(code, LONG_TERM_FOSTER)
    same_carer = (why == "move") & settled & (rng.random(len(why)) < 0.3)
    adoptive = why == "adoptive"
    fostered_before = np.isin(np.roll(code, 1), FOSTER) & (np.roll(period, 1) == period)
    current_carer = (rng.random(len(why)) < 0.2) & fostered_before
    adoption_codes = np.where(current_carer, "A5", "A6")
    parents = (why == "parents") & under_order
    code = np.where(adoptive, adoption_codes, np.where(parents, "P1", code))
    same_carer |= adoptive & current_carer
    provider = _providers(rng, code)
    urns = _urns(rng, code, len(periods))
    own_premises = (provider == "PR1").fill_null(False).to_numpy() & ~np.isin(code, ANYWHERE)
    return pl.DataFrame(
        {
            "PERIOD": period,
            "TIME": time,
            "END": end,
            "PLACE": code,
            "SAME_CARER": same_carer,
            "PLACE_PROVIDER": provider,
            "URN": urns,
            "OUT_OF_AREA": (rng.random(len(code)) < _out_of_area_share(code)) & ~own_premises,
        }
    )


def _providers(rng: np.random.Generator, code: npt.NDArray[np.str_]) -> pl.Series:
    provider = np.full(len(code), "PR1", dtype=object)
    for place, (options, weights) in PROVIDERS.items():
        rows = code == place
        provider[rows] = choice(rng, (options, weights), int(rows.sum())) if options else ""
    return text_where("PLACE_PROVIDER", provider != "", provider.astype(str))


def _urns(rng: np.random.Generator, code: npt.NDArray[np.str_], scale: int) -> pl.Series:
    """Ofsted-style unique reference numbers for registered settings, from a fictional pool."""
    pool = max(20, scale // 25)
    numbers = pl.Series(rng.integers(0, pool, len(code)) + 900000).cast(pl.String)
    return text_where("URN", ~np.isin(code, list(NO_URN)), ("SC" + numbers).to_numpy())


ANYWHERE = FOSTER + ADOPTIVE
"""Placements the authority may provide outside its own area: with its foster carers and
adopters, who live where they live (validator rule 1015); its own homes and other
settings are in its own area."""


def _out_of_area_share(code: npt.NDArray[np.str_]) -> npt.NDArray[np.float64]:
    shares = {
        "U1": 0.2,
        "U2": 0.2,
        "U3": 0.2,
        "P1": 0.1,
        "K2": 0.62,
        "K1": 0.85,
        "K3": 0.4,
        "H5": 0.4,
        "P2": 0.3,
        "A3": 0.5,
        "A4": 0.6,
        "A5": 0.5,
        "A6": 0.6,
        "R1": 0.7,
        "R2": 0.6,
        "R5": 0.9,
        "S1": 0.8,
    }
    return np.array([shares.get(c, 0.47) for c in code])
