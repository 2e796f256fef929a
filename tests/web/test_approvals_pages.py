"""What the approvals pages show each person: the social worker their requests and their
state, the team manager those waiting for them and their team's, the director the
decisions reserved to them, the IRO those about children they review; a child's decisions
and a request's page; the link in the header for the roles that use them.

The world is the permission matrix's (tests/web/permissions.py) with Robin's record
(tests/web/recording_world.py): Robin (ALLOCATED) is `social-worker`'s, in
`team-manager`'s team, reviewed by `iro`; TEAM is a colleague's child in the same team.
"""

from __future__ import annotations

import html as markup
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.web.approvals.models import Request, State
from carematters.web.casework.models import Person
from carematters.web.people.roles import Role
from tests.web.approvals_world import approved
from tests.web.permissions import CHILDREN
from tests.web.recording_world import CHILD, Recording

pytestmark = pytest.mark.django_db

TEAM = CHILDREN["TEAM"]


def _waiting(child: str, day, approver: str) -> Request:
    made = approved(child, day)
    Request.objects.filter(pk=made.pk).update(
        state=State.WAITING, approver=approver, decided_by=None, decided_on=None
    )
    return Request.objects.get(pk=made.pk)


def _captions(html: str) -> list[str]:
    """Each table's caption, or the heading that stands for an empty one, in page order."""
    found = re.findall(r'(?:govuk-table__caption[^"]*|govuk-heading-m)">([^<]+)<', html)
    return [markup.unescape(text) for text in found]


@pytest.fixture
def requests(robin: Recording) -> dict[str, Request]:
    """Ending Robin's care in a week, waiting for the team manager; ending TEAM's in two,
    waiting for the director; a move of Robin's last month, approved by the director."""
    Person.objects.create(child=TEAM, given_name="Ben", family_name="Fictionby")
    return {
        "robin": _waiting(CHILD, robin.today + timedelta(days=7), Role.TEAM_MANAGER.value),
        "team": _waiting(TEAM, robin.today + timedelta(days=14), Role.DIRECTOR.value),
        "moved": approved(CHILD, robin.today - timedelta(days=30), "U6", "ZZ4 5AB"),
    }


def test_the_social_worker_sees_their_childrens_requests_and_their_state(robin, requests):
    html = robin.signed_in().get("/approvals/").content.decode()
    assert _captions(html) == ["Your requests"]
    assert html.count("Robin Ashdown") == 2
    assert "Ben Fictionby" not in html  # a colleague's child
    assert "Waiting for a decision" in html
    assert "Approved" in html


def test_the_team_manager_sees_what_waits_for_them_then_their_teams(robin, requests):
    html = robin.signed_in("team-manager").get("/approvals/").content.decode()
    assert _captions(html) == ["Waiting for your decision", "Your team's requests"]
    waiting, team = html.split("Your team&#x27;s requests")
    assert f'href="/approvals/{requests["robin"].pk}/"' in waiting
    assert f'href="/approvals/{requests["team"].pk}/"' not in waiting  # the director's
    assert all(f'href="/approvals/{r.pk}/"' in team for r in requests.values())


def test_the_director_sees_the_decisions_reserved_to_them(robin, requests):
    html = robin.signed_in("director").get("/approvals/").content.decode()
    assert _captions(html) == [
        "Decisions reserved to you, waiting",
        "Decisions reserved to you, decided",
    ]
    waiting, decided = html.split("Decisions reserved to you, decided")
    assert f'href="/approvals/{requests["team"].pk}/"' in waiting
    assert "Ben Fictionby" in waiting
    assert f'href="/approvals/{requests["moved"].pk}/"' in decided
    assert f'href="/approvals/{requests["robin"].pk}/"' not in html  # the team manager's


def test_the_iro_sees_decisions_about_the_children_they_review(robin, requests):
    html = robin.signed_in("iro").get("/approvals/").content.decode()
    assert _captions(html) == ["Waiting for your answer", "Decisions about children you review"]
    waiting = html.split("Decisions about children you review")[0]
    # Ending Robin's care needs their IRO consulted: it waits for their answer, on its page.
    assert f'href="/approvals/{requests["robin"].pk}/answer/"' in waiting
    assert f'href="/approvals/{requests["robin"].pk}/"' in html
    assert f'href="/approvals/{requests["team"].pk}/"' not in html


def test_an_empty_list_says_so(robin):
    html = robin.signed_in("team-manager").get("/approvals/").content.decode()
    assert html.count('<p class="govuk-body">None.</p>') == 2


def test_the_approvals_page_asks_the_same_queries_however_many_requests(robin, requests):
    client = robin.signed_in("team-manager")
    client.get("/approvals/")  # renews the session, which the next minute's pages do not
    with CaptureQueriesContext(connection) as few:
        client.get("/approvals/")
    for _ in range(5):
        _waiting(CHILD, robin.today + timedelta(days=3), Role.TEAM_MANAGER.value)
    with CaptureQueriesContext(connection) as many:
        client.get("/approvals/")
    assert len(many) == len(few)


def test_a_childs_decisions_and_asking_for_one(robin, requests):
    html = robin.signed_in().get(f"/children/{CHILD}/decisions/").content.decode()
    assert "Ask for a decision" in html
    assert len(re.findall(r'href="/approvals/\d+/"', html)) == 2
    manager = robin.signed_in("team-manager").get(f"/children/{CHILD}/decisions/")
    assert "Ask for a decision" not in manager.content.decode()
    form = robin.signed_in().get(f"/children/{CHILD}/decisions/ask/").content.decode()
    assert 'name="to_placement"' in form
    assert '<option value="K3"' in form  # this year's placement types


def test_a_request_page_shows_why_it_needs_approval_and_who_decides(robin, requests):
    html = robin.signed_in().get(f"/approvals/{requests['robin'].pk}/").content.decode()
    assert "Why it needs approval" in html
    assert "Ceasing to look after a child" in html
    assert "needs the nominated officer&#x27;s approval" in html
    assert "The team manager of their team: team-manager" in html
    assert "Record someone consulted" in html  # the social worker's form
    assert "Record your decision" not in html  # not theirs


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("social-worker", True),
        ("team-manager", True),
        ("director", True),
        ("iro", True),
        ("performance-officer", False),
    ],
)
def test_the_header_links_to_approvals_for_the_roles_that_use_it(robin, username, shown):
    html = robin.signed_in(username).get("/children/").content.decode()
    assert ('href="/approvals/"' in html) is shown
