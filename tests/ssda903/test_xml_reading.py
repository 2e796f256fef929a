"""Reading the XML form as a performance officer's files really come: exported on one line,
in another encoding, with comments, hostile, or holding nothing at all."""

import codecs
from datetime import date
from pathlib import Path

import pytest

from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.problems import problems_frame
from carematters.ssda903.read_csv import read_csv_return
from carematters.ssda903.read_xml import read_xml_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.write_csv import return_files
from carematters.ssda903.write_xml import xml_bytes
from carematters.ssda903.years import CollectionYear
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")
HEADER = (
    "<HEADER><CHILDID>C1</CHILDID><UPN>{upn}</UPN><SEX>F</SEX><DOB>{dob}</DOB>"
    "<ETHNIC>WBRI</ETHNIC></HEADER>"
)


def _document(upn: str = "UN1", dob: str = "01/02/2012") -> str:
    return f"<EXPSSDA903><CHILD>{HEADER.format(upn=upn, dob=dob)}</CHILD></EXPSSDA903>"


def _read(tmp_path: Path, content: str | bytes, year: CollectionYear = YEAR):
    path = tmp_path / "return.xml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_xml_return(path, year)


def _lines(result) -> list[str]:
    return [p.describe() for p in result.problems]


def _on_one_line(xml: bytes) -> bytes:
    """The same document as an export that puts it all on one line."""
    return b"".join(line.strip() for line in xml.splitlines())


@pytest.mark.parametrize(
    ("year", "seed"), [("2022-23", 1), ("2023-24", 2), ("2024-25", 3), ("2025-26", 4)]
)
def test_the_xml_form_reads_the_very_tables_the_csv_form_gives(tmp_path, year, seed):
    collection = CollectionYear.parse(year)
    tables = sample_return(60, collection, seed=seed)
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, (_, content) in return_files(tables, collection).items():
        (folder / name).write_bytes(content)
    from_csv = read_csv_return(folder, collection)
    pretty = _read(tmp_path, xml_bytes(tables, collection), collection)
    flat = _read(tmp_path, _on_one_line(xml_bytes(tables, collection)), collection)
    assert from_csv.problems == pretty.problems == flat.problems == []
    assert from_csv.tables.keys() == pretty.tables.keys() == flat.tables.keys()
    assert sum(frame.height for frame in pretty.tables.values()) > 60
    for name, frame in from_csv.tables.items():
        assert frame.equals(pretty.tables[name]), name
        assert frame.equals(flat.tables[name]), name
    assert flat.rows["episodes"].unique().to_list() == [1]


def test_each_row_keeps_the_line_its_record_starts_on(tmp_path):
    text = (
        "<EXPSSDA903>\n<CHILD>\n<HEADER>\n<CHILDID>C1</CHILDID>\n<SEX>F</SEX>\n"
        "<DOB>01/02/2012</DOB>\n<AREVIEW>\n<REVIEW>03/06/2024</REVIEW>\n</AREVIEW>\n</HEADER>\n"
        "<EPISODE>\n<DECOM>01/04/2024</DECOM>\n</EPISODE>\n<EPISODE><DECOM>01/05/2024</DECOM>"
        "</EPISODE>\n</CHILD>\n</EXPSSDA903>\n"
    )
    result = _read(tmp_path, text)
    assert result.rows["header"].to_list() == [3]
    assert result.rows["reviews"].to_list() == [7]
    assert result.rows["episodes"].to_list() == [11, 14]


def test_a_file_on_one_line_names_the_character_and_the_child_of_each_problem(tmp_path):
    text = (
        "<EXPSSDA903><CHILD>" + HEADER.format(upn="UN1", dob="01/02/2012") + "</CHILD>"
        "<CHILD>" + HEADER.format(upn="UN2", dob="31/02/2013").replace("C1", "C2") + "</CHILD>"
        "</EXPSSDA903>"
    )
    # before the second HEADER: <EXPSSDA903><CHILD> (19), the first HEADER (106),
    # </CHILD> (8) and <CHILD> (7), so it starts at character 141
    assert _lines(_read(tmp_path, text)) == [
        "return.xml, line 1, character 141, child C2, column DOB: value '31/02/2013': "
        "is not a real calendar date; the value was not read"
    ]


def test_problems_on_one_line_come_in_the_order_of_their_characters(tmp_path):
    episode = "<EPISODE><DECOM>{}</DECOM></EPISODE>"
    text = _document().replace(
        "</CHILD>", episode.format("32/01/2024") + episode.format("01/13/2024") + "</CHILD>"
    )
    problems = _read(tmp_path, text).problems
    assert [(p.row, p.position, p.value) for p in problems] == [
        (1, text.index("<EPISODE>") + 1, "32/01/2024"),
        (1, text.rindex("<EPISODE>") + 1, "01/13/2024"),
    ]


@pytest.mark.parametrize(
    "before",
    [
        "<!-- <CHILD><HEADER> was here -->",
        "<![CDATA[<HEADER>]]>",
        "<NOTE><A/><B>x</B></NOTE>",
        "<EPISODE><DECOM>01/04/2024</DECOM><DECOM>02/04/2024</DECOM><X><Y/></X></EPISODE>",
    ],
    ids=["a comment holding tags", "cdata holding a tag", "an unknown element", "an odd record"],
)
def test_a_problem_after_something_odd_is_still_placed_exactly(tmp_path, before):
    text = _document(dob="31/02/2012").replace("<CHILD>", f"<CHILD>{before}")
    placed = [p for p in _read(tmp_path, text).problems if p.column == "DOB"]
    assert [(p.row, p.position) for p in placed] == [(1, text.rindex("<HEADER>") + 1)]


def test_the_problems_table_has_the_character_and_the_child(tmp_path):
    frame = problems_frame(_read(tmp_path, _document(dob="31/02/2012")).problems)
    assert frame.select("ROW", "CHARACTER", "CHILD", "COLUMN").rows() == [(1, 20, "C1", "DOB")]


@pytest.mark.parametrize(
    "prolog",
    [
        "",
        '<?xml version="1.0"?>\n',
        "<!-- exported 2025 -->\n",
        '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n',
    ],
)
@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE EXPSSDA903 [<!ENTITY a "a"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE EXPSSDA903 [<!ENTITY f SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE EXPSSDA903 SYSTEM "http://example.invalid/return.dtd">',
    ],
)
def test_a_document_type_is_refused_wherever_it_sits_in_the_prolog(tmp_path, prolog, doctype):
    text = f"{prolog}{doctype}\n<EXPSSDA903><CHILD>{HEADER}</CHILD></EXPSSDA903>"
    line = prolog.count("\n") + 1
    result = _read(tmp_path, text.replace("<CHILDID>C1", "<CHILDID>&b;"))
    assert result.tables == {}
    assert _lines(result) == [
        f"return.xml, line {line}, character 1: the file declares a document type (DOCTYPE), "
        "which a return never has; the file was not read"
    ]


def test_a_document_type_in_utf16_is_refused_too(tmp_path):
    text = '<!DOCTYPE EXPSSDA903 [<!ENTITY a "a">]>\n' + _document()
    result = _read(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [p.kind for p in result.problems] == ["refused-xml"]


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF8 + _document(upn="Renée").encode("utf-8"),
        ('<?xml version="1.0" encoding="ISO-8859-1"?>' + _document(upn="Renée")).encode("latin-1"),
        ('<?xml version="1.0" encoding="windows-1252"?>' + _document(upn="Renée")).encode("cp1252"),
        codecs.BOM_UTF16_LE + _document(upn="Renée").encode("utf-16-le"),
    ],
    ids=["utf-8 with a byte order mark", "declared latin-1", "declared windows-1252", "utf-16"],
)
def test_an_encoding_xml_can_name_is_read_as_it_says(tmp_path, content):
    result = _read(tmp_path, content)
    assert result.problems == []
    assert result.tables["header"].get_column("UPN").to_list() == ["Renée"]


def test_a_problem_in_a_file_in_another_encoding_is_still_placed_by_character(tmp_path):
    text = _document(upn="Renée", dob="31/02/2012")
    result = _read(
        tmp_path, ('<?xml version="1.0" encoding="ISO-8859-1"?>' + text).encode("latin-1")
    )
    assert [(p.row, p.position) for p in result.problems] == [(1, 43 + text.index("<HEADER>") + 1)]


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        ("01/02<!-- checked -->/2012", date(2012, 2, 1)),
        ("<![CDATA[01/02/2012]]>", date(2012, 2, 1)),
        ("01/02/2012<?note x?>", date(2012, 2, 1)),
    ],
)
def test_comments_cdata_and_instructions_in_a_value_are_not_data(tmp_path, dob, expected):
    result = _read(tmp_path, _document(dob=dob))
    assert result.problems == []
    assert result.tables["header"].get_column("DOB").to_list() == [expected]


def test_entities_xml_defines_are_read_as_their_characters(tmp_path):
    result = _read(tmp_path, _document(upn="A&amp;B&lt;C&#62;&#x44;"))
    assert result.tables["header"].get_column("UPN").to_list() == ["A&B<C>D"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '<EXPSSDA903 xmlns="urn:x"><CHILD/></EXPSSDA903>',
            "return.xml, line 1, character 1: the root element is {urn:x}EXPSSDA903, but a "
            "return's is EXPSSDA903 in no namespace; the file was not read",
        ),
        (
            "<Expssda903></Expssda903>",
            "return.xml, line 1, character 1: the root element is Expssda903, but a return's is "
            "EXPSSDA903 (DfE's tags are upper case); the file was not read",
        ),
        (
            "\n\n  <EXPSSDA903>",
            "return.xml, line 3, character 15: the XML is not well-formed (Premature end of data "
            "in tag EXPSSDA903 line 3); the file was not read",
        ),
        (
            "<EXPSSDA903><CHILD>" + "<X>" * 300 + "</X>" * 300 + "</CHILD></EXPSSDA903>",
            # 19 characters, then 255 <X> of 3: libxml2 stops at the 256th level
            "return.xml, line 1, character 784: the XML is not well-formed (Excessive depth in "
            "document: 256); the file was not read",
        ),
    ],
    ids=["a namespace", "mixed case", "truncated after the root", "nested too deep"],
)
def test_a_file_that_cannot_be_read_at_all_gets_one_located_problem(tmp_path, text, expected):
    result = _read(tmp_path, text)
    assert result.tables == {}
    assert _lines(result) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<EXPSSDA903></EXPSSDA903>", "line 1, character 1"),
        ('<?xml version="1.0"?>\n\n<EXPSSDA903>\n</EXPSSDA903>', "line 3, character 1"),
        ("<EXPSSDA903><HEADER/></EXPSSDA903>", "line 1, character 1"),
    ],
)
def test_a_return_with_no_children_says_so(tmp_path, text, expected):
    problems = {p.kind: p for p in _read(tmp_path, text).problems}
    assert problems["no-children"].describe() == (
        f"return.xml, {expected}: the return holds no children (no <CHILD> element); "
        "nothing was read"
    )
    assert problems["no-children"].lost_something


@pytest.mark.parametrize(
    "header",
    [
        "<HEADER/>",
        "<HEADER></HEADER>",
        "<HEADER><CHILDID> </CHILDID><MOTHER/></HEADER>",
        "<HEADER><UASC>0</UASC></HEADER>",
    ],
)
def test_a_header_with_no_values_reads_nothing_of_its_child(tmp_path, header):
    episode = "<EPISODE><DECOM>01/04/2024</DECOM></EPISODE>"
    text = f"<EXPSSDA903><CHILD>{header}{episode}</CHILD></EXPSSDA903>"
    result = _read(tmp_path, text)
    assert [p.kind for p in result.problems] == ["blank-header"]
    assert result.problems[0].position == len("<EXPSSDA903><CHILD>") + 1
    assert sum(frame.height for frame in result.tables.values()) == 0


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        ('<CHILD a="1">', "<CHILD> has an attribute (a)"),
        ("<CHILD>", None),
    ],
)
def test_an_attribute_is_reported_where_it_is(tmp_path, inside, expected):
    text = _document().replace("<CHILD>", inside)
    messages = [p.message for p in _read(tmp_path, text).problems]
    assert messages == (
        [f"{expected}, which no element of a return has; it was not read"] if expected else []
    )


def test_an_attribute_in_a_field_does_not_stop_its_value_being_read(tmp_path):
    result = _read(tmp_path, _document().replace("<UPN>", '<UPN source = "mis">'))
    assert [(p.row, p.position, p.kind) for p in result.problems] == [(1, 49, "attribute")]
    assert result.tables["header"].get_column("UPN").to_list() == ["UN1"]


def test_a_long_value_in_a_problem_is_cut_short(tmp_path):
    note = "x" * 5000
    problem = _read(tmp_path, _document().replace("</CHILD>", f"{note}</CHILD>")).problems[0]
    assert problem.kind == "stray-text"
    assert problem.value == "x" * 40 + "…"
    assert len(problem.describe()) < 200


FIRST_HEADER_ENDS = 125
"""Characters before `_document()`'s "</CHILD>": <EXPSSDA903><CHILD> (19) and HEADER (106)."""


@pytest.mark.parametrize(
    ("extra", "kind", "where", "after"),
    [
        (
            "<EPISODE><DECOM>01/04/2024</DECOM><DECOM>02/04/2024</DECOM></EPISODE>",
            "repeated-element",
            "<DECOM>",
            len("<EPISODE><DECOM>01/04/2024</DECOM>"),
        ),
        (
            "<EPISODE><DECOM>01/04/2024<B>x</B></DECOM></EPISODE>",
            "unknown-element",
            "<B>",
            len("<EPISODE><DECOM>01/04/2024"),
        ),
        ("<EPISODE>loose<DECOM>01/04/2024</DECOM></EPISODE>", "stray-text", "<EPISODE>", 0),
        (
            "<EPISODE><DECOM>01/04/2024</DECOM>after</EPISODE>",
            "stray-text",
            "<EPISODE>",
            len("<EPISODE>"),
        ),
        ("<HEADER><CHILDID>C9</CHILDID></HEADER>", "repeated-element", "second <HEADER>", 0),
        ("<NOTE>x</NOTE>", "unknown-element", "<NOTE>", 0),
    ],
)
def test_each_odd_thing_in_a_child_is_placed_and_names_the_child(
    tmp_path, extra, kind, where, after
):
    text = _document().replace("</CHILD>", f"{extra}</CHILD>")
    problems = _read(tmp_path, text).problems
    assert [(p.kind, p.child, p.position) for p in problems] == [
        (kind, "C1", FIRST_HEADER_ENDS + after + 1)
    ]
    assert where in problems[0].message


def test_the_read_command_refuses_lower_case_tags_with_the_place_and_exit_2(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(_document().lower())
    run = carematters("903", "read", str(path), "--year", "2024-25", "--out", str(tmp_path / "rec"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert (
        "bad.xml, line 1, character 1: the root element is expssda903, but a return's is "
        "EXPSSDA903 (DfE's tags are upper case); the file was not read"
    ) in run.stderr
    assert not (tmp_path / "rec").exists()


@pytest.mark.parametrize(
    "content", ["<EXPSSDA903/>", "", "<EXPSSDA903><CHILD><HEADER/></CHILD></EXPSSDA903>"]
)
def test_validate_exits_2_when_nothing_could_be_read(tmp_path, content):
    path = tmp_path / "bad.xml"
    path.write_text(content)
    _stops_naming("bad.xml", "validate", path, tmp_path / "out")


def test_a_folder_named_like_an_xml_file_is_a_problem_not_a_crash(tmp_path):
    folder = tmp_path / "x.xml"
    folder.mkdir()
    _stops_naming("x.xml", "read", folder, tmp_path / "rec")


def _stops_naming(name: str, command: str, source: Path, out: Path) -> None:
    """`903 COMMAND SOURCE` exits 2 with a message naming `name`, and no traceback."""
    run = carematters("903", command, str(source), "--year", "2024-25", "--out", str(out))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert name in run.stderr


def test_the_rows_a_one_line_file_gives_are_numbered_by_line(tmp_path):
    tables = sample_return(5, YEAR, seed=9)
    flat = _read(tmp_path, _on_one_line(xml_bytes(tables, YEAR)))
    assert flat.problems == []
    assert flat.rows["header"].to_list() == [1] * 5
    assert ROW_COLUMN not in flat.tables["header"].columns


ODD_THINGS = [
    b"<X>1</X>",
    b"<DECOM>zz</DECOM>",
    b"junk",
    b"<!-- <A> -->",
    b"<![CDATA[<B>]]>",
    b"<DOB>99/99/9999</DOB>",
    b"<CHILDID>C9</CHILDID>",
]


@pytest.mark.parametrize("flat", [False, True], ids=["indented", "on one line"])
@pytest.mark.parametrize("every", [13, 29, 53])
def test_every_problem_placed_at_an_element_points_at_its_opening_bracket(tmp_path, flat, every):
    """Odd things put between the tags of a real return, every so many tags: wherever a
    problem says it is, that character of that line is the "<" opening an element."""
    document = xml_bytes(sample_return(4, YEAR, seed=every), YEAR)
    parts = (_on_one_line(document) if flat else document).split(b"<")
    mixed = b"<".join(
        part + (ODD_THINGS[index % len(ODD_THINGS)] if index % every == every - 1 else b"")
        for index, part in enumerate(parts)
    )
    problems = _read(tmp_path, mixed).problems
    lines = mixed.decode("utf-8").split("\n")
    placed = [(p.row, p.position) for p in problems if p.position is not None]
    assert len(placed) >= 3
    assert [lines[row - 1][position - 1] for row, position in placed] == ["<"] * len(placed)


@pytest.mark.parametrize(
    ("gap", "line", "character"),
    [("\n", 70_002, 1), ("\r\n", 70_002, 1), ("\r", 70_002, 1), (" ", 1, 70_021)],
    ids=["unix", "windows", "old mac", "one line"],
)
def test_lines_and_characters_are_counted_right_past_65535(tmp_path, gap, line, character):
    """libxml2 keeps a line in 16 bits: a national return has millions of lines. Here the
    Header starts after <EXPSSDA903>, 70,000 gaps, <CHILD> and one more gap."""
    text = (
        f"<EXPSSDA903>{gap * 70_000}<CHILD>{gap}"
        + _document(dob="31/02/2012")[len("<EXPSSDA903><CHILD>") :]
    )
    result = _read(tmp_path, text)
    assert result.rows["header"].to_list() == [line]
    assert [(p.row, p.position) for p in result.problems] == [(line, character)]
