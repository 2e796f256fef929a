"""Every reading page against every role, from the permission matrix (tests/web/permissions.py):
the page where the matrix says Y; where it says N, the form asking for a reason where the
matrix's `reason-page` says so (for a child who does not exist too), else "page not
found", the same as for no child."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.pages_world import Pages, build_pages_world
from tests.web.permissions import (
    CHILDREN,
    MATRIX,
    PAGES,
    ROLES,
    asked_for_a_reason,
    page_cases,
    sent_to_own_page,
)

pytestmark = pytest.mark.django_db

MINE = {"view", "access-log", "allocate", "figures", "users"}
"""The matrix's questions these pages ask (recording's forms are tested with them)."""
SUB_PAGES = ("chronology/", "due/", "people/")
"""The rest of a child's record: the same question as its overview."""

CASES = [
    (url, role, allowed)
    for url, role, allowed in page_cases()
    if any(
        url == PAGES[q].format(child=child) for q in MINE for child in [*CHILDREN.values(), None]
    )
]
CASES += [
    (url + page, role, allowed)
    for url, role, allowed in CASES
    if url.count("/") == 3 and url.startswith("/children/")
    for page in SUB_PAGES
]


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def test_the_cases_cover_every_page():
    assert len(CASES) == len(ROLES) * (
        sum(1 for row in MATRIX if row.question in MINE)
        + len(SUB_PAGES) * sum(1 for row in MATRIX if row.question == "view")
    )


URLS = sorted({url for url, _, _ in CASES})


def _answer(pages: Pages, url: str, role: str, allowed: bool) -> str | None:
    """What is wrong with the page `role` gets at `url`, or None if it is as expected."""
    user = pages.world.users[role]
    response = pages.signed_in(user.username).get(url)
    html = response.content.decode()
    child = url.split("/")[2] if url.startswith("/children/") else None
    asks_a_reason = (
        child is not None
        and not url.endswith(("/access-log/", "/allocate/"))
        and asked_for_a_reason(role, child)
    )
    if allowed and (own := sent_to_own_page(role, url)) is not None:
        if response.status_code != 302 or response["Location"] != own:
            return f"{role}: {response.status_code}, expected to be sent to {own}"
        return None
    if allowed:
        expected = (200, f"Child {child}" if child else "")
    elif asks_a_reason:
        expected = (200, "Give a reason to open this record")
    else:
        expected = (404, "Page not found")
    if response.status_code != expected[0] or expected[1] not in html:
        return f"{role}: {response.status_code}, expected {expected}"
    if allowed and "Give a reason to open this record" in html:
        return f"{role}: asked for a reason"
    return None


@pytest.mark.parametrize("url", URLS)
def test_each_page_for_each_role(pages, url):
    """One world per page, every role asked of it in turn."""
    expected = {role: allowed for u, role, allowed in CASES if u == url}
    wrong = [
        problem
        for role, allowed in expected.items()
        if (problem := _answer(pages, url, role, allowed)) is not None
    ]
    assert not wrong, f"{url}: " + "; ".join(wrong)


def test_a_stranger_is_sent_to_sign_in(pages):
    for url in ("/caseload/", "/team/", "/children/1000001/", "/figures/", "/users/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize(
    ("username", "start"),
    [
        ("social-worker", "/caseload/"),
        ("team-manager", "/team/"),
        ("iro", "/caseload/"),
        ("personal-adviser", "/caseload/"),
        ("designated-teacher", "/pupils/"),
        ("virtual-school-head", "/education/"),
        ("director", "/children/"),
        ("lead-member", "/figures/"),
        ("performance-officer", "/children/"),
        ("young-person", "/my-record/"),
        ("administrator", "/users/"),
    ],
)
def test_each_role_lands_on_its_own_page(pages, username, start):
    response = pages.signed_in(username).get("/")
    assert response.status_code == 302
    assert response["Location"] == start


def test_the_menu_shows_the_roles_pages(pages):
    html = pages.signed_in("director").get("/children/").content.decode()
    assert 'href="/children/" aria-current="page"' in html
    assert 'href="/figures/"' in html
    assert 'href="/team/"' not in html
