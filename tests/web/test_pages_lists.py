"""The pages that name no one child's record: the list of children, the figures, users
and teams."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.web.audit.models import Event
from carematters.web.casework.models import Header, Person
from tests.web.pages_world import Pages, build_pages_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def _rows(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def test_the_director_lists_every_child_by_family_name(pages):
    html = pages.signed_in("director").get("/children/").content.decode()
    assert "5 children you can open, by family name." in html
    # Children without a name in the record last, by CHILD.
    assert _rows(html) == [
        "Ben Fictionby 1000002 1 May 2012",
        "Amara Testwhistle known as Mara 1000001 1 May 2012",
        "Name not recorded 1000003 1 May 2012",
        "Name not recorded 1000004 1 May 2012",
        "Name not recorded 1000005 1 May 2012",
    ]
    assert not Event.objects.filter(what="Overview").exists()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("testwh", ["1000001"]),
        ("mara", ["1000001"]),
        ("1000002", ["1000002"]),
        ("ben fiction", ["1000002"]),
        ("nobody", []),
    ],
)
def test_a_child_is_found_by_any_of_their_names_or_id(pages, query, found):
    html = pages.signed_in("director").get("/children/", {"q": query}).content.decode()
    assert re.findall(r'href="/children/(\d+)/"', html) == found


def test_a_social_worker_finds_only_the_children_they_may_open(pages):
    html = pages.signed_in("social-worker").get("/children/").content.decode()
    assert re.findall(r'href="/children/(\d+)/"', html) == ["1000002", "1000001"]


def test_the_list_is_paged_in_the_same_queries(pages):
    client = pages.signed_in("director")
    client.get("/children/")
    with CaptureQueriesContext(connection) as few:
        client.get("/children/")
    for n in range(60):
        Header.objects.create(child=f"40000{n:02d}", sex="1", dob=date(2010, 1, 1))
        Person.objects.create(child=f"40000{n:02d}", given_name="Zed", family_name=f"Zz{n:02d}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/children/", {"q": "zz"}).content.decode()
    assert len(_rows(html)) == 50
    assert "Page 2 of 2" in html and 'href="?page=2&amp;q=zz"' in html
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "username",
    ["lead-member", "administrator", "young-person", "designated-teacher", "virtual-school-head"],
)
def test_who_opens_no_records_has_no_list(pages, username):
    assert pages.signed_in(username).get("/children/").status_code == 404


def test_the_figures_name_no_child(pages):
    html = pages.signed_in("lead-member").get("/figures/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # In care today: ALLOCATED, TEAM, OTHER, SEALED (LEAVER left at T-30). One care
    # leaver with a personal adviser. Overdue: ALLOCATED's visit, SEALED's first visit;
    # OTHER's first visit (never visited) too.
    assert "Children looked after today 4" in text
    assert "Care leavers with a personal adviser 1" in text
    assert "Children and young people with overdue statutory work 3" in text
    assert _rows(html) == ["First visit in a new placement 2", "Visit 1"]
    assert "Amara" not in html and "1000001" not in html


def test_the_administrator_sees_users_and_teams(pages):
    html = pages.signed_in("administrator").get("/users/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Team A Tess Manager 2" in text
    assert "Okafor" in text and "social-worker Social worker Team A Yes" in text
    assert "Amara" not in html
