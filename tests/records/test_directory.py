"""A record directory keeps every table exactly, appears whole or not at all, and
reports what it cannot read instead of failing."""

from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carematters.records import directory
from carematters.records.returns import record_tables
from carematters.records.schema import EXTENSION_TABLES, PEPS, RECORD_TABLES, VISITS
from carematters.ssda903.problems import WriteRefusedError
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import LATEST_YEAR

from ..ssda903.strategies import value


def _visits() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "CHILD": ["000001", "000002"],
            "VISIT_DATE": [date(2025, 1, 6), date(2025, 2, 3)],
            "SEEN_ALONE": ["Y", None],
            "SW_ID": ["SW0001", "SW0002"],
            "NOT_ALONE_REASON": [None, None],
        },
        schema=VISITS.schema(),
    )


def test_saved_tables_load_back_exactly(tmp_path):
    tables = record_tables(sample_return(80, LATEST_YEAR, seed=2), LATEST_YEAR)
    tables |= {"visits": _visits()}
    directory.save(tables, tmp_path / "record")
    loaded = directory.load(tmp_path / "record")
    assert loaded.problems == []
    assert set(loaded.record.tables()) == set(tables)
    for name, frame in tables.items():
        assert loaded.record.tables()[name].equals(frame), name


def test_an_absent_table_means_no_events_not_an_error(tmp_path):
    directory.save({"visits": _visits()}, tmp_path / "record")
    loaded = directory.load(tmp_path / "record")
    assert loaded.problems == []
    peps = loaded.record.peps
    assert peps.height == 0
    assert peps.columns == ["CHILD", "PEP_DATE"]
    assert loaded.record.holds("visits")
    assert not loaded.record.holds("peps")


def test_every_table_has_a_child_key_and_upper_case_columns():
    for table in RECORD_TABLES:
        assert table.columns[0].name == "CHILD", table.name
        assert all(c.name == c.name.upper() for c in table.columns), table.name
    assert {t.name for t in EXTENSION_TABLES} == {
        "visits",
        "health_assessments",
        "peps",
        "care_plans",
        "pathway_plans",
        "pa_contacts",
        "iro",
        "return_interviews",
        "people",
    }


def test_a_record_saved_before_a_column_was_added_reads_with_it_blank(tmp_path):
    folder = tmp_path / "record"
    folder.mkdir()
    (folder / "visits.csv").write_text(
        "CHILD,VISIT_DATE,SEEN_ALONE,SW_ID\n000001,06/01/2025,N,SW1\n"
    )
    loaded = directory.load(folder)
    assert loaded.problems == []
    assert loaded.record.visits.select("SEEN_ALONE", "NOT_ALONE_REASON").rows() == [("N", None)]


def test_a_bad_value_in_a_record_is_reported_with_its_place(tmp_path):
    folder = tmp_path / "record"
    folder.mkdir()
    (folder / "visits.csv").write_text(
        "CHILD,VISIT_DATE,SEEN_ALONE,SW_ID,NOT_ALONE_REASON\n"
        "000001,06/01/2025,Y,SW1,\n000002,30/02/2025,maybe,SW2,\n"
    )
    (folder / "notes.csv").write_text("A\n1\n")
    loaded = directory.load(folder)
    assert [p.describe() for p in loaded.problems] == [
        "notes.csv: this file is not a table of the care record; it was not read",
        "visits.csv, row 3, column VISIT_DATE: value '30/02/2025': is not a real calendar date; "
        "the value was not read",
        "visits.csv, row 3, column SEEN_ALONE: value 'maybe': is not a seen alone code; "
        "kept as given",
    ]
    assert loaded.record.tables()["visits"].get_column("SEEN_ALONE").to_list() == ["Y", "maybe"]


def test_a_failed_save_leaves_the_old_record_untouched(tmp_path):
    folder = tmp_path / "record"
    directory.save({"visits": _visits()}, folder)
    before = (folder / "visits.csv").read_bytes()
    broken = {
        "visits": _visits(),
        "peps": pl.DataFrame({"CHILD": ["1"], "PEP_DATE": ["not a date"]}),
    }
    refused = "the Personal education plans table cannot be saved: column PEP_DATE holds String"
    with pytest.raises(TypeError, match=refused):
        directory.save(broken, folder)
    assert (folder / "visits.csv").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [".carematters-output", "visits.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["record"]


def test_saving_a_table_the_record_does_not_have_is_refused(tmp_path):
    with pytest.raises(KeyError, match="not tables of the care record: diaries"):
        directory.save({"diaries": _visits()}, tmp_path / "record")


@given(data=st.data())
def test_any_extension_tables_survive_save_and_load(data, tmp_path_factory):
    tables = {}
    for table in EXTENSION_TABLES:
        rows = data.draw(
            st.lists(
                st.fixed_dictionaries(
                    {c.name: value(c, LATEST_YEAR) for c in table.columns}
                ).filter(lambda row: any(v is not None for v in row.values())),
                max_size=4,
            )
        )
        tables[table.name] = pl.DataFrame(rows, schema=table.schema(), orient="row")
    folder = tmp_path_factory.mktemp("record")
    directory.save(tables, folder)
    loaded = directory.load(folder)
    assert loaded.problems == []
    for name, frame in tables.items():
        assert loaded.record.tables()[name].equals(frame), name


def test_a_row_with_no_values_is_refused_not_written_as_padding(tmp_path):
    blank = pl.DataFrame({"CHILD": [None, "1"], "PEP_DATE": [None, None]}, schema=PEPS.schema())
    with pytest.raises(WriteRefusedError, match="1 rows have no values at all"):
        directory.save({"peps": blank}, tmp_path / "record")
    assert not (tmp_path / "record").exists()
