"""The bridge: a record put into the database comes back exactly as it went in, table by
table, for the whole authority or one child, and knows which tables it keeps at all."""

from datetime import date, timedelta

import polars as pl
import pytest
from django.utils import timezone
from polars.testing import assert_frame_equal

from carematters.records.extract import extract_return
from carematters.records.record import Record
from carematters.records.returns import record_tables
from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.years import CollectionYear
from carematters.synth.authority import simulate
from carematters.web.bridge import (
    RecordPresentError,
    holds_a_record,
    load_record,
    mark_held,
    record_from_db,
)
from carematters.web.casework.models import Header, Oc2, Visit
from carematters.web.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def authority():
    """A small synthetic authority's whole record, people's names and all."""
    return Record.of(simulate(40, 2022, 2024, seed=5))


def _assert_same(back: Record, expected: Record) -> None:
    for table in RECORD_TABLES:
        assert_frame_equal(back.table(table.name), expected.table(table.name))
    assert back.held == expected.held


def test_the_authority_comes_back_table_for_table(authority):
    counts = load_record(authority)
    assert counts["people"] == authority.header.height > 100
    assert counts["visits"] == authority.visits.height > 1000
    _assert_same(record_from_db(), authority)


def test_one_child_s_record_is_their_cut_of_the_whole(authority, django_assert_num_queries):
    load_record(authority)
    busiest = authority.visits.get_column("CHILD").mode().sort()[0]
    # The held tables, then one query per table of the record, however many children.
    with django_assert_num_queries(1 + len(RECORD_TABLES)):
        one = record_from_db([busiest])
    _assert_same(one, authority.for_children([busiest]))
    assert one.visits.height > 10
    some = authority.header.get_column("CHILD").head(7).to_list()
    with django_assert_num_queries(1 + len(RECORD_TABLES)):
        several = record_from_db(some)
    _assert_same(several, authority.for_children(some))


@pytest.mark.parametrize("children", [["no such child"], []])
def test_a_child_the_database_does_not_know_has_an_empty_record_of_the_same_tables(
    authority, children
):
    load_record(authority)
    nobody = record_from_db(children)
    _assert_same(nobody, authority.for_children(children))
    assert all(nobody.table(t.name).is_empty() for t in RECORD_TABLES)
    assert nobody.held == authority.held


def test_a_plain_return_keeps_no_visits_after_the_round_trip(authority):
    """A record made from a return holds only the return's tables: the database must not
    turn "no visits kept" into "no visit made"."""
    year = CollectionYear(2024)
    plain = Record.of(record_tables(extract_return(authority.tables(), year), year))
    load_record(plain)
    back = record_from_db()
    _assert_same(back, plain)
    assert back.holds("episodes") and not back.holds("visits") and not back.holds("people")


def test_an_empty_table_is_still_held():
    header = pl.DataFrame({"CHILD": ["C1"], "SEX": ["F"], "DOB": [date(2012, 5, 1)]})
    peps = pl.DataFrame(schema={"CHILD": pl.String, "PEP_DATE": pl.Date})
    load_record(Record.of({"header": header, "peps": peps}))
    back = record_from_db()
    assert back.held == {"header", "peps"}
    assert back.peps.is_empty()
    assert back.header.row(0) == ("C1", "F", date(2012, 5, 1), None, None, None, None)


def test_values_come_back_exactly_blank_empty_long_odd_and_large():
    """Not given (null) is not the same as an empty text; a value read from a return is
    kept however long or odd, and an integer at the edge of 64 bits survives."""
    odd = 'line one\nline two, with "quotes" and a comma \\. é 😀'
    header = pl.DataFrame(
        {
            "CHILD": ["A", "B", "C", None],
            "UPN": ["", None, "X" * 500, odd],
            "MC_DOB": [date(1, 1, 1), date(9999, 12, 31), None, date(2024, 2, 29)],
        }
    )
    oc2 = pl.DataFrame(
        {"CHILD": ["A", "B"], "SDQ_SCORE": [2**63 - 1, -(2**63)], "YEAR": ["2024-25", None]}
    )
    record = Record.of({"header": header, "oc2": oc2})
    load_record(record)
    _assert_same(record_from_db(), record)
    assert Header.objects.get(child="A").upn == ""
    assert Header.objects.get(child="B").upn is None
    assert Oc2.objects.get(child="A").sdq_score == 2**63 - 1


def test_withdrawn_rows_are_not_in_the_record(authority):
    load_record(authority)
    withdrawn = Visit.objects.order_by("pk").first()
    Visit.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="entered on the wrong child"
    )
    back = record_from_db()
    assert back.visits.height == authority.visits.height - 1
    assert_frame_equal(back.visits, authority.visits.slice(1))
    assert Visit.objects.count() == authority.visits.height


def test_a_second_record_is_refused_and_nothing_changes(authority):
    load_record(authority)
    before = Visit.objects.count()
    another = Record.of({"visits": authority.visits.head(3)})
    with pytest.raises(RecordPresentError, match="only loaded into an empty database"):
        load_record(another)
    assert Visit.objects.count() == before
    _assert_same(record_from_db(), authority)


def test_the_database_is_not_empty_once_it_keeps_a_table_even_with_no_rows():
    assert not holds_a_record()
    mark_held(["visits"])
    assert holds_a_record()
    assert record_from_db().held == {"visits"}
    with pytest.raises(KeyError):
        mark_held(["diaries"])


def test_rows_loaded_are_by_the_user_given_now_at_version_one():
    user = User.objects.create_user("officer", role="performance-officer")
    header = pl.DataFrame({"CHILD": ["C1"]})
    load_record(Record.of({"header": header}), user=user)
    row = Header.objects.get()
    assert row.created_by == user == row.modified_by
    assert row.created_at == row.modified_at
    assert timedelta(0) <= timezone.now() - row.created_at < timedelta(minutes=1)
    assert row.version == 1
    assert (row.withdrawn_at, row.withdrawn_reason, row.replaces) == (None, "", None)
