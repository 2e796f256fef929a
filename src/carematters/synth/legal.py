"""Legal status through a period of care: the path through the courts.

Police protection lasts up to 72 hours and an emergency protection order up to 8
days; children then stay accommodated under section 20 or come under an interim
care order. Care proceedings take about 26 weeks to a full care order; a child to
be adopted gets a placement order instead. Unaccompanied children stay section 20.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from carematters.parameters import Parameters
from carematters.synth.dates import age_in_years
from carematters.synth.periods import ADOPTED, AGE_OUT, CAO, SGO, Periods

FIRST_STATUS = (("V2", "C1", "L1", "J1", "L2"), (0.41, 0.44, 0.11, 0.02, 0.02))
"""First legal status for children who are not UASC (UASC: always V2); with UASC
this gives about 54% section 20, 34% interim care order, 9% police protection
(DfE 2025: 57%, 31%, 9%)."""
PROCEEDINGS_DAYS = (200, 60)
"""Interim to full care order: about 26 weeks of care proceedings."""


def legal_statuses(rng: np.random.Generator, periods: Periods, law: Parameters) -> pl.DataFrame:
    """Each change of legal status: PERIOD, TIME (day it starts) and LS.

    A child to be adopted has the placement order (E1) a few weeks before moving to
    the adoptive placement, which a placement order must precede (validator rule 408);
    a child under the age of criminal responsibility (ages.criminal_responsibility) is
    never remanded.
    """
    n = len(periods)
    index = np.arange(n, dtype=np.int64)
    codes, weights = FIRST_STATUS
    first = np.array(codes)[rng.choice(len(codes), n, p=np.array(weights) / sum(weights))]
    responsible = law["ages.criminal_responsibility"].number
    too_young_for_remand = age_in_years(periods.dob, periods.start) < responsible
    first = np.where(periods.uasc | ((first == "J1") & too_young_for_remand), "V2", first)
    long_route = np.isin(periods.route, (ADOPTED, SGO, CAO)) | (
        (periods.route == AGE_OUT) & ~periods.uasc
    )
    emergency_days = np.where(first == "L2", 8, rng.integers(1, 4, n))
    after_emergency = np.where(long_route | (rng.random(n) < 0.4), "C1", "V2")
    second_at = periods.start + emergency_days
    emergency = np.isin(first, ("L1", "L2"))
    settled = np.where(emergency, after_emergency, first)
    settled_at = np.where(emergency, second_at, periods.start)
    to_order = np.where(
        settled == "V2",
        long_route & ((periods.route == ADOPTED) | (rng.random(n) < 0.92)),
        settled == "C1",
    )
    adopted = periods.route == ADOPTED
    placement_order_at = periods.placed_for_adoption - rng.integers(14, 60, n)
    interim_at = settled_at + np.where(
        settled == "V2", np.maximum(14, rng.normal(100, 50, n)), 0
    ).astype(np.int64)
    interim_at = np.where(
        adopted, np.clip(interim_at, settled_at, placement_order_at - 14), interim_at
    )
    becomes_interim = to_order & (settled == "V2")
    final = np.where(adopted, "E1", "C2")
    proceedings = interim_at + np.maximum(30, rng.normal(*PROCEEDINGS_DAYS, n)).astype(np.int64)
    final_at = np.where(adopted, placement_order_at, proceedings)
    remand_ends = (first == "J1") & long_route
    rows = [
        (index, periods.start, first),
        (index[emergency], second_at[emergency], settled[emergency]),
        (index[becomes_interim], interim_at[becomes_interim], np.full(becomes_interim.sum(), "C1")),
        (index[to_order], final_at[to_order], final[to_order]),
        (index[remand_ends], periods.start[remand_ends] + 60, np.full(remand_ends.sum(), "V2")),
    ]
    frame = pl.concat(
        pl.DataFrame(
            {"PERIOD": p, "TIME": t, "LS": ls},
            schema={"PERIOD": pl.Int64, "TIME": pl.Int64, "LS": pl.String},
        )
        for p, t, ls in rows
    )
    ends = pl.DataFrame({"PERIOD": index, "PERIOD_END": periods.end})
    return (
        frame.join(ends, on="PERIOD")
        .filter(pl.col("TIME") < pl.col("PERIOD_END"))
        .drop("PERIOD_END")
        .sort("PERIOD", "TIME")
        .unique(["PERIOD", "TIME"], keep="last", maintain_order=True)
    )


def care_order_from(legal: pl.DataFrame, periods: int) -> np.ndarray:
    """The first day of each period under an interim, full or placement order (or never)."""
    ordered = (
        legal.filter(pl.col("LS").is_in(["C1", "C2", "E1", "D1"]))
        .group_by("PERIOD")
        .agg(pl.col("TIME").min())
    )
    first = np.full(periods, np.iinfo(np.int64).max, dtype=np.int64)
    first[ordered["PERIOD"].to_numpy()] = ordered["TIME"].to_numpy()
    return first
