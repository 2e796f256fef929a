"""SSDA903 episodes: a new one each time the placement or the legal status changes."""

from __future__ import annotations

import numpy as np
import polars as pl

from carematters.ssda903.codelists import code_group
from carematters.synth.draws import choice
from carematters.synth.periods import (
    ADOPTED,
    AGE_OUT,
    CAO,
    CUSTODY,
    HOME,
    OTHER,
    RELATIVES,
    SGO,
    TRANSFERRED,
    Periods,
)

NEEDS = (
    ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"),
    (0.74, 0.025, 0.025, 0.085, 0.10, 0.01, 0.005, 0.01),
)
"""Category of need at entry for children who are not UASC (UASC: N8, absent parenting)."""
PLACE_CHANGE_REASONS = (
    (
        "CARPL",
        "CREQB",
        "CREQO",
        "CHILD",
        "OTHER",
        "ALLEG",
        "STAND",
        "APPRR",
        "CLOSE",
        "LAREQ",
        "PLACE",
    ),
    (0.41, 0.105, 0.08, 0.04, 0.29, 0.01, 0.02, 0.01, 0.01, 0.02, 0.015),
)
"""Why a placement changed (DfE 2024: care plan 31%, carer request for behaviour 8%,
other carer request 6%, child's request 3%, other 22%, of all new episodes)."""
FOSTER = code_group("placement_type", "foster")
CHANGED_PLACEMENT = tuple(
    code
    for code in code_group("reason_new_episode", "new_placement")
    if code not in code_group("reason_new_episode", "started_care")
)
"""New episodes that change the placement within a period of care (RNE P, B, T, U)."""


def needs(rng: np.random.Generator, periods: Periods) -> np.ndarray:
    codes, weights = NEEDS
    drawn = np.array(codes)[
        rng.choice(len(codes), len(periods), p=np.array(weights) / sum(weights))
    ]
    return np.where(periods.uasc, np.where(rng.random(len(periods)) < 0.95, "N8", "N4"), drawn)


def leaving_codes(
    rng: np.random.Generator, periods: Periods, last_place: np.ndarray, need: np.ndarray
) -> np.ndarray:
    """The reason each period ends (REC), from its route and last placement."""
    n = len(periods)
    route = periods.route
    code = np.full(n, "E8", dtype=object)
    code[route == HOME] = choice(rng, (("E4A", "E4B"), (0.84, 0.16)), int((route == HOME).sum()))
    code[route == RELATIVES] = "E13"
    code[route == ADOPTED] = choice(
        rng, (("E11", "E12"), (0.6, 0.4)), int((route == ADOPTED).sum())
    )
    fostered = np.isin(last_place, FOSTER)
    to_carers = choice(rng, (("E45", "E46"), (0.75, 0.25)), n)
    to_others = choice(rng, (("E47", "E48"), (0.75, 0.25)), n)
    guardians = np.where(fostered & (rng.random(n) < 0.45), to_carers, to_others)
    code[route == SGO] = guardians[route == SGO]
    code[route == CAO] = "E41"
    code[route == TRANSFERRED] = "E3"
    code[route == CUSTODY] = "E9"
    stayed = np.isin(last_place, FOSTER) & (rng.random(n) < 0.9)
    independent = choice(rng, (("E5", "E6", "E8"), (0.74, 0.16, 0.10)), n)
    adult_care = ((need == "N2") & (rng.random(n) < 0.6)) | (rng.random(n) < 0.015)
    age_out = np.where(adult_care, "E7", np.where(stayed, "E17", independent))
    code[route == AGE_OUT] = age_out[route == AGE_OUT]
    other = np.where(
        periods.uasc,
        choice(rng, (("E15", "E16", "E8"), (0.3, 0.1, 0.6)), n),
        choice(rng, (("E8", "E16", "E2"), (0.88, 0.09, 0.03)), n),
    )
    code[route == OTHER] = other[route == OTHER]
    return code.astype(str)


def episodes(
    rng: np.random.Generator,
    periods: Periods,
    placements: pl.DataFrame,
    legal: pl.DataFrame,
    need: np.ndarray,
) -> pl.DataFrame:
    """One row per episode: the SSDA903 columns, with days as numbers and PERIOD kept."""
    changes = (
        pl.concat([placements.select("PERIOD", "TIME"), legal.select("PERIOD", "TIME")])
        .unique(maintain_order=True)
        .sort("TIME")
    )
    placed = placements.rename({"TIME": "PLACED_AT"}).sort("PLACED_AT")
    statuses = legal.rename({"TIME": "STATUS_AT"}).sort("STATUS_AT")
    frame = (
        changes.join_asof(
            placed, left_on="TIME", right_on="PLACED_AT", by="PERIOD", check_sortedness=False
        )
        .join_asof(
            statuses, left_on="TIME", right_on="STATUS_AT", by="PERIOD", check_sortedness=False
        )
        .sort("PERIOD", "TIME")
    )
    last_place = frame.group_by("PERIOD", maintain_order=True).agg(pl.col("PLACE").last())
    last_by_period = np.full(len(periods), "", dtype=object)
    last_by_period[last_place["PERIOD"].to_numpy()] = last_place["PLACE"].to_numpy()
    period_end = pl.Series(periods.end)
    leaving = pl.Series(leaving_codes(rng, periods, last_by_period.astype(str), need))
    moved = pl.col("TIME") == pl.col("PLACED_AT")
    legal_change = pl.col("TIME") == pl.col("STATUS_AT")
    first = pl.col("TIME").rank("ordinal").over("PERIOD") == 1
    rne = (
        pl.when(first)
        .then(pl.lit("S"))
        .when(moved & legal_change)
        .then(pl.when(pl.col("SAME_CARER")).then(pl.lit("U")).otherwise(pl.lit("B")))
        .when(moved)
        .then(pl.when(pl.col("SAME_CARER")).then(pl.lit("T")).otherwise(pl.lit("P")))
        .otherwise(pl.lit("L"))
    )
    reasons, weights = PLACE_CHANGE_REASONS
    reason = pl.Series(choice(rng, (reasons, weights), frame.height))
    next_time = pl.col("TIME").shift(-1).over("PERIOD")
    owner = frame["PERIOD"]
    placement_changes_next = pl.col("RNE").shift(-1).over("PERIOD").is_in(CHANGED_PLACEMENT)
    return frame.with_columns(
        RNE=rne,
        CIN=pl.lit(pl.Series(need).gather(owner)),
        DEC=pl.coalesce(next_time, pl.lit(period_end.gather(owner))),
        REC=pl.when(next_time.is_null())
        .then(pl.lit(leaving.gather(owner)))
        .otherwise(pl.lit("X1")),
    ).with_columns(
        # DfE records why a placement changed on the episode that ends with the change
        # (validator rule 225: REC X1 followed by RNE P, B, T or U).
        REASON_PLACE_CHANGE=pl.when(placement_changes_next).then(pl.lit(reason)).otherwise(None),
    )
