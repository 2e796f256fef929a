"""Checking an entry before it is saved, on a hand-made record: Kai, born 3 March 2012,
looked after under a care order in long-term foster care since 1 June 2023 (one open
episode), with a review on 20 November 2025."""

from datetime import date

import polars as pl

from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.services.recording import collection_year_of, rules_broken


def _table(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    kinds = {c.name: c.kind.dtype for c in record_table(name).columns}
    return pl.DataFrame(rows, schema={column: kinds[column] for column in rows[0]})


EPISODE = {
    "CHILD": "KAI",
    "DECOM": date(2023, 6, 1),
    "RNE": "S",
    "LS": "C2",
    "CIN": "N1",
    "PLACE": "U4",
    "PLACE_PROVIDER": "PR1",
    "DEC": None,
    "REC": None,
    "HOME_POST": "ZZ1 1AA",
    "PL_POST": "ZZ2 2BB",
}
KAI = Record.of(
    {
        "header": _table(
            "header",
            [
                {
                    "CHILD": "KAI",
                    "SEX": "1",
                    "DOB": date(2012, 3, 3),
                    "ETHNIC": "WBRI",
                    "UPN": "A999123456789",
                    "MOTHER": None,
                }
            ],
        ),
        "episodes": _table("episodes", [EPISODE]),
        "reviews": _table(
            "reviews", [{"CHILD": "KAI", "REVIEW": date(2025, 11, 20), "REVIEW_CODE": "PN1"}]
        ),
    }
)


def _with(record: Record, name: str, row: dict[str, object]) -> Record:
    """The record with one more row in table `name`."""
    rows = pl.concat([record.table(name), _table(name, [row])], how="diagonal_relaxed")
    return Record.of({**record.tables(), name: rows})


def test_a_collection_year_runs_from_april_to_march():
    assert str(collection_year_of(date(2026, 3, 31))) == "2025-26"
    assert str(collection_year_of(date(2026, 4, 1))) == "2026-27"


def test_a_new_placement_while_the_last_episode_is_open_is_refused():
    move = {**EPISODE, "DECOM": date(2026, 1, 10), "RNE": "P", "PLACE": "U6"}
    broken = rules_broken(KAI, _with(KAI, "episodes", move), date(2026, 1, 10))
    assert "142" in {b.code for b in broken}
    found = next(b for b in broken if b.code == "142")
    assert found.table == "episodes"
    assert found.message == "A new episode has started, but the previous episode has not ended."


def test_a_well_made_review_breaks_nothing():
    review = {"CHILD": "KAI", "REVIEW": date(2026, 2, 20), "REVIEW_CODE": "PN1"}
    assert rules_broken(KAI, _with(KAI, "reviews", review), date(2026, 2, 20)) == []


def test_a_fault_already_in_the_record_is_not_blamed_on_the_new_entry():
    move = {**EPISODE, "DECOM": date(2026, 1, 10), "RNE": "P", "PLACE": "U6"}
    faulty = _with(KAI, "episodes", move)
    review = {"CHILD": "KAI", "REVIEW": date(2026, 2, 20), "REVIEW_CODE": "PN1"}
    assert rules_broken(faulty, _with(faulty, "reviews", review), date(2026, 2, 20)) == []


def test_a_visit_is_checked_by_no_return_rule():
    visit = {"CHILD": "KAI", "VISIT_DATE": date(2026, 2, 1), "SEEN_ALONE": "Y", "SW_ID": "SW1"}
    assert rules_broken(KAI, _with(KAI, "visits", visit), date(2026, 2, 1)) == []


def test_an_entry_in_a_year_no_rules_cover_is_not_checked():
    move = {**EPISODE, "DECOM": date(2020, 1, 10), "RNE": "P", "PLACE": "U6"}
    assert rules_broken(KAI, _with(KAI, "episodes", move), date(2020, 1, 10)) == []
