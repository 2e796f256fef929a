"""Escalation and dispute resolution (IRO Handbook 2010 chapter 6; Care Matters 2007 para
7.33): Ivy, Robin's IRO, raises a concern about Robin's plan; it moves through the
authority's stages (team manager 5 working days, service manager 5, director 10), each
held by someone, since a day, with an answer due, and ends resolved or referred to
Cafcass. Robin's team manager sees it; so does the director; nobody else. On Robin
(tests/web/recording_world.py), in Team A, managed by `team-manager`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string

from carematters.calendar.working_days import working_days_after
from carematters.parameters import parameters
from carematters.web.audit.models import Action, Event
from carematters.web.people.access import team_children
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.reviews.escalations import escalations_on, stages_on
from carematters.web.reviews.models import Escalation, EscalationStage, Outcome
from tests.web.recording_world import CHILD, Recording, date_fields

pytestmark = pytest.mark.django_db

RAISE = f"/reviews/escalations/raise/{CHILD}/"
CONCERN = "Robin's plan to return home has drifted: no parenting assessment in 4 months."


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _raise(robin: Recording, stage: str = "1", holder: str = "team-manager") -> Escalation:
    response = robin.signed_in("iro").post(
        RAISE, {"concern": CONCERN, "stage": stage, "holder": str(_user(holder).pk)}
    )
    raised = Escalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/escalations/{raised.pk}/"
    return raised


def test_the_authoritys_stages_take_20_working_days_at_most():
    day = date(2026, 12, 1)
    stages = stages_on(day)
    assert [(s.number, s.name, s.timescale.number) for s in stages] == [
        (1, "Team manager", 5),
        (2, "Service manager", 5),
        (3, "Director of Children's Services", 10),
    ]
    total = parameters(day)["iro.escalation_total"].number
    assert sum(s.timescale.number for s in stages) <= total == 20


def test_an_answer_is_due_in_working_days_over_christmas():
    # Reaching stage 1 on Tuesday 22 December 2026: Wed 23, Thu 24, (Christmas Day,
    # the weekend, Boxing Day's substitute Monday 28) Tue 29, Wed 30, Thu 31.
    team_manager, _, director = stages_on(date(2026, 12, 22))
    assert team_manager.due(date(2026, 12, 22)) == date(2026, 12, 31)
    # The director's 10: ... Thu 31, (New Year's Day) Mon 4 to Fri 8 January 2027.
    assert director.due(date(2026, 12, 22)) == date(2027, 1, 8)


def test_ivy_raises_a_concern_with_robins_team_manager(robin):
    User.objects.filter(username="team-manager").update(first_name="Tess", last_name="Manager")
    raised = _raise(robin)
    stage = EscalationStage.objects.get(escalation=raised)
    today = robin.today
    assert (raised.child, raised.concern, raised.raised_by, raised.raised_on) == (
        CHILD,
        CONCERN,
        _user("iro"),
        today,
    )
    assert (stage.number, stage.name, stage.holder, stage.since) == (
        1,
        "Team manager",
        _user("team-manager"),
        today,
    )
    assert stage.due == working_days_after(today, 5)
    assert raised.outcome == Outcome.OPEN
    whats = Event.objects.filter(child=CHILD, action=Action.CREATED).values_list("what", flat=True)
    assert {w.split(" (")[0] for w in whats} == {
        "Escalation raised",
        "Escalation at stage 1, Team manager",
    }
    page = robin.signed_in("team-manager").get(f"/reviews/escalations/{raised.pk}/")
    html = page.content.decode()
    assert "Stage 1, Team manager: held by Tess Manager" in html
    assert f"answer due by {stage.due.day} {stage.due:%B %Y}" in html
    assert "Take it to a later stage" not in html  # only the IRO moves it on


def test_robins_team_manager_sees_it_on_the_team_page_include(robin):
    raised = _raise(robin)
    team = escalations_on(team_children(_user("team-manager")).values_list("child", flat=True))
    assert [s.escalation for s in team] == [raised]
    assert team[0].name == "Robin Ashdown"
    assert escalations_on(team_children(_user("manager-b")).values_list("child", flat=True)) == []
    html = render_to_string(
        "reviews/_team_escalations.html", {"escalations": team, "today": robin.today}
    )
    assert "IRO escalations" in html
    assert "Robin Ashdown" in html
    assert "Stage 1: Team manager" in html


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("iro", True),
        ("team-manager", True),
        ("director", True),
        ("manager-b", False),
        ("social-worker", False),
        ("colleague", False),
        ("performance-officer", False),
    ],
)
def test_who_sees_the_escalation(robin, username, sees):
    raised = _raise(robin)
    client = robin.signed_in(username)
    page = client.get(f"/reviews/escalations/{raised.pk}/")
    assert page.status_code == (200 if sees else 404)
    listing = client.get("/reviews/escalations/")
    if listing.status_code == 200:
        assert (CONCERN[:30] in listing.content.decode().replace("&#x27;", "'")) is sees


def test_ivy_takes_it_to_the_director_then_refers_robin_to_cafcass(robin):
    raised = _raise(robin)
    client = robin.signed_in("iro")
    moved = client.post(
        f"/reviews/escalations/{raised.pk}/move/",
        {
            "response": "The team manager says the assessment is booked for next month.",
            "stage": "3",
            "holder": str(_user("director").pk),
            "seen_stage": "1",
        },
    )
    assert moved.status_code == 302
    first, third = EscalationStage.objects.filter(escalation=raised).order_by("number")
    assert (first.ended_on, first.response) == (
        robin.today,
        "The team manager says the assessment is booked for next month.",
    )
    assert (third.number, third.holder, third.since) == (3, _user("director"), robin.today)
    assert third.due == working_days_after(robin.today, 10)
    assert third.ended_on is None

    # At the last stage there is nowhere further to take it: no link, and the page says so.
    page = client.get(f"/reviews/escalations/{raised.pk}/").content.decode()
    assert "Take it to a later stage" not in page
    assert "Record how it ended" in page
    back = client.post(
        f"/reviews/escalations/{raised.pk}/move/",
        {"response": "", "stage": "2", "holder": str(_user("team-manager").pk), "seen_stage": "3"},
        follow=True,
    )
    html = back.content.decode()
    assert "It is at stage 3, the last stage: there is no later stage to take it to" in html
    assert "There is nothing to choose from" not in html
    assert EscalationStage.objects.filter(escalation=raised).count() == 2

    ended = {
        "outcome": "cafcass",
        **date_fields("closed_on", robin.today),
        "resolution": "No assessment after 20 working days: referred to protect Robin's rights.",
        "cafcass_reference": "",
        "response": "",
        "seen_stage": "3",
    }
    refused = client.post(f"/reviews/escalations/{raised.pk}/end/", ended)
    assert "Enter the Cafcass reference" in refused.content.decode()
    done = client.post(
        f"/reviews/escalations/{raised.pk}/end/",
        {**ended, "cafcass_reference": "CAF-2026-0042"},
        follow=True,
    )
    assert "Escalation ended" in done.content.decode()
    raised.refresh_from_db()
    assert (raised.outcome, raised.closed_on, raised.cafcass_reference) == (
        Outcome.CAFCASS,
        robin.today,
        "CAF-2026-0042",
    )
    assert EscalationStage.objects.get(number=3).ended_on == robin.today
    assert "Referred to Cafcass on" in done.content.decode()
    # Ended: nothing more to move on or end.
    assert client.get(f"/reviews/escalations/{raised.pk}/move/").status_code == 404


def test_the_move_page_names_the_stage_as_the_authority_does(robin):
    raised = _raise(robin, stage="2", holder="team-manager")
    client = robin.signed_in("iro")
    page = client.get(f"/reviews/escalations/{raised.pk}/").content.decode()
    assert "Take it to a later stage" in page
    form = client.get(f"/reviews/escalations/{raised.pk}/move/").content.decode()
    assert "The concern is at stage 2, Service manager, held by" in form
    # Only the director's stage is left to choose.
    assert "Stage 3: Director of Children&#x27;s Services" in form
    assert "Stage 2: Service manager (answers" not in form


def test_the_move_page_at_the_last_stage_says_there_is_none_later(robin):
    raised = _raise(robin, stage="3", holder="director")
    client = robin.signed_in("iro")
    page = client.get(f"/reviews/escalations/{raised.pk}/").content.decode()
    assert "Take it to a later stage" not in page
    moved = client.get(f"/reviews/escalations/{raised.pk}/move/", follow=True)
    assert moved.redirect_chain == [(f"/reviews/escalations/{raised.pk}/", 302)]
    html = moved.content.decode()
    assert "there is no later stage to take it to. Record how it ended instead" in html
    assert "Select a stage" not in html


def test_the_team_panel_describes_iro_escalations(robin):
    html = render_to_string(
        "reviews/_team_escalations.html", {"escalations": [], "today": robin.today}
    )
    assert "Nothing may change for a young person" not in html
    assert "independent reviewing officers (IROs) have raised about their care plans" in html
    assert "who holds it there and the date their answer is due by" in html


def test_a_move_from_a_stage_it_has_left_is_refused(robin):
    raised = _raise(robin)
    client = robin.signed_in("iro")
    answers = {
        "response": "",
        "stage": "2",
        "holder": str(_user("team-manager").pk),
        "seen_stage": "1",
    }
    assert client.post(f"/reviews/escalations/{raised.pk}/move/", answers).status_code == 302
    again = client.post(
        f"/reviews/escalations/{raised.pk}/move/", {**answers, "stage": "3"}
    )  # from a page opened before the first move
    assert "Someone else changed this entry while you were editing it" in again.content.decode()
    assert EscalationStage.objects.filter(escalation=raised).count() == 2


def test_resolved_at_the_first_stage(robin):
    raised = _raise(robin)
    robin.signed_in("iro").post(
        f"/reviews/escalations/{raised.pk}/end/",
        {
            "outcome": "resolved",
            **date_fields("closed_on", robin.today),
            "resolution": "The assessment is booked for 3 weeks' time.",
            "cafcass_reference": "",
            "response": "Booked.",
            "seen_stage": "1",
        },
    )
    raised.refresh_from_db()
    assert (raised.outcome, raised.closed_on) == (Outcome.RESOLVED, robin.today)
    assert EscalationStage.objects.get().response == "Booked."


def test_only_robins_iro_raises_and_a_holder_is_a_manager(robin):
    for username in ("social-worker", "team-manager", "director"):
        client = robin.signed_in(username)
        assert client.get(RAISE).status_code == 404
        assert client.post(RAISE, {"concern": CONCERN, "stage": "1"}).status_code == 404
    User.objects.create_user("sam-2", role=Role.SOCIAL_WORKER)
    response = robin.signed_in("iro").post(
        RAISE, {"concern": CONCERN, "stage": "1", "holder": str(_user("sam-2").pk)}
    )
    assert "Select who holds the concern at this stage" in response.content.decode()
    assert not Escalation.objects.exists()


def test_the_iro_page_lists_open_escalations_with_a_late_answer(robin):
    raised = _raise(robin)
    EscalationStage.objects.filter(escalation=raised).update(due=robin.today - timedelta(days=1))
    html = robin.signed_in("iro").get("/reviews/").content.decode()
    assert "Open escalations" in html
    assert "Late" in html
