"""A return describes one year; the record keeps every year's OC2 and OC3 apart."""

import polars as pl

from carematters.records.returns import record_tables, return_tables
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear

EARLIER, LATER = CollectionYear.parse("2023-24"), CollectionYear.parse("2024-25")


def test_yearly_rows_are_labelled_with_their_year_and_only_that_year_is_written_back():
    earlier = record_tables(sample_return(40, EARLIER, seed=1), EARLIER)
    later = record_tables(sample_return(40, LATER, seed=2), LATER)
    assert set(earlier["oc2"].get_column("YEAR")) == {"2023-24"}
    assert "YEAR" not in earlier["episodes"].columns
    both = pl.concat([earlier["oc2"], later["oc2"]])
    written = return_tables({"oc2": both}, LATER)["oc2"]
    assert written.equals(sample_return(40, LATER, seed=2)["oc2"])
