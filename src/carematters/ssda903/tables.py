"""The SSDA903 tables and their columns, per collection year: defined once, here.

Every reader, writer, rule, indicator and the simulator take table layouts from this
module, so a column added in a new collection year is added in one place. Columns
and tables carry the years they exist in, because DfE changes the return over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from carematters.ssda903.years import FIRST_YEAR, CollectionYear


class Kind(StrEnum):
    """What sort of value a column holds, which decides how it is read and written."""

    DATE = "date"
    PARTIAL_DATE = "partial date"
    CODE = "code"
    INTEGER = "integer"
    TEXT = "text"

    @property
    def dtype(self) -> pl.DataType:
        """The Polars type a column of this kind has once read."""
        return {Kind.DATE: pl.Date(), Kind.INTEGER: pl.Int64()}.get(self, pl.String())


@dataclass(frozen=True)
class Column:
    """One column of a table: its DfE name, kind, code list and the years it exists."""

    name: str
    kind: Kind
    codes: str | None = None
    first_year: CollectionYear = FIRST_YEAR
    last_year: CollectionYear | None = None
    optional: bool = False
    """A column of the care record's own tables added after records were first saved: a
    file without it is read with it blank, as a record saved before it had no such value."""

    def in_year(self, year: CollectionYear) -> bool:
        """Whether the column is part of the return for `year`."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class Table:
    """One SSDA903 table: its record-file name, DfE's name and its columns."""

    name: str
    title: str
    columns: tuple[Column, ...]
    first_year: CollectionYear = FIRST_YEAR

    def in_year(self, year: CollectionYear) -> bool:
        """Whether the table is part of the return for `year`."""
        return self.first_year <= year

    def columns_in(self, year: CollectionYear) -> tuple[Column, ...]:
        """The columns the return for `year` has, in DfE's order."""
        return tuple(c for c in self.columns if c.in_year(year))

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)

    def schema(self, columns: tuple[Column, ...] | None = None) -> dict[str, pl.DataType]:
        """The Polars schema of the read table."""
        return {c.name: c.kind.dtype for c in (columns or self.columns)}


def _text(name: str) -> Column:
    return Column(name, Kind.TEXT)


def _date(name: str) -> Column:
    return Column(name, Kind.DATE)


def _code(name: str, codes: str) -> Column:
    return Column(name, Kind.CODE, codes)


def _flag(name: str) -> Column:
    return Column(name, Kind.CODE, "yes_no")


_CHILD = _text("CHILD")
_DOB = _date("DOB")

HEADER = Table(
    name="header",
    title="Header",
    columns=(
        _CHILD,
        _code("SEX", "sex"),
        _DOB,
        _code("ETHNIC", "ethnicity"),
        _text("UPN"),
        _flag("MOTHER"),
        _date("MC_DOB"),
    ),
)
EPISODES = Table(
    name="episodes",
    title="Episodes",
    columns=(
        _CHILD,
        _date("DECOM"),
        _code("RNE", "reason_new_episode"),
        _code("LS", "legal_status"),
        _code("CIN", "category_of_need"),
        _code("PLACE", "placement_type"),
        _code("PLACE_PROVIDER", "placement_provider"),
        _date("DEC"),
        _code("REC", "reason_episode_ceased"),
        _code("REASON_PLACE_CHANGE", "reason_place_change"),
        _text("HOME_POST"),
        _text("PL_POST"),
        _text("URN"),
    ),
)
REVIEWS = Table(
    name="reviews",
    title="Reviews",
    columns=(_CHILD, _DOB, _date("REVIEW"), _code("REVIEW_CODE", "review_participation")),
)
UASC = Table(
    name="uasc",
    title="Unaccompanied asylum-seeking children",
    columns=(_CHILD, _code("SEX", "sex"), _DOB, _date("DUC")),
)
OC2 = Table(
    name="oc2",
    title="Outcomes for children looked after for 12 months (OC2)",
    columns=(
        _CHILD,
        _DOB,
        Column("SDQ_SCORE", Kind.INTEGER),
        _code("SDQ_REASON", "sdq_reason"),
        _flag("CONVICTED"),
        _flag("HEALTH_CHECK"),
        _flag("IMMUNISATIONS"),
        _flag("TEETH_CHECK"),
        _flag("HEALTH_ASSESSMENT"),
        _flag("SUBSTANCE_MISUSE"),
        _flag("INTERVENTION_RECEIVED"),
        _flag("INTERVENTION_OFFERED"),
    ),
)
OC3 = Table(
    name="oc3",
    title="Care leavers on their 17th to 21st birthdays (OC3)",
    columns=(
        _CHILD,
        _DOB,
        _code("IN_TOUCH", "oc3_in_touch"),
        _code("ACTIV", "oc3_activity"),
        _code("ACCOM", "oc3_accommodation"),
    ),
)
AD1 = Table(
    name="ad1",
    title="Adoptions (AD1)",
    columns=(
        _CHILD,
        _DOB,
        _date("DATE_INT"),
        _date("DATE_MATCH"),
        _flag("FOSTER_CARE"),
        _code("NB_ADOPTR", "number_of_adopters"),
        _code("SEX_ADOPTR", "sex_of_adopters"),
        _code("LS_ADOPTR", "legal_status_of_adopters"),
    ),
)
PLACED_FOR_ADOPTION = Table(
    name="placed_for_adoption",
    title="Children who should be placed for adoption",
    columns=(
        _CHILD,
        _DOB,
        _date("DATE_PLACED"),
        _date("DATE_PLACED_CEASED"),
        _code("REASON_PLACED_CEASED", "reason_placed_ceased"),
    ),
)
PREVIOUS_PERMANENCE = Table(
    name="previous_permanence",
    title="Previous permanence",
    columns=(
        _CHILD,
        _DOB,
        _code("PREV_PERM", "previous_permanence"),
        _text("LA_PERM"),
        Column("DATE_PERM", Kind.PARTIAL_DATE),
    ),
)
MISSING = Table(
    name="missing",
    title="Missing or away from placement without authorisation",
    columns=(_CHILD, _DOB, _code("MISSING", "missing_type"), _date("MIS_START"), _date("MIS_END")),
)
SW_EPISODES = Table(
    name="sw_episodes",
    title="Social worker episodes",
    columns=(
        _CHILD,
        _DOB,
        _text("SW_ID"),
        _date("SW_DECOM"),
        _date("SW_DEC"),
        _code("SW_REASON", "sw_reason"),
    ),
    first_year=CollectionYear(2023),
)
DOLO = Table(
    name="dolo",
    title="Deprivation of liberty orders",
    columns=(_CHILD, _DOB, _date("DOLO_START"), _date("DOLO_END")),
    first_year=CollectionYear(2026),
)

TABLES: tuple[Table, ...] = (
    HEADER,
    EPISODES,
    REVIEWS,
    UASC,
    OC2,
    OC3,
    AD1,
    PLACED_FOR_ADOPTION,
    PREVIOUS_PERMANENCE,
    MISSING,
    SW_EPISODES,
    DOLO,
)
"""Every SSDA903 table, in the order DfE's guide presents them."""


def tables_in(year: CollectionYear) -> tuple[Table, ...]:
    """The tables the return for `year` is made of."""
    return tuple(t for t in TABLES if t.in_year(year))


def table_named(name: str) -> Table:
    """The table whose record file is `<name>.csv`."""
    return next(t for t in TABLES if t.name == name)
