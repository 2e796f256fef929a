"""Every table of the care record, defined once: SSDA903's and the extension tables.

The SSDA903 tables take every column any collection year has (the record spans many
years). OC2 and OC3 describe one collection year each, which a return never needs to
say, so in the record they carry the year as an extra column, YEAR. The extension
tables hold what the care record keeps beyond the return, in the same style:
upper-case columns, a CHILD key, dates written dd/mm/yyyy.
"""

from __future__ import annotations

from dataclasses import replace

from carematters.ssda903.tables import TABLES as SSDA903_TABLES
from carematters.ssda903.tables import Column, Kind, Table


def _child() -> Column:
    return Column("CHILD", Kind.TEXT)


def _date(name: str) -> Column:
    return Column(name, Kind.DATE)


VISITS = Table(
    name="visits",
    title="Social worker visits",
    columns=(
        _child(),
        _date("VISIT_DATE"),
        Column("SEEN_ALONE", Kind.CODE, "seen_alone"),
        Column("SW_ID", Kind.TEXT),
        # CPPCR 2010 reg 28(3): the child is seen in private unless they refuse, it would
        # not suit their age and understanding, or it cannot be done; the record says which.
        Column("NOT_ALONE_REASON", Kind.TEXT, optional=True),
    ),
)
HEALTH_ASSESSMENTS = Table(
    name="health_assessments",
    title="Health assessments",
    columns=(
        _child(),
        _date("ASSESSMENT_DATE"),
        Column("KIND", Kind.CODE, "health_assessment_kind"),
    ),
)
PEPS = Table(
    name="peps",
    title="Personal education plans",
    columns=(_child(), _date("PEP_DATE")),
)
CARE_PLANS = Table(
    name="care_plans",
    title="Care, placement and permanence plans",
    columns=(_child(), _date("PLAN_DATE"), Column("KIND", Kind.CODE, "care_plan_kind")),
)
PATHWAY_PLANS = Table(
    name="pathway_plans",
    title="Needs assessments and pathway plans",
    columns=(_child(), _date("EVENT_DATE"), Column("KIND", Kind.CODE, "pathway_event_kind")),
)
PA_CONTACTS = Table(
    name="pa_contacts",
    title="Personal adviser contacts",
    columns=(_child(), _date("CONTACT_DATE"), Column("PA_ID", Kind.TEXT)),
)
IRO = Table(
    name="iro",
    title="Independent reviewing officers",
    columns=(_child(), Column("IRO_ID", Kind.TEXT), _date("START_DATE"), _date("END_DATE")),
)

RETURN_INTERVIEWS = Table(
    name="return_interviews",
    title="Return interviews offered after going missing",
    columns=(_child(), _date("MIS_START"), _date("OFFER_DATE")),
)
"""Which missing episode (by its start) and when an independent return interview was offered."""
PEOPLE = Table(
    name="people",
    title="Children's names",
    columns=(
        _child(),
        Column("GIVEN_NAME", Kind.TEXT),
        Column("FAMILY_NAME", Kind.TEXT),
        Column("PREFERRED_NAME", Kind.TEXT),
    ),
)
"""What a child is called, which SSDA903 never holds: the name on their record and the
name they like to be called by (blank when it is their given name)."""

EXTENSION_TABLES: tuple[Table, ...] = (
    VISITS,
    HEALTH_ASSESSMENTS,
    PEPS,
    CARE_PLANS,
    PATHWAY_PLANS,
    PA_CONTACTS,
    IRO,
    RETURN_INTERVIEWS,
    PEOPLE,
)
YEAR = Column("YEAR", Kind.TEXT)
"""The collection year (e.g. 2024-25) a row of a yearly table describes."""
YEARLY_TABLES = frozenset({"oc2", "oc3"})
"""SSDA903 tables that are a snapshot of one collection year, not dated events."""

RECORD_TABLES: tuple[Table, ...] = (
    tuple(
        replace(t, columns=(*t.columns, YEAR)) if t.name in YEARLY_TABLES else t
        for t in SSDA903_TABLES
    )
    + EXTENSION_TABLES
)
"""Every table a record directory may hold, as `<name>.csv`."""


def record_table(name: str) -> Table | None:
    """The record table stored as `<name>.csv`, or None if there is none."""
    return next((t for t in RECORD_TABLES if t.name == name), None)


def columns_using(codes: str) -> list[tuple[Table, str]]:
    """Every record table and column whose values come from the code list `codes`."""
    return [(t, c.name) for t in RECORD_TABLES for c in t.columns if c.codes == codes]
