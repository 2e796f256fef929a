"""Entitlements: who has them on a day, until when, and the amounts as they stood then."""

from datetime import date

import polars as pl

from carematters.duties.entitlements import entitlements_on
from carematters.records.record import Record

D = date


def _record(*, dob: date, episodes: list[tuple], oc3: list[tuple] = ()) -> Record:
    return Record.of(
        {
            "header": pl.DataFrame({"CHILD": ["A"], "DOB": [dob]}),
            "episodes": pl.DataFrame(
                [("A", *e) for e in episodes],
                schema={
                    "CHILD": pl.String,
                    "DECOM": pl.Date,
                    "RNE": pl.String,
                    "LS": pl.String,
                    "PLACE": pl.String,
                    "DEC": pl.Date,
                    "REC": pl.String,
                },
                orient="row",
            ),
            "oc3": pl.DataFrame(
                [("A", *o) for o in oc3],
                schema={"CHILD": pl.String, "ACTIV": pl.String, "YEAR": pl.String},
                orient="row",
            ),
        }
    )


def _held(tables: Record, day: date) -> dict[str, tuple]:
    found = entitlements_on(tables, day)
    return {
        row["ENTITLEMENT"]: (row["UNTIL"], row["AMOUNT"]) for row in found.iter_rows(named=True)
    }


def test_a_young_person_who_stayed_with_foster_carers_at_18_may_stay_put_until_21():
    tables = _record(
        dob=D(2006, 10, 1),
        episodes=[(D(2019, 5, 1), "S", "C2", "U4", D(2024, 10, 1), "E17")],
        oc3=[("F1", "2024-25")],
    )
    held = _held(tables, D(2025, 3, 31))
    assert held["entitlement.staying_put"] == (D(2027, 10, 1), None)
    assert held["entitlement.personal_adviser"] == (D(2031, 10, 1), None)
    assert held["entitlement.he_bursary"] == (D(2031, 10, 1), 2000)


def test_leaving_for_independent_living_is_not_staying_put_and_work_is_no_bursary():
    tables = _record(
        dob=D(2006, 10, 1),
        episodes=[(D(2019, 5, 1), "S", "C2", "K3", D(2024, 10, 1), "E5")],
        oc3=[("F4", "2024-25")],
    )
    held = _held(tables, D(2025, 3, 31))
    assert "entitlement.staying_put" not in held
    assert "entitlement.he_bursary" not in held
    assert "entitlement.personal_adviser" in held


def test_pupil_premium_plus_is_paid_at_the_rate_of_the_day():
    tables = _record(dob=D(2015, 1, 1), episodes=[(D(2024, 1, 1), "S", "C2", "U6", None, None)])
    assert _held(tables, D(2025, 3, 31))["entitlement.pupil_premium_plus"] == (D(2031, 1, 1), 2570)
    assert _held(tables, D(2025, 4, 1))["entitlement.pupil_premium_plus"] == (D(2031, 1, 1), 2630)


def test_pupil_premium_plus_before_its_first_amount_is_not_invented():
    tables = _record(dob=D(2015, 1, 1), episodes=[(D(2023, 1, 1), "S", "C2", "U6", None, None)])
    assert "entitlement.pupil_premium_plus" not in _held(tables, D(2024, 3, 31))


def test_before_april_2018_the_personal_adviser_ended_at_21():
    tables = _record(
        dob=D(1996, 10, 1),
        episodes=[(D(2010, 5, 1), "S", "C2", "U4", D(2014, 10, 1), "E17")],
    )
    assert _held(tables, D(2017, 3, 31))["entitlement.personal_adviser"] == (D(2017, 10, 1), None)
    assert _held(tables, D(2018, 4, 1))["entitlement.personal_adviser"] == (D(2021, 10, 1), None)


def test_staying_put_did_not_exist_before_13_may_2014():
    tables = _record(
        dob=D(1995, 10, 1),
        episodes=[(D(2009, 5, 1), "S", "C2", "U4", D(2013, 10, 1), "E17")],
    )
    assert "entitlement.staying_put" not in _held(tables, D(2014, 5, 12))
    assert _held(tables, D(2014, 5, 13))["entitlement.staying_put"] == (D(2016, 10, 1), None)
