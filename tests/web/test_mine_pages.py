"""A young person's own pages (casework.mine), on the reading pages' world
(tests/web/pages_world.py): `young-person` is ALLOCATED, Amara Testwhistle, known as
Mara, placed in foster care (U6) at T-100, visited at T-98 and T-60 (so the next visit,
six-weekly, was due at T-18), with `social-worker` Sam Okafor (SW1) and `iro` Ivy
Reviewer (IRO1).

Every page is written to them ("you", "your"), never shows a code, a regulation, a staff
id or "the child", is audited as a view of their own record, and holds only their own
record, whatever the address asks for."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from carematters.web.audit.models import Action, Event
from carematters.web.casework.models import CarePlan, Review
from carematters.web.people import actions as people_actions
from carematters.web.people.models import AllocationKind, User
from carematters.web.reviews.models import ChildView, Decision, HeldReview
from tests.web.approvals_world import approved
from tests.web.pages_world import ALLOCATED, OTHER, Pages, build_pages_world
from tests.web.permissions import MATRIX, PAGES, ROLES, page_cases

pytestmark = pytest.mark.django_db

OWN_PAGES = ("/my-record/", "/my-record/reviews/", "/my-record/views/", "/my-record/views/add/")

STAFF_WORDS = (
    "the child",
    "Child ",
    ALLOCATED,
    "SW1",
    "IRO1",
    "U6",
    "PN",
    "CPPCR",
    "Regulations",
    "reg ",
    "Source:",
    "Their views",
    "Record their views",
    "Access log",
    "Chronology",
    "What is due",
    "Provided by",
    "Private provision",
)
"""What a young person's page never says: staff's words, DfE's codes, the law's names,
ids, and the staff sections of the record."""


@pytest.fixture
def pages() -> Pages:
    return build_pages_world()


def _text(html: str) -> str:
    """The words of a page's main content, as a reader sees them."""
    main = html.split('<main class="govuk-main-wrapper" id="main-content">', 1)[1]
    main = main.split("</main>", 1)[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _get(pages: Pages, url: str) -> str:
    response = pages.signed_in("young-person").get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Written to them -------------------------------------------------------------------------


@pytest.mark.parametrize("url", OWN_PAGES)
def test_each_page_speaks_to_them_and_never_in_staff_words(pages, url):
    html = _get(pages, url)
    text = _text(html)
    assert re.search(r"\b(you|your|You|Your)\b", text)
    found = [word for word in STAFF_WORDS if word in text]
    assert not found, f"{url} says {found}"
    assert ALLOCATED not in html  # not even in an address or the page title


def test_your_record_names_the_people_where_they_live_and_their_visits(pages):
    text = _text(_get(pages, "/my-record/"))
    assert "Hello Mara" in text
    assert "Your social worker Sam Okafor They visit you" in text
    assert "Your independent reviewing officer (IRO) Ivy Reviewer They run your reviews" in text
    assert (
        f"You live with foster carers. You have lived there since {_day(pages.days_ago(100))}."
    ) in text
    assert f"Your social worker last visited you on {_day(pages.days_ago(60))}." in text
    # Six-weekly: the visit after T-60 was due at T-18.
    assert f"They should visit you again by {_day(pages.days_ago(18))}." in text
    assert "What happens at a review" in text
    assert "Your IRO runs it." in text
    assert "We have not written down a plan for you here yet." in text
    assert "personal adviser" not in text  # they have none


def test_your_record_says_when_each_plan_was_last_updated(pages):
    for kind, days in (("CARE", 90), ("CARE", 20), ("PLACEMENT", 95)):
        CarePlan.objects.create(child=ALLOCATED, plan_date=pages.days_ago(days), kind=kind)
    text = _text(_get(pages, "/my-record/"))
    assert (
        "Your care plan (about what you need and how we will help) was last updated on "
        f"{_day(pages.days_ago(20))}."
    ) in text
    assert (
        "Your placement plan (about how the people you live with will look after you) was "
        f"last updated on {_day(pages.days_ago(95))}."
    ) in text
    assert "permanence" not in text


def test_a_personal_adviser_is_named_without_their_id(pages):
    adviser = User.objects.get(username="personal-adviser")
    User.objects.filter(pk=adviser.pk).update(first_name="Pat", last_name="Adviser")
    people_actions.allocate(
        AllocationKind.PERSONAL_ADVISER,
        adviser,
        {ALLOCATED: pages.days_ago(10)},
        acting_user=None,
    )
    assert "Your personal adviser Pat Adviser They help you" in _text(_get(pages, "/my-record/"))


# Reviews ---------------------------------------------------------------------------------

TAKING_PART = {
    "PN0": "You were under 4, so you were too young to take part",
    "PN1": "You went and spoke for yourself",
    "PN2": "You went, and an advocate spoke for you",
    "PN3": "You went, and showed what you think without words, for example with signs",
    "PN4": "You went, but you did not share your views",
    "PN5": "You did not go, but an advocate spoke for you",
    "PN6": "You did not go, but you shared your views another way, for example in a letter, "
    "a drawing or a recording",
    "PN7": "You did not go, and your views were not shared",
}


@pytest.mark.parametrize(("code", "words"), TAKING_PART.items())
def test_how_they_took_part_in_a_review_is_said_to_them(pages, code, words):
    Review.objects.create(child=ALLOCATED, review=pages.days_ago(80), review_code=code)
    text = _text(_get(pages, "/my-record/reviews/"))
    assert f"{_day(pages.days_ago(80))} How you took part {words}" in text
    assert code not in text and "Child " not in text and "his or her" not in text


def test_a_review_without_a_code_says_so(pages):
    Review.objects.create(child=ALLOCATED, review=pages.days_ago(80), review_code=None)
    text = _text(_get(pages, "/my-record/reviews/"))
    assert "How you took part We have not written down how you took part" in text


def test_what_was_decided_at_their_review(pages):
    review = Review.objects.create(child=ALLOCATED, review=pages.days_ago(70), review_code="PN1")
    iro = User.objects.get(username="iro")
    held = HeldReview.objects.create(
        child=ALLOCATED,
        review=review,
        held_on=pages.days_ago(70),
        chaired_by=iro,
        took_part="Mara, her foster carer",
    )
    Decision.objects.create(
        review=held,
        decision="Mara keeps going to Hillside School",
        owner="Social worker",
        due=pages.days_ago(-30),
        recorded_by=iro,
    )
    text = _text(_get(pages, "/my-record/reviews/"))
    assert "How you took part You went and spoke for yourself Your IRO Ivy Reviewer" in text
    assert (
        "What was decided Mara keeps going to Hillside School Who will do it: Social worker, "
        f"by {_day(pages.days_ago(-30))}"
    ) in text


def test_the_newest_three_reviews_in_full_and_the_rest_in_a_line(pages):
    for days, code in ((400, "PN7"), (300, "PN5"), (200, "PN1"), (100, "PN2")):
        Review.objects.create(child=ALLOCATED, review=pages.days_ago(days), review_code=code)
    text = _text(_get(pages, "/my-record/reviews/"))
    full, earlier = text.split("Earlier reviews (1)")
    assert full.count("How you took part") == 3
    assert f"{_day(pages.days_ago(400))} : {TAKING_PART['PN7']}." in earlier


# Their views -----------------------------------------------------------------------------

SAID = {
    "wishes": "I want to stay with my foster carers & keep seeing my brother.",
    "purpose": "review",
    "communication_needs": "",
    "advocate_took_part": "no",
    "independent_person": "",
}


def test_they_tell_us_what_they_think_and_their_worker_and_iro_read_it(pages):
    client = pages.signed_in("young-person")
    form = _text(client.get("/my-record/views/add/").content.decode())
    assert "Tell us what you think" in form and "Did you see them alone?" not in form
    response = client.post("/my-record/views/add/", SAID, follow=True)
    assert response.redirect_chain == [("/my-record/views/", 302)]
    text = _text(response.content.decode())
    assert "Thank you. What you said is saved, and your social worker and IRO can read it" in text
    assert f"{_day(pages.today)}: Your next review" in text
    assert f"“{SAID['wishes']}” You wrote this." in text
    view = ChildView.objects.get()
    assert (view.child, view.by_young_person, view.recorded_by.username) == (
        ALLOCATED,
        True,
        "young-person",
    )
    assert Event.objects.filter(
        child=ALLOCATED, action=Action.CREATED, user__username="young-person"
    ).exists()
    for staff in ("social-worker", "iro"):
        html = pages.signed_in(staff).get(f"/children/{ALLOCATED}/views/").content.decode()
        assert "I want to stay with my foster carers &amp; keep seeing my brother." in html


def test_an_empty_view_is_asked_for_again_and_nothing_is_saved(pages):
    response = pages.signed_in("young-person").post(
        "/my-record/views/add/", {**SAID, "wishes": "  "}
    )
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "There is a problem Enter what you want to say" in text
    assert not ChildView.objects.exists()


def test_what_they_told_their_iro_is_read_back_to_them(pages):
    client = pages.signed_in("iro")
    client.post(
        f"/children/{ALLOCATED}/views/add/",
        {
            "heard_on-day": str(pages.days_ago(3).day),
            "heard_on-month": str(pages.days_ago(3).month),
            "heard_on-year": str(pages.days_ago(3).year),
            "purpose": "decision",
            "wishes": "I do not want to change school.",
            "seen_alone": "yes",
            "communication_needs": "",
            "advocate_offered": "yes",
            "advocate_took_part": "yes",
            "independent_person": "",
        },
    )
    text = _text(_get(pages, "/my-record/views/"))
    assert (
        f"{_day(pages.days_ago(3))}: A decision about you “I do not want to change school.” "
        "You told Ivy Reviewer, your IRO. An advocate helped you."
    ) in text


# Only their own record, audited -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("/my-record/", "Your record"),
        ("/my-record/reviews/", "Your reviews"),
        ("/my-record/views/", "Your views"),
        ("/my-record/views/add/", "Tell us what you think"),
    ],
)
def test_each_page_is_audited_as_a_view_of_their_own_record(pages, url, what):
    _get(pages, url)
    event = Event.objects.get(action=Action.VIEWED)
    assert (event.child, event.what, event.user.username) == (ALLOCATED, what, "young-person")


@pytest.mark.parametrize(
    ("page", "own"),
    [
        ("", "/my-record/"),
        ("chronology/", "/my-record/"),
        ("due/", "/my-record/"),
        ("people/", "/my-record/"),
        ("reviews/", "/my-record/reviews/"),
        ("views/", "/my-record/views/"),
        ("education/", "/my-record/"),
        ("decisions/", "/my-record/"),
    ],
)
def test_the_staff_pages_of_their_record_send_them_to_their_own(pages, page, own):
    client = pages.signed_in("young-person")
    response = client.get(f"/children/{ALLOCATED}/{page}")
    assert (response.status_code, response["Location"]) == (302, own)
    assert not Event.objects.filter(action=Action.VIEWED).exists()  # audited where sent
    other = client.get(f"/children/{OTHER}/{page}")
    assert other.status_code == 404 and "Page not found" in other.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"/children/{OTHER}/views/add/",
        f"/children/{OTHER}/decisions/",
        f"/children/{OTHER}/access-log/",
        f"/my-record/?child={OTHER}",
    ],
)
def test_no_address_opens_another_childs_record(pages, url):
    client = pages.signed_in("young-person")
    response = client.get(url)
    if url.startswith("/my-record/"):
        assert "Hello Mara" in response.content.decode()  # their own, whatever is asked
    else:
        assert response.status_code == 404
    assert not Event.objects.filter(child=OTHER).exists()
    posted = client.post(f"/children/{OTHER}/views/add/", SAID)
    assert posted.status_code == 404 and not ChildView.objects.exists()


def test_a_restricted_record_that_leaves_them_out_is_not_found(pages):
    people_actions.restrict(
        ALLOCATED,
        "A member of staff's child",
        [User.objects.get(username="team-manager")],
        acting_user=User.objects.get(username="director"),
    )
    for url in OWN_PAGES:
        assert pages.signed_in("young-person").get(url).status_code == 404, url
    posted = pages.signed_in("young-person").post("/my-record/views/add/", SAID)
    assert posted.status_code == 404 and not ChildView.objects.exists()


QUESTIONS = ("my-record", "my-reviews", "my-views", "my-view-add")


def test_the_matrix_has_a_row_for_each_page():
    assert {PAGES[q] for q in QUESTIONS} == set(OWN_PAGES)
    assert all(
        row.expected == {r: r == "yp" for r in ROLES} for row in MATRIX if row.question in QUESTIONS
    )


@pytest.mark.parametrize(("url", "role", "allowed"), [c for c in page_cases() if c[0] in OWN_PAGES])
def test_each_page_for_each_role(pages, url, role, allowed):
    response = pages.signed_in(pages.world.users[role].username).get(url)
    html = response.content.decode()
    if allowed:
        assert response.status_code == 200 and "Tell us what you think" in html
    else:
        assert response.status_code == 404 and "Page not found" in html


def test_a_decision_about_them_is_not_shown_on_the_staff_page(pages):
    """The staff page of a decision (the social worker's reasons, the safeguards and
    their sources) sends the young person to their own record; another child's decision
    is "page not found"."""
    own, other = approved(ALLOCATED, date(2026, 6, 1)), approved(OTHER, date(2026, 6, 1))
    client = pages.signed_in("young-person")
    response = client.get(f"/approvals/{own.pk}/")
    assert (response.status_code, response["Location"]) == (302, "/my-record/")
    assert client.get(f"/approvals/{other.pk}/").status_code == 404
