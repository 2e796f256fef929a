"""The IRO's pages and the child's voice against every role, from the permission matrix
(tests/web/permissions.py): the page where the matrix says Y; where it says N, "page not
found", the same as for no child; a child's views and reviews pages, like the rest of
their record, offer the form asking for a reason where the matrix's `reason-page` says so."""

from __future__ import annotations

import pytest

from tests.web.pages_world import Pages, build_pages_world
from tests.web.permissions import (
    CHILDREN,
    MATRIX,
    PAGES,
    ROLES,
    child_in,
    page_problem,
)

pytestmark = pytest.mark.django_db

RECORD_PAGES = ("/children/{child}/views/", "/children/{child}/reviews/")
"""Pages of a child's record: the matrix's `view`."""
CHAIR_PAGES = (
    PAGES["chair"],
    "/children/{child}/reviews/postpone/",
    "/reviews/escalations/raise/{child}/",
)
"""The named IRO's forms: the matrix's `chair`."""

CASES: list[tuple[str, str, str, bool]] = [
    *(
        ("view", page.format(child=row.child), role, allowed)
        for row in MATRIX
        if row.question == "view"
        for page in RECORD_PAGES
        for role, allowed in row.expected.items()
    ),
    *(
        ("form", page.format(child=row.child), role, allowed)
        for row in MATRIX
        if row.question in {"hear", "chair"}
        for page in (CHAIR_PAGES if row.question == "chair" else (PAGES["hear"],))
        for role, allowed in row.expected.items()
    ),
    *(
        ("page", str(PAGES[row.question]), role, allowed)
        for row in MATRIX
        if row.question in {"iro-page", "escalations", "iro-report", "iro-csv"}
        for role, allowed in row.expected.items()
    ),
]
URLS = sorted({url for _, url, _, _ in CASES})


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def test_every_page_is_asked_of_every_role():
    children = len(CHILDREN)
    assert len(URLS) == 2 * children + (children + 3 * 5) + 4
    assert len(CASES) == len(URLS) * len(ROLES)


def _problem(pages: Pages, kind: str, url: str, role: str, allowed: bool) -> str | None:
    response = pages.signed_in(pages.world.users[role].username).get(url)
    child = child_in(url)
    return page_problem(
        response,
        role,
        url,
        allowed=allowed,
        shown=f"child {child}" if child else "",
        reason_page=kind == "view",
    )


@pytest.mark.parametrize("url", URLS)
def test_each_page_for_each_role(pages, url):
    wrong = [
        problem
        for kind, u, role, allowed in CASES
        if u == url and (problem := _problem(pages, kind, url, role, allowed)) is not None
    ]
    assert not wrong, f"{url}: " + "; ".join(wrong)


def test_the_iro_and_the_director_have_their_links(pages):
    iro = pages.signed_in("iro").get("/reviews/").content.decode()
    assert 'href="/reviews/" aria-current="page"' in iro
    director = pages.signed_in("director").get("/reviews/report/").content.decode()
    assert 'href="/reviews/report/" aria-current="page"' in director
    worker = pages.signed_in("social-worker").get("/caseload/").content.decode()
    assert 'href="/reviews/' not in worker
