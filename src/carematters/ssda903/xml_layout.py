"""Where each SSDA903 table lives in DfE's XML return, written down once.

The XML return (root EXPSSDA903) has one CHILD element per child holding one HEADER
and the child's EPISODE elements. Reviews, missing episodes and the other repeating
records sit inside HEADER; OC3 and AD1 fields sit in HEADER as plain fields. Child
tables do not repeat CHILD or DOB in XML: they take them from HEADER, which is why
the CSV form carries a DOB column in those tables.

Element names are the CSV column names except CHILDID (CSV CHILD, in HEADER) and
PL (CSV PLACE, in EPISODE). Where DfE's schema for a year was not available to us
(social worker episodes, DoLO), the element names follow the CSV names.
"""

from __future__ import annotations

from dataclasses import dataclass

from carematters.ssda903.tables import (
    AD1,
    DOLO,
    EPISODES,
    MISSING,
    OC2,
    OC3,
    PLACED_FOR_ADOPTION,
    PREVIOUS_PERMANENCE,
    REVIEWS,
    SW_EPISODES,
    UASC,
    Table,
)

ROOT = "EXPSSDA903"
CHILD = "CHILD"
UASC_FLAG = "UASC"
"""HEADER field saying whether the child was unaccompanied asylum-seeking (0 or 1)."""

INHERITED = ("CHILD", "DOB")
"""Columns a child table takes from HEADER instead of carrying its own."""

_RENAMED = {("header", "CHILD"): "CHILDID", ("episodes", "PLACE"): "PL"}


def tag(table: Table, column: str) -> str:
    """The XML element name of a column."""
    return _RENAMED.get((table.name, column), column)


def column_for(table: Table, element: str) -> str:
    """The column an XML element holds: the reverse of `tag`."""
    return next(
        (col for (name, col), el in _RENAMED.items() if name == table.name and el == element),
        element,
    )


@dataclass(frozen=True)
class Record:
    """A table whose rows are elements: `element` wraps one row's fields."""

    table: Table
    element: str
    order: tuple[str, ...] = ()

    def fields(self) -> tuple[str, ...]:
        """The columns written inside the element, in the order they are written."""
        return self.order or tuple(c.name for c in self.table.columns if c.name not in INHERITED)


EPISODE_ORDER = (
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PL_POST",
    "HOME_POST",
    "URN",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
)
"""EPISODE fields in the order DfE's XML has them, which differs from the CSV order."""

EPISODE = Record(EPISODES, "EPISODE", EPISODE_ORDER)
_REVIEW = Record(REVIEWS, "AREVIEW")
_MISSING = Record(MISSING, "AMISSING")
_PLACED = Record(PLACED_FOR_ADOPTION, "AD_PLACED")
_PERMANENCE = Record(PREVIOUS_PERMANENCE, "PERMANENCE")
_OC2 = Record(OC2, "OC2")
_SW = Record(SW_EPISODES, "SW_EPISODE")
_DOLO = Record(DOLO, "DOLO")

HEADER_RECORDS = (_REVIEW, _MISSING, _PLACED, _PERMANENCE, _OC2, _SW, _DOLO)
"""Repeating records inside HEADER."""

FLAT_TABLES = (OC3, AD1)
"""Tables written as plain HEADER fields; a reader also accepts them wrapped in an
element named like the table (OC3, AD1)."""

FLAT_WRAPPERS = {"OC3": OC3, "AD1": AD1}

UASC_FIELDS = (UASC_FLAG, "DUC")
"""HEADER fields that carry the UASC table."""

HEADER_SEQUENCE: tuple[str | Record | Table, ...] = (
    "CHILD",
    "UPN",
    "SEX",
    "DOB",
    "ETHNIC",
    UASC,
    _REVIEW,
    _MISSING,
    "MOTHER",
    "MC_DOB",
    _PLACED,
    _PERMANENCE,
    _OC2,
    OC3,
    AD1,
    _SW,
    _DOLO,
)
"""What HEADER holds, in the order the writer puts it: HEADER's own columns (by
name), the UASC fields and flat tables (by table) and repeating records."""
