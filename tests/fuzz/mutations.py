"""Hypothesis strategies spoiling a seed return the ways real and hostile files are spoiled.

Each mutation is a function `(draw, seed) -> seed`; a generated input is a seed of the
corpus with one to three of them applied in turn. The CSV ones cut lines and cells on bare
newlines and commas on purpose, so that quoting and row lengths break as well.
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from carematters.ssda903.years import CollectionYear
from tests.fuzz.corpus import SAMPLE_CHILDREN, YEAR, CsvSeed, csv_seeds, xml_seeds

Draw = Callable[[st.SearchStrategy[Any]], Any]
Seed = TypeVar("Seed", CsvSeed, bytes)

BOM = b"\xef\xbb\xbf"
HUGE = 100_000
MARKUP = b"<fuzz-tag>"
"""A tag no page of carematters has: if it appears unescaped in one, a value was not escaped."""
VALUES = (
    # formulas, as Excel and LibreOffice would run them
    b'=HYPERLINK("http://example.invalid/","click")',
    b"=cmd|' /C calc'!A0",
    b"+1+1",
    b"-1+1",
    b"@SUM(1,1)",
    b"\t=1",
    b"\r=1",
    # quoting and line breaks inside a value
    b'"a,b"',
    b'"a""b"',
    b'"a\nb"',
    b'"unclosed',
    b'a"b',
    b"a\r\nb",
    # markup, for the page
    MARKUP,
    # terminal control and other invisible characters
    b"\x1b[2J\x1b[H",
    b"\x1b]0;title\x07",
    b"\x00",
    b"\x07\x08\x0b\x0c\x7f",
    b"\xc2\x85",
    b"\xe2\x80\xae",
    # bytes that are not UTF-8
    b"\xff\xfe",
    b"\x80",
    b"caf\xe9",
    # dates as other systems write them
    b"2012-06-14",
    b"ZZ/ZZ/2012",
    b"zz/ZZ/zzzz",
    b"14.06.2012",
    b"31/02/2012",
    b"14/06/12",
    b"1/6/2012",
    b"14/06/2012 00:00",
    b"00/00/0000",
    b"99/99/9999",
    # numbers and blanks that are not what they seem
    b"",
    b" ",
    b" X ",
    b"NULL",
    b"nan",
    b"1e308",
    b"9" * 400,
    b"-0",
    b"A" * HUGE,
)
FILE_NAMES = (
    "contacts.csv",
    "visits.csv",
    "HEADER.CSV",
    "header.txt",
    ".hidden.csv",
    "notes",
    "sub/header.csv",
    "caf\udce9.csv",  # the byte 0xE9 alone: a name that is not UTF-8
)
SECRETS = (b"Says she is scared at home", b"mother says she is worried")
"""Words of case notes: a message names the file, row and column, never prints these."""
CASE_NOTE = b"CHILD,NOTE\nC1,Seen at home; " + SECRETS[1] + b" about school\n"


def _bytes(draw: Draw, data: bytes) -> bytes:
    """A byte flipped, inserted, deleted or repeated, or the data cut short."""
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate"]))
    if how == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if how == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    end = draw(st.integers(at, min(len(data), at + 40)))
    if how == "delete":
        return data[:at] + data[end:]
    if how == "repeat":
        return data[:end] + data[at:]
    return data[:at]


def _cell(draw: Draw, line: bytes) -> tuple[list[bytes], int]:
    """The cells of a line, cut at every comma, and one of them chosen."""
    cells = line.split(b",")
    return cells, draw(st.integers(0, len(cells) - 1))


def _lines(data: bytes) -> list[bytes]:
    """The lines of a file, cut at every newline, quoted or not."""
    return data.split(b"\n")


# CSV: one file of the folder spoiled.


def _pick(draw: Draw, folder: CsvSeed) -> tuple[dict[str, bytes], str]:
    """A copy of the folder to spoil, and one of its files (an empty folder gets one)."""
    spoiled = dict(folder)
    if not spoiled:
        spoiled["header.csv"] = b""
    return spoiled, draw(st.sampled_from(sorted(spoiled)))


def csv_bytes(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """One file's bytes spoiled (see `_bytes`)."""
    spoiled, name = _pick(draw, folder)
    spoiled[name] = _bytes(draw, spoiled[name])
    return spoiled


def csv_header_cell(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """A header cell dropped, named twice, emptied, lower-cased, padded or renamed; the
    rows below are left as they were."""
    spoiled, name = _pick(draw, folder)
    lines = _lines(spoiled[name])
    cells, at = _cell(draw, lines[0])
    how = draw(st.sampled_from(["drop", "twice", "empty", "lower", "pad", "rename"]))
    if how == "drop":
        del cells[at]
    elif how == "twice":
        cells.insert(at, cells[at])
    elif how == "empty":
        cells[at] = b""
    elif how == "lower":
        cells[at] = cells[at].lower()
    elif how == "pad":
        cells[at] = b" " + cells[at] + b"  "
    else:
        cells[at] = b"VISIT_DATE"
    lines[0] = b",".join(cells)
    spoiled[name] = b"\n".join(lines)
    return spoiled


def csv_header_lower(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """A whole header row in lower case."""
    spoiled, name = _pick(draw, folder)
    lines = _lines(spoiled[name])
    lines[0] = lines[0].lower()
    spoiled[name] = b"\n".join(lines)
    return spoiled


def csv_extra_columns(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """Empty columns on the right (Excel's used range), or a named one holding a case note."""
    spoiled, name = _pick(draw, folder)
    empty = b"," * draw(st.integers(0, 3))  # none: a named column instead
    header, *rows = [line for line in _lines(spoiled[name]) if line] or [b""]
    if empty:
        spoiled[name] = b"\n".join(line + empty for line in [header, *rows]) + b"\n"
    else:
        named = [header + b",NOTES", *(row + b"," + SECRETS[0] for row in rows)]
        spoiled[name] = b"\n".join(named) + b"\n"
    return spoiled


def csv_value(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """One value of a data row replaced by a hostile or oddly written one."""
    spoiled, name = _pick(draw, folder)
    lines = _lines(spoiled[name])
    row = draw(st.integers(min(1, len(lines) - 1), len(lines) - 1))
    cells, at = _cell(draw, lines[row])
    cells[at] = draw(st.sampled_from(VALUES) | st.binary(max_size=12))
    lines[row] = b",".join(cells)
    spoiled[name] = b"\n".join(lines)
    return spoiled


def csv_text_form(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """The file as other programs save it: a BOM, UTF-16, Excel's `sep=,` line, CRLF or CR
    line ends, blank lines at the end."""
    spoiled, name = _pick(draw, folder)
    data = spoiled[name]
    how = draw(st.sampled_from(["bom", "utf16", "sep", "crlf", "cr", "blank", "bom-sep"]))
    if how == "bom":
        data = BOM + data
    elif how == "utf16":
        data = data.decode("utf-8", "replace").encode("utf-16")
    elif how == "sep":
        data = b"sep=,\r\n" + data
    elif how == "bom-sep":
        data = BOM + b"sep=,\n" + data
    elif how == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif how == "cr":
        data = data.replace(b"\n", b"\r")
    else:
        data += b"\n\n,,,\n \n"
    spoiled[name] = data
    return spoiled


def csv_lines(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """A line deleted or repeated (the header row twice, a child twice)."""
    spoiled, name = _pick(draw, folder)
    lines = _lines(spoiled[name])
    at = draw(st.integers(0, len(lines) - 1))
    if draw(st.booleans()):
        lines.insert(at, lines[at])
    else:
        del lines[at]
    spoiled[name] = b"\n".join(lines)
    return spoiled


def csv_files(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """A file dropped, emptied, renamed or copied, or an unrelated one added."""
    spoiled, name = _pick(draw, folder)
    how = draw(st.sampled_from(["drop", "empty", "rename", "copy", "add"]))
    if how == "drop":
        del spoiled[name]
    elif how == "empty":
        spoiled[name] = b""
    elif how == "add":
        spoiled[draw(st.sampled_from(FILE_NAMES))] = CASE_NOTE
    else:
        data = spoiled.pop(name) if how == "rename" else spoiled[name]
        spoiled[draw(st.sampled_from(FILE_NAMES))] = data
    return spoiled


def csv_huge_header(draw: Draw, folder: CsvSeed) -> CsvSeed:
    """A header row of thousands of columns, all but a few distinct."""
    spoiled, name = _pick(draw, folder)
    lines = _lines(spoiled[name])
    width = draw(st.sampled_from([1_000, 20_000]))
    lines[0] += b"," + b",".join(b"C%d" % i for i in range(width))
    spoiled[name] = b"\n".join(lines)
    return spoiled


CSV_MUTATIONS = (
    csv_bytes,
    csv_header_cell,
    csv_header_lower,
    csv_extra_columns,
    csv_value,
    csv_text_form,
    csv_lines,
    csv_files,
    csv_huge_header,
)

# XML: the one file spoiled.

TAG = re.compile(rb"<(/?)([A-Za-z_][A-Za-z0-9_]*)")
LEAF = re.compile(rb"<([A-Z_0-9]+)>([^<]*)</\1>")
CHILD = re.compile(rb"<CHILD>.*?</CHILD>", re.DOTALL)
DECLARATION = re.compile(rb"^<\?xml[^>]*\?>")
DOCTYPES = (
    b'<!DOCTYPE EXPSSDA903 [<!ENTITY a "aaaa">]>',
    b'<!DOCTYPE EXPSSDA903 [<!ENTITY a "&b;&b;&b;&b;"><!ENTITY b "&c;&c;&c;&c;">'
    b'<!ENTITY c "cccccccccc">]>',
    b'<!DOCTYPE EXPSSDA903 [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
    b'<!DOCTYPE EXPSSDA903 SYSTEM "http://example.invalid/return.dtd">',
    b"<!DOCTYPE EXPSSDA903 [<!ENTITY % p \"<!ENTITY q 'qq'>\"> %p;]>",
)
ENTITY_USES = (b"&a;", b"&x;", b"&q;", b"&undefined;", b"&#0;", b"&#x1b;", b"&#65;")


def xml_bytes(draw: Draw, document: bytes) -> bytes:
    """The file's bytes spoiled (see `_bytes`)."""
    return _bytes(draw, document)


def xml_truncate(draw: Draw, document: bytes) -> bytes:
    """The file cut short anywhere, as by a failed copy."""
    return document[: draw(st.integers(0, len(document)))]


def xml_lower_tags(draw: Draw, document: bytes) -> bytes:
    """Every tag lower-cased, or every tag of one name."""
    names = sorted({m.group(2) for m in TAG.finditer(document)}) or [b"EXPSSDA903"]
    only = draw(st.sampled_from([None, *names]))
    return TAG.sub(
        lambda m: (
            b"<" + m.group(1) + (m.group(2).lower() if only in {None, m.group(2)} else m.group(2))
        ),
        document,
    )


def xml_attributes(draw: Draw, document: bytes) -> bytes:
    """An attribute, or a namespace, on one opening tag."""
    opening = [m for m in TAG.finditer(document) if not m.group(1)]
    if not opening:
        return document
    at = draw(st.sampled_from(opening)).end()
    attribute = draw(
        st.sampled_from([b' id="1"', b' xmlns="urn:example"', b' xmlns:x="urn:x" x:y="z"'])
    )
    return document[:at] + attribute + document[at:]


def xml_doctype(draw: Draw, document: bytes) -> bytes:
    """A document type declared, with or without its entities used in a value."""
    declared = DECLARATION.match(document)
    at = declared.end() if declared else 0
    spoiled = document[:at] + draw(st.sampled_from(DOCTYPES)) + document[at:]
    leaves = list(LEAF.finditer(spoiled))
    if leaves and draw(st.booleans()):
        leaf = draw(st.sampled_from(leaves))
        spoiled = (
            spoiled[: leaf.start(2)] + draw(st.sampled_from(ENTITY_USES)) + spoiled[leaf.end(2) :]
        )
    return spoiled


def xml_one_line(draw: Draw, document: bytes) -> bytes:
    """The file as some exporters write it: on one line, or with Windows line ends."""
    if draw(st.booleans()):
        return re.sub(rb">\s+<", b"><", document)
    return document.replace(b"\n", b"\r\n")


def xml_value(draw: Draw, document: bytes) -> bytes:
    """One value replaced, raw or escaped, in CDATA, or the element emptied."""
    leaves = list(LEAF.finditer(document))
    if not leaves:
        return document
    leaf = draw(st.sampled_from(leaves))
    value = draw(st.sampled_from(VALUES) | st.binary(max_size=12))
    how = draw(st.sampled_from(["raw", "escaped", "cdata", "empty", "padded"]))
    if how == "empty":
        return document[: leaf.start()] + b"<" + leaf.group(1) + b"/>" + document[leaf.end() :]
    if how == "escaped":
        value = value.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
    elif how == "cdata":
        value = b"<![CDATA[" + value + b"]]>"
    elif how == "padded":
        value = b"  " + leaf.group(2) + b"\n "
    return document[: leaf.start(2)] + value + document[leaf.end(2) :]


def xml_elements(draw: Draw, document: bytes) -> bytes:
    """A child's whole element deleted or repeated, a comment or processing instruction
    put in, or a Header emptied."""
    how = draw(st.sampled_from(["drop", "twice", "comment", "pi", "empty-header"]))
    children = list(CHILD.finditer(document))
    if how == "empty-header":
        return re.sub(rb"<HEADER>.*?</HEADER>", b"<HEADER/>", document, count=1, flags=re.DOTALL)
    if how in {"comment", "pi"} or not children:
        tags = list(TAG.finditer(document))
        at = draw(st.sampled_from(tags)).start() if tags else 0
        inserted = b"<!-- a -- comment -->" if how == "comment" else b"<?carematters fuzz?>"
        return document[:at] + inserted + document[at:]
    child = draw(st.sampled_from(children))
    if how == "drop":
        return document[: child.start()] + document[child.end() :]
    return document[: child.end()] + child.group() + document[child.end() :]


def xml_encoding(draw: Draw, document: bytes) -> bytes:
    """A BOM, UTF-16, or an encoding declared that the bytes do not follow."""
    how = draw(st.sampled_from(["bom", "utf16", "latin1", "utf16-declared", "no-declaration"]))
    if how == "bom":
        return BOM + document
    if how == "utf16":
        return document.decode("utf-8", "replace").encode("utf-16")
    if how == "no-declaration":
        return DECLARATION.sub(b"", document)
    named = b"ISO-8859-1" if how == "latin1" else b"UTF-16"
    spoiled = DECLARATION.sub(b'<?xml version="1.0" encoding="' + named + b'"?>', document)
    return spoiled.replace(b"</CHILDID>", "\u00e9</CHILDID>".encode(), 1)


XML_MUTATIONS = (
    xml_bytes,
    xml_truncate,
    xml_lower_tags,
    xml_attributes,
    xml_doctype,
    xml_one_line,
    xml_value,
    xml_elements,
    xml_encoding,
)


def _seed(seeds: tuple[Seed, ...]) -> st.SearchStrategy[Seed]:
    """A seed, half the time a made-up well-formed one: spoiled a little, those reach the
    validation rules, where the broken ones of the corpus mostly stop at reading."""
    return st.sampled_from(seeds[-len(SAMPLE_CHILDREN) :]) | st.sampled_from(seeds)


@st.composite
def csv_returns(draw: Draw, year: CollectionYear = YEAR) -> CsvSeed:
    """A CSV return of the corpus (made-up ones for `year`) with one to three mutations."""
    folder = draw(_seed(csv_seeds(year)))
    for mutation in draw(st.lists(st.sampled_from(CSV_MUTATIONS), min_size=1, max_size=3)):
        folder = mutation(draw, folder)
    return folder


@st.composite
def xml_returns(draw: Draw, year: CollectionYear = YEAR) -> bytes:
    """An XML return of the corpus (made-up ones for `year`) with one to three mutations."""
    document = draw(_seed(xml_seeds(year)))
    for mutation in draw(st.lists(st.sampled_from(XML_MUTATIONS), min_size=1, max_size=3)):
        document = mutation(draw, document)
    return document
