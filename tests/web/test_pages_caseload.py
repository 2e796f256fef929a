"""The caseload: a social worker's children in words, worst first, the same few queries
however many children there are."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.web.audit.models import Event
from carematters.web.casework.due import refresh_due
from carematters.web.casework.models import Episode, Header, SocialWorkerEpisode
from tests.web.pages_world import ALLOCATED, SEALED, TEAM, Pages, build_pages_world, postcode_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(settings, tmp_path) -> Pages:
    settings.POSTCODES = str(postcode_list(tmp_path))
    settings.LA_CODE = "999"
    return build_pages_world()


def _rows(html: str) -> list[str]:
    """The table's body rows, tags stripped, whitespace squeezed."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr.*?</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_a_social_worker_sees_their_children_in_words(pages):
    response = pages.signed_in("social-worker").get("/caseload/")
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    # Only the child allocated to them: not the team's (TEAM), nor the restricted
    # record they are not named on (SEALED), though SW1 is its social worker too.
    assert len(rows) == 1
    age = _age(date(2012, 5, 1), pages.today)
    assert rows[0] == (
        f"Amara Testwhistle known as Mara {age} Foster care 10.0 miles, out of area "
        "Care order Ivy Reviewer 1 overdue None None"
    )


def test_the_worst_first(pages):
    # TEAM given to SW1 as well: their caseload is then ALLOCATED (1 overdue) first,
    # then TEAM (due today, this week).
    SocialWorkerEpisode.objects.create(child=TEAM, sw_id="SW1", sw_decom=pages.days_ago(1))
    response = pages.signed_in("social-worker").get("/caseload/")
    rows = _rows(response.content.decode())
    assert [row.split(" known as")[0].split(" 1")[0] for row in rows] == [
        "Amara Testwhistle",
        "Ben Fictionby",
    ]
    assert rows[1].endswith("None 1 due None")
    assert "5.0 miles" in rows[1] and "out of area" not in rows[1]


def test_the_table_sorts_in_the_browser(pages):
    html = pages.signed_in("social-worker").get("/caseload/").content.decode()
    assert 'data-module="moj-sortable-table"' in html
    assert html.count('aria-sort="none"') == 8
    # The overdue column sorts by the count, not the tag's words.
    assert 'data-sort-value="1"' in html


def test_the_same_queries_for_one_child_or_thirty(pages):
    client = pages.signed_in("social-worker")
    client.get("/caseload/")  # renews the session, which the next minute's pages do not
    with CaptureQueriesContext(connection) as one:
        client.get("/caseload/")
    for n in range(29):
        child = f"20000{n:02d}"
        Header.objects.create(child=child, sex="1", dob=date(2014, 1, 1))
        Episode.objects.create(child=child, decom=pages.days_ago(50), rne="S", ls="C2", place="U6")
        SocialWorkerEpisode.objects.create(child=child, sw_id="SW1", sw_decom=pages.days_ago(50))
    refresh_due([f"20000{n:02d}" for n in range(29)], pages.today)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get("/caseload/")
    assert len(_rows(response.content.decode())) == 30
    assert len(thirty) == len(one)


def test_the_caseload_is_few_queries(pages, django_assert_max_num_queries):
    client = pages.signed_in("social-worker")
    client.get("/caseload/")  # the session's first request saves it
    # The session and user (2); the children (1); the held tables and one per record
    # table (22); what is due (1); the IROs' names (1); the session saved (3).
    with django_assert_max_num_queries(30):
        client.get("/caseload/")


def test_the_caseload_is_not_a_view_of_each_record(pages):
    before = Event.objects.count()
    pages.signed_in("social-worker").get("/caseload/")
    assert Event.objects.count() == before


def test_an_iro_sees_the_children_they_review(pages):
    rows = _rows(pages.signed_in("iro").get("/caseload/").content.decode())
    # IRO1 is named for ALLOCATED and SEALED (restricted: not them).
    assert len(rows) == 1
    assert rows[0].startswith("Amara Testwhistle")


def test_a_personal_adviser_sees_their_care_leavers(pages):
    rows = _rows(pages.signed_in("personal-adviser").get("/caseload/").content.decode())
    assert len(rows) == 1
    # In leaving care's own columns (tests/web/test_leaving_adviser.py), not a social
    # worker's: LEAVER left care at 13, so the law makes them no care leaver.
    assert "Not a care leaver by their record" in rows[0]
    assert "Not looked after today" not in rows[0]


@pytest.mark.parametrize(
    "username",
    [
        "virtual-school-head",
        "designated-teacher",
        "director",
        "lead-member",
        "performance-officer",
        "young-person",
        "administrator",
    ],
)
def test_roles_without_a_caseload_find_no_page(pages, username):
    assert pages.signed_in(username).get("/caseload/").status_code == 404


def test_a_stale_calculation_says_when_it_was_worked_out(pages):
    earlier = pages.today - timedelta(days=3)
    refresh_due([ALLOCATED], earlier)  # as if the daily refresh had not run since
    html = pages.signed_in("social-worker").get("/caseload/").content.decode()
    assert f"What is due was last worked out on {earlier.day} {earlier:%B %Y}" in html
    assert SEALED not in html
