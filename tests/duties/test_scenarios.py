"""Duties scenarios: each YAML file under scenarios/ is a small case a social worker can
read and check: a child's episodes and events, a date, and every duty owed then.

Dates are written dd/mm/yyyy. Episodes follow on from each other; an episode with no
`end` is still open; no `episodes` key is a record with no episodes table at all. The
record holds exactly the tables the scenario names: `visits: []` is a record that keeps
visits and has none; no `visits` key is a record that does not keep visits at all (a
plain SSDA903 import), where visit duties are "not recorded".

`expect` lists every duty owed, each with its due date and status (and, where it matters,
when it was last done): a duty owed but not listed fails the scenario, as does one
listed but not owed. `not_recorded` lists, by id, the duties owed whose evidence the
record does not keep. `entitlements` lists every entitlement held, exactly: every
scenario says, `entitlements: []` when none is held. `expect_error` is a scenario whose
question has no answer but a clear error: `{error: OutsideCalendarError, says: [...]}`
names the error and words its message must contain; such a scenario lists no duties
or entitlements. `oc3` gives the care leavers' return's rows (year, activity and, where
the return answered it, in_touch: YES, NO, REFU ...). `iros` lists the child's
independent reviewing officers, each `{start: dd/mm/yyyy, end: dd/mm/yyyy, id: IRO7}`
(`end` blank while still the child's IRO; `id` IRO1 unless given); `iros: []` is a
record that keeps IROs and has none for the child.
"""

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
import yaml

from carematters.calendar.working_days import OutsideCalendarError
from carematters.duties.engine import duties_as_at
from carematters.duties.entitlements import entitlements_on
from carematters.records.record import Record
from carematters.records.schema import record_table

FOLDER = Path(__file__).parent / "scenarios"
SCENARIOS = sorted(FOLDER.glob("*.yaml"))
CHILD = "A"
KEYS = {
    "regulation",
    "story",
    "child",
    "episodes",
    "as_at",
    "expect",
    "not_recorded",
    "entitlements",
    "missing",
    "return_interviews",
    "oc3",
    "iros",
    "expect_error",
}
ERRORS: dict[str, type[Exception]] = {"OutsideCalendarError": OutsideCalendarError}
"""The errors a scenario may expect, by name: the ones a caller is told to expect."""


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
    columns = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")
    schema = {c: t for c, t in record_table("episodes").schema().items() if c in columns}
    return pl.DataFrame(built, schema=schema)


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
    """Each kind of event the scenario names as its record table (CHILD, date[, KIND]);
    a kind named with no dates makes the table held but empty."""
    rows: dict[str, list[dict]] = {}
    columns: dict[str, list[str]] = {}
    for key, (table, column, kind) in EVENTS.items():
        if key not in case:
            continue
        rows.setdefault(table, [])
        columns[table] = ["CHILD", column] + (["KIND"] if kind else [])
        for day in case[key]:
            row = {"CHILD": CHILD, column: _date(day)} | ({"KIND": kind} if kind else {})
            rows[table].append(row)
    return {
        table: pl.DataFrame(
            found, schema={c: record_table(table).schema()[c] for c in columns[table]}
        )
        for table, found in rows.items()
    }


def _care_leavers_return(case: dict) -> dict[str, pl.DataFrame]:
    """OC3 rows (year, and activity and in_touch where answered) the care leavers'
    return recorded, if any."""
    if "oc3" not in case:
        return {}
    rows = case["oc3"]
    return {
        "oc3": pl.DataFrame(
            {
                "CHILD": [CHILD] * len(rows),
                "YEAR": [r["year"] for r in rows],
                "IN_TOUCH": [r.get("in_touch") for r in rows],
                "ACTIV": [r.get("activity") for r in rows],
            },
            schema={
                "CHILD": pl.String,
                "YEAR": pl.String,
                "IN_TOUCH": pl.String,
                "ACTIV": pl.String,
            },
        )
    }


def _missing(case: dict) -> dict[str, pl.DataFrame]:
    """Missing episodes (start, end) and return interviews offered (missing_from, offered)."""
    tables = {}
    if "missing" in case:
        spells = case["missing"]
        tables["missing"] = pl.DataFrame(
            {
                "CHILD": [CHILD] * len(spells),
                "MIS_START": [_date(s["start"]) for s in spells],
                "MIS_END": [_date(s.get("end")) for s in spells],
            },
            schema={"CHILD": pl.String, "MIS_START": pl.Date, "MIS_END": pl.Date},
        )
    if "return_interviews" in case:
        offers = case["return_interviews"]
        tables["return_interviews"] = pl.DataFrame(
            {
                "CHILD": [CHILD] * len(offers),
                "MIS_START": [_date(o["missing_from"]) for o in offers],
                "OFFER_DATE": [_date(o["offered"]) for o in offers],
            },
            schema={"CHILD": pl.String, "MIS_START": pl.Date, "OFFER_DATE": pl.Date},
        )
    return tables


def _iros(case: dict) -> dict[str, pl.DataFrame]:
    """The child's independent reviewing officers (start, end, id), if the record keeps them."""
    if "iros" not in case:
        return {}
    officers = case["iros"]
    return {
        "iro": pl.DataFrame(
            {
                "CHILD": [CHILD] * len(officers),
                "IRO_ID": [str(o.get("id", "IRO1")) for o in officers],
                "START_DATE": [_date(o["start"]) for o in officers],
                "END_DATE": [_date(o.get("end")) for o in officers],
            },
            schema=record_table("iro").schema(),
        )
    }


def record_of(case: dict) -> Record:
    """The record a scenario describes."""
    child = case.get("child", {})
    header = pl.DataFrame({"CHILD": [CHILD], "DOB": [_date(child.get("dob", "01/06/2015"))]})
    tables = {"header": header}
    if "episodes" in case:
        tables["episodes"] = _episodes(case["episodes"])
    return Record.of(
        tables | _events(case) | _missing(case) | _care_leavers_return(case) | _iros(case)
    )


def _check_duties(case: dict, record: Record, as_at: date) -> None:
    owed = {row["DUTY"]: row for row in duties_as_at(record, as_at).iter_rows(named=True)}
    expected = {e["duty"]: e for e in case.get("expect", [])}
    not_recorded = set(case.get("not_recorded", []))
    listed = set(expected) | not_recorded
    assert set(owed) == listed, (
        f"owed but not listed: {sorted(set(owed) - listed)}; "
        f"listed but not owed: {sorted(listed - set(owed))}"
    )
    for duty in not_recorded:
        assert owed[duty]["STATUS"] == "not recorded", duty
    for duty, e in expected.items():
        row = owed[duty]
        assert (row["STATUS"], row["DUE_DATE"]) == (e["status"], _date(e["due"])), duty
        if "last_done" in e:
            assert row["LAST_DONE"] == _date(e["last_done"]), duty
        if "days_overdue" in e:
            assert row["DAYS_OVERDUE"] == e["days_overdue"], duty


def _check_entitlements(case: dict, record: Record, as_at: date) -> None:
    assert "entitlements" in case, "say which entitlements are held: `entitlements: []` if none"
    held = {row["ENTITLEMENT"]: row for row in entitlements_on(record, as_at).iter_rows(named=True)}
    expected = {e["entitlement"]: e for e in case["entitlements"]}
    assert set(held) == set(expected), f"held: {sorted(held)}"
    for name, e in expected.items():
        assert held[name]["UNTIL"] == _date(e["until"]), name
        assert held[name]["AMOUNT"] == e.get("amount"), name


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert case["regulation"] and case["story"]
    assert set(case) <= KEYS | set(EVENTS), (
        f"unknown keys: {sorted(set(case) - KEYS - set(EVENTS))}"
    )
    record, as_at = record_of(case), _date(case["as_at"])
    if "expect_error" in case:
        _check_error(case, record, as_at)
        return
    _check_duties(case, record, as_at)
    _check_entitlements(case, record, as_at)


def _check_error(case: dict, record: Record, as_at: date) -> None:
    """The duties engine refuses the question with the error named, in words that say
    what is wrong; the scenario lists nothing owed or held, as nothing can be said."""
    assert not {"expect", "not_recorded", "entitlements"} & set(case)
    expected = case["expect_error"]
    with pytest.raises(ERRORS[expected["error"]]) as raised:
        duties_as_at(record, as_at)
    for words in expected["says"]:
        assert words in str(raised.value), (words, str(raised.value))
