"""The published lists some rules need, given as CSV files: read, and checked enough that
a rule never meets a list it cannot use (a wrong file is reported, row and column, and
the validation does not run)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from carematters.ssda903.problems import Problem


@dataclass(frozen=True)
class Layout:
    """The columns a list must have, and those of them that must be numbers."""

    columns: tuple[str, ...]
    numbers: tuple[str, ...] = ()


LAYOUTS = {
    "postcodes": Layout(("POSTCODE", "LA", "X", "Y"), numbers=("X", "Y")),
    "ofsted_providers": Layout(("URN", "PLACE_CODES", "PROVIDER_CODES", "POSTCODE", "CLOSED")),
}
"""Each list's layout; `rules/placement_postcodes.py` and `rules/ofsted.py` say what the
columns mean (ONS's postcode directory and Ofsted's registers, cut to these columns)."""


def read_list(name: str, path: Path) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The list `name` from a CSV file, or None and why it cannot be used."""
    layout = LAYOUTS[name]
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as error:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        return None, [Problem(file=path.name, kind="bad-list", message=reason)]
    missing = [c for c in layout.columns if c not in frame.columns]
    if missing:
        message = f"the {name} list needs the columns {', '.join(layout.columns)}"
        return None, [Problem(file=path.name, kind="bad-list", message=message)]
    problems = []
    for column in layout.numbers:
        wrong = frame.with_row_index("ROW", offset=2).filter(
            pl.col(column).is_not_null() & pl.col(column).cast(pl.Float64, strict=False).is_null()
        )
        problems += [
            Problem(
                file=path.name,
                row=row,
                column=column,
                value=value,
                kind="bad-list",
                message="this is not a number",
            )
            for row, value in wrong.select("ROW", column).iter_rows()
        ]
    if problems:
        return None, problems
    return frame.with_columns(pl.col(c).cast(pl.Float64) for c in layout.numbers), []
