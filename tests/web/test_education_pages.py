"""The education pages (issue 12): the Virtual School Head's list of children in care of
school age and a child's education section, opened without a reason and audited; a
designated teacher's pupils, and "page not found" for any other child; recording a PEP
meeting from the section moves what is due. The world: tests/web/education_world.py."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.web.audit.models import Action, Event
from carematters.web.casework.due import Due
from carematters.web.casework.education import school_year_words
from carematters.web.casework.models import Pep
from tests.web.education_world import (
    ALLOCATED,
    OTHER,
    SEALED,
    TEAM,
    Education,
    build_education_world,
)
from tests.web.recording_world import date_fields

pytestmark = pytest.mark.django_db

AMARA = "Amara Testwhistle: education | 11 | Year 6 | None recorded | Overdue"
"""ALLOCATED's line: aged 11, Year 6, no PEP meeting, the first PEP overdue."""


@pytest.fixture
def school() -> Education:
    return build_education_world()


def _rows(html: str) -> list[str]:
    """The list's rows, each as its cells' text joined by " | "."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]
    text = [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row] for row in cells]
    return [" | ".join(row).replace(" :", ":") for row in text]


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_the_virtual_school_head_lands_on_the_education_list(school):
    response = school.signed_in("virtual-school-head").get("/")
    assert response["Location"] == "/education/"
    html = school.signed_in("virtual-school-head").get("/education/").content.decode()
    assert 'href="/education/" aria-current="page"' in html
    assert 'href="/figures/"' in html


def test_the_list_holds_the_children_in_care_of_school_age_worst_first(school):
    html = school.signed_in("virtual-school-head").get("/education/").content.decode()
    rows = _rows(html)
    # OTHER is 3, LEAVER left care, SEALED does not name the Virtual School Head.
    assert len(rows) == 2
    amara, ben = rows
    assert amara.startswith(AMARA)
    assert amara.endswith("| Dee Teacher")
    assert ben.startswith(f"Ben Fictionby: education | 15 | Year 10 | {_day(school.days_ago(20))}")
    assert "Overdue" not in ben
    assert ben.endswith("| None allocated")
    assert "2 children, 1 with their PEP overdue" in html
    assert f'href="/children/{ALLOCATED}/education/"' in html
    assert OTHER not in html and SEALED not in html


def test_the_overdue_filter_keeps_only_those_whose_pep_is_overdue(school):
    html = school.signed_in("virtual-school-head").get("/education/?show=overdue").content.decode()
    rows = _rows(html)
    assert len(rows) == 1
    assert rows[0].startswith("Amara Testwhistle")
    assert 'href="?show=overdue" aria-current="page"' in html


def test_the_list_costs_the_same_queries_for_one_child_or_two(school):
    client = school.signed_in("virtual-school-head")
    client.get("/education/")  # the session and the list's statements, made once
    with CaptureQueriesContext(connection) as two:
        assert client.get("/education/").status_code == 200
    teacher = school.signed_in("designated-teacher")
    teacher.get("/pupils/")
    with CaptureQueriesContext(connection) as one:
        assert teacher.get("/pupils/").status_code == 200
    assert len(two) == len(one)
    # The session, the user, the children they may open, then their stored lines, PEP
    # duties, PEP meetings and the designated teachers: one query each.
    assert len(two) == 7


def test_the_section_shows_the_child_s_peps_and_people(school):
    html = school.signed_in("virtual-school-head").get(f"/children/{TEAM}/education/").content
    html = html.decode()
    assert "Ben Fictionby" in html
    assert "Year 10, by their date of birth" in html
    assert "Kept for them: PEPs are kept from age 4 until their 18th birthday" in html
    assert _day(school.days_ago(20)) in html  # the one PEP meeting
    assert "Loaded with the record" in html  # nobody signed in recorded it
    assert "Cal Colleague" in html  # TEAM's social worker, SW2
    assert "Dee Teacher" not in html  # the designated teacher is Amara's, not Ben's
    assert "Not recorded in carematters yet" in html
    assert "Record a PEP meeting" in html
    # The education section only: no placement, legal status, nor the record's other pages.
    assert "Legal status" not in html
    assert f'href="/children/{TEAM}/chronology/"' not in html


def test_the_virtual_school_head_opens_the_section_without_a_reason_and_it_is_audited(school):
    client = school.signed_in("virtual-school-head")
    response = client.get(f"/children/{ALLOCATED}/education/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give a reason to open this record" not in html
    assert "Amara Testwhistle" in html
    assert "Dee Teacher" in html
    assert "Sam Okafor" in html
    viewed = Event.objects.get(child=ALLOCATED, user=school.world.users["vsh"])
    assert (viewed.action, viewed.what, viewed.reason) == (Action.VIEWED, "Education section", "")
    # The rest of the record still asks for a reason.
    overview = client.get(f"/children/{ALLOCATED}/").content.decode()
    assert "Give a reason to open this record" in overview


def test_a_social_worker_finds_education_among_the_record_s_pages(school):
    html = school.signed_in("social-worker").get(f"/children/{ALLOCATED}/").content.decode()
    assert f'href="/children/{ALLOCATED}/education/"' in html
    section = school.signed_in("social-worker").get(f"/children/{ALLOCATED}/education/")
    assert f'href="/children/{ALLOCATED}/chronology/"' in section.content.decode()


def test_the_designated_teacher_sees_their_pupils_and_no_other_child(school):
    client = school.signed_in("designated-teacher")
    assert client.get("/")["Location"] == "/pupils/"
    html = client.get("/pupils/").content.decode()
    assert 'href="/pupils/" aria-current="page"' in html
    assert 'href="/approvals/"' in html
    rows = _rows(html)
    assert len(rows) == 1
    assert rows[0].startswith(AMARA)
    assert client.get(f"/children/{ALLOCATED}/education/").status_code == 200
    for child in (TEAM, OTHER, SEALED, "1999999"):
        response = client.get(f"/children/{child}/education/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
        assert client.get(f"/children/{child}/record-pep/").status_code == 404
    assert not Event.objects.filter(user=school.world.users["dt"]).exclude(child=ALLOCATED)


def _record_pep(school: Education, username: str, child: str, day: date, client=None):
    return (client or school.signed_in(username)).post(
        f"/children/{child}/record-pep/", {**date_fields("pep_date", day), "action": "save"}
    )


def test_recording_a_pep_moves_what_is_due(school):
    overdue = Due.objects.get(child=ALLOCATED, duty="pep.initial")
    assert overdue.status == "overdue"
    day = school.days_ago(1)
    client = school.signed_in("virtual-school-head")
    response = _record_pep(school, "virtual-school-head", ALLOCATED, day, client)
    assert response.status_code == 302
    assert response["Location"] == f"/children/{ALLOCATED}/education/"
    section = client.get(response["Location"]).content.decode()
    assert "PEP recorded" in section
    assert "Vic Head" in section  # who recorded it
    pep = Pep.objects.current().get(child=ALLOCATED)
    assert (pep.pep_date, pep.created_by) == (day, school.world.users["vsh"])
    assert Due.objects.get(child=ALLOCATED, duty="pep.initial").last_done == day
    assert not Due.objects.filter(child=ALLOCATED, duty__startswith="pep.", status="overdue")
    html = school.signed_in("virtual-school-head").get("/education/").content.decode()
    amara = next(row for row in _rows(html) if row.startswith("Amara"))
    assert f"| {_day(day)} |" in amara
    assert "Overdue" not in amara
    assert "0 with their PEP overdue" in html


def test_the_designated_teacher_records_a_pep_meeting_for_their_pupil_only(school):
    day = school.days_ago(2)
    response = _record_pep(school, "designated-teacher", ALLOCATED, day)
    assert response["Location"] == f"/children/{ALLOCATED}/education/"
    assert Pep.objects.current().get(child=ALLOCATED).created_by == school.world.users["dt"]
    assert _record_pep(school, "designated-teacher", TEAM, day).status_code == 404
    assert Pep.objects.current().filter(child=TEAM).count() == 1


def test_others_find_no_education_list(school):
    for username in ("social-worker", "director", "designated-teacher", "lead-member"):
        assert school.signed_in(username).get("/education/").status_code == 404
    for username in ("social-worker", "virtual-school-head", "director"):
        assert school.signed_in(username).get("/pupils/").status_code == 404


@pytest.mark.parametrize(
    ("born", "on", "words"),
    [
        (date(2015, 9, 1), date(2026, 12, 1), "Year 6"),  # 10 on 31 August 2026
        (date(2016, 8, 31), date(2026, 12, 1), "Year 6"),  # 10 on 31 August 2026
        (date(2016, 9, 1), date(2026, 12, 1), "Year 5"),  # 9 on 31 August 2026
        (date(2021, 9, 1), date(2026, 12, 1), "Reception"),  # 4 on 31 August 2026
        (date(2022, 9, 1), date(2026, 12, 1), "Before Reception"),
        (date(2008, 6, 1), date(2026, 8, 31), "Year 13"),  # 17 on 31 August 2025
        (date(2008, 6, 1), date(2026, 12, 1), None),  # 18 on 31 August 2026: left school
        (None, date(2026, 12, 1), None),
    ],
)
def test_the_school_year_follows_the_age_on_31_august(born, on, words):
    assert school_year_words(born, on) == words
