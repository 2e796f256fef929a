"""Between a return (one collection year) and the record (every year).

A return's OC2 and OC3 rows describe its own year; in the record they carry that
year in YEAR, and writing a return takes only the rows of the year asked for.
"""

from __future__ import annotations

import polars as pl

from carematters.records.schema import YEAR, YEARLY_TABLES
from carematters.ssda903.years import CollectionYear


def record_tables(tables: dict[str, pl.DataFrame], year: CollectionYear) -> dict[str, pl.DataFrame]:
    """A return's tables as record tables: yearly rows labelled with their year."""
    return {
        name: frame.with_columns(pl.lit(str(year)).alias(YEAR.name))
        if name in YEARLY_TABLES
        else frame
        for name, frame in tables.items()
    }


def return_tables(tables: dict[str, pl.DataFrame], year: CollectionYear) -> dict[str, pl.DataFrame]:
    """Record tables narrowed to what a return for `year` holds of the yearly tables."""
    return {
        name: frame.filter(pl.col(YEAR.name) == str(year)).drop(YEAR.name)
        if name in YEARLY_TABLES and YEAR.name in frame.columns
        else frame
        for name, frame in tables.items()
    }
