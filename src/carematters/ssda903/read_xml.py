"""Reading DfE's XML form of the return into the same tables the CSV form gives.

Parsed with expat as a stream so every record keeps the line it starts on, which is
what a person needs to find it in the file. Document type declarations are refused:
a return never needs one, and entity expansion is a known way to attack parsers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import polars as pl

from carematters.ssda903 import xml_layout as layout
from carematters.ssda903.codelists import code_list
from carematters.ssda903.convert import Source, type_frame
from carematters.ssda903.csv_text import ROW_COLUMN
from carematters.ssda903.problems import Problem, read_file
from carematters.ssda903.returns import ReadResult
from carematters.ssda903.tables import HEADER, TABLES, UASC, Table
from carematters.ssda903.years import CollectionYear

_RECORDS = {r.element: r for r in layout.HEADER_RECORDS}
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
_FIELD, _RECORD, _OTHER = "field", "record", "other"
_FROM_HEADER = frozenset({*layout.INHERITED, "SEX"})
"""Columns child tables copy from HEADER: their problems are reported once, on HEADER."""


class _Refused(Exception):
    """Stops parsing when the document cannot be read safely or at all."""


@dataclass
class _Element:
    """A record being read: its fields so far and the line it started on."""

    table: Table | None
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    allowed: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.allowed = _FIELDS[self.table.name if self.table else ""]


@dataclass
class _Child:
    """Everything inside one CHILD element, held until the element closes."""

    line: int
    header: _Element | None = None
    records: list[_Element] = field(default_factory=list)


class _Collector:
    """Receives expat's events and gathers rows per table as strings."""

    def __init__(self, file: str, year: CollectionYear) -> None:
        self.file = file
        self.year = year
        self.problems: list[Problem] = []
        self.columns: dict[str, dict[str, list[str | None]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.lines: dict[str, list[int]] = defaultdict(list)
        self.path: list[str] = []
        self.kinds: list[str] = []
        self.text: list[str] = []
        self.child: _Child | None = None
        self.open: list[_Element] = []
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text.append
        self.parser.StartDoctypeDeclHandler = self.refuse_doctype

    def refuse_doctype(self, *_: object) -> None:
        raise _Refused("the file declares a document type (DOCTYPE), which a return never has")

    def problem(self, kind: str, message: str, **where: str | None) -> None:
        self.problems.append(
            Problem(
                file=self.file,
                row=self.parser.CurrentLineNumber,
                kind=kind,
                message=message,
                table=where.get("table"),
                column=where.get("column"),
                value=where.get("value"),
            )
        )

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.text.clear()
        records = self.open
        depth = len(self.path)
        self.path.append(name)
        if records and name in records[-1].allowed and depth == len(records) + 2:
            self.kinds.append(_FIELD)  # most elements are fields: decide them first
            return
        kind = self._open(depth, name)
        self.kinds.append(kind)
        if kind is _OTHER and depth > 0 and (depth > 1 or name != layout.CHILD):
            self.problem(
                "unknown-element",
                f"<{name}> is not an element of the SSDA903 return inside <{self.path[-2]}>; "
                "it was not read",
            )

    def _open(self, depth: int, name: str) -> str:
        """Start whatever `name` opens, saying whether it is a field, a record or neither."""
        line = self.parser.CurrentLineNumber
        inside_header = depth == 3 and self.path[2] == "HEADER"
        if depth == 0 and name != layout.ROOT:
            raise _Refused(f"the root element is {name}, but a return's is {layout.ROOT}")
        if depth == 1 and name == layout.CHILD:
            self.child = _Child(line=line)
            return _OTHER
        if depth == 2 and self.child is not None and name == "HEADER":
            record = _Element(HEADER, line)
            if self.child.header is None:
                self.child.header = record
            else:
                self.problem(
                    "repeated-element",
                    "this <CHILD> has a second <HEADER>; only the first was read",
                )
        elif depth == 2 and self.child is not None and name == layout.EPISODE.element:
            record = _Element(layout.EPISODE.table, line)
        elif inside_header and name in _RECORDS:
            record = _Element(_RECORDS[name].table, line)
        elif inside_header and name in layout.FLAT_WRAPPERS:
            record = _Element(None, line)
        else:
            return _OTHER
        self.open.append(record)
        return _RECORD

    def end(self, name: str) -> None:
        self.path.pop()
        kind = self.kinds.pop()
        if kind is _FIELD:
            self._store_field(self.open[-1], name, "".join(self.text))
        elif kind is _RECORD:
            self._close_record(self.open.pop())
        elif len(self.path) == 1 and name == layout.CHILD and self.child is not None:
            self._emit_child(self.child)
            self.child = None
        self.text.clear()

    def _store_field(self, record: _Element, element: str, value: str) -> None:
        if element in record.fields:
            self.problem(
                "repeated-element",
                f"<{element}> appears twice in the same record; only the first was read",
                value=value,
            )
            return
        record.fields[element] = value

    def _close_record(self, record: _Element) -> None:
        if record.table is None or record.table is HEADER:
            if record.table is None and self.child and self.child.header:
                self._merge_flat(self.child.header, record)
            return
        if self.child is not None:
            self.child.records.append(record)

    def _merge_flat(self, header: _Element, wrapper: _Element) -> None:
        for name, value in wrapper.fields.items():
            self._store_field(header, name, value)

    def _emit_child(self, child: _Child) -> None:
        if child.header is None:
            self.problems.append(
                Problem(
                    file=self.file,
                    row=child.line,
                    kind="missing-header",
                    message="this <CHILD> has no <HEADER>; nothing in it was read",
                )
            )
            return
        fields = child.header.fields
        inherited = {"CHILD": fields.get("CHILDID"), "DOB": fields.get("DOB")}
        own = {c.name: fields.get(layout.tag(HEADER, c.name)) for c in HEADER.columns}
        self._add_row(HEADER, own, child.header.line)
        self._emit_uasc(fields, inherited | {"SEX": fields.get("SEX")}, child.header.line)
        for table in layout.FLAT_TABLES:
            values = {c.name: fields.get(c.name) for c in table.columns if c.name not in inherited}
            if any(name in fields for name in values):
                self._add_row(table, inherited | values, child.header.line)
        for record in child.records:
            if record.table is not None:
                values = {
                    c.name: record.fields.get(layout.tag(record.table, c.name))
                    for c in record.table.columns
                }
                self._add_row(record.table, values | inherited, record.line)

    def _emit_uasc(
        self, fields: dict[str, str], inherited: dict[str, str | None], line: int
    ) -> None:
        flag = fields.get(layout.UASC_FLAG, "").strip()
        duc = fields.get("DUC")
        if flag and flag not in code_list("uasc_status").valid_codes(self.year):
            self.problems.append(
                Problem(
                    file=self.file,
                    row=line,
                    table=UASC.name,
                    column=layout.UASC_FLAG,
                    value=flag,
                    kind="unknown-code",
                    message="UASC must be 1 (unaccompanied asylum-seeking) or 0; "
                    "the child was read as not UASC unless DUC is given",
                )
            )
        if flag == "1" or (duc or "").strip():
            self._add_row(UASC, inherited | {"DUC": duc}, line)

    def _add_row(self, table: Table, values: dict[str, str | None], line: int) -> None:
        columns = self.columns[table.name]
        for column in table.columns:
            columns[column.name].append(values.get(column.name))
        self.lines[table.name].append(line)


def _parse(data: bytes, collector: _Collector) -> Problem | None:
    """Run expat over the whole document; a fatal problem if it cannot be read."""
    try:
        collector.parser.Parse(data, True)
    except _Refused as refusal:
        return Problem(
            file=collector.file,
            row=collector.parser.CurrentLineNumber,
            kind="refused-xml",
            message=f"{refusal}; the file was not read",
        )
    except expat.ExpatError as error:
        return Problem(
            file=collector.file,
            row=error.lineno,
            kind="bad-xml",
            message=(
                f"the XML is not well-formed at line {error.lineno}, column {error.offset + 1} "
                f"({expat.errors.messages[error.code]}); the file was not read"
            ),
        )
    return None


def _not_in_year(file: str, table: Table, year: CollectionYear, line: int) -> Problem:
    return Problem(
        file=file,
        row=line,
        table=table.name,
        kind="table-not-in-year",
        message=(
            f"the {table.title} table is not part of the {year} return "
            f"(it starts in {table.first_year}); its records were not read"
        ),
    )


def read_xml_return(path: Path, year: CollectionYear) -> ReadResult:
    """Read an XML return file for `year`: every table of the year, empty if it has no rows."""
    result = ReadResult(year=year)
    collector = _Collector(path.name, year)
    data = read_file(path)
    fatal = data if isinstance(data, Problem) else _parse(data, collector)
    if fatal:
        result.problems.append(fatal)
        return result
    result.problems += collector.problems
    for table in TABLES:
        lines = collector.lines.get(table.name, [])
        if not table.in_year(year):
            if lines:
                result.problems.append(_not_in_year(path.name, table, year, lines[0]))
            continue
        columns = table.columns_in(year)
        values = collector.columns.get(table.name, {})
        raw = pl.DataFrame(
            {c.name: pl.Series(values.get(c.name, []), dtype=pl.String) for c in columns}
            | {ROW_COLUMN: pl.Series(lines, dtype=pl.Int64)}
        )
        typed, problems = type_frame(raw, columns, Source(path.name, table, year))
        result.problems += [p for p in problems if table is HEADER or p.column not in _FROM_HEADER]
        result.add(table, typed, path.name)
    result.sort_problems()
    return result
