"""The duties engine as a caller meets it: any record, however sparse, gives an answer
(never a traceback), and one child's duties are the same asked alone or with everyone."""

from datetime import date

import polars as pl
import pytest
import yaml

from carematters.calendar.working_days import OutsideCalendarError
from carematters.duties.engine import SCHEMA, duties_as_at
from carematters.duties.entitlements import entitlements_on
from carematters.records.record import Record
from carematters.synth.authority import simulate

from .test_scenarios import FOLDER, record_of


def test_a_record_with_no_episodes_owes_nothing():
    record = Record.of({"header": pl.DataFrame({"CHILD": ["A"], "DOB": [date(2010, 1, 1)]})})
    owed = duties_as_at(record, date(2025, 3, 31))
    assert owed.is_empty()
    assert owed.schema == SCHEMA
    assert entitlements_on(record, date(2025, 3, 31)).is_empty()


def test_an_empty_record_owes_nothing():
    assert duties_as_at(Record.of({}), date(2025, 3, 31)).is_empty()


def test_a_caseload_gets_the_same_duties_as_the_whole_authority_gives_it():
    record = Record.of(simulate(200, 2022, 2024, seed=3))
    as_at = date(2025, 3, 31)
    everyone = duties_as_at(record, as_at)
    caseload = everyone["CHILD"].unique().sort().head(30).to_list()
    assert len(caseload) == 30
    alone = duties_as_at(record, as_at, caseload)
    assert alone.equals(everyone.filter(pl.col("CHILD").is_in(caseload)))
    assert set(alone["CHILD"]) == set(caseload)


def test_a_date_past_the_calendar_is_a_clear_error():
    record = Record.of(simulate(20, 2023, 2024, seed=3))
    with pytest.raises(OutsideCalendarError, match="01/01/2150 is outside the years"):
        duties_as_at(record, date(2150, 1, 1))


def test_a_due_date_counted_past_the_calendar_is_a_clear_error():
    """A child who came into care on 20/12/2099: the first review, 20 working days on,
    falls in 2100, a year whose bank holidays carematters does not know."""
    record = Record.of(
        {
            "header": pl.DataFrame({"CHILD": ["A"], "DOB": [date(2090, 1, 1)]}),
            "episodes": pl.DataFrame(
                {"CHILD": ["A"], "DECOM": [date(2099, 12, 20)], "RNE": ["S"], "LS": ["V2"]}
            ),
        }
    )
    with pytest.raises(OutsideCalendarError, match="reached by counting working days"):
        duties_as_at(record, date(2099, 12, 31))


def test_a_visit_sentence_gives_the_child_s_own_rhythm():
    """Placed with a parent before the first review, the child is visited weekly: the
    sentence says so, with the law's number in words, and names the last visit."""
    case = yaml.safe_load(
        (FOLDER / "visit_weekly_at_home_before_first_review.yaml").read_text(encoding="utf-8")
    )
    owed = duties_as_at(record_of(case), date(2025, 3, 12))
    visit = owed.filter(pl.col("DUTY") == "visit.placement").row(0, named=True)
    assert visit["EXPLANATION"].startswith(
        "The child must be visited every week at home with a parent until the first review; "
        "last visited on "
    )
    assert "{" not in "".join(owed["EXPLANATION"])


def test_a_birthday_contact_done_by_the_return_says_so():
    """On an SSDA903-only record the care leavers' return is the only evidence of the
    contact around a birthday: the duty is done with no date, and the sentence names the
    return that says so."""
    case = yaml.safe_load(
        (FOLDER / "leaving_care_oc3_in_touch_by_the_return_in_an_ssda903_record.yaml").read_text(
            encoding="utf-8"
        )
    )
    owed = duties_as_at(record_of(case), date(2025, 3, 31))
    contact = owed.filter(pl.col("DUTY") == "leaving_care.oc3_contact").row(0, named=True)
    assert (contact["STATUS"], contact["LAST_DONE"]) == ("done", None)
    assert contact["EXPLANATION"] == (
        "The young person must be contacted around their birthday on 20/09/2024 (within "
        "3 months either side) for the care leavers' return; the return for 2024-25 records "
        "them in touch"
    )
