"""Writing a return and reading it back gives back exactly the tables, in both forms."""

from pathlib import Path

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from carematters.ssda903.formats import Format, read_return, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.write_csv import return_files
from carematters.ssda903.write_xml import xml_bytes
from carematters.ssda903.years import SUPPORTED_YEARS, CollectionYear

from .strategies import returns

YEARS = st.sampled_from(SUPPORTED_YEARS)


def _round_trip(tables: dict[str, pl.DataFrame], year: CollectionYear, form: Format, folder: Path):
    out = folder / ("return.xml" if form is Format.XML else "return")
    write_return(tables, year, form, out)
    return read_return(out, year)


def _assert_same(tables: dict[str, pl.DataFrame], back) -> None:
    assert back.problems == []
    for name, frame in tables.items():
        assert back.tables[name].equals(frame), name


@pytest.mark.parametrize("form", list(Format))
@given(data=st.data())
def test_any_well_formed_return_survives_a_round_trip(form, data, tmp_path_factory):
    year = data.draw(YEARS)
    tables = data.draw(returns(year))
    assume(tables["header"].height > 0)
    back = _round_trip(tables, year, form, tmp_path_factory.mktemp("rt"))
    _assert_same(tables, back)


@pytest.mark.parametrize("form", list(Format))
def test_a_return_with_no_children_reads_back_as_one_with_no_children(form, tmp_path):
    year = CollectionYear.parse("2024-25")
    tables = {name: frame.clear() for name, frame in sample_return(3, year, seed=1).items()}
    back = _round_trip(tables, year, form, tmp_path)
    assert [p.kind for p in back.problems] == ["no-children"]


@pytest.mark.parametrize("year", SUPPORTED_YEARS, ids=str)
@pytest.mark.parametrize("form", list(Format))
def test_a_sample_return_survives_a_round_trip_in_every_year(year, form, tmp_path):
    tables = sample_return(200, year, seed=3)
    _assert_same(tables, _round_trip(tables, year, form, tmp_path))


@pytest.mark.parametrize("form", list(Format))
def test_writing_is_byte_stable(form, tmp_path):
    year = CollectionYear.parse("2025-26")
    tables = sample_return(120, year, seed=5)
    back = _round_trip(tables, year, form, tmp_path).tables
    if form is Format.XML:
        assert xml_bytes(back, year) == xml_bytes(tables, year)
    else:
        assert return_files(back, year) == return_files(tables, year)


def test_the_same_seed_gives_the_same_sample():
    year = CollectionYear.parse("2024-25")
    first, second = sample_return(50, year, seed=9), sample_return(50, year, seed=9)
    assert all(first[name].equals(second[name]) for name in first)
    assert not sample_return(50, year, seed=10)["header"].equals(first["header"])
