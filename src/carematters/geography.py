"""A fictional map: the authority's postcodes and those of the country around it.

It sits outside the simulator because the indicators measure distances and the
authority's boundary on it too; real postcode coordinates and boundaries, when they
ship, belong beside it.

Every postcode here is in an area whose letters start with Z and is not ZE (the only
real Z area, Shetland), so none is anyone's real address. The authority is area ZZ;
other areas sit on rings around it, so a placement's distance from home can be
measured as a real one would be, from the postcodes alone.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import polars as pl

HOME_AREA = "ZZ"
HOME_LA = "999"
"""The fictional authority's local authority number, which no real authority has."""
OTHER_AREAS = tuple(f"Z{letter}" for letter in "ABCDFGHJKLMNPRSTUVWXY")
"""Neighbouring fictional areas, nearest first (no ZE: that is Shetland)."""
DISTRICTS = 20
HOME_RADIUS_MILES = 7.0
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _area_centre(index: int) -> tuple[float, float]:
    """Area 0 is the authority at the origin; others spiral outwards, 12-240 miles."""
    if index == 0:
        return 0.0, 0.0
    radius = 12.0 * (1 + (index - 1) // 3) ** 1.25
    angle = index * 2.399963
    return radius * math.cos(angle), radius * math.sin(angle)


def _district_offset(district: int, radius: float) -> tuple[float, float]:
    angle = district * 2.399963
    distance = radius * math.sqrt((district + 0.5) / DISTRICTS)
    return distance * math.cos(angle), distance * math.sin(angle)


def districts() -> pl.DataFrame:
    """Every fictional postcode district with its position in miles from the authority."""
    rows = []
    for index, area in enumerate((HOME_AREA, *OTHER_AREAS)):
        cx, cy = _area_centre(index)
        radius = HOME_RADIUS_MILES if index == 0 else 5.0
        for district in range(1, DISTRICTS + 1):
            dx, dy = _district_offset(district, radius)
            rows.append((f"{area}{district}", area, cx + dx, cy + dy))
    return pl.DataFrame(rows, schema=["DISTRICT", "AREA", "X", "Y"], orient="row")


def postcodes(rng: np.random.Generator, district: npt.NDArray[np.str_]) -> pl.Series:
    """A full postcode in each district: a sector digit and two unit letters drawn."""
    size = len(district)
    letters = np.array(list(UNIT_LETTERS))
    return pl.Series(
        np.char.add(
            np.char.add(np.char.add(district, " "), rng.integers(1, 10, size).astype(str)),
            np.char.add(
                letters[rng.integers(0, len(letters), size)],
                letters[rng.integers(0, len(letters), size)],
            ),
        )
    ).cast(pl.String)


def distance_miles(home: pl.Expr, placement: pl.Expr) -> pl.Expr:
    """Straight-line miles between two postcodes of this map (null if either is not on it)."""
    table = districts()
    x = dict(zip(table["DISTRICT"], table["X"], strict=True))
    y = dict(zip(table["DISTRICT"], table["Y"], strict=True))

    def district_of(postcode: pl.Expr) -> pl.Expr:
        return postcode.str.split(" ").list.first()

    hx = district_of(home).replace_strict(x, default=None, return_dtype=pl.Float64)
    hy = district_of(home).replace_strict(y, default=None, return_dtype=pl.Float64)
    px = district_of(placement).replace_strict(x, default=None, return_dtype=pl.Float64)
    py = district_of(placement).replace_strict(y, default=None, return_dtype=pl.Float64)
    return ((hx - px) ** 2 + (hy - py) ** 2).sqrt()


METRES_PER_MILE = 1609.344


def postcode_list(postcodes: pl.Series) -> pl.DataFrame:
    """The given postcodes of this map as the validator's list of postcodes (POSTCODE,
    LA, X, Y in metres): the authority's area is LA 999, each other fictional area its
    own letters (ZA, ZB, ...), so distances and places can be checked as real ones are."""
    table = districts()
    known = pl.DataFrame({"POSTCODE": postcodes.drop_nulls().unique().sort()}).with_columns(
        DISTRICT=pl.col("POSTCODE").str.split(" ").list.first()
    )
    return known.join(table, on="DISTRICT", how="inner").select(
        "POSTCODE",
        LA=pl.when(pl.col("AREA") == HOME_AREA).then(pl.lit(HOME_LA)).otherwise(pl.col("AREA")),
        X=pl.col("X") * METRES_PER_MILE,
        Y=pl.col("Y") * METRES_PER_MILE,
    )
