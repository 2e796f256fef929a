"""A caseload's duties and the safeguards a decision needs, from a hand-made record of
two children: A, in care under section 20 since 2 January 2024 and 16 by 31 March 2025,
and B, who left care on 1 February 2024."""

from datetime import date

import polars as pl
import pytest

from carematters.duties.decisions import Decision, NotLookedAfterError, Proposal
from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.services.caseload import duties_for, safeguards_for

DAY = date(2025, 3, 31)


def _table(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    kinds = {c.name: c.kind.dtype for c in record_table(name).columns}
    return pl.DataFrame(rows, schema={column: kinds[column] for column in rows[0]})


RECORD = Record.of(
    {
        "header": _table(
            "header",
            [
                {"CHILD": "A", "SEX": "1", "DOB": date(2008, 6, 1)},
                {"CHILD": "B", "SEX": "2", "DOB": date(2015, 3, 1)},
            ],
        ),
        "episodes": _table(
            "episodes",
            [
                {
                    "CHILD": "A",
                    "DECOM": date(2024, 1, 2),
                    "RNE": "S",
                    "LS": "V2",
                    "PLACE": "U1",
                    "DEC": None,
                    "REC": None,
                },
                {
                    "CHILD": "B",
                    "DECOM": date(2023, 5, 1),
                    "RNE": "S",
                    "LS": "C2",
                    "PLACE": "U1",
                    "DEC": date(2024, 2, 1),
                    "REC": "E13",
                },
            ],
        ),
    }
)


def test_a_caseloads_duties_are_those_of_its_children_alone():
    mine = duties_for(RECORD, DAY, ["A"])
    assert mine.height > 0
    assert set(mine["CHILD"]) == {"A"}
    everyone = duties_for(RECORD, DAY)
    assert mine.equals(everyone.filter(pl.col("CHILD") == "A"))


def test_the_first_review_is_due_20_working_days_after_coming_into_care():
    # CPPCR 2010 reg 33(1): 2 January 2024 (a Tuesday) and 20 working days on, with no
    # bank holiday between, is Tuesday 30 January 2024.
    first = duties_for(RECORD, DAY, ["A"]).filter(pl.col("DUTY") == "review.first")
    assert first["DUE_DATE"].to_list() == [date(2024, 1, 30)]


def test_ceasing_care_for_a_16_year_old_under_section_20_needs_both_approvals():
    gates = safeguards_for(RECORD, "A", Proposal(Decision.CEASE_CARE, DAY))
    # CPPCR 2010 reg 39(2): looked after 20 working days or more; reg 39(3): 16 or 17
    # and accommodated under section 20 (LS V2).
    assert [g.id for g in gates] == ["gate.cease.nominated_officer", "gate.cease.sixteen_seventeen"]


def test_no_decision_can_be_checked_for_a_child_no_longer_in_care():
    with pytest.raises(NotLookedAfterError, match="child B is not looked after on 31/03/2025"):
        safeguards_for(RECORD, "B", Proposal(Decision.CEASE_CARE, DAY))
