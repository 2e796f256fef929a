"""The IRO records a review they chaired and what it decided, and postpones one (Care
Matters 2007 para 6.12, 7.33): the review's date and Robin's participation go to the
record's reviews table (SSDA903), through casework's own action, and the rest beside
it. On Robin (tests/web/recording_world.py), looked after since T-100, whose IRO is
`iro` (Ivy)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from carematters.calendar.timescales import after
from carematters.parameters import parameters
from carematters.web.audit.models import Action, Event
from carematters.web.bridge import mark_held
from carematters.web.casework.due import Due, refresh_due
from carematters.web.casework.models import Review
from carematters.web.people.models import User
from carematters.web.reviews.models import Decision, HeldReview, PostponedBecause, Postponement
from tests.web.recording_world import BORN, CHILD, Recording, date_fields, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reviews_kept(robin: Recording) -> None:
    """Robin's record keeps a reviews table, as every SSDA903 return does (with none in
    it yet), so a review not held is overdue, not "not recorded"."""
    mark_held(["reviews"])


HOLD = f"/children/{CHILD}/reviews/record/"
POSTPONE = f"/children/{CHILD}/reviews/postpone/"
REVIEWS = f"/children/{CHILD}/reviews/"


def _hold(robin: Recording, days: int = 80, code: str = "PN1") -> HeldReview:
    response = robin.signed_in("iro").post(
        HOLD,
        {
            **date_fields("review", days_ago(robin, days)),
            "review_code": code,
            "took_part": "Robin, their foster carer Jo, Sam Okafor (social worker)",
        },
    )
    held = HeldReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/children/{CHILD}/reviews/{held.pk}/decisions/"
    return held


def test_ivy_records_robins_first_review_and_the_return_has_it(robin):
    refresh_due([CHILD], robin.today)
    assert Due.objects.get(child=CHILD, duty="review.first").status == "overdue"
    held = _hold(robin)
    review = Review.objects.get(child=CHILD)
    assert (review.review, review.review_code, review.dob) == (days_ago(robin, 80), "PN1", BORN)
    assert held.review == review
    assert held.chaired_by == User.objects.get(username="iro")
    assert held.took_part == "Robin, their foster carer Jo, Sam Okafor (social worker)"
    # Casework's action audits the review row; this app audits who took part.
    whats = set(
        Event.objects.filter(action=Action.CREATED, child=CHILD).values_list("what", flat=True)
    )
    day = days_ago(robin, 80)
    assert f"Review on {day.day} {day:%B %Y} (record_reviews {review.pk})" in whats
    assert any(w.startswith("Review chaired on") for w in whats)
    first = Due.objects.get(child=CHILD, duty="review.first")
    assert (first.status, first.last_done) == ("done", days_ago(robin, 80))


def test_decisions_are_added_one_by_one_with_an_owner_and_a_date(robin):
    held = _hold(robin)
    client = robin.signed_in("iro")
    page = f"/children/{CHILD}/reviews/{held.pk}/decisions/"
    due = robin.today + timedelta(days=28)
    first = client.post(
        page,
        {
            "decision": "Ask CAMHS to assess Robin",
            "owner": "Social worker",
            **date_fields("due", due),
            "action": "another",
        },
        follow=True,
    )
    html = first.content.decode()
    assert "Decision recorded" in html
    assert "Decisions so far" in html and "Ask CAMHS to assess Robin" in html
    client.post(
        page,
        {
            "decision": "Arrange contact with Robin's brother every fortnight",
            "owner": "Foster carer",
            **date_fields("due", robin.today + timedelta(days=14)),
            "action": "save",
        },
    )
    decisions = list(Decision.objects.filter(review=held).values_list("owner", "due"))
    assert decisions == [("Foster carer", robin.today + timedelta(days=14)), ("Social worker", due)]
    reviews = robin.signed_in().get(REVIEWS).content.decode()
    assert "Child physically attends and speaks for him or herself" in reviews
    assert "Arrange contact with Robin&#x27;s brother every fortnight" in reviews
    assert f"Social worker, by {due.day} {due:%B %Y}" in reviews


def test_a_decision_due_before_the_review_is_refused(robin):
    held = _hold(robin)
    response = robin.signed_in("iro").post(
        f"/children/{CHILD}/reviews/{held.pk}/decisions/",
        {
            "decision": "Review contact",
            "owner": "Social worker",
            **date_fields("due", days_ago(robin, 81)),
        },
    )
    assert "The date it is due must be on or after the review" in response.content.decode()
    assert not Decision.objects.exists()


def test_casework_refusals_come_back_on_the_form(robin):
    # A review before Robin came into care (T-100) is refused by casework's action.
    response = robin.signed_in("iro").post(
        HOLD,
        {**date_fields("review", days_ago(robin, 120)), "review_code": "PN1", "took_part": "Robin"},
    )
    html = response.content.decode()
    assert "The date of the review must be on or after the day they came into care" in html
    assert not Review.objects.exists() and not HeldReview.objects.exists()


def test_who_took_part_is_needed(robin):
    response = robin.signed_in("iro").post(
        HOLD, {**date_fields("review", days_ago(robin, 80)), "review_code": "PN1", "took_part": ""}
    )
    assert "Enter who took part" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize("username", ["social-worker", "team-manager", "director", "young-person"])
def test_only_the_named_iro_records_a_review_here(robin, username):
    client = robin.signed_in(username)
    assert client.get(HOLD).status_code == 404
    answers = {**date_fields("review", days_ago(robin, 80)), "review_code": "PN1", "took_part": "R"}
    assert client.post(HOLD, answers).status_code == 404
    assert not Review.objects.exists()


def test_ivy_postpones_robins_review_because_the_plan_is_not_ready(robin):
    refresh_due([CHILD], robin.today)
    was_due = Due.objects.get(child=CHILD, duty="review.first").due_date
    until = robin.today + timedelta(days=10)
    client = robin.signed_in("iro")
    assert f"is due by {was_due.day} {was_due:%B %Y}" in client.get(POSTPONE).content.decode()
    response = client.post(
        POSTPONE,
        {
            **date_fields("until", until),
            "because": "evidence",
            "reason": "The updated care plan and the CAMHS assessment are not ready",
        },
        follow=True,
    )
    assert f"Review postponed to {until.day} {until:%B %Y}" in response.content.decode()
    postponed = Postponement.objects.get()
    assert (postponed.due_on, postponed.until, postponed.postponed_on) == (
        was_due,
        until,
        robin.today,
    )
    assert postponed.because == PostponedBecause.EVIDENCE
    assert Event.objects.filter(child=CHILD, what__startswith="Review postponed to").exists()
    iro_page = client.get("/reviews/").content.decode()
    assert "Reviews you postponed" in iro_page
    assert "The updated care plan and the CAMHS assessment are not ready" in iro_page
    reviews = robin.signed_in().get(REVIEWS).content.decode()
    assert "The evidence is not ready (an up-to-date assessment or plan)" in reviews


def test_a_review_is_postponed_to_a_day_to_come(robin):
    refresh_due([CHILD], robin.today)
    response = robin.signed_in("iro").post(
        POSTPONE,
        {**date_fields("until", robin.today), "because": "other", "reason": "Robin is ill"},
    )
    assert "The new date must be in the future" in response.content.decode()
    assert not Postponement.objects.exists()


def _six_months_on(day: date) -> date:
    """The latest a review may be postponed to from `day`: the time allowed between
    reviews (`reviews.subsequent`, 6 months) on."""
    quantity = parameters(day)["reviews.subsequent"]
    assert str(quantity) == "6 months"
    moved: date = pl.select(after(pl.lit(day), quantity)).item()
    return moved


@pytest.mark.parametrize("too_late", [None, date(2031, 1, 1), date(9999, 12, 31)])
def test_a_review_is_not_postponed_beyond_the_time_between_reviews(robin, too_late):
    refresh_due([CHILD], robin.today)
    latest = _six_months_on(robin.today)
    until = too_late or latest + timedelta(days=1)
    response = robin.signed_in("iro").post(
        POSTPONE, {**date_fields("until", until), "because": "other", "reason": "Robin is ill"}
    )
    assert (
        f"The new date must be no later than {latest.day} {latest:%B %Y}, 6 months from today"
    ) in response.content.decode()
    assert not Postponement.objects.exists()


def test_a_review_may_be_postponed_to_the_last_day_allowed(robin):
    refresh_due([CHILD], robin.today)
    latest = _six_months_on(robin.today)
    response = robin.signed_in("iro").post(
        POSTPONE, {**date_fields("until", latest), "because": "other", "reason": "Robin is ill"}
    )
    assert response.status_code == 302
    assert Postponement.objects.get().until == latest


def test_with_no_review_due_there_is_none_to_postpone(robin):
    # Nothing worked out as due: the stored duties are the page's only source.
    response = robin.signed_in("iro").post(
        POSTPONE,
        {
            **date_fields("until", robin.today + timedelta(days=3)),
            "because": "other",
            "reason": "Robin is ill",
        },
    )
    assert "They have no review due, so there is none to postpone" in response.content.decode()
