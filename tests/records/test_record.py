"""One typed record: its tables are the schema's, conformed; an absent table is empty
but known to be absent; one child's or a caseload's record is cut to their rows."""

from dataclasses import fields
from datetime import date

import polars as pl
import pytest

from carematters.records.record import Record
from carematters.records.schema import RECORD_TABLES


def test_the_record_has_exactly_the_schema_s_tables():
    attributes = [f.name for f in fields(Record) if f.name != "held"]
    assert attributes == [t.name for t in RECORD_TABLES]


def test_every_table_has_every_column_and_absent_ones_are_not_held():
    record = Record.of({"visits": pl.DataFrame({"CHILD": ["A"], "VISIT_DATE": [date(2025, 1, 6)]})})
    assert record.visits.columns == [
        "CHILD",
        "VISIT_DATE",
        "SEEN_ALONE",
        "SW_ID",
        "NOT_ALONE_REASON",
    ]
    assert record.visits["SEEN_ALONE"].to_list() == [None]
    assert record.peps.is_empty() and record.peps.columns == ["CHILD", "PEP_DATE"]
    assert record.holds("visits") and not record.holds("peps")
    assert list(record.tables()) == ["visits"]


def test_an_empty_table_is_held():
    empty = pl.DataFrame(schema={"CHILD": pl.String, "PEP_DATE": pl.Date})
    assert Record.of({"peps": empty}).holds("peps")


def test_a_table_the_record_has_no_place_for_is_refused():
    with pytest.raises(KeyError, match="not tables of the care record: diaries"):
        Record.of({"diaries": pl.DataFrame({"CHILD": ["A"]})})
    with pytest.raises(TypeError, match="column PEP_DATE holds String"):
        Record.of({"peps": pl.DataFrame({"CHILD": ["A"], "PEP_DATE": ["6 January"]})})


def test_a_caseload_is_cut_to_its_children_s_rows_in_their_order():
    visits = pl.DataFrame(
        {
            "CHILD": ["B", "A", None, "C", "A"],
            "VISIT_DATE": [date(2025, 1, day) for day in (5, 3, 4, 2, 1)],
        }
    )
    record = Record.of({"visits": visits})
    cut = record.for_children(["C", "A", "Z"])
    assert cut.visits.select("CHILD", "VISIT_DATE").rows() == [
        ("A", date(2025, 1, 3)),
        ("A", date(2025, 1, 1)),
        ("C", date(2025, 1, 2)),
    ]
    assert cut.held == record.held
    assert cut.header.is_empty()
    assert record.for_children([]).visits.is_empty()
