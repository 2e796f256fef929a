"""Reading a plain XML return in bulk, with Polars, instead of element by element.

Case-management systems export the return the same way every time: UTF-8, no comments,
no CDATA, no entities, no attributes, every element where DfE's layout puts it, each
field holding its value once. Such a file is cut into tags and texts by Polars' CSV
reader (a tag ends at ">", a text at "<"), each tag is classified by a table lookup,
and the fields are spread into one frame per record element by arithmetic on their
positions, so no Python runs per element: the national return reads several times faster.

This is only ever a shortcut. libxml2 first checks the whole file is well-formed (building
no tree), and anything the shortcut does not expect makes `plain_records` return None, so
that the caller reads the whole file the careful way, which reports every problem; the
shortcut never reports one, so a file read either way gives the same result.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import polars as pl
from lxml import etree

_TAG = "tag"
_TEXT = "text"
_XML_SPACE = "[^ \t\r\n]"
"""Anything but the four characters XML counts as white space."""
_BOM = b"\xef\xbb\xbf"
_OPEN, _CLOSE, _EMPTY = 0, 1, 2
"""A tag's kind, as the remainder of its code: <NAME>, </NAME>, <NAME/>."""


@dataclass(frozen=True)
class Layout:
    """Where elements may be, for the shortcut: the root holds `child` elements; each
    holds one `header` and other `records` (element to its fields, the header's among
    them); the header also holds `inner` records and `wrappers`, whose fields are the
    header's own. Fields hold text and nothing else."""

    root: str
    child: str
    header: str
    records: dict[str, tuple[str, ...]]
    inner: dict[str, tuple[str, ...]]
    wrappers: dict[str, frozenset[str]]

    @cached_property
    def numbers(self) -> dict[str, int]:
        """Each element name the layout knows, numbered."""
        fields = {f for group in (self.records, self.inner) for fs in group.values() for f in fs}
        names = {self.root, self.child, *self.records, *self.inner, *self.wrappers, *fields}
        return {name: number for number, name in enumerate(sorted(names))}

    def allowed(self) -> list[int]:
        """Each (parent, element, whether a field) the layout allows, as a number."""
        header_fields = set(self.records[self.header])
        triples = [(self.root, self.child, False)]
        triples += [(self.child, record, False) for record in self.records]
        triples += [(self.header, inner, False) for inner in (*self.inner, *self.wrappers)]
        triples += [(record, f, True) for record, fs in self.spread.items() for f in fs]
        triples += [
            (wrapper, f, True) for wrapper, fs in self.wrappers.items() for f in fs & header_fields
        ]
        size, number = len(self.numbers), self.numbers
        return [(number[p] * size + number[e]) * 2 + int(f) for p, e, f in triples]

    @property
    def spread(self) -> dict[str, tuple[str, ...]]:
        """Each element that is a record, and its fields."""
        return self.records | self.inner


@dataclass(frozen=True)
class Records:
    """The records of one element, in document order: `values` has a column of strings
    for each field (null when absent or empty) and `present` says which were there at all;
    `lines` is the line each record's tag is on, `offsets` its byte in the file and
    `children` which child (0, 1, ...) holds it."""

    values: pl.DataFrame
    present: pl.DataFrame
    lines: pl.Series
    offsets: pl.Series
    children: pl.Series


class _NoTarget:
    """A parser target that asks libxml2 for no events: checking only, no tree."""

    def close(self) -> None:
        return None


def _is_plain(text: bytes, root: int) -> bool:
    """Whether the bytes hold none of what the shortcut leaves to the careful reader:
    entity and character references (`&`), a carriage return on its own; before the root,
    comments, document types and instructions (`<!`, `<?` past the declaration). Inside
    the root, these are tags the layout does not know, and a ">" in a text is a third
    column to the CSV reader: both make `_elements` give up."""
    if b"&" in text or b"<!" in text[:root] or b"<?" in text[1:root]:
        return False
    return b"\r" not in text or text.count(b"\r") == text.count(b"\r\n")


def _well_formed(data: bytes, options: dict[str, bool]) -> bool:
    parser = etree.XMLParser(target=_NoTarget(), **options)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return False
    return True


def _tokens(text: bytes, root: int) -> pl.DataFrame:
    """Each tag from the root on, and the text after it (null if none)."""
    return pl.read_csv(
        text[root + 1 :],
        separator=">",
        eol_char="<",
        quote_char=None,
        has_header=False,
        schema={_TAG: pl.String, _TEXT: pl.String},
    )


def plain_records(
    data: bytes, text: bytes, root: int, layout: Layout, options: dict[str, bool]
) -> dict[str, Records] | None:
    """Every record of a plain return by element name, or None if the file is not plain.

    `data` is the file as read, `text` the same as UTF-8 without a byte order mark (the
    same bytes, or None is returned), `root` where the root element starts in it, and
    `options` the parser's, so that libxml2 refuses here what it refuses when reading.
    """
    if text is not data and not (data.startswith(_BOM) and memoryview(data)[len(_BOM) :] == text):
        return None
    if not _is_plain(text, root):
        return None
    start = _Start(root, text.count(b"\n", 0, root) + 1)
    # libxml2 checks the whole file is well formed while Polars splits it: both work
    # outside Python's lock, so the check costs the national return almost nothing.
    with ThreadPoolExecutor(1) as pool:
        well_formed = pool.submit(_well_formed, data, options)
        try:  # no step's input is kept once it is used: the national return is 146 MB
            tokens = _elements(_tokens(text, root), layout, start)
            classified = _classified(tokens, layout, returns=b"\r" in text)
        except pl.exceptions.PolarsError:  # a row the CSV reader cannot split: not plain
            classified = None
        if not well_formed.result():
            return None
    return None if classified is None else _gather(classified, layout)


@dataclass(frozen=True)
class _Start:
    """Where the first token, the root's tag, is: its byte and its line."""

    offset: int
    line: int


def _elements(tokens: pl.DataFrame, layout: Layout, start: _Start) -> pl.LazyFrame:
    """Each element (a tag that is not an end tag): its name, depth, whether it is a field,
    the text after it, its line and byte; `fits` is false for a tag the layout does not
    have or a text where it has none (such rows are kept, whatever their tag).

    Each tag gets a code, three for each element name: <NAME>, </NAME>, <NAME/>. A tag the
    layout does not know, a comment, an instruction or a tag with attributes has none.
    """
    # the names in number order, each tag at its code: with an Enum of them, a cast codes
    tags = [tag for name in layout.numbers for tag in (name, f"/{name}", f"{name}/")]
    code = pl.col(_TAG).cast(pl.Enum(tags), strict=False).to_physical().cast(pl.Int32)
    kind = pl.col("code") % 3
    # how far in each tag goes (a lookup by code is quicker than arithmetic on it)
    step = pl.lit(pl.Series([1, -1, 0] * len(layout.numbers), dtype=pl.Int32)).gather("code")
    field = ((kind == _OPEN) & (pl.col("code").shift(-1) == pl.col("code") + 1)) | (kind == _EMPTY)
    # a field's text is its value, more than white space; any other text is white space
    fits = (pl.col(_TEXT).str.contains(_XML_SPACE) == (field & (kind == _OPEN))).fill_null(True)
    fits = fits & pl.col("code").is_not_null()
    size = pl.col(_TAG).str.len_bytes() + pl.col(_TEXT).str.len_bytes().fill_null(0) + 2
    breaks = pl.col(_TEXT).str.count_matches("\n", literal=True).fill_null(0)
    return (
        tokens.lazy()
        .with_columns(code.alias("code"))
        .select(
            (pl.col("code") // 3).alias("name"),
            kind.alias("kind"),
            (step.cum_sum() + (kind == _EMPTY).cast(pl.Int32)).alias("depth"),
            field.fill_null(False).alias("field"),
            fits.alias("fits"),
            _TEXT,
            (breaks.cum_sum().shift(1, fill_value=0) + start.line).cast(pl.Int64).alias("line"),
            (size.cum_sum().shift(1, fill_value=0) + start.offset).cast(pl.Int64).alias("offset"),
        )
        .filter((pl.col("kind") != _CLOSE) | ~pl.col("fits"))
    )


def _classified(elements: pl.LazyFrame, layout: Layout, *, returns: bool) -> pl.DataFrame | None:
    """Each element inside a child with its value (if a field), the child it is in, whether
    it is a record, and its record's number if a field (its owner); None if an element is
    not where the layout has it.

    An element's parent is the last element opened one level up; a field's owner is its
    parent, or the header for a field in a wrapper. Records are numbered in document order,
    whatever their element. `returns` says whether the file has carriage returns.
    """
    depth, container, name = pl.col("depth"), ~pl.col("field"), pl.col("name")
    number, size = layout.numbers, len(layout.numbers)
    wrappers = [number[wrapper] for wrapper in layout.wrappers]
    record = container & (depth > 2) & ~name.is_in(wrappers)
    sequence = record.cum_sum().cast(pl.Int64) - 1

    def last(column: pl.Expr, level: int) -> pl.Expr:
        return pl.when(container & (depth == level)).then(column).forward_fill()

    parent: pl.Expr = pl.when(depth == 2).then(number[layout.root])
    for level in (3, 4, 5):
        parent = pl.when(depth == level).then(last(name, level - 1)).otherwise(parent)
    pair = (parent * size + name) * 2 + pl.col("field").cast(pl.Int64)
    by_record = (depth == 4) | last(name, 4).is_in(wrappers)
    value: pl.Expr = pl.when(pl.col("kind") == _OPEN).then(pl.col(_TEXT))
    if returns:  # XML reads a carriage return and line feed in a text as a line feed
        value = value.str.replace_all("\r\n", "\n", literal=True)
    classified = (
        elements.filter((depth > 1) | ~pl.col("fits"))
        .select(
            (pl.col("fits") & pair.is_in(layout.allowed()).fill_null(False)).alias("fits"),
            ((depth == 2).cum_sum().cast(pl.Int64) - 1).alias("child"),
            pl.when(by_record).then(last(sequence, 3)).otherwise(last(sequence, 4)).alias("owner"),
            record.alias("record"),
            "field",
            "name",
            value.alias("value"),
            "line",
            "offset",
        )
        .collect()
    )
    return classified if classified.get_column("fits").all() else None


def _gather(classified: pl.DataFrame, layout: Layout) -> dict[str, Records] | None:
    """The fields of each record element spread into columns, one row per record, or None
    if a child has no header or two."""
    records = classified.filter("record").select("name", "line", "offset", "child")
    # a field's value is found by its place `at` in the column: strings are never moved
    at = pl.int_range(pl.len(), dtype=pl.Int64).alias("at")
    fields = classified.select("owner", "name", at, "field").filter("field")
    spread = _spread(records, fields, classified.get_column("value"), layout)
    children = classified.get_column("child")
    if spread is None or not len(children):
        return None
    every = pl.int_range(children[-1] + 1, dtype=pl.Int64, eager=True)
    if not spread[layout.header].children.equals(every, check_names=False):
        return None  # a child without a header, or with two
    return spread


def _spread(
    records: pl.DataFrame, fields: pl.DataFrame, values: pl.Series, layout: Layout
) -> dict[str, Records] | None:
    """For each record element, one row per record and a column per field; None if a
    record holds no field or one field twice.

    The records of each element have a block of a flat grid, a row of cells for each
    record and a cell for each of its fields: each field's place `at` in `values` goes to
    its cell, and each column of the block is then every so many cells of it.
    """
    number, size = layout.numbers, len(layout.numbers)
    width = {number[element]: len(tags) for element, tags in layout.spread.items()}
    counts = dict(records.get_column("name").value_counts().iter_rows())
    first, cells = {}, 0
    for code, columns in width.items():
        first[code], cells = cells, cells + columns * counts.get(code, 0)
    rank = pl.int_range(pl.len(), dtype=pl.Int64).over("name")
    record_cell = records.select(
        pl.col("name").replace_strict(first, return_dtype=pl.Int64)
        + rank * pl.col("name").replace_strict(width, return_dtype=pl.Int64)
    ).to_series()
    column = pl.Series([None] * size * size, dtype=pl.Int64)
    for element, tags in layout.spread.items():
        for index, tag in enumerate(tags):
            column[number[element] * size + number[tag]] = index
    owner = fields.get_column("owner")
    if not pl.repeat(False, records.height, eager=True).scatter(owner, True).all():
        return None  # a record with no field: the careful reading reports it
    kind = records.get_column("name").gather(owner)
    cell = record_cell.gather(owner) + column.gather(kind * size + fields.get_column("name"))
    at = fields.get_column("at")
    grid = pl.repeat(None, cells, dtype=pl.Int64, eager=True).scatter(cell, at)
    if not grid.gather(cell).equals(at, check_names=False):
        return None  # two fields in one cell: the careful reading reports which
    found = {}
    for element, tags in layout.spread.items():
        code = number[element]
        own = records.filter(pl.col("name") == code)
        block = grid.slice(first[code], width[code] * own.height)
        places = [block.gather_every(width[code], n) for n in range(width[code])]
        found[element] = Records(
            # in one select, so Polars gathers the columns side by side
            values=pl.select(
                pl.lit(values).gather(pl.lit(p)).alias(t) for p, t in zip(places, tags, strict=True)
            ),
            present=pl.DataFrame(
                [p.is_not_null().alias(t) for p, t in zip(places, tags, strict=True)]
            ),
            lines=own.get_column("line"),
            offsets=own.get_column("offset"),
            children=own.get_column("child"),
        )
    return found
