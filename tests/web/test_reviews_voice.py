"""The child heard (B2; Care Matters 2007 para 7.33): Robin's views, recorded by their
social worker, their IRO and Robin themselves, read back newest first, each write and
each page audited; nobody else may record them. On Robin (tests/web/recording_world.py),
whose social worker is `social-worker` (Sam) and IRO `iro`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from carematters.web.audit.models import Action, Event
from carematters.web.people.models import User
from carematters.web.reviews import actions
from carematters.web.reviews.models import ChildView, HeardFor
from carematters.web.reviews.voice import heard_by_children, views_of
from tests.web.recording_world import BORN, CHILD, Recording, date_fields, days_ago

pytestmark = pytest.mark.django_db

ADD = f"/children/{CHILD}/views/add/"
LIST = f"/children/{CHILD}/views/"


def _staff_answers(robin: Recording, days: int, **changes: str) -> dict[str, str]:
    return {
        **date_fields("heard_on", days_ago(robin, days)),
        "purpose": "review",
        "wishes": "I want to stay with Jo and Sam and keep going to Hillside School.",
        "seen_alone": "yes",
        "communication_needs": "",
        "advocate_offered": "yes",
        "advocate_took_part": "no",
        "independent_person": "",
        **changes,
    }


def test_the_iro_records_what_robin_said_alone_before_the_review(robin):
    client = robin.signed_in("iro")
    response = client.post(
        ADD,
        _staff_answers(robin, 2, communication_needs="Likes to draw what they mean"),
        follow=True,
    )
    assert "Their views are recorded" in response.content.decode()
    view = ChildView.objects.get()
    iro = User.objects.get(username="iro")
    assert (view.child, view.heard_on, view.recorded_by, view.purpose) == (
        CHILD,
        days_ago(robin, 2),
        iro,
        HeardFor.REVIEW,
    )
    assert (view.seen_alone, view.by_young_person) == (True, False)
    assert (view.advocate_offered, view.advocate_took_part) == (True, False)
    assert view.communication_needs == "Likes to draw what they mean"
    event = Event.objects.get(action=Action.CREATED, child=CHILD)
    assert event.user == iro
    assert event.what.startswith(f"Their views, heard on {days_ago(robin, 2).day} ")
    assert event.after["wishes"].startswith("I want to stay with Jo and Sam")
    assert event.after["recorded_by"] == "iro"


def test_robin_writes_their_own_view_and_nobody_saw_them_alone(robin):
    client = robin.signed_in("young-person")
    form = client.get(ADD).content.decode()
    assert "Say what you think" in form
    assert "Did you see them alone?" not in form
    response = client.post(
        ADD,
        {
            "wishes": "I don't want to move school.",
            "purpose": "decision",
            "communication_needs": "",
            "advocate_took_part": "yes",
            "independent_person": "My aunt Lou",
        },
        follow=True,
    )
    assert "What you said is saved" in response.content.decode()
    view = ChildView.objects.get()
    assert (view.by_young_person, view.seen_alone, view.heard_on) == (True, None, robin.today)
    assert (view.advocate_offered, view.advocate_took_part) == (True, True)
    assert (view.independent_person, view.purpose) == ("My aunt Lou", HeardFor.DECISION)


def test_views_are_read_back_newest_first_and_since_a_day(robin):
    worker, iro = robin.social_worker, User.objects.get(username="iro")
    for days, who, words in ((30, worker, "first"), (5, iro, "second"), (10, worker, "third")):
        actions.record_child_view(
            CHILD,
            heard_on=days_ago(robin, days),
            wishes=words,
            purpose=HeardFor.OTHER,
            heard=actions.Heard(seen_alone=False),
            acting_user=who,
        )
    assert [v.wishes for v in views_of(CHILD)] == ["second", "third", "first"]
    assert [v.wishes for v in views_of(CHILD, since=days_ago(robin, 10))] == ["second", "third"]
    assert views_of("1000002") == []
    assert [v.wishes for v in heard_by_children([CHILD, "1000002"])[CHILD]] == [
        "second",
        "third",
        "first",
    ]


def test_the_list_shows_who_heard_them_and_how_and_is_audited(robin):
    actions.record_child_view(
        CHILD,
        heard_on=days_ago(robin, 3),
        wishes="Can I see my brother more?",
        purpose=HeardFor.REVIEW,
        heard=actions.Heard(
            seen_alone=True,
            communication_needs="Needs an interpreter (Polish)",
            advocate_offered=True,
            advocate_took_part=True,
            independent_person="Mr Novak, their football coach",
        ),
        acting_user=robin.social_worker,
    )
    client = robin.signed_in("colleague")  # a team colleague reads the record
    html = client.get(LIST).content.decode()
    assert "Can I see my brother more?" in html
    assert "Needs an interpreter (Polish)" in html
    assert "Offered, and took part" in html
    assert "Mr Novak, their football coach" in html
    assert "Record their views" not in html  # a colleague may read, not record
    assert Event.objects.filter(
        action=Action.VIEWED, child=CHILD, what="Their views", user__username="colleague"
    ).exists()


def test_opening_the_form_is_a_view_of_the_record(robin):
    robin.signed_in().get(ADD)
    assert Event.objects.filter(
        action=Action.VIEWED, child=CHILD, what="Record their views", user=robin.social_worker
    ).exists()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"wishes": "  "}, "Enter what they said"),
        (
            {"advocate_offered": "no", "advocate_took_part": "yes"},
            "An advocate who took part must have been offered",
        ),
        (
            {"heard_on-day": "31", "heard_on-month": "2"},
            "The date they were heard must be a real date",
        ),
    ],
)
def test_what_cannot_be_so_is_refused_and_nothing_saved(robin, changes, problem):
    response = robin.signed_in().post(ADD, _staff_answers(robin, 1, **changes))
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not ChildView.objects.exists()


def test_a_day_in_the_future_is_refused(robin):
    answers = _staff_answers(robin, 0) | date_fields("heard_on", robin.today + timedelta(days=1))
    response = robin.signed_in().post(ADD, answers)
    assert "The date they were heard must be today or in the past" in response.content.decode()


@pytest.mark.parametrize(
    ("day", "month", "year"), [("1", "1", "2000"), ("1", "1", "0001"), ("30", "4", "2012")]
)
def test_a_day_before_they_were_born_is_refused(robin, day, month, year):
    typed = {"heard_on-day": day, "heard_on-month": month, "heard_on-year": year}
    response = robin.signed_in("iro").post(ADD, _staff_answers(robin, 1) | typed)
    assert response.status_code == 200
    assert (
        "The date they were heard must be on or after the day they were born, 1 May 2012"
        in response.content.decode()
    )
    assert not ChildView.objects.exists()


def test_the_day_they_were_born_is_accepted(robin):
    answers = _staff_answers(robin, 1) | date_fields("heard_on", BORN)
    assert robin.signed_in("iro").post(ADD, answers).status_code == 302
    assert ChildView.objects.get().heard_on == BORN


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("wishes", 2000, "What they said must be 2,000 characters or fewer"),
        (
            "independent_person",
            200,
            "The name of the person they chose must be 200 characters or fewer",
        ),
        (
            "communication_needs",
            2000,
            "What helps them communicate must be 2,000 characters or fewer",
        ),
    ],
)
def test_too_long_an_answer_is_refused_in_plain_words(robin, field, limit, message):
    response = robin.signed_in().post(ADD, _staff_answers(robin, 1, **{field: "x" * (limit + 1)}))
    html = response.content.decode()
    assert message in html
    assert (
        "What did they say must" not in html and "Did someone they chose take part must" not in html
    )
    assert not ChildView.objects.exists()


def test_a_blank_view_asks_for_what_they_said(robin):
    html = robin.signed_in().post(ADD, _staff_answers(robin, 1, wishes="")).content.decode()
    assert "Enter what they said" in html
    assert "Enter what did they say" not in html


def test_robin_reads_back_that_no_advocate_helped(robin):
    client = robin.signed_in("young-person")
    client.post(
        ADD,
        {
            "wishes": "I want to see my brother.",
            "purpose": "other",
            "communication_needs": "",
            "advocate_took_part": "no",
            "independent_person": "",
        },
    )
    html = client.get(LIST, follow=True).content.decode()  # their own page (casework.mine)
    assert "I want to see my brother." in html
    assert "advocate" not in html.split("What you have told us")[1]
    assert "Not offered" not in html
    staff = robin.signed_in().get(LIST).content.decode()
    assert "No advocate helped" in staff and "Not offered" not in staff


def test_robin_reads_back_that_an_advocate_helped(robin):
    client = robin.signed_in("young-person")
    client.post(
        ADD,
        {
            "wishes": "I want to see my brother.",
            "purpose": "other",
            "communication_needs": "",
            "advocate_took_part": "yes",
            "independent_person": "",
        },
    )
    assert "An advocate helped you" in client.get(LIST, follow=True).content.decode()


@pytest.mark.parametrize("username", ["colleague", "team-manager", "director", "personal-adviser"])
def test_only_their_worker_their_iro_and_robin_record_their_views(robin, username):
    client = robin.signed_in(username)
    assert client.get(ADD).status_code == 404
    assert client.post(ADD, _staff_answers(robin, 1)).status_code == 404
    assert not ChildView.objects.exists()
