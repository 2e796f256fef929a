"""A date with parts not known (DATE_PERM): zz in capitals is read as zz is, and kept as
written, so the return written back is the one read."""

import polars as pl
import pytest

from carematters.ssda903.convert import Source, type_frame
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.tables import TABLES
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")
TABLE = next(t for t in TABLES if t.name == "previous_permanence")


def _read(value: str) -> tuple[str | None, list[str]]:
    raw = pl.DataFrame(
        {"CHILD": ["1"], "DATE_PERM": [value], ROW_COLUMN: [2]},
        schema={"CHILD": pl.String, "DATE_PERM": pl.String, ROW_COLUMN: pl.Int64},
    )
    typed, problems = type_frame(raw, TABLE.columns_in(YEAR), Source("pp.csv", TABLE, YEAR))
    return typed["DATE_PERM"][0], [p.kind for p in problems]


@pytest.mark.parametrize("value", ["ZZ/ZZ/2012", "zz/zz/2012", "Zz/05/ZZZZ", "01/ZZ/zzzz"])
def test_zz_in_either_case_is_a_part_not_known(value):
    assert _read(value) == (value, [])


@pytest.mark.parametrize("value", ["ZY/ZZ/2012", "2012-zz-zz", "zz/zz/12"])
def test_anything_else_is_still_not_a_date(value):
    assert _read(value) == (None, ["bad-date"])
