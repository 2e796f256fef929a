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
    asked_for_a_reason,
    sent_to_own_page,
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
    user = pages.world.users[role]
    response = pages.signed_in(user.username).get(url)
    html = response.content.decode()
    child = next((c for c in CHILDREN.values() if f"/{c}/" in url), None)
    if allowed and (sent := sent_to_own_page(role, url)) is not None:
        # The young person reads about their own record on pages written to them.
        if (response.status_code, response.get("Location")) != (302, sent):
            return f"{role}: {response.status_code}, expected to be sent to {sent}"
        return None
    if allowed:
        expected = (200, SHOWN[question])
    elif question == "education" and child is not None and asked_for_a_reason(role, child):
        expected = (200, "Give a reason to open this record")
    else:
        expected = (404, "Page not found")
    if response.status_code != expected[0] or expected[1] not in html:
        return f"{role}: {response.status_code}, expected {expected}"
    return None


@pytest.mark.parametrize("url", URLS)
def test_each_page_for_each_role(pages, url):
    wrong = [
        problem
        for question, u, role, allowed in CASES
        if u == url and (problem := _problem(pages, question, url, role, allowed)) is not None
    ]
    assert not wrong, f"{url}: " + "; ".join(wrong)
