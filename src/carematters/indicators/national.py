"""England's published figures, shipped with the package in `national.yaml`.

They live with the indicators because the report sets them beside an authority's own;
the synthetic authority's calibration reads the same file through here.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def national_figures() -> dict[str, Any]:
    """England's figures by section, each with the tolerance calibration allows."""
    text = resources.files("carematters.indicators").joinpath("national.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data
