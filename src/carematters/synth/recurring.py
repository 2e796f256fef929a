"""Events that recur while something lasts: reviews, visits, health checks, plans.

Each owner (a period of care, a placement) has a start and an end. Its events fall due
by the law's timescales, each counted from the last one actually held (DUTIES.md:
"recurring intervals run from the last event actually held"), and are held around the
day they fall due, most a little early and some late (`Lateness`, the simulated
authority's habits). They go on until the owner's end, however long it lasts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from carematters.parameters import Parameters
from carematters.synth.dates import Days, later

Owners = npt.NDArray[np.int64]
Due = Callable[[Owners, Days, int], Days]
"""When each owner's next event falls due (day numbers), given the owners (indices),
the day each held its last event (its start, before the first) and how many events
each has held (the same for all of them: owners are asked in step)."""


@dataclass(frozen=True)
class Lateness:
    """How far from the day it falls due each event is held: how the simulated
    authority works, not what the law says.

    `share` of events are held late, by 1 to `most_days` days (any number in between as
    likely); the rest on the day or up to `early_days` days before it. No event is held
    on or before the one it follows.
    """

    share: float
    most_days: int
    early_days: int


def held(rng: np.random.Generator, due: Days, after: Days, lateness: Lateness) -> Days:
    """The day each event is held, given the day it falls due and a day it must follow."""
    size = len(due)
    late = rng.random(size) < lateness.share
    delay = rng.integers(1, lateness.most_days + 1, size)
    early = rng.integers(0, lateness.early_days + 1, size)
    on: Days = np.maximum(np.where(late, due + delay, due - early), after + 1)
    return on


def rhythm(law: Parameters, first: str, then: str, second: str | None = None) -> Due:
    """Due the parameter `first` after the start, `second` (if given) after the first
    event, and `then` after each one after that (names of parameters, read from `law`)."""
    timescales = (law[first], law[second or then], law[then])

    def due(_owners: Owners, last: Days, count: int) -> Days:
        return later(last, timescales[min(count, 2)])

    return due


def recur(
    rng: np.random.Generator, start: Days, end: Days, due: Due, lateness: Lateness
) -> tuple[Owners, Days]:
    """(owner index, day) for every event held before each owner's end (day numbers).

    Every owner still going takes its next event in the same step, until none is left:
    each event is at least a day after the one before, so the steps end by the time
    the longest span is over.
    """
    owners: list[Owners] = []
    days: list[Days] = []
    last = start.copy()
    alive = np.arange(len(start), dtype=np.int64)
    count = 0
    while len(alive):
        on = held(rng, due(alive, last[alive], count), last[alive], lateness)
        keep = on < end[alive]
        alive, on = alive[keep], on[keep]
        owners.append(alive)
        days.append(on)
        last[alive] = on
        count += 1
    if not owners:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(owners), np.concatenate(days)
