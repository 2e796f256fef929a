"""The XML return read in bulk (xml_plain) gives exactly what the careful, element by
element reading gives: the same tables, the same line for every row, the same problems.

Each file is read both ways; a file the bulk reading does not expect must be read the
careful way as a whole, never half and half.
"""

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from carematters.ssda903.read_xml import _read_xml
from carematters.ssda903.returns import ReadResult
from carematters.ssda903.sample import sample_return
from carematters.ssda903.write_xml import xml_bytes
from carematters.ssda903.years import CollectionYear
from tests.ssda903.strategies import returns
from tests.ssda903.test_malformed import CASES

YEAR = CollectionYear.parse("2024-25")
_FIELD = re.compile(rb"<([A-Z_]+)>([^<]*)</\1>")
SPOILT = (
    b"31/02/2024",
    b"2024-04-01",
    b"XX",
    b"zz/13/2020",
    b"",
    b" 01/04/2024 ",
    b"\xc3\xa9",
    b"A\r\nB",
)
"""Values a person's export may hold instead of the right one: each is read as a problem
(or as blank) wherever it lands."""


def _spoil(xml: bytes, seed: int, share: float = 0.1) -> bytes:
    """About `share` of the field values replaced by one of SPOILT (the same seed, the same)."""
    draw = random.Random(seed)  # noqa: S311 (test values, not secrets)

    def spoil(found: re.Match[bytes]) -> bytes:
        if draw.random() >= share:
            return found.group(0)
        name = found.group(1)
        return b"<%s>%s</%s>" % (name, draw.choice(SPOILT), name)

    return _FIELD.sub(spoil, xml)


def _one_line(xml: bytes) -> bytes:
    return b"".join(line.strip() for line in xml.splitlines())


def _crlf(xml: bytes) -> bytes:
    return re.sub(rb"(?<!\r)\n", b"\r\n", xml)


def _tabs(xml: bytes) -> bytes:
    return re.sub(rb"\n( +)", lambda m: b"\n" + b"\t" * len(m.group(1)), xml)


def _bom_no_declaration(xml: bytes) -> bytes:
    return b"\xef\xbb\xbf" + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)


LAYOUTS = {
    "as written": lambda xml: xml,
    "one line": _one_line,
    "CRLF": _crlf,
    "tabs": _tabs,
    "BOM, no declaration": _bom_no_declaration,
}


def _both_ways(path: Path, year: CollectionYear) -> tuple[ReadResult, bool]:
    """The file read in bulk if it can be, checked against the careful reading of it."""
    quick, in_bulk = _read_xml(path, year)
    careful, careful_in_bulk = _read_xml(path, year, plain=False)
    assert not careful_in_bulk
    assert quick.tables.keys() == careful.tables.keys()
    for name, frame in careful.tables.items():
        assert_frame_equal(quick.tables[name], frame)
        assert quick.rows[name].equals(careful.rows[name]), name
    assert quick.problems == careful.problems
    return quick, in_bulk


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "return.xml"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("year", "seed"), [("2022-23", 1), ("2024-25", 2), ("2026-27", 3)])
def test_a_plain_return_is_read_in_bulk_to_the_very_same_result(tmp_path, year, seed, layout):
    collection = CollectionYear.parse(year)
    xml = LAYOUTS[layout](xml_bytes(sample_return(80, collection, seed=seed), collection))
    result, in_bulk = _both_ways(_write(tmp_path, xml), collection)
    assert in_bulk
    assert result.problems == []
    assert result.tables["header"].height == 80
    assert result.tables["episodes"].height > 80


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", [4, 5, 6])
def test_spoilt_values_give_the_same_problems_at_the_same_places(tmp_path, seed, layout):
    xml = _spoil(xml_bytes(sample_return(60, YEAR, seed=seed), YEAR), seed)
    result, in_bulk = _both_ways(_write(tmp_path, LAYOUTS[layout](xml)), YEAR)
    assert in_bulk
    assert len(result.problems) > 10
    assert {p.kind for p in result.problems} >= {"bad-date", "unknown-code"}
    assert all(p.row and p.position for p in result.problems)
    assert sum(p.child is not None for p in result.problems) > len(result.problems) / 2


def test_each_line_and_character_is_the_one_a_person_finds_in_the_file(tmp_path):
    text = (
        "<EXPSSDA903>\r\n<CHILD>\r\n\t<HEADER><CHILDID>C1</CHILDID><SEX>Q</SEX>\r\n"
        "\t<DOB>01/02/2012</DOB><UASC>7</UASC></HEADER>\r\n"
        "\t<EPISODE><DECOM>31/02/2024</DECOM></EPISODE><EPISODE><DECOM>01/05/2024</DECOM>"
        "<RNE>S</RNE></EPISODE>\r\n</CHILD>\r\n</EXPSSDA903>\r\n"
    )
    result, in_bulk = _both_ways(_write(tmp_path, text.encode()), YEAR)
    assert in_bulk
    assert result.rows["header"].to_list() == [3]
    assert result.rows["episodes"].to_list() == [5, 5]
    assert [(p.row, p.position, p.column, p.child) for p in result.problems] == [
        (3, 2, "UASC", "C1"),  # the flag is reported before the header's own values
        (3, 2, "SEX", "C1"),
        (5, 2, "DECOM", "C1"),
    ]


NOT_PLAIN = {
    "a comment": b"<!-- exported by hand --><CHILDID>C1</CHILDID>",
    "a CDATA section": b"<CHILDID><![CDATA[C1]]></CHILDID>",
    "an entity": b"<CHILDID>C&amp;1</CHILDID>",
    "a character reference": b"<CHILDID>C&#49;</CHILDID>",
    "an attribute": b'<CHILDID kind="local">C1</CHILDID>',
    "a space in a tag": b"<CHILDID >C1</CHILDID >",
    "an unknown element": b"<CHILDID>C1</CHILDID><SHOE_SIZE>5</SHOE_SIZE>",
    "a lower-case tag": b"<childid>C1</childid>",
    "a field given twice": b"<CHILDID>C1</CHILDID><CHILDID>C2</CHILDID>",
    "a field inside a field": b"<CHILDID>C1<UPN>X</UPN></CHILDID>",
    "an episode field in the header": b"<CHILDID>C1</CHILDID><DECOM>01/04/2024</DECOM>",
    "text between fields": b"<CHILDID>C1</CHILDID>note",
    "a field holding only spaces": b"<CHILDID>C1</CHILDID><UPN>  </UPN>",
    "a > in a value": b"<CHILDID>C>1</CHILDID>",
    "a carriage return on its own": b"<CHILDID>C1</CHILDID>\r<UPN>A</UPN>",
    "an instruction": b"<?export tool?><CHILDID>C1</CHILDID>",
    "a record with no fields": b"<CHILDID>C1</CHILDID><AREVIEW/>",
    "a review left empty": b"<CHILDID>C1</CHILDID><AREVIEW>\n</AREVIEW>",
    "a record as a field": b"<CHILDID>C1</CHILDID><AREVIEW>03/06/2024</AREVIEW>",
}


@pytest.mark.parametrize("inside", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_a_file_that_is_not_plain_is_read_the_careful_way_as_a_whole(tmp_path, inside):
    text = (
        b"<EXPSSDA903><CHILD><HEADER><SEX>F</SEX><DOB>01/02/2012</DOB>"
        + inside
        + b"</HEADER><EPISODE><DECOM>01/04/2024</DECOM></EPISODE></CHILD>"
        b"<CHILD><HEADER><CHILDID>C9</CHILDID><SEX>M</SEX></HEADER></CHILD></EXPSSDA903>"
    )
    result, in_bulk = _both_ways(_write(tmp_path, text), YEAR)
    assert not in_bulk
    assert result.tables["header"]["CHILD"].to_list()[-1] == "C9"
    assert result.tables["episodes"].height == 1


STRUCTURES = {
    "a child with no header": b"<CHILD><EPISODE><DECOM>01/04/2024</DECOM></EPISODE></CHILD>",
    "a child with two headers": b"<CHILD><HEADER><CHILDID>C2</CHILDID></HEADER>"
    b"<HEADER><CHILDID>C3</CHILDID></HEADER></CHILD>",
    "a blank header": b"<CHILD><HEADER><CHILDID/><UASC>1</UASC></HEADER></CHILD>",
    "an empty child": b"<CHILD/>",
    "a header with only a review": b"<CHILD><HEADER><AREVIEW><REVIEW>03/06/2024</REVIEW>"
    b"</AREVIEW></HEADER></CHILD>",
    "an element beside the children": b"<NOTE>x</NOTE>",
}


@pytest.mark.parametrize("child", STRUCTURES.values(), ids=STRUCTURES.keys())
def test_a_child_the_careful_reading_reports_sends_the_whole_file_that_way(tmp_path, child):
    plain = b"<CHILD><HEADER><CHILDID>C1</CHILDID><SEX>F</SEX></HEADER></CHILD>"
    text = b"<EXPSSDA903>" + plain + child + b"</EXPSSDA903>"
    result, in_bulk = _both_ways(_write(tmp_path, text), YEAR)
    assert not in_bulk
    assert result.problems


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER></CHILD></EXPSSDA903>",
            "utf-16",
        ),
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?>'
            "<EXPSSDA903><CHILD><HEADER><CHILDID>C\xe91</CHILDID></HEADER></CHILD></EXPSSDA903>",
            "latin-1",
        ),
    ],
)
def test_a_file_not_in_utf8_is_read_the_careful_way(tmp_path, text, encoding):
    result, in_bulk = _both_ways(_write(tmp_path, text.encode(encoding)), YEAR)
    assert not in_bulk
    assert result.tables["header"]["CHILD"].to_list() == [text.split("CHILDID>")[1][:-2]]


def test_a_table_from_a_later_year_is_reported_the_same_in_bulk(tmp_path):
    later = CollectionYear.parse("2026-27")
    xml = xml_bytes(sample_return(40, later, seed=7), later)
    result, in_bulk = _both_ways(_write(tmp_path, xml), CollectionYear.parse("2022-23"))
    assert in_bulk
    assert any(p.kind == "table-not-in-year" for p in result.problems)


@pytest.mark.parametrize("folder", [c for c in CASES if (c / "return.xml").exists()], ids=str)
def test_each_broken_xml_in_the_corpus_is_read_the_same_either_way(folder):
    _, in_bulk = _both_ways(folder / "return.xml", YEAR)
    assert not in_bulk or folder.name in {"xml_bad_values", "xml_on_one_line"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_small_return_reads_the_same_in_bulk_and_carefully(tmp_path_factory, data):
    year = data.draw(st.sampled_from([CollectionYear.parse(y) for y in ("2022-23", "2025-26")]))
    tables = data.draw(returns(year))
    layout = data.draw(st.sampled_from(sorted(LAYOUTS)))
    xml = LAYOUTS[layout](_spoil(xml_bytes(tables, year), data.draw(st.integers(0, 9)), 0.2))
    _both_ways(_write(tmp_path_factory.mktemp("return"), xml), year)
