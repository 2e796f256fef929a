"""Calibrating the synthetic authority: England's figures beside the simulated ones.

England's figures and the tolerance allowed for each live in `indicators/national.yaml`;
the simulated ones are measured with the indicators' own definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carematters.indicators.figures import Figures


@dataclass(frozen=True)
class Comparison:
    """One national figure beside the simulated one."""

    name: str
    target: float
    simulated: float
    tolerance: float

    @property
    def within(self) -> bool:
        return abs(self.simulated - self.target) <= self.tolerance


def compare(figures: Figures, wanted: dict[str, Any]) -> list[Comparison]:
    """Every figure in `indicators/national.yaml` beside its simulated value."""
    found: list[Comparison] = []
    for section, entries in wanted.items():
        if not isinstance(entries, dict):
            continue
        for name, spec in entries.items():
            simulated = figures.get(section, {}).get(name, 0.0)
            if "shares" in spec:
                groups = simulated if isinstance(simulated, dict) else {}
                found += [
                    Comparison(
                        f"{section}.{name}.{group}",
                        float(target),
                        groups.get(str(group), 0.0),
                        float(spec["tolerance"]),
                    )
                    for group, target in spec["shares"].items()
                ]
            else:
                value = simulated if isinstance(simulated, float | int) else 0.0
                found.append(
                    Comparison(
                        f"{section}.{name}",
                        float(spec["target"]),
                        float(value),
                        float(spec["tolerance"]),
                    )
                )
    return found
