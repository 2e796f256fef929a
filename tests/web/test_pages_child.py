"""A child's record: overview, chronology, what is due and people, each view audited;
break-glass for a record that is not yours, asked the same way for a child who does not
exist; not found for one you may never open."""

from __future__ import annotations

import re
from datetime import date

import pytest

from carematters.web.audit.models import Action, Event
from carematters.web.casework.drafts import Draft
from carematters.web.casework.due import refresh_due
from carematters.web.casework.models import Episode, Header, SocialWorkerEpisode, Visit
from carematters.web.people.models import BreakGlass, User
from tests.web.pages_world import (
    ALLOCATED,
    LEAVER,
    OTHER,
    SEALED,
    Pages,
    build_pages_world,
    postcode_list,
)
from tests.web.permissions import CHILDREN

pytestmark = pytest.mark.django_db

NOBODY = CHILDREN["NOBODY"]

SECTIONS = {
    "": "Overview",
    "chronology/": "Chronology",
    "due/": "What is due",
    "people/": "People",
}


@pytest.fixture
def pages(settings, tmp_path) -> Pages:
    settings.POSTCODES = str(postcode_list(tmp_path))
    settings.LA_CODE = "999"
    return build_pages_world()


def _text(html: str) -> str:
    main = html.split('<main class="govuk-main-wrapper" id="main-content">', 1)[1]
    main = main.split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _day(pages: Pages, days: int) -> str:
    day = pages.days_ago(days)
    return f"{day.day} {day:%B %Y}"


@pytest.mark.parametrize(("path", "what"), list(SECTIONS.items()))
def test_each_page_shows_the_child_and_is_audited(pages, path, what):
    response = pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/{path}")
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert text.startswith(
        "Child 1000001 Amara Testwhistle (known as Mara) Date of birth 1 May 2012"
    )
    assert "Legal status Care order Placement Foster care, 10.0 miles, out of area" in text
    # The page's title names the child by id only (titles stay in browser history).
    dash = "\N{EN DASH}"
    title = f"<title>{what} {dash} child 1000001 {dash} carematters</title>"
    assert title in response.content.decode()
    viewed = Event.objects.get(action=Action.VIEWED, child=ALLOCATED)
    assert viewed.user == pages.world.users["sw"]
    assert viewed.what == what


def test_the_overview_says_what_needs_doing(pages):
    text = _text(pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/").content.decode())
    assert f"What needs doing Overdue Visit , by {_day(pages, 18)} (18 days overdue)" in text
    assert "Social worker Sam Okafor Independent reviewing officer Ivy Reviewer" in text
    # The newest events first.
    assert (
        f"Latest events Visit {_day(pages, 60)} Seen alone, by Sam Okafor Visit {_day(pages, 98)}"
        in text
    )
    assert "Record a visit" in text


def test_the_overview_says_when_a_child_has_no_social_worker_or_iro(pages):
    Header.objects.create(child="1000099", sex="1", dob=date(2014, 1, 1))
    Episode.objects.create(child="1000099", decom=pages.days_ago(5), rne="S", ls="V2", place="U1")
    refresh_due(["1000099"], pages.today)
    html = pages.signed_in("director").get("/children/1000099/").content.decode()
    assert "Social worker None allocated Independent reviewing officer None named" in _text(html)


def test_a_care_leaver_is_offered_no_form_for_what_happens_in_care(pages):
    # LEAVER left care at T-30; `personal-adviser` records for them.
    text = _text(pages.signed_in("personal-adviser").get(f"/children/{LEAVER}/").content.decode())
    for heading in (
        "Record a visit",
        "Record a review",
        "Record a placement move",
        "Record a health assessment",
        "Record a return interview offer",
    ):
        assert heading not in text
    # Their adviser's contact is theirs to record (no pathway plan: they are 14).
    assert "Record a contact" in text
    assert "Record a pathway plan" not in text


def _visit_on(day) -> dict[str, str]:
    return {
        "visit_date-day": str(day.day),
        "visit_date-month": str(day.month),
        "visit_date-year": str(day.year),
        "seen_alone": "Y",
        "action": "save",
    }


def test_a_visit_after_care_ended_is_refused_and_one_on_the_last_day_is_kept(pages):
    # A personal adviser records contacts and pathway plans, never a social worker's
    # visit; the social worker, still allocated after care ended, records it.
    adviser = pages.signed_in("personal-adviser")
    assert adviser.get(f"/children/{LEAVER}/record-visit/").status_code == 404
    SocialWorkerEpisode.objects.filter(child=LEAVER).update(sw_dec=None)
    client = pages.signed_in("social-worker")
    refused = client.post(f"/children/{LEAVER}/record-visit/", _visit_on(pages.today))
    left = pages.days_ago(30)
    assert "There is a problem" in refused.content.decode()
    assert (
        "The date of the visit must be a day they were looked after: they left care on "
        f"{left.day} {left:%B %Y}"
    ) in _text(refused.content.decode())
    assert not Visit.objects.filter(child=LEAVER).exists()
    # The day a period of care ends is still one of its days.
    assert client.post(f"/children/{LEAVER}/record-visit/", _visit_on(left)).status_code == 302
    assert Visit.objects.filter(child=LEAVER, visit_date=left).exists()


def test_only_those_who_record_are_offered_the_forms(pages):
    text = _text(pages.signed_in("colleague").get(f"/children/{ALLOCATED}/").content.decode())
    assert "Amara Testwhistle" in text
    assert "Record a visit" not in text


def test_the_overview_lists_the_authors_drafts_only(pages):
    Draft.objects.create(user=pages.world.users["sw"], child=ALLOCATED, kind="visit", data={})
    Draft.objects.create(
        user=User.objects.get(username="colleague"), child=ALLOCATED, kind="review", data={}
    )
    html = pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/").content.decode()
    assert f"/children/{ALLOCATED}/record-visit/?draft=" in html
    assert "record-review/?draft=" not in html


def test_the_chronology_is_a_timeline_newest_first(pages):
    html = (
        pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/chronology/").content.decode()
    )
    assert 'class="moj-timeline"' in html
    titles = re.findall(r'<h3 class="moj-timeline__title">([^<]+)</h3>', html)
    # Visits at T-60 and T-98; the placement, social worker and IRO at T-100.
    assert titles[:2] == ["Visit", "Visit"]
    assert set(titles[2:]) == {
        "Placement: Foster care",
        "Started to be looked after",
        "Social worker: Sam Okafor",
        "Independent reviewing officer: Ivy Reviewer",
    }


def test_the_chronology_leads_those_who_record_to_correct_or_withdraw_an_entry(pages):
    html = (
        pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/chronology/").content.decode()
    )
    visits = Visit.objects.filter(child=ALLOCATED).order_by("-visit_date")
    changes = re.findall(r'href="(/children/[^"]+/change/)"', html)
    withdrawals = re.findall(r'href="(/children/[^"]+/withdraw/)"', html)
    # The two visits, newest first; not the period of care begun, nor the social worker
    # or IRO named, which no form records.
    assert changes == [f"/children/{ALLOCATED}/entries/visits/{v.pk}/change/" for v in visits]
    assert withdrawals == [c.replace("/change/", "/withdraw/") for c in changes]
    assert pages.signed_in("social-worker").get(changes[0]).status_code == 200


def test_the_chronology_offers_no_change_to_those_who_only_read(pages):
    for username in ("colleague", "team-manager"):
        html = pages.signed_in(username).get(f"/children/{ALLOCATED}/chronology/").content.decode()
        assert "/change/" not in html and "/withdraw/" not in html


def test_what_is_due_explains_each_duty(pages):
    text = _text(
        pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/due/").content.decode()
    )
    assert (
        f"Visit The child must be visited every 6 weeks; last visited on "
        f"{pages.days_ago(60):%d/%m/%Y}. Source: CPPCR 2010 reg 28(2)-(5) "
        f"{_day(pages, 18)} {_day(pages, 60)} Overdue 18 days"
    ) in text
    # The first visit was done; reviews are a table the record does not keep.
    assert "First visit in a new placement" in text.split("Done, missed or not recorded")[1]
    assert "First review" in text and "Not recorded" in text


def test_the_people_page_names_the_team_and_manager(pages):
    text = _text(
        pages.signed_in("social-worker").get(f"/children/{ALLOCATED}/people/").content.decode()
    )
    assert (
        f"Social worker Sam Okafor Team A, managed by Tess Manager Since {_day(pages, 100)}"
    ) in text
    assert f"Independent reviewing officer Ivy Reviewer Since {_day(pages, 100)}" in text
    assert "Designated teacher designated-teacher" in text
    assert "Distance from home 10.0 miles Out of area Yes, outside the authority" in text


def test_a_young_person_opens_their_own_record(pages):
    client = pages.signed_in("young-person")
    assert client.get("/my-record/").status_code == 200
    # The staff pages of their own record send them to their own (casework.mine).
    response = client.get(f"/children/{ALLOCATED}/")
    assert response.status_code == 302
    assert response["Location"] == "/my-record/"
    assert client.get(f"/children/{OTHER}/").status_code == 404


# Break-glass ------------------------------------------------------------------------------


def test_a_record_not_yours_asks_for_a_reason_and_shows_nothing_of_it(pages):
    client = pages.signed_in("social-worker")
    response = client.get(f"/children/{OTHER}/due/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give a reason to open this record" in html
    assert "Legal status" not in html and "What is due" not in html
    assert not Event.objects.filter(child=OTHER).exists()


def test_giving_a_reason_opens_the_record_asked_for(pages):
    client = pages.signed_in("social-worker")
    response = client.post(
        f"/children/{OTHER}/open/",
        {"reason": "Covering the duty desk tonight", "next": f"/children/{OTHER}/due/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/children/{OTHER}/due/"
    page = client.get(f"/children/{OTHER}/due/")
    text = _text(page.content.decode())
    assert "You opened this record without working with this child" in text
    assert "Covering the duty desk tonight" in text
    events = Event.objects.filter(child=OTHER).order_by("id")
    assert [(e.action, e.reason) for e in events] == [
        (Action.BROKE_GLASS, "Covering the duty desk tonight"),
        (Action.VIEWED, "Covering the duty desk tonight"),
    ]
    assert BreakGlass.objects.get(child=OTHER).user == pages.world.users["sw"]


def test_a_reason_sent_twice_opens_the_record_once(pages):
    client = pages.signed_in("social-worker")
    for _ in range(2):  # a double click, or sent again after Back
        response = client.post(f"/children/{OTHER}/open/", {"reason": "Covering the duty desk"})
        assert response.status_code == 302
        assert response["Location"] == f"/children/{OTHER}/"
    assert BreakGlass.objects.filter(child=OTHER).count() == 1


def test_a_blank_reason_is_asked_for_again(pages):
    response = pages.signed_in("social-worker").post(f"/children/{OTHER}/open/", {"reason": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_reason">Enter why you need to open this record</a>' in html
    assert not BreakGlass.objects.exists()


def test_opening_goes_nowhere_but_the_childs_record(pages):
    response = pages.signed_in("social-worker").post(
        f"/children/{OTHER}/open/", {"reason": "Police called", "next": "https://example.com/"}
    )
    assert response["Location"] == f"/children/{OTHER}/"


@pytest.mark.parametrize(
    "username", ["young-person", "lead-member", "administrator", "designated-teacher"]
)
def test_those_who_may_never_open_it_find_no_page(pages, username):
    client = pages.signed_in(username)
    for child in (OTHER, NOBODY):
        assert client.get(f"/children/{child}/").status_code == 404
        reason = {"reason": "Curious about this child"}
        assert client.post(f"/children/{child}/open/", reason).status_code == 404
    assert not BreakGlass.objects.exists()
    assert not Event.objects.filter(user__username=username).exists()


def _without(html: str, child: str) -> str:
    """`html` without what differs from one request to the next however alike (the form's
    CSRF token, the Content Security Policy's nonce, the seconds left before signing out,
    which a clock's tick between the two requests changes) and without the CHILD id typed."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r'data-seconds-left="\d+"', "", html)
    return html.replace(child, "CHILD")


@pytest.mark.parametrize(
    ("username", "child"),
    [
        ("social-worker", OTHER),
        ("social-worker", SEALED),
        ("team-manager", OTHER),
        ("iro", OTHER),
        ("personal-adviser", OTHER),
        ("virtual-school-head", OTHER),
        ("performance-officer", SEALED),
    ],
)
@pytest.mark.parametrize("path", ["", "chronology/", "reviews/"])
def test_a_record_not_yours_looks_the_same_as_a_child_who_does_not_exist(
    pages, username, child, path
):
    client = pages.signed_in(username)
    real = client.get(f"/children/{child}/{path}")
    none = client.get(f"/children/{NOBODY}/{path}")
    assert real.status_code == none.status_code == 200
    assert "Give a reason to open this record" in none.content.decode()
    assert _without(real.content.decode(), child) == _without(none.content.decode(), NOBODY)
    # Asking for a reason shows nothing of the record, so records nothing.
    assert not Event.objects.filter(user__username=username).exists()


@pytest.mark.parametrize("reason", [" ", "Urgent!!!!"])
def test_a_reason_too_short_is_asked_for_again_the_same_for_a_child_who_does_not_exist(
    pages, reason
):
    client = pages.signed_in("social-worker")
    real = client.post(f"/children/{OTHER}/open/", {"reason": reason})
    none = client.post(f"/children/{NOBODY}/open/", {"reason": reason})
    assert real.status_code == none.status_code == 200
    assert _without(real.content.decode(), OTHER) == _without(none.content.decode(), NOBODY)
    assert not BreakGlass.objects.exists()
    assert not Event.objects.filter(user__username="social-worker").exists()


def test_a_reason_of_fewer_than_10_letters_is_shown_as_a_problem_on_the_field(pages):
    html = (
        pages.signed_in("social-worker")
        .post(f"/children/{OTHER}/open/", {"reason": "Urgent!!!!"})
        .content.decode()
    )
    problem = "Enter a reason of at least 10 letters or numbers"
    assert "There is a problem" in html
    assert f'<a href="#id_reason">{problem}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {problem}</p>' in html
    assert "Use at least 10 letters or numbers." in html  # the hint says so before


@pytest.mark.parametrize(("username", "child"), [("social-worker", SEALED), ("director", NOBODY)])
def test_a_reason_for_a_restricted_record_or_no_child_is_not_found_and_audited(
    pages, username, child
):
    client = pages.signed_in(username)
    assert "Give a reason to open this record" in client.get(f"/children/{child}/").content.decode()
    response = client.post(f"/children/{child}/open/", {"reason": "Checking a police report"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert not BreakGlass.objects.exists()
    assert client.get(f"/children/{child}/").status_code == 200  # asked again, not opened
    tried = Event.objects.get(child=child, user__username=username)
    assert (tried.user.username, tried.action, tried.reason) == (
        username,
        Action.BROKE_GLASS,
        "Checking a police report",
    )
    assert tried.what == "Asked to open the record without a relationship to the child: not opened"
