"""Writing DfE's XML form of the return, byte-stable, refusing what XML cannot hold.

XML keeps a child's DOB (and a UASC child's sex) only in HEADER, and holds at most
one OC3, AD1 and UASC record per child. Tables that disagree with that cannot be
written as XML without losing something, so the writer names every such row and
writes nothing, rather than dropping data quietly.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from carematters.files import write_file_atomically
from carematters.ssda903 import xml_layout as layout
from carematters.ssda903.problems import Problem, WriteRefusedError
from carematters.ssda903.tables import EPISODES, HEADER, UASC, Kind, Table, tables_in
from carematters.ssda903.write_csv import DATE_FORMAT, conform
from carematters.ssda903.years import CollectionYear

_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
"""Characters XML 1.0 cannot carry, as a Polars (Rust) regular expression."""
_ONCE_PER_CHILD = (UASC, *layout.FLAT_TABLES)

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
"""Characters that must be written as entities in element text, "&" first."""


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


def _field(table: Table, column: str, indent: str) -> pl.Expr:
    """One field's element, for every row at once: empty when the value is blank."""
    name = layout.tag(table, column)
    value = pl.col(column)
    text = (
        value.dt.strftime(DATE_FORMAT)
        if table.column(column).kind is Kind.DATE
        else value.cast(pl.String)
    )
    for character, entity in _ENTITIES:
        text = text.str.replace_all(character, entity, literal=True)
    return (
        pl.when(value.is_null())
        .then(pl.lit(f"{indent}<{name}/>\n"))
        .otherwise(pl.concat_str(pl.lit(f"{indent}<{name}>"), text, pl.lit(f"</{name}>\n")))
    )


def _fields(table: Table, columns: tuple[str, ...], year: CollectionYear, indent: str) -> pl.Expr:
    """The elements of `columns` that the year has, one after another, for every row."""
    present = [c for c in columns if table.column(c).in_year(year)]
    return pl.concat_str([pl.lit(""), *(_field(table, c, indent) for c in present)])


def _per_child(frame: pl.DataFrame, xml: pl.Expr, name: str) -> pl.DataFrame:
    """Each child's rows as one piece of XML, rows in the order given."""
    return frame.group_by("CHILD", maintain_order=True).agg(xml.str.join("").alias(name))


def _record_xml(record: layout.Record, year: CollectionYear, indent: str) -> pl.Expr:
    opening, closing = f"{indent}<{record.element}>\n", f"{indent}</{record.element}>\n"
    inner = _fields(record.table, record.fields(), year, indent + "  ")
    return pl.concat_str(pl.lit(opening), inner, pl.lit(closing))


def _header_part(
    item: str | layout.Record | Table, frames: dict[str, pl.DataFrame], year: CollectionYear
) -> tuple[pl.Expr, pl.DataFrame | None]:
    """What one item of HEADER's sequence writes: an expression over the header joined
    with, where the item is another table, that table's XML per child."""
    indent = "      "
    if isinstance(item, str):
        return _field(HEADER, item, indent), None
    if isinstance(item, layout.Record):
        name = f"_XML_{item.table.name}"
        if not item.table.in_year(year):
            return pl.lit(""), None
        pieces = _per_child(frames[item.table.name], _record_xml(item, year, indent), name)
        return pl.col(name).fill_null(""), pieces
    name = f"_XML_{item.name}"
    if item is UASC:
        flag, blank = f"{indent}<{layout.UASC_FLAG}>", f"{indent}<DUC/>\n"
        xml = pl.concat_str(pl.lit(f"{flag}1</{layout.UASC_FLAG}>\n"), _field(UASC, "DUC", indent))
        missing = f"{flag}0</{layout.UASC_FLAG}>\n{blank}"
    else:
        own = tuple(c.name for c in item.columns if c.name not in layout.INHERITED)
        xml, missing = _fields(item, own, year, indent), ""
    return pl.col(name).fill_null(missing), _per_child(frames[item.name], xml, name)


def _document(frames: dict[str, pl.DataFrame], year: CollectionYear) -> str:
    """Every child's XML, built a whole column at a time rather than child by child."""
    header = frames[HEADER.name]
    parts: list[pl.Expr] = [pl.lit(f"  <{layout.CHILD}>\n    <HEADER>\n")]
    for item in layout.HEADER_SEQUENCE:
        expr, pieces = _header_part(item, frames, year)
        parts.append(expr)
        if pieces is not None:
            header = header.join(pieces, on="CHILD", how="left", maintain_order="left")
    episodes = _per_child(
        frames[EPISODES.name], _record_xml(layout.EPISODE, year, "    "), "_XML_EPISODES"
    )
    header = header.join(episodes, on="CHILD", how="left", maintain_order="left")
    parts += [
        pl.lit("    </HEADER>\n"),
        pl.col("_XML_EPISODES").fill_null(""),
        pl.lit(f"  </{layout.CHILD}>\n"),
    ]
    body = header.select(pl.concat_str(parts).str.join("")).item() if header.height else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{layout.ROOT}>\n{body}</{layout.ROOT}>\n'


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
    return _document(frames, year).encode("utf-8")


def write_xml_return(tables: dict[str, pl.DataFrame], year: CollectionYear, out: Path) -> None:
    """Write the return for `year` as one XML file, all at once or not at all."""
    write_file_atomically(out, xml_bytes(tables, year))
