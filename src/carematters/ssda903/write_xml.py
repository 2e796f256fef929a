"""Writing DfE's XML form of the return, byte-stable, refusing what XML cannot hold.

XML keeps a child's DOB (and a UASC child's sex) only in HEADER, and holds at most
one OC3, AD1 and UASC record per child. Tables that disagree with that cannot be
written as XML without losing something, so the writer names every such row and
writes nothing, rather than dropping data quietly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from carematters.files import write_file_atomically
from carematters.ssda903 import xml_layout as layout
from carematters.ssda903.problems import Problem
from carematters.ssda903.tables import HEADER, UASC, Table, tables_in
from carematters.ssda903.write_csv import DATE_FORMAT, conform
from carematters.ssda903.years import CollectionYear

_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
"""Characters XML 1.0 cannot carry, as a Polars (Rust) regular expression."""
_ONCE_PER_CHILD = (UASC, *layout.FLAT_TABLES)

Row = dict[str, object]


class WriteRefusedError(Exception):
    """The tables cannot be written in the asked-for form without losing data."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} rows cannot be written")
        self.problems = problems


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return escape(str(value)).replace("\r", "&#13;")


def _element(name: str, value: object, indent: str) -> str:
    if value is None:
        return f"{indent}<{name}/>"
    return f"{indent}<{name}>{_text(value)}</{name}>"


def _refusal(table: Table, child: object, message: str, column: str | None = None) -> Problem:
    return Problem(
        file=f"{table.name}.csv",
        table=table.name,
        column=column,
        kind="cannot-write-xml",
        message=f"child {child if child is not None else '(no CHILD)'}: {message}",
    )


def _header_problems(header: pl.DataFrame) -> list[Problem]:
    repeated = header.filter(pl.col("CHILD").is_duplicated() | pl.col("CHILD").is_null())
    return [
        _refusal(HEADER, child, "each child needs exactly one Header row to be written as XML")
        for child in repeated.get_column("CHILD").unique(maintain_order=True)
    ]


def _character_problems(table: Table, frame: pl.DataFrame) -> list[Problem]:
    """Text values holding characters that XML cannot carry at all."""
    return [
        _refusal(table, child, "holds a control character, which XML cannot carry", column)
        for column, dtype in frame.schema.items()
        if dtype == pl.String()
        for child in frame.filter(pl.col(column).str.contains(_NOT_XML))
        .get_column("CHILD")
        .unique(maintain_order=True)
    ]


def _table_problems(table: Table, frame: pl.DataFrame, header: pl.DataFrame) -> list[Problem]:
    """Rows of a child table that XML could not hold as they are."""
    joined = frame.join(header, on="CHILD", how="left")
    problems = [
        _refusal(table, child, "this child has no Header row, so XML has nowhere to put the row")
        for child in joined.filter(pl.col("IN_HEADER").is_null())
        .get_column("CHILD")
        .unique(maintain_order=True)
    ]
    for column in ("DOB", "SEX"):
        if column not in frame.columns:
            continue
        differs = joined.filter(
            pl.col("IN_HEADER").is_not_null()
            & pl.col(column).ne_missing(pl.col(f"{column}_HEADER"))
        )
        problems += [
            _refusal(
                table, child, f"{column} differs from the Header's, and XML keeps only one", column
            )
            for child in differs.get_column("CHILD").unique(maintain_order=True)
        ]
    if table in _ONCE_PER_CHILD:
        problems += [
            _refusal(table, child, "XML holds one row of this table per child; this child has more")
            for child in frame.filter(pl.col("CHILD").is_duplicated())
            .get_column("CHILD")
            .unique(maintain_order=True)
        ]
    return problems


def _by_child(frame: pl.DataFrame) -> dict[object, list[Row]]:
    grouped: dict[object, list[Row]] = defaultdict(list)
    for row in frame.iter_rows(named=True):
        grouped[row["CHILD"]].append(row)
    return grouped


def _record(record: layout.Record, row: Row, year: CollectionYear, indent: str) -> Iterator[str]:
    yield f"{indent}<{record.element}>"
    for column in record.fields():
        if record.table.column(column).in_year(year):
            yield _element(layout.tag(record.table, column), row[column], indent + "  ")
    yield f"{indent}</{record.element}>"


def _header(
    row: Row,
    rows: dict[str, dict[object, list[Row]]],
    records: dict[str, layout.Record],
    year: CollectionYear,
) -> Iterator[str]:
    child = row["CHILD"]
    indent = "      "
    yield "    <HEADER>"
    for item in layout.HEADER_SEQUENCE:
        if isinstance(item, str):
            yield _element(layout.tag(HEADER, item), row[item], indent)
        elif isinstance(item, layout.Record):
            if item.table.name in records:
                for sub in rows[item.table.name].get(child, []):
                    yield from _record(item, sub, year, indent)
        elif item is UASC:
            uasc = rows[UASC.name].get(child)
            yield _element(layout.UASC_FLAG, "1" if uasc else "0", indent)
            yield _element("DUC", uasc[0]["DUC"] if uasc else None, indent)
        else:
            for sub in rows[item.name].get(child, []):
                for column in item.columns_in(year):
                    if column.name not in layout.INHERITED:
                        yield _element(column.name, sub[column.name], indent)
    yield "    </HEADER>"


def xml_bytes(tables: dict[str, pl.DataFrame], year: CollectionYear) -> bytes:
    """The return for `year` as XML; raises WriteRefusedError if XML would lose data."""
    frames = {t.name: conform(tables.get(t.name), t.columns_in(year)) for t in tables_in(year)}
    header = frames[HEADER.name]
    problems = _header_problems(header) + _character_problems(HEADER, header)
    lookup = header.select(
        "CHILD", DOB_HEADER="DOB", SEX_HEADER="SEX", IN_HEADER=pl.lit(value=True)
    ).unique("CHILD", keep="first")
    for table in tables_in(year):
        if table is not HEADER:
            problems += _table_problems(table, frames[table.name], lookup)
            problems += _character_problems(table, frames[table.name])
    if problems:
        raise WriteRefusedError(problems)
    records = {
        r.table.name: r for r in (*layout.HEADER_RECORDS, layout.EPISODE) if r.table.in_year(year)
    }
    rows = {name: _by_child(frame) for name, frame in frames.items() if name != HEADER.name}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<{layout.ROOT}>"]
    for row in header.iter_rows(named=True):
        lines.append(f"  <{layout.CHILD}>")
        lines.extend(_header(row, rows, records, year))
        for episode in rows[layout.EPISODE.table.name].get(row["CHILD"], []):
            lines.extend(_record(layout.EPISODE, episode, year, "    "))
        lines.append(f"  </{layout.CHILD}>")
    lines.append(f"</{layout.ROOT}>")
    text = "\n".join(lines) + "\n"
    return text.encode("utf-8")


def write_xml_return(tables: dict[str, pl.DataFrame], year: CollectionYear, out: Path) -> None:
    """Write the return for `year` as one XML file, all at once or not at all."""
    write_file_atomically(out, xml_bytes(tables, year))
