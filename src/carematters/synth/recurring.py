"""Events that recur while something lasts: reviews, visits, health checks, plans.

Each owner (a period of care, a placement) has a start and an end; its events come
at a first interval and then at regular intervals, each counted from the last one
actually held, some held late: the way statutory timescales work (DUTIES.md:
"recurring intervals run from the last event actually held").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Rhythm:
    """When events fall due (days from start, then between events) and how late they run."""

    first: int
    then: int
    second: int | None = None
    late_share: float = 0.1
    late_days: int = 30
    early_days: int = 10


def recur(
    rng: np.random.Generator, start: Days, end: Days, rhythm: Rhythm, limit: int = 80
) -> tuple[npt.NDArray[np.int64], Days]:
    """(owner index, day) for every event held before each owner's end."""
    owners: list[npt.NDArray[np.int64]] = []
    days: list[Days] = []
    last = start.copy()
    alive = np.arange(len(start))
    for k in range(limit):
        gap = (
            rhythm.first if k == 0 else (rhythm.second if k == 1 and rhythm.second else rhythm.then)
        )
        due = last[alive] + gap
        late = rng.random(len(alive)) < rhythm.late_share
        shift = np.where(
            late,
            rng.integers(1, rhythm.late_days + 1, len(alive)),
            -rng.integers(0, rhythm.early_days + 1, len(alive)),
        )
        held = np.maximum(due + shift, last[alive] + 1)
        keep = held < end[alive]
        alive, held = alive[keep], held[keep]
        if not len(alive):
            break
        owners.append(alive)
        days.append(held)
        last[alive] = held
    if not owners:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(owners).astype(np.int64), np.concatenate(days)
