"""The education pages against every role, from the permission matrix
(tests/web/permissions.py): a child's education section (`education`), the PEP form
(`pep`), the Virtual School Head's list and a designated teacher's pupils. Where the
matrix says Y, the page; where it says N, for the education section, the form asking
for a reason where the matrix's `reason-page` says so (as on the record's other pages),
else "page not found", the same as for no child; the PEP form and the lists never ask
for a reason."""

from __future__ import annotations

import pytest

from tests.web.pages_world import Pages, build_pages_world
from tests.web.permissions import (
    CHILDREN,
    MATRIX,
    PAGES,
    ROLES,
    page_problem,
)

pytestmark = pytest.mark.django_db

QUESTIONS = ("education", "pep", "education-list", "pupils")

CASES = [
    (row.question, str(PAGES[row.question]).format(child=row.child), role, allowed)
    for row in MATRIX
    if row.question in QUESTIONS
    for role, allowed in row.expected.items()
]
URLS = sorted({url for _, url, _, _ in CASES})
SHOWN = {
    "education": "Attendance and exclusions",
    "pep": "Record a personal education plan",
    "education-list": "Children in care of school age",
    "pupils": "Your pupils",
}
"""What each page shows when it opens."""


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def test_every_page_is_asked_of_every_role():
    children = len(CHILDREN)
    assert len(URLS) == 2 * children + 2
    assert len(CASES) == len(URLS) * len(ROLES)


def _problem(pages: Pages, question: str, url: str, role: str, allowed: bool) -> str | None:
    response = pages.signed_in(pages.world.users[role].username).get(url)
    return page_problem(
        response,
        role,
        url,
        allowed=allowed,
        shown=SHOWN[question],
        reason_page=question == "education",
    )


@pytest.mark.parametrize("url", URLS)
def test_each_page_for_each_role(pages, url):
    wrong = [
        problem
        for question, u, role, allowed in CASES
        if u == url and (problem := _problem(pages, question, url, role, allowed)) is not None
    ]
    assert not wrong, f"{url}: " + "; ".join(wrong)
