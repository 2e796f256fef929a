"""Duties scenarios: each YAML file under scenarios/ is a small case a social worker can
read and check: a child's episodes and events, a date, and the duties owed then.

Dates are written dd/mm/yyyy. Episodes follow on from each other; an episode with no
`end` is still open. Each expected duty names its id, due date and status (and, where it
matters, when it was last done); `not_owed` lists duties the child must not have.
"""

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
import yaml

from carematters.duties.engine import duties_as_at
from carematters.records.schema import record_table

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
CHILD = "A"


def _date(text: str | None) -> date | None:
    return None if text is None else datetime.strptime(str(text), "%d/%m/%Y").date()  # noqa: DTZ007


def _episodes(rows: list[dict]) -> pl.DataFrame:
    built = []
    for index, row in enumerate(rows):
        start, end = _date(row["start"]), _date(row.get("end"))
        following = rows[index + 1] if index + 1 < len(rows) else None
        continues = following is not None and _date(following["start"]) == end
        follows_on = index > 0 and _date(rows[index - 1].get("end")) == start
        built.append(
            {
                "CHILD": CHILD,
                "DECOM": start,
                "RNE": row.get("reason_new", "P" if follows_on else "S"),
                "LS": row["legal_status"],
                "PLACE": row.get("placement", "U6"),
                "DEC": end,
                "REC": row.get("reason_ended", "X1" if continues else ("E8" if end else None)),
            }
        )
    return pl.DataFrame(
        built, schema={c: t for c, t in record_table("episodes").schema().items() if c in built[0]}
    )


EVENTS = {
    # scenario key: (record table, date column, KIND or None)
    "reviews": ("reviews", "REVIEW", None),
    "visits": ("visits", "VISIT_DATE", None),
    "health_assessments": ("health_assessments", "ASSESSMENT_DATE", "RHA"),
    "sdqs": ("health_assessments", "ASSESSMENT_DATE", "SDQ"),
    "dental_checks": ("health_assessments", "ASSESSMENT_DATE", "DENTAL"),
    "peps": ("peps", "PEP_DATE", None),
    "care_plans": ("care_plans", "PLAN_DATE", "CARE"),
    "placement_plans": ("care_plans", "PLAN_DATE", "PLACEMENT"),
    "permanence_plans": ("care_plans", "PLAN_DATE", "PERMANENCE"),
    "needs_assessments": ("pathway_plans", "EVENT_DATE", "ASSESSMENT"),
    "pathway_plans": ("pathway_plans", "EVENT_DATE", "PLAN"),
    "pathway_reviews": ("pathway_plans", "EVENT_DATE", "REVIEW"),
    "pa_contacts": ("pa_contacts", "CONTACT_DATE", None),
}


def _events(case: dict) -> dict[str, pl.DataFrame]:
    """Each kind of event in the scenario as its record table (CHILD, date[, KIND])."""
    tables: dict[str, list[dict]] = {}
    for key, (table, column, kind) in EVENTS.items():
        for day in case.get(key, []):
            row = {"CHILD": CHILD, column: _date(day)} | ({"KIND": kind} if kind else {})
            tables.setdefault(table, []).append(row)
    return {table: pl.DataFrame(rows) for table, rows in tables.items()}


def _missing(case: dict) -> dict[str, pl.DataFrame]:
    """Missing episodes (start, end) and return interviews offered (start, offered)."""
    spells = case.get("missing", [])
    offers = case.get("return_interviews", [])
    if not spells:
        return {}
    missing = pl.DataFrame(
        {
            "CHILD": [CHILD] * len(spells),
            "MIS_START": [_date(s["start"]) for s in spells],
            "MIS_END": [_date(s.get("end")) for s in spells],
        },
        schema={"CHILD": pl.String, "MIS_START": pl.Date, "MIS_END": pl.Date},
    )
    interviews = pl.DataFrame(
        {
            "CHILD": [CHILD] * len(offers),
            "MIS_START": [_date(o["missing_from"]) for o in offers],
            "OFFER_DATE": [_date(o["offered"]) for o in offers],
        },
        schema={"CHILD": pl.String, "MIS_START": pl.Date, "OFFER_DATE": pl.Date},
    )
    return {"missing": missing, "return_interviews": interviews}


def _tables(case: dict) -> dict[str, pl.DataFrame]:
    child = case.get("child", {})
    header = pl.DataFrame({"CHILD": [CHILD], "DOB": [_date(child.get("dob", "01/06/2015"))]})
    tables = {"header": header, "episodes": _episodes(case["episodes"])}
    return tables | _events(case) | _missing(case)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert case["regulation"] and case["story"]
    owed = duties_as_at(_tables(case), _date(case["as_at"]))
    found = {row["DUTY"]: row for row in owed.iter_rows(named=True)}
    for expected in case.get("expect", []):
        row = found.get(expected["duty"])
        assert row is not None, f"{expected['duty']} is not owed; owed: {sorted(found)}"
        assert row["DUE_DATE"] == _date(expected["due"]), expected["duty"]
        assert row["STATUS"] == expected["status"], expected["duty"]
        if "last_done" in expected:
            assert row["LAST_DONE"] == _date(expected["last_done"]), expected["duty"]
        if "days_overdue" in expected:
            assert row["DAYS_OVERDUE"] == expected["days_overdue"], expected["duty"]
    for duty in case.get("not_owed", []):
        assert duty not in found, f"{duty} should not be owed"
