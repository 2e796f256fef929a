"""A caseload's duties and the safeguards a decision needs, from a hand-made record of
two children: A, in care under section 20 since 2 January 2024 and 16 by 31 March 2025,
and B, who left care on 1 February 2024."""

from datetime import date

import polars as pl
import pytest

from carematters.duties.decisions import Decision, NotLookedAfterError, Proposal
from carematters.geography import Places
from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.services.caseload import caseload_summary, duties_for, safeguards_for

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
    assert [(g.id, barred) for g, barred in gates] == [
        ("gate.cease.nominated_officer", None),
        ("gate.cease.sixteen_seventeen", None),
    ]


def test_no_decision_can_be_checked_for_a_child_no_longer_in_care():
    with pytest.raises(NotLookedAfterError, match="child B is not looked after on 31/03/2025"):
        safeguards_for(RECORD, "B", Proposal(Decision.CEASE_CARE, DAY))


def _duties(rows: list[tuple[str, date, str, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "CHILD": pl.String,
            "DUE_DATE": pl.Date,
            "STATUS": pl.String,
            "DAYS_OVERDUE": pl.Int64,
        },
        orient="row",
    )


# Wednesday 26 March 2025: its week runs from Monday 24 to Sunday 30 March, the next from
# Monday 31 March to Sunday 6 April.
WEDNESDAY = date(2025, 3, 26)
DUTIES = _duties(
    [
        ("A", date(2025, 3, 1), "overdue", 25),
        ("A", date(2025, 3, 28), "due", None),  # Friday this week
        ("A", date(2025, 3, 31), "due", None),  # Monday next week
        ("A", date(2025, 4, 6), "upcoming", None),  # Sunday next week
        ("A", date(2025, 4, 7), "upcoming", None),  # the week after
        ("A", date(2024, 1, 30), "done", None),
        ("B", date(2024, 6, 1), "missed", None),
    ]
)


def test_a_caseload_counts_each_childs_work_by_week_from_monday():
    summary = caseload_summary(RECORD, DUTIES, WEDNESDAY)
    a = summary.filter(pl.col("CHILD") == "A").row(0, named=True)
    assert (a["OVERDUE"], a["DUE_THIS_WEEK"], a["DUE_NEXT_WEEK"]) == (1, 1, 2)
    assert a["NEXT_DUE"] == date(2025, 3, 28)
    assert a["MOST_DAYS_OVERDUE"] == 25


def test_a_caseload_shows_placement_and_legal_status_in_words():
    a = (
        caseload_summary(RECORD, DUTIES, WEDNESDAY)
        .filter(pl.col("CHILD") == "A")
        .row(0, named=True)
    )
    assert a["AGE"] == 16  # born 1 June 2008
    assert a["LOOKED_AFTER"] is True
    assert (a["PLACE"], a["PLACEMENT"]) == ("U1", "Family and friends foster care, long term")
    assert (a["LS"], a["LEGAL_STATUS"]) == ("V2", "Accommodated (section 20)")
    assert a["PLACEMENT_START"] == date(2024, 1, 2)


def test_a_child_who_left_care_has_no_placement_and_missed_duties_are_not_work():
    b = (
        caseload_summary(RECORD, DUTIES, WEDNESDAY)
        .filter(pl.col("CHILD") == "B")
        .row(0, named=True)
    )
    assert b["LOOKED_AFTER"] is False
    assert b["PLACEMENT"] is None
    assert (b["OVERDUE"], b["DUE_THIS_WEEK"], b["DUE_NEXT_WEEK"]) == (0, 0, 0)


def test_the_child_with_overdue_work_comes_first():
    assert caseload_summary(RECORD, DUTIES, WEDNESDAY)["CHILD"].to_list() == ["A", "B"]
    calm = DUTIES.filter(pl.col("STATUS") != "overdue")
    worse_b = pl.concat([calm, _duties([("B", date(2025, 3, 3), "overdue", 23)])])
    assert caseload_summary(RECORD, worse_b, WEDNESDAY)["CHILD"].to_list() == ["B", "A"]


def test_distance_and_area_come_from_the_postcode_list():
    record = Record.of(
        {
            "header": RECORD.header,
            "episodes": RECORD.episodes.with_columns(
                HOME_POST=pl.lit("ZZ1 1AA"), PL_POST=pl.lit("ZA1 1AA")
            ),
        }
    )
    # Home at the origin, the placement 3 miles east and 4 north: 5 miles, in area ZA,
    # which is not the authority (999).
    mile = 1609.3
    places = Places(
        pl.DataFrame(
            {
                "POSTCODE": ["ZZ1 1AA", "ZA1 1AA"],
                "LA": ["999", "ZA"],
                "X": [0.0, 3 * mile],
                "Y": [0.0, 4 * mile],
            }
        ),
        la_code="999",
    )
    a = caseload_summary(record, DUTIES, WEDNESDAY, places).filter(pl.col("CHILD") == "A")
    assert a["PL_DISTANCE"].to_list() == [5.0]
    assert a["OUT_OF_AREA"].to_list() == [True]
