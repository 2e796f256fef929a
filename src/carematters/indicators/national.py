"""England's published figures, shipped with the package in `national.yaml`.

They live with the indicators because the report sets them beside an authority's own;
the synthetic authority's calibration reads the same file through here.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import polars as pl
import yaml


def national_figures() -> dict[str, Any]:
    """England's figures by section, each with the tolerance calibration allows."""
    text = resources.files("carematters.indicators").joinpath("national.yaml").read_text("utf-8")
    # libyaml's loader (as safe as the Python one) reads these ten times quicker,
    # which a command pays for every time it starts.
    data: dict[str, Any] = yaml.load(text, Loader=yaml.CSafeLoader)
    return data


def england_by_year() -> pl.DataFrame:
    """The few figures DfE publishes as a series, one row per collection year: children
    looked after on 31 March, the rate per 10,000 children, starters, leavers and
    unaccompanied children (DfE, Children looked after in England, 2025 release)."""
    source = resources.files("carematters.indicators").joinpath("england_by_year.csv")
    return pl.read_csv(source.read_bytes())
