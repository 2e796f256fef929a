"""A care leaver's recording pages and the caseload against every role, from the
permission matrix (tests/web/permissions.py, LEAVING_MATRIX_TEXT): the page where the
matrix says Y; where it says N, "page not found", the same as for no child (a recording
form never asks for a reason: nobody records by breaking glass)."""

from __future__ import annotations

import pytest

from tests.web.pages_world import Pages, build_pages_world
from tests.web.permissions import CHILDREN, MATRIX, PAGES, ROLES

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "advise": "Record a contact",
    "plan-pathway": "Record a pathway plan or its review",
    "caseload": "",
}
"""The matrix's questions these pages ask, and what the page says when it opens."""

CASES = [
    (row.question, str(PAGES[row.question]).format(child=row.child), role, allowed)
    for row in MATRIX
    if row.question in QUESTIONS
    for role, allowed in row.expected.items()
]


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def test_every_page_is_asked_of_every_role():
    assert len(CASES) == (2 * len(CHILDREN) + 1) * len(ROLES)


def test_each_role_gets_what_the_matrix_says(pages):
    problems = []
    for question, url, role, allowed in CASES:
        response = pages.signed_in(pages.world.users[role].username).get(url)
        html = response.content.decode()
        expected = (200, QUESTIONS[question]) if allowed else (404, "Page not found")
        if response.status_code != expected[0] or expected[1] not in html:
            problems.append(f"{url} as {role}: {response.status_code}, expected {expected[0]}")
    assert problems == []


def test_the_matrix_says_who_may_record_a_contact():
    """The adviser's own contact: nobody else, not even the young person's social worker."""
    row = next(r for r in MATRIX if r.question == "advise" and r.child == CHILDREN["LEAVER"])
    assert [role for role, allowed in row.expected.items() if allowed] == ["pa"]
