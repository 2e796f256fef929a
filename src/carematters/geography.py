"""Where the places in a record are: postcodes located by a list of them, and a
fictional map of postcodes for the synthetic authority.

A record gives only postcodes: the child's home (HOME_POST) and placement (PL_POST).
Where a placement is, which authority's area it lies in, and how far it is from home
come from a list of postcodes with their authority and grid position (`Places`),
given as a CSV file in the shape the validator's `--postcodes` takes (POSTCODE, LA,
X, Y: a cut of ONS's postcode directory), with the authority's own code (`--la-code`).
Nothing here fetches anything.

The synthetic authority's postcodes are on a fictional map instead. Every postcode on
it is in an area whose letters start with Z and is not ZE (the only real Z area,
Shetland), so none is anyone's real address. The authority is area ZZ; other areas sit
on rings around it, so a placement's distance from home can be measured as a real one
would be, from the postcodes alone: `postcode_list` gives the map's postcodes as such a
list, and `fictional_places` the places the demo measures with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

METRES_PER_MILE = 1609.3
"""The mile DfE measures a placement's distance from home in (PL_DISTANCE), as the
validator and the indicators derive it (`placed`); the fictional map's
list is written in it, so its distances read back as the map's own."""


@dataclass(frozen=True)
class Places:
    """What locating a record's placements needs from outside the record.

    `postcodes` is a list of postcodes with columns POSTCODE (a full postcode, matched
    without spaces or case), LA (the local authority it lies in: DfE's code for an
    English authority, in the same form as `la_code`; WAL, SCO, NIR, CON or NUK beyond
    England) and X, Y (easting and northing in metres on the British National Grid, as
    in ONS's postcode directory): the list the validator reads with `--postcodes`
    (`validation.lists.read_list("postcodes", path)`). `la_code` is the authority the
    record is for (`--la-code`); without it, distances can be measured but not which
    placements are outside the authority."""

    postcodes: pl.DataFrame
    la_code: str | None = None


def postcode_key(postcode: pl.Expr) -> pl.Expr:
    """A postcode as compared: without spaces, in capitals ("zz1 1aa" is "ZZ11AA")."""
    return postcode.cast(pl.String).str.replace_all(" ", "").str.to_uppercase()


def located(postcodes: pl.DataFrame) -> pl.DataFrame:
    """The postcode list (see `Places`), one row per postcode as compared (_KEY, the
    first where a postcode is listed twice), with its LA as text and its position in
    metres (X, Y as floats)."""
    return (
        postcodes.select(
            postcode_key(pl.col("POSTCODE")).alias("_KEY"),
            pl.col("LA").cast(pl.String),
            pl.col("X").cast(pl.Float64),
            pl.col("Y").cast(pl.Float64),
        )
        .filter(pl.col("_KEY").is_not_null())
        .unique("_KEY", keep="first")
    )


def placed(episodes: pl.DataFrame, postcodes: pl.DataFrame) -> pl.DataFrame:
    """`episodes` (any columns, with HOME_POST and PL_POST) with PL_LA, the local
    authority the placement postcode lies in (text), and PL_DISTANCE, the straight line
    from home to placement in miles to one decimal place: both as DfE derives them for
    the return, from `postcodes` (see `Places`), and null where a postcode needed is
    blank or not in the list. The validator and the indicators both place episodes here."""
    places = located(postcodes)
    home = places.select(pl.col("_KEY").alias("_HOME"), _HOME_X="X", _HOME_Y="Y")
    placement = places.select(
        pl.col("_KEY").alias("_PLACE"), pl.col("LA").alias("PL_LA"), _PLACE_X="X", _PLACE_Y="Y"
    )
    across = pl.col("_PLACE_X") - pl.col("_HOME_X")
    up = pl.col("_PLACE_Y") - pl.col("_HOME_Y")
    return (
        episodes.with_columns(
            postcode_key(pl.col("HOME_POST")).alias("_HOME"),
            postcode_key(pl.col("PL_POST")).alias("_PLACE"),
        )
        .join(home, on="_HOME", how="left")
        .join(placement, on="_PLACE", how="left")
        .with_columns(PL_DISTANCE=((across.pow(2) + up.pow(2)).sqrt() / METRES_PER_MILE).round(1))
        .drop("_HOME", "_PLACE", "_HOME_X", "_HOME_Y", "_PLACE_X", "_PLACE_Y")
    )


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
    # NumPy is imported here, not above: the validator locates postcodes with this
    # module, and loading NumPy would add a tenth of a second to every `903 validate`.
    import numpy as np  # noqa: PLC0415

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


def fictional_places(postcodes: pl.Series) -> Places:
    """The synthetic authority's places: these postcodes of the fictional map as a list
    (`postcode_list`), and the authority's own code, 999."""
    return Places(postcode_list(postcodes), la_code=HOME_LA)
