"""Drawing codes and yes/no flags for a whole population in one call."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from carematters.synth.dates import Days

Ints = npt.NDArray[np.int64]
Codes = tuple[tuple[str, ...], tuple[float, ...]]
"""Codes and how often each is drawn (weights need not add up to one)."""


def choice(rng: np.random.Generator, codes: Codes, size: int) -> npt.NDArray[np.str_]:
    """`size` codes drawn independently with the given weights."""
    options, weights = codes
    chances = np.array(weights) / sum(weights)
    picked: npt.NDArray[np.str_] = np.array(options)[rng.choice(len(options), size, p=chances)]
    return picked


def flags(rng: np.random.Generator, share: float, size: int) -> npt.NDArray[np.str_]:
    """'1' for about `share` of rows and '0' for the rest: SSDA903's yes/no codes."""
    return np.where(rng.random(size) < share, "1", "0")


@dataclass(frozen=True)
class Spans:
    """Stretches of time each belonging to a child: periods of care, placements, leaving care."""

    child: Ints
    dob: Days
    start: Days
    end: Days

    def __len__(self) -> int:
        return len(self.child)

    def where(self, keep: npt.NDArray[np.bool_]) -> Spans:
        """Only the spans where `keep` holds."""
        return Spans(self.child[keep], self.dob[keep], self.start[keep], self.end[keep])
