"""Reading DfE's XML form of the return into the same tables the CSV form gives.

libxml2 (lxml) parses the file in C, fed a megabyte at a time; each <CHILD> is turned
into rows as soon as it is complete and then dropped, so memory holds the file's bytes
and a few children, never the whole tree. Each record keeps its place among the
elements; afterwards the line every record starts on is found in bulk from the file's
bytes, and for each problem the character within its line too (a file exported on one
line has every record on line 1). Every problem inside a <CHILD> names the child.

A plain file, as case-management systems export it, is read in bulk instead, by Polars
(see xml_plain): the same tables and problems, several times faster. Any file it does
not expect is read the careful way above, as a whole.

A document type declaration is refused before anything is parsed: a return never has
one, and entities (billion laughs, external files) are a known way to attack parsers.
The parser is also told to expand no entity, load no DTD and fetch nothing, and keeps
libxml2's limits on depth and text size (`huge_tree` off): a return needs neither.
"""

from __future__ import annotations

import codecs
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from lxml import etree

from carematters.escapes import bytes_shown
from carematters.ssda903 import xml_layout as layout
from carematters.ssda903.codelists import code_list
from carematters.ssda903.convert import Source, type_frame
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.problems import Problem, cut, read_file
from carematters.ssda903.returns import ReadResult
from carematters.ssda903.tables import HEADER, TABLES, UASC, Table
from carematters.ssda903.xml_plain import Layout, Records, plain_records
from carematters.ssda903.years import CollectionYear

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_RECORDS = {r.element: r.table for r in layout.HEADER_RECORDS}
_FLAT_FIELDS = {
    c.name: t for t in layout.FLAT_TABLES for c in t.columns if c.name not in layout.INHERITED
}
_HEADER_OWN = {layout.tag(HEADER, c.name) for c in HEADER.columns} | set(layout.UASC_FIELDS)
_FIELDS: dict[str, frozenset[str]] = {
    table.name: frozenset(
        layout.tag(table, c.name) for c in table.columns if c.name not in layout.INHERITED
    )
    for table in TABLES
} | {HEADER.name: frozenset(_HEADER_OWN | _FLAT_FIELDS.keys()), "": frozenset(_FLAT_FIELDS)}
"""The field elements each record may hold, by table name; "" is an OC3 or AD1 wrapper."""
_FROM_HEADER = frozenset({*layout.INHERITED, "SEX"})
"""Columns child tables copy from HEADER: their problems are reported once, on HEADER."""
_CHILD_ID = layout.tag(HEADER, "CHILD")
_HEADER_FIELDS = _FIELDS[HEADER.name]
_HEADER = "HEADER"

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    # Indentation, comments and processing instructions are not data; dropping them
    # halves the nodes, and text split by a comment reads as one value.
    "remove_blank_text": True,
    "remove_comments": True,
    "remove_pis": True,
}
_CHUNK = 1 << 20
"""Bytes fed to the parser at a time: children are read and dropped between feeds."""
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0", "utf-16-le"),
    (b"\0<", "utf-16-be"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_START_NAME = re.compile(rb"<([^\s/>!?]+)")
_TAG_OPEN = frozenset(b"/!?")
"""Bytes after "<" that open an end tag, comment, CDATA, DOCTYPE or instruction."""
_EXACT_STARTS = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>|<([^/!?])", re.DOTALL
)


def _declared(data: bytes) -> str | None:
    """The encoding the XML declaration names, as Python calls it, if it names one."""
    declared = _DECLARED.match(data)
    try:
        return codecs.lookup(declared.group(1).decode("ascii")).name if declared else None
    except LookupError:
        return None


def _as_utf8(data: bytes) -> bytes:
    """The document's bytes as UTF-8 without a byte order mark, for finding places in it.

    The encoding is the one XML says: a byte order mark, else the declaration, else
    UTF-8. Bytes that do not decode are replaced; the parser reports them itself.
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _declared(data) or "utf-8"
    if encoding == "utf-8":
        return data
    return data.decode(encoding, "replace").encode("utf-8")


class _Refused(Exception):
    """Stops reading when the document cannot be read safely or at all."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def _prescan(text: bytes) -> int:
    """Where the root element starts; refuses a DOCTYPE, or a root that is not
    EXPSSDA903, before anything is parsed."""
    prolog_end = _PROLOG.match(text)
    start = prolog_end.end() if prolog_end else 0
    if text.startswith(b"<!DOCTYPE", start):
        raise _Refused(
            "the file declares a document type (DOCTYPE), which a return never has", start
        )
    name = _START_NAME.match(text, start)
    if name is None:
        return start  # not well-formed: the parser says where
    root = name.group(1).decode("utf-8", "replace")
    if root != layout.ROOT:
        hint = " (DfE's tags are upper case)" if root.upper() == layout.ROOT else ""
        raise _Refused(
            f"the root element is {cut(root)}, but a return's is {layout.ROOT}{hint}", start
        )
    return start


_Fields = dict[str, str | None]
_Record = tuple[Table, int, _Fields]
"""A record read from one element: its table, its element's place in the document, fields."""


@dataclass
class _Located:
    """A problem, and where to find the character within its line at the end: the
    element it is at (counted in document order, the root being 0), or its byte."""

    problem: Problem
    ordinal: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class _Shape:
    """The raw row a record gives: `names` in order, the first `inherited` of them
    taken from HEADER, the rest from the record's elements named `tags`."""

    names: tuple[str, ...]
    inherited: tuple[str, ...]
    tags: tuple[str, ...]


def _shape(table: Table) -> _Shape:
    from_header = _FROM_HEADER if table is UASC else frozenset(layout.INHERITED)
    names = [c.name for c in table.columns]
    inherited = () if table is HEADER else tuple(n for n in names if n in from_header)
    own = tuple(n for n in names if n not in inherited)
    return _Shape((*inherited, *own), inherited, tuple(layout.tag(table, n) for n in own))


_SHAPES = {table.name: _shape(table) for table in TABLES}
_EPISODE = layout.EPISODE.element
_EPISODE_FIELDS = _FIELDS[layout.EPISODE.table.name]
_RECORD_FIELDS = {element: _FIELDS[table.name] for element, table in _RECORDS.items()}


def _size(element: etree._Element) -> int:
    """How many elements `element` is, counting all it holds."""
    return sum(1 for _ in element.iter())


def _upper_case_hint(name: str) -> str:
    return f" (DfE's tags are upper case: <{cut(name.upper())}>)" if name != name.upper() else ""


def _named(child: str | None) -> str | None:
    """How a problem names the child whose CHILDID is `child`, if it is given."""
    return cut(child.strip()) if child and child.strip() else None


def _uasc(flag: str | None, duc: str | None) -> tuple[str, bool]:
    """A child's UASC flag as given, and whether the child has a row in the UASC table."""
    flag = (flag or "").strip()
    return flag, flag == "1" or bool((duc or "").strip())


def _uasc_problem(file: str, flag: str, child: str | None) -> Problem:
    return Problem(
        file=file,
        table=UASC.name,
        column=layout.UASC_FLAG,
        value=cut(flag),
        child=child,
        kind="unknown-code",
        message="UASC must be 1 (unaccompanied asylum-seeking) or 0; "
        "the child was read as not UASC unless DUC is given",
    )


class _Collector:
    """Turns each complete <CHILD> into raw rows per table and located problems.

    This runs for every element of the file, so the usual case (a record holding only
    its own fields, each once) is checked in a few operations per record, and only a
    record that fails that check is looked at element by element.
    """

    def __init__(self, file: str, year: CollectionYear) -> None:
        self.file = file
        self.problems: list[_Located] = []
        self.rows: dict[str, list[tuple[str | None, ...]]] = defaultdict(list)
        self.ordinals: dict[str, list[int]] = defaultdict(list)
        self.count = 1
        """Elements met so far in document order, the root being element 0."""
        self.children = 0
        self.child: str | None = None
        self.uasc_codes = code_list("uasc_status").valid_codes(year)

    def problem(
        self, element: etree._Element, ordinal: int, kind: str, message: str, **where: str | None
    ) -> None:
        value = where.get("value")
        self.problems.append(
            _Located(
                Problem(
                    file=self.file,
                    kind=kind,
                    message=message,
                    table=where.get("table"),
                    column=where.get("column"),
                    value=None if value is None else cut(value),
                    child=self.child,
                ),
                ordinal,
            )
        )

    def unknown(self, element: etree._Element, ordinal: int, parent: str) -> None:
        """Report an element the return does not define (what it holds goes with it)."""
        name = str(element.tag)
        self.problem(
            element,
            ordinal,
            "unknown-element",
            f"<{cut(name)}> is not an element of the SSDA903 return inside <{parent}>"
            f"{_upper_case_hint(name)}; it was not read",
        )

    def stray_text(
        self, inside: etree._Element, at: etree._Element, ordinal: int, text: str | None
    ) -> None:
        """Report text sitting between the elements `inside` holds, where the return holds
        none, placed at the element `at` it follows (or `inside`, if it comes first)."""
        if text is not None and text.strip():
            self.problem(
                at,
                ordinal,
                "stray-text",
                f"text sits between the elements of <{inside.tag}>, outside any field; "
                "it was not read",
                value=text.strip(),
            )

    def fields(self, record: etree._Element, allowed: frozenset[str]) -> _Fields:
        """A record's fields by element name, counting its elements; anything else in
        it is reported."""
        ordinal = self.count
        items = [(f.tag, f.text, f.tail) for f in record.iterdescendants()]
        self.count += 1 + len(items)
        # a field followed by text is left out, so that the counts differ and it is reported
        found: _Fields = {tag: text for tag, text, tail in items if tail is None}
        if (
            len(found) == len(items) == len(record)
            and found.keys() <= allowed
            and record.text is None
        ):
            return found
        return self._fields_slowly(record, allowed, ordinal)

    def _fields_slowly(
        self, record: etree._Element, allowed: frozenset[str], ordinal: int
    ) -> _Fields:
        found: _Fields = {}
        self.stray_text(record, record, ordinal, record.text)
        number = ordinal + 1
        for element in record:
            name = str(element.tag)
            if name in allowed:
                self._store(found, element, number, name)
            else:
                self.unknown(element, number, str(record.tag))
            self.stray_text(record, element, number, element.tail)
            number += _size(element)
        return found

    def _store(self, fields: _Fields, element: etree._Element, ordinal: int, name: str) -> None:
        """Keep a field's text, unless the record has it already; report what it holds."""
        text = "".join(element.xpath("text()")) if len(element) else element.text
        if name in fields:
            self.problem(
                element,
                ordinal,
                "repeated-element",
                f"<{name}> appears twice in the same record; only the first was read",
                value=text or "",
            )
        else:
            fields[name] = text
        number = ordinal + 1
        for inner in element:
            self.unknown(inner, number, name)
            number += _size(inner)

    def read_child(self, child: etree._Element) -> None:
        """Raw rows for every table from one complete <CHILD>."""
        self.children += 1
        ordinal = self.count
        self.count += 1
        header = child.find(_HEADER)
        given = None if header is None else header.findtext(_CHILD_ID)
        self.child = _named(given)
        if child.text is not None:
            self.stray_text(child, child, ordinal, child.text)
        own: tuple[int, _Fields] | None = None
        records: list[_Record] = []
        for element in child:
            start = self.count
            if element.tag == _EPISODE:
                fields = self.fields(element, _EPISODE_FIELDS)
                records.append((layout.EPISODE.table, start, fields))
            elif element is header:
                own = (start, self._header(element, records))
            else:
                if element.tag == _HEADER:
                    self.problem(
                        element,
                        start,
                        "repeated-element",
                        "this <CHILD> has a second <HEADER>; only the first was read",
                    )
                else:
                    self.unknown(element, start, layout.CHILD)
                self.count += _size(element)
            if element.tail is not None:
                self.stray_text(child, element, start, element.tail)
        if own is None:
            self.problem(
                child,
                ordinal,
                "missing-header",
                "this <CHILD> has no <HEADER>; nothing in it was read",
            )
        else:
            self._emit(*own, records)
        self.child = None

    def _header(self, element: etree._Element, records: list[_Record]) -> _Fields:
        """HEADER's own and flat fields; its repeating records go into `records`."""
        ordinal = self.count
        self.count += 1
        fields: _Fields = {}
        if element.text is not None:
            self.stray_text(element, element, ordinal, element.text)
        for item in element:
            start = self.count
            name = item.tag
            if name in _HEADER_FIELDS and name not in fields and not len(item):
                fields[name] = item.text  # almost every field: on its own, once
                self.count += 1
            elif name in _RECORDS:
                found = self.fields(item, _RECORD_FIELDS[name])
                records.append((_RECORDS[name], start, found))
            elif name in layout.FLAT_WRAPPERS:
                for flat, value in self.fields(item, _FIELDS[""]).items():
                    if flat in fields:
                        self.problem(
                            item,
                            start,
                            "repeated-element",
                            f"<{flat}> appears twice in the same record; only the first was read",
                            value=value or "",
                        )
                    else:
                        fields[flat] = value
            elif name in _HEADER_FIELDS:
                self._store(fields, item, start, name)
                self.count += _size(item)
            else:
                self.unknown(item, start, _HEADER)
                self.count += _size(item)
            if item.tail is not None:
                self.stray_text(element, item, start, item.tail)
        return fields

    def _emit(self, ordinal: int, fields: _Fields, records: list[_Record]) -> None:
        if not any(value and value.strip() for value in map(fields.get, _SHAPES[HEADER.name].tags)):
            self.problems.append(
                _Located(
                    Problem(
                        file=self.file,
                        kind="blank-header",
                        message="this <HEADER> holds no values for the Header table "
                        "(no CHILDID, SEX, DOB or any other); nothing in this <CHILD> was read",
                    ),
                    ordinal,
                )
            )
            return
        inherited = {"CHILD": fields.get(_CHILD_ID), "DOB": fields.get("DOB")}
        own: _Record = (HEADER, ordinal, fields)
        self._add_row(own, inherited)
        self._emit_uasc(own, inherited | {"SEX": fields.get("SEX")})
        for table in layout.FLAT_TABLES:
            if any(name in fields for name in _SHAPES[table.name].tags):
                self._add_row((table, ordinal, fields), inherited)
        for record in records:
            self._add_row(record, inherited)

    def _emit_uasc(self, header: _Record, inherited: dict[str, str | None]) -> None:
        _, ordinal, fields = header
        flag, kept = _uasc(fields.get(layout.UASC_FLAG), fields.get("DUC"))
        if flag and flag not in self.uasc_codes:
            self.problems.append(_Located(_uasc_problem(self.file, flag, self.child), ordinal))
        if kept:
            self._add_row((UASC, ordinal, fields), inherited)

    def _add_row(self, record: _Record, inherited: dict[str, str | None]) -> None:
        table, ordinal, fields = record
        shape = _SHAPES[table.name]
        self.rows[table.name].append(
            (*map(inherited.get, shape.inherited), *map(fields.get, shape.tags))
        )
        self.ordinals[table.name].append(ordinal)


def _attributes(text: bytes, file: str) -> list[_Located]:
    """Elements carrying attributes, which the return's elements never have.

    An attribute needs "=" inside a tag, and "=" is rare in a return, so only the few
    "=" in the file are looked at, not every tag.
    """
    found: dict[int, _Located] = {}
    equals = text.find(b"=")
    while equals >= 0:
        opened = text.rfind(b"<", 0, equals)
        inside = opened > text.rfind(b">", 0, equals) and text[opened + 1] not in _TAG_OPEN
        tag = text[opened + 1 : equals].split(maxsplit=1)
        if inside and opened not in found and len(tag) == 2:
            name, attribute = (cut(part.decode("utf-8", "replace").strip()) for part in tag)
            found[opened] = _Located(
                Problem(
                    file=file,
                    kind="attribute",
                    message=f"<{name}> has an attribute ({attribute}), which no element of a "
                    "return has; it was not read",
                ),
                offset=opened,
            )
        equals = text.find(b"=", equals + 1)
    return list(found.values())


@dataclass(frozen=True)
class _Places:
    """Where each element starts in the file's text (as UTF-8 bytes) and where its lines
    break: the line and character of anything, worked out in bulk.

    libxml2 keeps an element's line in 16 bits and guesses beyond line 65,535 (a national
    return has millions of lines), so lines are counted here instead.
    """

    text: bytes
    starts: npt.NDArray[np.intp]
    breaks: npt.NDArray[np.intp]

    @classmethod
    def of(cls, text: bytes, elements: int) -> _Places:
        """`elements` is how many the parser met, to check the quick count against."""
        import numpy as np  # noqa: PLC0415 (only here: importing it slows every start)

        codes = np.frombuffer(text, dtype=np.uint8)
        opened: npt.NDArray[np.intp] = np.flatnonzero(codes[:-1] == ord("<"))
        after = codes[opened + 1]
        starts: npt.NDArray[np.intp] = opened[
            (after != ord("/")) & (after != ord("!")) & (after != ord("?"))
        ]
        if not elements:  # nothing was parsed: only places given by offset are asked for
            starts = starts[:0]
        elif len(starts) != elements:  # a comment or CDATA section holds "<": the slow way
            found = [m.start() for m in _EXACT_STARTS.finditer(text) if m.group(1)]
            starts = np.array(found, dtype=np.intp)
        breaks: npt.NDArray[np.intp] = np.flatnonzero(codes == ord("\n"))
        if b"\r" in text:  # XML reads a carriage return on its own as a line break too
            returns = np.flatnonzero(codes == ord("\r"))
            alone = returns[codes[np.minimum(returns + 1, len(codes) - 1)] != ord("\n")]
            breaks = np.union1d(breaks, alone)
        return cls(text, starts, breaks)

    def lines(self, ordinals: list[int]) -> npt.NDArray[np.intp]:
        """The line on which each of these elements starts."""
        offsets = self.starts[ordinals]
        lines: npt.NDArray[np.intp] = self.breaks.searchsorted(offsets) + 1
        return lines

    def locate(self, found: list[_Located]) -> list[Problem]:
        """The problems with their line and the character within it, in one pass."""
        offsets = [
            f.offset
            if f.ordinal is None or f.ordinal >= len(self.starts)
            else int(self.starts[f.ordinal])
            for f in found
        ]
        places = self.places(offset for offset in offsets if offset is not None)
        return [
            f.problem
            if offset is None
            else replace(f.problem, row=places[offset][0], position=places[offset][1])
            for f, offset in zip(found, offsets, strict=True)
        ]

    def places(self, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
        """The line of each byte `offset`, and the character within that line (from 1),
        in one pass over the text: what a problem, or a row, is shown at."""
        known = sorted(set(offsets))
        lines = self.breaks.searchsorted(known)
        line_starts = {
            offset: int(self.breaks[line - 1]) + 1 if line else 0
            for offset, line in zip(known, lines, strict=True)
        }
        characters: dict[int, int] = {}
        counted, previous = 0, 0
        for point in sorted({*known, *line_starts.values()}):
            counted += len(self.text[previous:point].decode("utf-8", "replace"))
            characters[point], previous = counted, point
        return {
            offset: (int(line) + 1, characters[offset] - characters[line_starts[offset]] + 1)
            for offset, line in zip(known, lines, strict=True)
        }


def _fatal(file: str, error: etree.XMLSyntaxError, declared: str | None) -> Problem:
    """Where and why libxml2 stopped, in its words, with what to do about an encoding."""
    last = error.error_log.last_error
    line, column, reason = (
        (last.line, last.column, last.message) if last else (*error.position, error.msg)
    )
    reason = reason.removesuffix(", use XML_PARSE_HUGE option")  # kept off on purpose
    if declared not in (None, "utf-8"):
        reason += f"; the file says it is in {declared}: is it?"
    elif "encoding" in reason.lower() or "utf-" in reason.lower():
        reason += "; save the file as UTF-8"
    return Problem(
        file=file,
        row=line or None,
        position=column or None,
        kind="bad-xml",
        message=f"the XML is not well-formed ({reason}); the file was not read",
    )


def _parse(data: bytes, collector: _Collector, root_offset: int) -> None:
    """Feed the document to libxml2, reading each child of the root once it is complete."""
    etree.clear_error_log()  # libxml2's log is shared: only this file's errors in it
    parser = etree.XMLPullParser(events=("start",), tag=f"{{*}}{layout.ROOT}", **_PARSER_OPTIONS)
    root: etree._Element | None = None
    for offset in range(0, len(data), _CHUNK):
        parser.feed(data[offset : offset + _CHUNK])
        root = _root(parser, root_offset) if root is None else root
        if root is not None and len(root) > 1:
            _take(root, len(root) - 1, collector)  # the last may not be complete yet
    parser.close()
    root = _root(parser, root_offset) if root is None else root
    if root is not None:
        _take(root, len(root), collector)
        collector.stray_text(root, root, 0, root.text)


def _root(parser: etree.XMLPullParser, offset: int) -> etree._Element | None:
    for _, element in parser.read_events():
        if element.tag != layout.ROOT:
            raise _Refused(
                f"the root element is {cut(str(element.tag))}, but a return's is "
                f"{layout.ROOT} in no namespace",
                offset,
            )
        return element
    return None


def _take(root: etree._Element, complete: int, collector: _Collector) -> None:
    """Read the first `complete` elements inside the root, then let them go."""
    for element in root[:complete]:
        start = collector.count
        if element.tag == layout.CHILD:
            collector.read_child(element)
        else:
            collector.unknown(element, start, layout.ROOT)
            collector.count += _size(element)
        collector.stray_text(root, element, start, element.tail)
    del root[:complete]


def _not_in_year(file: str, table: Table, year: CollectionYear) -> Problem:
    return Problem(
        file=file,
        table=table.name,
        kind="table-not-in-year",
        message=(
            f"the {table.title} table is not part of the {year} return "
            f"(it starts in {table.first_year}); its records were not read"
        ),
    )


@dataclass(frozen=True)
class _RawTable:
    """A table's rows as strings, in the columns `_Shape.names` gives, before typing: the
    line each row starts on, the byte its element starts at, and how to place a problem
    found on a row (by its number)."""

    frame: pl.DataFrame
    lines: pl.Series
    offsets: pl.Series
    locate: Callable[[Problem, int], _Located]


@dataclass
class XmlReadResult(ReadResult):
    """A return read from XML: as `ReadResult`, and, for each table some of whose rows
    start on the same line as another (a file exported on one line), the character
    within its line at which each row's element starts, so that every row has a place
    of its own (`characters`, by table name; a table whose rows all start on lines of
    their own has none)."""

    characters: dict[str, pl.Series] = field(default_factory=dict)


def _sharing_lines(raws: dict[str, _RawTable], result: ReadResult) -> dict[str, _RawTable]:
    """The tables read into `result` some of whose rows start on the same line."""
    return {
        name: raws[name]
        for name in result.rows
        if name in raws and raws[name].lines.is_duplicated().any()
    }


def _characters(sharing: dict[str, _RawTable], places: _Places, result: XmlReadResult) -> None:
    """Give `result` the character each row starts at, for the tables read whose rows
    share lines (`sharing`): one pass over the text for them all, as for the problems."""
    if not sharing:
        return
    at = places.places(offset for raw in sharing.values() for offset in raw.offsets)
    for name, raw in sharing.items():
        result.characters[name] = pl.Series(
            "CHARACTER", [at[offset][1] for offset in raw.offsets], dtype=pl.Int64
        )


def _typed(
    raw: _RawTable, table: Table, year: CollectionYear, file: str
) -> tuple[pl.DataFrame, list[_Located]]:
    """One table typed, its `_ROW` the line each row starts on, and its problems.

    Rows are numbered 0, 1, ... while typing, because in a file on one line every row
    has the same line: the number finds the row's element and child afterwards.
    """
    numbered = raw.frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW_COLUMN))
    typed, problems = type_frame(numbered, table.columns_in(year), Source(file, table, year))
    children = raw.frame.get_column("CHILD")
    located = [
        raw.locate(
            replace(p, child=cut(child.strip()) if (child := children[p.row]) else None), p.row
        )
        for p in problems
        if p.row is not None and (table is HEADER or p.column not in _FROM_HEADER)
    ]
    return typed.with_columns(raw.lines.alias(ROW_COLUMN)), located


def _tables(file: str, raws: dict[str, _RawTable], result: ReadResult) -> list[_Located]:
    """Add every table of the year to `result`, typed; the problems typing found."""
    found: list[_Located] = []
    for table in TABLES:
        raw = raws[table.name]
        if not table.in_year(result.year):
            if raw.frame.height:
                found.append(raw.locate(_not_in_year(file, table, result.year), 0))
            continue
        typed, problems = _typed(raw, table, result.year, file)
        found += problems
        result.add(table, typed, file)
    return found


def _at_element(ordinals: list[int], problem: Problem, row: int) -> _Located:
    return _Located(problem, ordinals[row])


def _at_byte(offsets: pl.Series, problem: Problem, row: int) -> _Located:
    return _Located(problem, offset=offsets[row])


_Read = tuple[dict[str, _RawTable], list[_Located], _Places | None]
"""What either way of reading gives: each table's raw rows, the problems found while
reading, and the places of the elements if they were worked out."""


def _read_carefully(data: bytes, text: bytes, root: int, file: str, year: CollectionYear) -> _Read:
    """Element by element, reporting anything that is not as the return has it."""
    collector = _Collector(file, year)
    _parse(data, collector, root)
    found = collector.problems + _attributes(text, file)
    if collector.children == 0:
        found.append(
            _Located(
                Problem(
                    file=file,
                    table=HEADER.name,
                    kind="no-children",
                    message="the return holds no children (no <CHILD> element); nothing was read",
                ),
                ordinal=0,
            )
        )
    places = _Places.of(text, collector.count)
    raws = {}
    for table in TABLES:
        ordinals = collector.ordinals.get(table.name, [])
        frame = pl.DataFrame(
            collector.rows.get(table.name, []),
            schema=dict.fromkeys(_SHAPES[table.name].names, pl.String),
            orient="row",
        )
        lines = pl.Series(places.lines(ordinals), dtype=pl.Int64)
        offsets = pl.Series(places.starts[ordinals], dtype=pl.Int64)
        raws[table.name] = _RawTable(frame, lines, offsets, partial(_at_element, ordinals))
    return raws, found, places


_PLAIN = Layout(
    root=layout.ROOT,
    child=layout.CHILD,
    header=_HEADER,
    records={_HEADER: tuple(sorted(_HEADER_FIELDS)), _EPISODE: tuple(sorted(_EPISODE_FIELDS))},
    inner={element: tuple(sorted(fields)) for element, fields in _RECORD_FIELDS.items()},
    wrappers=dict.fromkeys(layout.FLAT_WRAPPERS, _FIELDS[""]),
)


def _read_plain(
    data: bytes, text: bytes, root: int, file: str, year: CollectionYear
) -> _Read | None:
    """In bulk, if the file is plain (see `xml_plain`); None if it is not, or if it holds
    anything the careful reading reports other than a code or a value, so that what is
    read and reported does not depend on which way it was read."""
    records = plain_records(data, text, root, _PLAIN, _PARSER_OPTIONS)
    if records is None:
        return None
    header = records[_HEADER]
    own = _SHAPES[HEADER.name].tags
    # \S is what Python's strip() keeps, for every character XML allows
    given = pl.any_horizontal(pl.col(own).str.contains(r"\S").fill_null(False))
    if not header.values.select(given.all()).item():
        return None  # a blank header: the careful reading says so
    inherited = header.values.select(pl.col(_CHILD_ID).alias("CHILD"), pl.col("DOB"), pl.col("SEX"))
    raws = {HEADER.name: _rows(HEADER, header, inherited)}
    for element, table in (*_RECORDS.items(), (_EPISODE, layout.EPISODE.table)):
        raws[table.name] = _rows(table, records[element], inherited)
    for table in layout.FLAT_TABLES:
        present = header.present.select(pl.any_horizontal(_SHAPES[table.name].tags))
        raws[table.name] = _rows(table, header, inherited, present.to_series())
    uasc, found = _uasc_rows(header, file, year)
    raws[UASC.name] = _rows(UASC, header, inherited, uasc)
    return raws, found, None


def _rows(
    table: Table, records: Records, inherited: pl.DataFrame, keep: pl.Series | None = None
) -> _RawTable:
    """The raw rows of `table` from the records read in bulk, or those of them `keep` says."""
    shape = _SHAPES[table.name]
    frame = pl.concat(
        [
            inherited[records.children].select(shape.inherited),
            records.values.select(
                pl.col(tag).alias(name)
                for name, tag in zip(shape.names[len(shape.inherited) :], shape.tags, strict=True)
            ),
        ],
        how="horizontal",
    )
    lines, offsets = records.lines, records.offsets
    if keep is not None:
        frame, lines, offsets = frame.filter(keep), lines.filter(keep), offsets.filter(keep)
    return _RawTable(frame, lines, offsets, partial(_at_byte, offsets))


def _uasc_rows(
    header: Records, file: str, year: CollectionYear
) -> tuple[pl.Series, list[_Located]]:
    """Which children have a UASC row, and each UASC flag that is not a code, decided as
    the careful reading decides them (`_uasc`). Almost every child has a flag of 0 or 1 (or
    none) and a DUC that is a date or absent, decided in whole columns; only the few
    others are looked at one by one, with the careful reading's own Python."""
    codes = code_list("uasc_status").valid_codes(year)
    flag, duc = pl.col(layout.UASC_FLAG), pl.col("DUC")
    valid = [code for code in ("0", "1") if code in codes]
    simple = (flag.is_null() | flag.is_in(valid)) & (
        duc.is_null() | duc.str.contains(r"^\d\d/\d\d/\d{4}$")
    )
    decided = header.values.select(
        ((flag == "1") | duc.is_not_null()).fill_null(False).alias("KEPT"),
        simple.alias("SIMPLE"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("AT"),
    )
    keep = decided.get_column("KEPT")
    found: list[_Located] = []
    odd = decided.filter(~pl.col("SIMPLE")).get_column("AT")
    columns = header.values.select(_CHILD_ID, layout.UASC_FLAG, "DUC")[odd].iter_rows()
    for at, (child, given, given_duc) in zip(odd, columns, strict=True):
        flag_as_given, kept = _uasc(given, given_duc)
        keep[at] = kept
        if flag_as_given and flag_as_given not in codes:
            problem = _uasc_problem(file, flag_as_given, _named(child))
            found.append(_Located(problem, offset=header.offsets[at]))
    return keep, found


def read_xml_return(path: Path, year: CollectionYear) -> XmlReadResult:
    """Read an XML return file for `year`: every table of the year, empty if it has no rows.

    Never raises on the file's content. A file that cannot be read safely or at all gives
    one problem and no tables; anything else not read (a return with no children too) is
    a problem at its line and character, naming the child it is in.
    """
    return _read_xml(path, year)[0]


def _read_xml(
    path: Path, year: CollectionYear, *, plain: bool = True
) -> tuple[XmlReadResult, bool]:
    """The return, and whether it was read in bulk (tried only if `plain`)."""
    result = XmlReadResult(year=year)
    name = bytes_shown(path.name)  # a name that is not UTF-8 can still be shown and written
    data = read_file(path)
    if isinstance(data, Problem):
        result.problems.append(replace(data, file=name))
        return result, False
    if not data or data.isspace():
        result.problems.append(
            Problem(file=name, kind="empty-file", message="the file is empty; it was not read")
        )
        return result, False
    text = _as_utf8(data)
    try:
        root = _prescan(text)
        bulk = _read_plain(data, text, root, name, year) if plain else None
        raws, found, places = bulk or _read_carefully(data, text, root, name, year)
    except _Refused as refusal:
        refused = Problem(
            file=name, kind="refused-xml", message=f"{refusal}; the file was not read"
        )
        result.problems += _Places.of(text, 0).locate([_Located(refused, offset=refusal.offset)])
        return result, False
    except etree.XMLSyntaxError as error:
        result.problems.append(_fatal(name, error, _declared(data)))
        return result, False
    found += _tables(name, raws, result)
    sharing = _sharing_lines(raws, result)
    # Places are worked out (with NumPy, a tenth of a second to import) only if needed.
    if sharing or found:
        places = places or _Places.of(text, 0)
        _characters(sharing, places, result)
    if found and places:
        placed = places.locate(found)
        result.problems += sorted(placed, key=lambda p: (p.row or 0, p.position or 0))
    return result, bulk is not None
