"""What the XML form holds, where, and what it refuses to write."""

from datetime import date

import polars as pl
import pytest

from carematters.ssda903 import xml_layout as layout
from carematters.ssda903.problems import WriteRefusedError
from carematters.ssda903.read_xml import read_xml_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.tables import EPISODES, HEADER, TABLES, UASC
from carematters.ssda903.write_xml import xml_bytes
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")


def test_the_layout_places_every_column_of_every_table():
    assert set(layout.EPISODE.fields()) == {c.name for c in EPISODES.columns} - {"CHILD"}
    header_items = [i for i in layout.HEADER_SEQUENCE if isinstance(i, str)]
    assert set(header_items) == {c.name for c in HEADER.columns}
    placed = {i.table.name for i in layout.HEADER_RECORDS} | {t.name for t in layout.FLAT_TABLES}
    assert placed | {"header", "episodes", "uasc"} == {t.name for t in TABLES}
    assert UASC in layout.HEADER_SEQUENCE


def _read(tmp_path, text: str, year: CollectionYear = YEAR):
    path = tmp_path / "return.xml"
    path.write_text(text)
    return read_xml_return(path, year)


HEADER_XML = (
    "<CHILDID>C1</CHILDID><UPN>UN1</UPN><SEX>F</SEX><DOB>01/02/2008</DOB><ETHNIC>WBRI</ETHNIC>"
)


def test_oc3_and_ad1_are_read_whether_plain_or_wrapped(tmp_path):
    plain = _read(
        tmp_path,
        f"<EXPSSDA903><CHILD><HEADER>{HEADER_XML}"
        "<IN_TOUCH>YES</IN_TOUCH><ACTIV>F1</ACTIV><ACCOM>B1</ACCOM>"
        "</HEADER></CHILD></EXPSSDA903>",
    )
    wrapped = _read(
        tmp_path,
        f"<EXPSSDA903><CHILD><HEADER>{HEADER_XML}"
        "<OC3><IN_TOUCH>YES</IN_TOUCH><ACTIV>F1</ACTIV><ACCOM>B1</ACCOM></OC3>"
        "</HEADER></CHILD></EXPSSDA903>",
    )
    assert plain.problems == wrapped.problems == []
    expected = [("C1", date(2008, 2, 1), "YES", "F1", "B1")]
    assert plain.tables["oc3"].rows() == wrapped.tables["oc3"].rows() == expected


def test_a_uasc_child_takes_sex_and_dob_from_the_header(tmp_path):
    result = _read(
        tmp_path,
        f"<EXPSSDA903><CHILD><HEADER>{HEADER_XML}"
        "<UASC>1</UASC><DUC>01/02/2026</DUC></HEADER></CHILD></EXPSSDA903>",
    )
    assert result.problems == []
    assert result.tables["uasc"].rows() == [("C1", "F", date(2008, 2, 1), date(2026, 2, 1))]


def test_a_child_flagged_not_uasc_keeps_a_given_duc(tmp_path):
    result = _read(
        tmp_path,
        f"<EXPSSDA903><CHILD><HEADER>{HEADER_XML}"
        "<UASC>0</UASC><DUC>01/02/2026</DUC></HEADER></CHILD></EXPSSDA903>",
    )
    assert result.tables["uasc"].height == 1


def _refusals(tables) -> list[str]:
    with pytest.raises(WriteRefusedError) as refused:
        xml_bytes(tables, YEAR)
    return [p.describe() for p in refused.value.problems]


def test_a_child_with_two_header_rows_cannot_be_written():
    tables = sample_return(2, YEAR, seed=1)
    header = pl.concat([tables["header"], tables["header"].head(1)])
    assert _refusals(tables | {"header": header}) == [
        "header.csv: child 000001: each child needs exactly one Header row to be written as XML"
    ]


def test_rows_for_a_child_without_a_header_row_cannot_be_written():
    tables = sample_return(2, YEAR, seed=1)
    episodes = tables["episodes"].with_columns(pl.lit("ZZ9").alias("CHILD"))
    assert _refusals(tables | {"episodes": episodes}) == [
        "episodes.csv: child ZZ9: this child has no Header row, so XML has nowhere to put the row"
    ]


def test_two_oc3_rows_for_one_child_cannot_be_written():
    tables = sample_return(1, YEAR, seed=1)
    row = {
        "CHILD": "000001",
        "DOB": tables["header"]["DOB"][0],
        "IN_TOUCH": "YES",
        "ACTIV": "F1",
        "ACCOM": "B1",
    }
    oc3 = pl.DataFrame([row, row], schema=tables["oc3"].schema)
    assert _refusals(tables | {"oc3": oc3}) == [
        "oc3.csv: child 000001: XML holds one row of this table per child; this child has more"
    ]


def test_a_control_character_cannot_be_written():
    tables = sample_return(1, YEAR, seed=1)
    header = tables["header"].with_columns(pl.lit("UN\x01").alias("UPN"))
    assert _refusals(tables | {"header": header}) == [
        "header.csv, column UPN: child 000001: holds a control character, which XML cannot carry"
    ]
