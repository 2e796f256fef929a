"""A team manager's page, changing a child's social worker, and a child's access log."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.web.audit.models import Action, Event
from carematters.web.casework.due import Due, refresh_due
from carematters.web.casework.models import Episode, Header, SocialWorkerEpisode
from carematters.web.people import actions
from carematters.web.people.models import User
from tests.web.pages_world import (
    ALLOCATED,
    LEAVER,
    OTHER,
    SEALED,
    TEAM,
    Pages,
    build_pages_world,
    postcode_list,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(settings, tmp_path) -> Pages:
    settings.POSTCODES = str(postcode_list(tmp_path))
    settings.LA_CODE = "999"
    return build_pages_world()


def _table(html: str, caption: str) -> list[str]:
    """The rows of the table with this caption, tags stripped, whitespace squeezed."""
    table = html.split(caption, 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    rows = re.findall(r"<tr.*?</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_the_team_page_counts_each_workers_work(pages):
    html = pages.signed_in("team-manager").get("/team/").content.decode()
    # SW1 (Sam Okafor) has ALLOCATED (a visit 18 days overdue) and SEALED (the first
    # visit 93 days overdue): 2 children, both with overdue work, 2 duties overdue.
    # SW2 (Cal Colleague) has TEAM, due today: nothing overdue.
    assert _table(html, "Social workers, most overdue work first") == [
        "Sam Okafor 2 2 2 overdue",
        "Cal Colleague 1 0 None 0",
    ]


def test_the_team_page_lists_the_teams_children_worst_first(pages):
    html = pages.signed_in("team-manager").get("/team/").content.decode()
    rows = _table(html, "The team\N{RIGHT SINGLE QUOTATION MARK}s children")
    names = [row.split(" ")[0:2] for row in rows]
    # SEALED (93 days) before ALLOCATED (18 days): both 1 overdue, the longest first.
    assert names == [["Name", "not"], ["Amara", "Testwhistle"], ["Ben", "Fictionby"]]
    assert rows[2].startswith("Ben Fictionby")
    assert "Cal Colleague None 1 due None 3" in rows[2]
    assert f"/children/{TEAM}/allocate/" in html
    assert f"/children/{TEAM}/access-log/" in html


def test_three_or_more_social_workers_in_the_year_are_listed_apart(pages):
    html = pages.signed_in("team-manager").get("/team/").content.decode()
    assert _table(html, "Children with 3 or more social workers in the last 12 months") == [
        "Ben Fictionby Cal Colleague 3"
    ]


def test_records_opened_by_break_glass_are_shown_to_the_manager(pages):
    pa = pages.world.users["pa"]
    actions.break_glass(pa, ALLOCATED, "Helping with a move")
    # A team B child's opening is not this manager's to see.
    actions.break_glass(pages.world.users["sw"], OTHER, "Police called")
    html = pages.signed_in("team-manager").get("/team/").content.decode()
    rows = _table(html, "Records opened without a relationship, newest first")
    assert len(rows) == 1
    assert (
        "personal-adviser Personal adviser Child 1000001 : access log Helping with a move"
        in rows[0]
    )


def test_the_team_page_is_the_same_queries_for_more_children(pages):
    client = pages.signed_in("team-manager")
    client.get("/team/")
    with CaptureQueriesContext(connection) as few:
        client.get("/team/")
    for n in range(20):
        child = f"30000{n:02d}"
        Header.objects.create(child=child, sex="2", dob=date(2015, 1, 1))
        Episode.objects.create(child=child, decom=pages.days_ago(40), rne="S", ls="C2", place="U6")
        SocialWorkerEpisode.objects.create(child=child, sw_id="SW2", sw_decom=pages.days_ago(40))
    refresh_due([f"30000{n:02d}" for n in range(20)], pages.today)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/team/")
    assert "23 children" in response.content.decode()
    assert len(more) == len(few)


def test_the_page_shown_again_shows_what_changed_since(pages):
    # The tables are kept by what they are made from: a rename, or a visit recorded,
    # makes them anew; nothing seen before is shown again once it has changed.
    client = pages.signed_in("team-manager")
    client.get("/team/")
    User.objects.filter(username="colleague").update(first_name="Callum")
    SocialWorkerEpisode.objects.filter(child=ALLOCATED).update(sw_id="SW2")
    refresh_due([ALLOCATED], pages.today)
    html = client.get("/team/").content.decode()
    assert _table(html, "Social workers, most overdue work first") == [
        "Callum Colleague 2 1 1 overdue",
        "Sam Okafor 1 1 1 overdue",
    ]


@pytest.mark.parametrize(
    "username", ["social-worker", "iro", "director", "lead-member", "young-person", "administrator"]
)
def test_only_a_team_manager_has_a_team_page(pages, username):
    assert pages.signed_in(username).get("/team/").status_code == 404


# Changing a child's social worker ---------------------------------------------------------


def _date_boxes(day: date) -> dict[str, str]:
    """The three boxes of the form's date, filled with `day`."""
    return {"start-day": str(day.day), "start-month": str(day.month), "start-year": str(day.year)}


def _form(pages: Pages, **changes: str) -> dict[str, str]:
    page = pages.signed_in("team-manager").get(f"/children/{TEAM}/allocate/")
    seen = re.search(r'name="seen" value="([^"]*)"', page.content.decode())
    assert seen is not None
    start = pages.days_ago(10)
    sam = User.objects.get(username="social-worker")
    return {
        "worker": str(sam.pk),
        **_date_boxes(start),
        "reason": "MANAGE",
        "seen": seen.group(1),
        **changes,
    }


def test_the_form_offers_the_teams_social_workers(pages):
    html = pages.signed_in("team-manager").get(f"/children/{TEAM}/allocate/").content.decode()
    offered = re.findall(
        r'<label class="govuk-label govuk-radios__label"[^>]*>([^<]+)</label>', html
    )
    assert offered == ["Cal Colleague", "Sam Okafor"]
    assert f"Their social worker is Cal Colleague, since {pages.days_ago(100).day}" in html
    # The first contact is never the reason for a change.
    assert 'value="FCONTA"' not in html and 'value="MANAGE"' in html


def test_allocating_ends_the_old_episode_and_opens_the_new(pages):
    client = pages.signed_in("team-manager")
    response = client.post(f"/children/{TEAM}/allocate/", _form(pages))
    assert response.status_code == 302
    assert response["Location"] == "/team/"
    start = pages.days_ago(10)
    episodes = SocialWorkerEpisode.objects.current().filter(child=TEAM).order_by("sw_decom")
    assert [(e.sw_id, e.sw_decom, e.sw_dec, e.sw_reason) for e in episodes][-2:] == [
        ("SW2", pages.days_ago(100), start, None),
        ("SW1", start, None, "MANAGE"),
    ]
    ended = episodes.get(sw_id="SW2", sw_dec=start)
    assert ended.version == 2
    assert ended.modified_by == pages.world.users["tm"]
    changes = Event.objects.filter(child=TEAM, action=Action.ALLOCATED).order_by("id")
    assert [(e.what, e.before, e.after) for e in changes] == [
        (
            "Social worker episode ended",
            {
                "SW_ID": "SW2",
                "SW_DECOM": pages.days_ago(100).isoformat(),
                "SW_DEC": None,
                "SW_REASON": None,
            },
            {
                "SW_ID": "SW2",
                "SW_DECOM": pages.days_ago(100).isoformat(),
                "SW_DEC": start.isoformat(),
                "SW_REASON": None,
            },
        ),
        (
            "Social worker episode",
            None,
            {"SW_ID": "SW1", "SW_DECOM": start.isoformat(), "SW_DEC": None, "SW_REASON": "MANAGE"},
        ),
    ]
    # The page then says so, and TEAM is on Sam Okafor's caseload with its work.
    page = client.get("/team/").content.decode()
    assert "Sam Okafor is now the social worker." in page
    caseload = pages.signed_in("social-worker").get("/caseload/").content.decode()
    assert "Ben Fictionby" in caseload
    assert Due.objects.filter(child=TEAM, duty="visit.placement", status="due").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start-day": "", "start-month": "", "start-year": ""},
            "start-day",
            "Enter the date they take the child on",
        ),
        ({"start-month": "13"}, "start-day", "The date they take the child on must be a real date"),
        ({"reason": ""}, "reason", "Choose the reason for the change"),
        ({"worker": "999999"}, "worker", "Choose a social worker in your team"),
    ],
)
def test_the_form_names_what_is_wrong(pages, changes, field, message):
    response = pages.signed_in("team-manager").post(
        f"/children/{TEAM}/allocate/", _form(pages, **changes)
    )
    assert response.status_code == 200
    assert f'<a href="#{field}">{message}</a>' in response.content.decode()
    assert not SocialWorkerEpisode.objects.filter(child=TEAM, sw_id="SW1").exists()


def test_a_date_before_the_current_social_worker_began_is_refused(pages):
    early = pages.days_ago(150)
    response = pages.signed_in("team-manager").post(
        f"/children/{TEAM}/allocate/",
        _form(pages, **_date_boxes(early)),
    )
    began = pages.days_ago(100)
    assert (
        f"The date must be after the current social worker began, on {began.day} {began:%B %Y}."
    ) in response.content.decode()
    assert SocialWorkerEpisode.objects.get(child=TEAM, sw_id="SW2").sw_dec is None


def test_a_date_in_the_future_is_refused(pages):
    later = pages.today + timedelta(days=1)
    response = pages.signed_in("team-manager").post(
        f"/children/{TEAM}/allocate/",
        _form(pages, **_date_boxes(later)),
    )
    assert "The date they take the child on must be today or in the past" in (
        response.content.decode()
    )


def test_the_current_social_worker_is_not_allocated_again(pages):
    colleague = User.objects.get(username="colleague")
    response = pages.signed_in("team-manager").post(
        f"/children/{TEAM}/allocate/", _form(pages, worker=str(colleague.pk))
    )
    assert "Cal Colleague is already this child's social worker." in unescape(
        response.content.decode()
    )


def test_a_change_made_meanwhile_is_not_overwritten(pages):
    form = _form(pages)
    SocialWorkerEpisode.objects.create(child=TEAM, sw_id="SW2", sw_decom=pages.days_ago(5))
    response = pages.signed_in("team-manager").post(f"/children/{TEAM}/allocate/", form)
    assert "Someone else changed this child's social worker while you were choosing." in (
        unescape(response.content.decode())
    )
    assert not SocialWorkerEpisode.objects.filter(child=TEAM, sw_id="SW1").exists()


@pytest.mark.parametrize("username", ["social-worker", "colleague", "director", "young-person"])
def test_only_the_childs_team_manager_may_allocate(pages, username):
    client = pages.signed_in(username)
    assert client.get(f"/children/{TEAM}/allocate/").status_code == 404
    assert client.post(f"/children/{TEAM}/allocate/", _form(pages)).status_code == 404


# The access log -------------------------------------------------------------------------------


def test_the_access_log_shows_who_opened_the_record_newest_first(pages):
    pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/chronology/")
    pages.signed_in("colleague").get(f"/children/{ALLOCATED}/")
    response = pages.signed_in("team-manager").get(f"/children/{ALLOCATED}/access-log/")
    assert response.status_code == 200
    rows = _table(response.content.decode(), "Who opened or changed this record, newest first")
    assert [re.sub(r"^.*?, \d\d:\d\d ", "", row) for row in rows] == [
        "Tess Manager Team manager Viewed : Access log",
        "Cal Colleague Social worker Viewed : Overview",
        "Sam Okafor Social worker Viewed : Chronology",
        # The world's designated teacher was allocated to them when it was made.
        "carematters (an import or the command line) Allocated : Designated teacher "
        f"What changed user designated-teacher start {pages.days_ago(100).isoformat()}",
    ]


def test_the_access_log_shows_what_changed(pages):
    pages.signed_in("team-manager").post(f"/children/{TEAM}/allocate/", _form(pages))
    html = pages.signed_in("team-manager").get(f"/children/{TEAM}/access-log/").content.decode()
    assert "<del>None</del>" not in html
    assert "SW_DEC</dt>" in html and pages.days_ago(10).isoformat() in html


def test_the_access_log_is_paged(pages):
    client = pages.signed_in("colleague")
    for _ in range(55):
        client.get(f"/children/{ALLOCATED}/")
    manager = pages.signed_in("team-manager")
    first = manager.get(f"/children/{ALLOCATED}/access-log/").content.decode()
    assert "Page 2 of 2" in first
    second = manager.get(f"/children/{ALLOCATED}/access-log/?page=2").content.decode()
    # 55 views, the manager's two openings of the log and the designated teacher's
    # allocation: 50 on the first page.
    assert len(_table(second, "Who opened or changed this record, newest first")) == 8


@pytest.mark.parametrize(
    "username", ["social-worker", "iro", "performance-officer", "young-person"]
)
def test_the_access_log_is_for_the_manager_and_director_only(pages, username):
    assert pages.signed_in(username).get(f"/children/{ALLOCATED}/access-log/").status_code == 404


def test_the_director_sees_a_restricted_records_log(pages):
    assert pages.signed_in("director").get(f"/children/{SEALED}/access-log/").status_code == 200


def test_a_leaving_care_team_sees_its_personal_advisers_and_their_care_leavers(pages):
    html = pages.signed_in("manager-leaving-care").get("/team/").content.decode()
    # `personal-adviser` has LEAVER, who left care at 14 and is owed nothing yet.
    assert _table(html, "Personal advisers, most overdue work first") == [
        "personal-adviser 1 0 None 0"
    ]
    assert _table(html, "The team\N{RIGHT SINGLE QUOTATION MARK}s care leavers") == [
        "Name not recorded 14 personal-adviser None None None Access log for Name not recorded"
    ]
    assert "Social workers, most overdue work first" not in html
    assert f'href="/children/{LEAVER}/access-log/"' in html
    assert f"/children/{LEAVER}/allocate/" not in html  # a care leaver has no social worker


# Children in care with no social worker ------------------------------------------------

WAITING, FROM_B = "1000010", "1000011"
"""In care since T-100. WAITING's social worker was SW2 (team A) until T-10, FROM_B's
SW9 (team B) until T-10: neither has one today."""


def _no_social_worker_today(pages: Pages, child: str, last: str) -> None:
    Header.objects.create(child=child, sex="1", dob=date(2013, 3, 1))
    Episode.objects.create(child=child, decom=pages.days_ago(100), rne="S", ls="C2", place="U1")
    SocialWorkerEpisode.objects.create(
        child=child, sw_id="SW1", sw_decom=pages.days_ago(100), sw_dec=pages.days_ago(50)
    )
    SocialWorkerEpisode.objects.create(
        child=child, sw_id=last, sw_decom=pages.days_ago(50), sw_dec=pages.days_ago(10)
    )
    refresh_due([child], pages.today)


@pytest.fixture
def waiting(pages):
    _no_social_worker_today(pages, WAITING, "SW2")
    _no_social_worker_today(pages, FROM_B, "SW9")
    return pages


def test_the_team_of_their_last_social_worker_holds_them_first(waiting):
    html = waiting.signed_in("team-manager").get("/team/").content.decode()
    rows = _table(html, "The team\N{RIGHT SINGLE QUOTATION MARK}s children")
    # Only WAITING: FROM_B's last social worker (SW9, the one after SW1) is in team B.
    assert "None allocated" in rows[0] and "Allocate a social worker" in rows[0]
    assert sum("None allocated" in row for row in rows) == 1
    assert "1 child in care has no social worker" in unescape(html)
    assert f"/children/{WAITING}/allocate/" in html
    assert f"/children/{FROM_B}/" not in html
    other = waiting.signed_in("manager-b").get("/team/").content.decode()
    assert f"/children/{FROM_B}/allocate/" in other and f"/children/{WAITING}/" not in other


@pytest.mark.parametrize(
    ("username", "child", "opens"),
    [
        ("team-manager", WAITING, True),
        ("social-worker", WAITING, True),  # a member of the team that holds them
        ("team-manager", FROM_B, False),
        ("manager-b", FROM_B, True),
        ("director", WAITING, True),
    ],
)
def test_who_may_open_a_child_with_no_social_worker(waiting, username, child, opens):
    html = waiting.signed_in(username).get(f"/children/{child}/").content.decode()
    # Outside the relationship, staff are asked for a reason (break-glass) instead.
    assert ("Give a reason to open this record" not in html) == opens
    assert ("What needs doing" in html) == opens


def _allocating_sam(page: str, start: date) -> dict[str, str]:
    """The allocation form for WAITING as shown on `page`, choosing Sam from `start`."""
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    assert seen is not None
    return {
        "worker": str(User.objects.get(username="social-worker").pk),
        **_date_boxes(start),
        "reason": "MANAGE",
        "seen": seen.group(1),
    }


def test_their_team_manager_allocates_one_and_the_team_page_moves_on(waiting):
    client = waiting.signed_in("team-manager")
    page = client.get(f"/children/{WAITING}/allocate/").content.decode()
    assert "They have no social worker." in page
    form = _allocating_sam(page, waiting.days_ago(5))
    assert client.post(f"/children/{WAITING}/allocate/", form).status_code == 302
    latest = SocialWorkerEpisode.objects.filter(child=WAITING).order_by("sw_decom").last()
    assert latest is not None
    assert (latest.sw_id, latest.sw_decom, latest.sw_dec) == ("SW1", waiting.days_ago(5), None)
    html = client.get("/team/").content.decode()
    assert "has no social worker" not in html
    assert "None allocated" not in html


def test_a_start_inside_the_last_social_workers_time_is_refused(waiting):
    # SW2's time ended at T-10: a new social worker from T-20 would rewrite it.
    client = waiting.signed_in("team-manager")
    page = client.get(f"/children/{WAITING}/allocate/").content.decode()
    assert "Allocate a social worker</h2>" in page
    before = list(SocialWorkerEpisode.objects.filter(child=WAITING).values_list("sw_dec"))
    form = _allocating_sam(page, waiting.days_ago(20))
    refused = unescape(client.post(f"/children/{WAITING}/allocate/", form).content.decode())
    day = waiting.days_ago(10)
    assert (
        f"The date must be on or after {day.day} {day:%B %Y}, when their last social "
        "worker's time ended." in refused
    )
    assert list(SocialWorkerEpisode.objects.filter(child=WAITING).values_list("sw_dec")) == before


def test_a_care_leaver_with_no_social_worker_is_not_held(waiting):
    # LEAVER left care at T-30, when SW1's episode ended: not in care, so no team's.
    html = waiting.signed_in("team-manager").get("/team/").content.decode()
    assert f"/children/{LEAVER}/allocate/" not in html
