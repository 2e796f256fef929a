"""Hypothesis strategies for well-formed SSDA903 tables of a given collection year.

Rows are generated child by child, in header order, with each child table's DOB (and
UASC's SEX) equal to the Header's, and at most one UASC, OC3 and AD1 row per child:
the shape both of DfE's forms can hold, so a round trip must give back exactly this.
"""

from datetime import date

import polars as pl
from hypothesis import strategies as st

from carematters.ssda903.codelists import code_list
from carematters.ssda903.tables import HEADER, Column, Kind, Table, tables_in
from carematters.ssda903.years import CollectionYear

ONCE_PER_CHILD = {"uasc", "oc3", "ad1"}
CHARACTERS = st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"])
TEXT = st.text(CHARACTERS, min_size=1, max_size=12).filter(lambda s: s == s.strip() and s)
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
PARTIAL = st.tuples(
    st.sampled_from(["zz", "01", "28"]),
    st.sampled_from(["zz", "02", "12"]),
    st.sampled_from(["zzzz", "2015"]),
).map("/".join)


def value(column: Column, year: CollectionYear) -> st.SearchStrategy[object]:
    """A value a column may hold in `year`, or blank."""
    if column.kind is Kind.DATE:
        base: st.SearchStrategy[object] = DATES
    elif column.kind is Kind.PARTIAL_DATE:
        base = PARTIAL
    elif column.kind is Kind.INTEGER:
        base = st.integers(0, 40)
    elif column.kind is Kind.CODE and column.codes:
        base = st.sampled_from(sorted(code_list(column.codes).valid_codes(year)))
    else:
        base = TEXT
    return st.none() | base


def _row(table: Table, year: CollectionYear, fixed: dict[str, object]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            c.name: st.just(fixed[c.name]) if c.name in fixed else value(c, year)
            for c in table.columns_in(year)
        }
    )


@st.composite
def returns(draw, year: CollectionYear) -> dict[str, pl.DataFrame]:
    """A whole return for `year`: every table, some of them empty."""
    ids = draw(st.lists(TEXT, max_size=5, unique=True))
    rows: dict[str, list[dict]] = {t.name: [] for t in tables_in(year)}
    for child in ids:
        header = draw(_row(HEADER, year, {"CHILD": child}))
        rows["header"].append(header)
        for table in tables_in(year)[1:]:
            fixed = {"CHILD": child, "DOB": header["DOB"], "SEX": header["SEX"]}
            most = 1 if table.name in ONCE_PER_CHILD else 3
            rows[table.name] += draw(st.lists(_row(table, year, fixed), max_size=most))
    return {
        t.name: pl.DataFrame(rows[t.name], schema=t.schema(t.columns_in(year)), orient="row")
        for t in tables_in(year)
    }
