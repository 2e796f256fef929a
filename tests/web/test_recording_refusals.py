"""What the recording forms refuse, and how they say so (GOV.UK's "There is a problem",
each problem linking to its field): dates in the future, not real, before birth or
care, out of order; codes not used in the date's year; overlaps and duplicates; and the
SSDA903 rules the entry would break. A refused entry writes nothing: no row, no audit
row, what is due unchanged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from carematters.web.audit.models import Action, Event
from carematters.web.casework import actions
from carematters.web.casework.due import Due
from carematters.web.casework.models import Episode, MissingEpisode, Review, Visit
from tests.web.approvals_world import approved
from tests.web.recording_world import (
    CHILD,
    Recording,
    date_fields,
    days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(robin: Recording) -> Client:
    return robin.signed_in()


def _refused(client: Client, kind: str, data: dict[str, str]) -> list[tuple[str, str]]:
    """Post the form; expect it back with the error summary; give its problems
    (message, link)."""
    response = client.post(f"/children/{CHILD}/record-{kind}/", {**data, "action": "save"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error: " in page
    return [(problem.text, problem.href) for problem in response.context["problems"]]


def _visit(day: date, **more: str) -> dict[str, str]:
    return {**date_fields("visit_date", day), "seen_alone": "Y", **more}


def test_a_visit_tomorrow_is_refused_and_nothing_is_written(robin, client):
    tomorrow = robin.today + timedelta(days=1)
    assert _refused(client, "visit", _visit(tomorrow)) == [
        ("The date of the visit must be today or in the past", "#visit_date-day")
    ]
    assert not Visit.objects.exists()
    assert not Event.objects.filter(action=Action.CREATED, child=CHILD).exists()
    assert not Due.objects.exists()


def test_every_problem_with_the_form_is_shown_at_once(robin, client):
    problems = _refused(
        client, "missing", date_fields("mis_start", robin.today + timedelta(days=1))
    )
    assert problems == [
        ("Select whether they were missing or away", "#missing"),
        ("The date they went missing must be today or in the past", "#mis_start-day"),
    ]


def test_the_action_refuses_a_future_date_whoever_calls_it(robin):
    with pytest.raises(ValidationError) as refused:
        actions.record_pep(
            CHILD, pep_date=robin.today + timedelta(days=1), acting_user=robin.social_worker
        )
    assert refused.value.message_dict == {
        "pep_date": ["The date of the PEP meeting must be today or in the past"]
    }


def test_a_date_that_is_not_a_real_one(client):
    problems = _refused(
        client,
        "visit",
        {
            "visit_date-day": "31",
            "visit_date-month": "2",
            "visit_date-year": "2026",
            "seen_alone": "Y",
        },
    )
    assert problems == [("The date of the visit must be a real date", "#visit_date-day")]
    huge = {"visit_date-day": "9" * 20, "visit_date-month": "1", "visit_date-year": "2026"}
    assert _refused(client, "visit", {**huge, "seen_alone": "Y"}) == [
        ("The date of the visit must be a real date", "#visit_date-day")
    ]
    assert _refused(client, "visit", {"visit_date-day": "3", "seen_alone": "Y"}) == [
        ("The date of the visit must include a month and a year", "#visit_date-day")
    ]
    assert _refused(client, "visit", {"seen_alone": "Y"}) == [
        ("Enter the date of the visit", "#visit_date-day")
    ]


def test_the_page_keeps_what_was_typed(client):
    response = client.post(
        f"/children/{CHILD}/record-visit/",
        {
            "visit_date-day": "31",
            "visit_date-month": "2",
            "visit_date-year": "2026",
            "seen_alone": "N",
        },
    )
    page = response.content.decode()
    assert (
        'id="visit_date-day" name="visit_date-day" type="text" inputmode="numeric" value="31"'
        in page
    )
    assert 'value="N" checked' in page


def test_not_seen_alone_needs_a_reason(robin, client):
    assert _refused(client, "visit", _visit(days_ago(robin, 2), seen_alone="N")) == [
        ("Enter why they were not seen alone", "#not_alone_reason")
    ]


def test_a_reason_not_seen_alone_is_not_kept_for_a_child_seen_alone(robin, client):
    assert _refused(
        client, "visit", _visit(days_ago(robin, 2), not_alone_reason="They were asleep")
    ) == [("Leave this empty: they were seen alone", "#not_alone_reason")]


def test_a_visit_before_they_came_into_care_or_were_born(robin, client):
    before_care = robin.came_into_care - timedelta(days=1)
    assert _refused(client, "visit", _visit(before_care)) == [
        (
            "The date of the visit must be on or after the day they came into care, "
            f"{robin.came_into_care.day} {robin.came_into_care:%B %Y}",
            "#visit_date-day",
        )
    ]
    assert _refused(client, "visit", _visit(date(2011, 1, 1))) == [
        (
            "The date of the visit must be on or after the day they were born, 1 May 2012",
            "#visit_date-day",
        )
    ]


def test_a_second_visit_on_one_day_is_refused(robin, client):
    day = days_ago(robin, 2)
    client.post(f"/children/{CHILD}/record-visit/", {**_visit(day), "action": "save"})
    assert _refused(client, "visit", _visit(day)) == [
        ("A visit on this date is already recorded: change that one instead", "#visit_date-day")
    ]
    assert Visit.objects.count() == 1


def test_a_code_not_used_in_the_dates_year_is_refused(robin, client):
    # Semi-independent living (H5) was a placement type until 2024-25.
    problems = _refused(
        client,
        "placement-move",
        {
            **date_fields("decom", days_ago(robin, 5)),
            "place": "H5",
            "place_provider": "PR4",
            "pl_post": "ZZ3 3CC",
            "reason_place_change": "CARPL",
            "ls": "C2",
        },
    )
    assert problems == [
        (
            "'Semi-independent living' is not used for a date in 2026-27 (valid from 2022-23 "
            "to 2024-25): choose one used in 2026-27",
            "#place",
        )
    ]
    assert Episode.objects.filter(child=CHILD).count() == 1


def test_a_code_the_list_never_had_is_refused_by_the_form(robin, client):
    assert _refused(
        client, "review", {**date_fields("review", days_ago(robin, 2)), "review_code": "PN9"}
    ) == [("Select how the child took part in the review", "#review_code")]


def test_leaving_care_cannot_be_x1(robin, client):
    assert _refused(
        client, "leaving-care", {**date_fields("dec", days_ago(robin, 2)), "rec": "X1"}
    ) == [("Select why they left care", "#rec")]


def test_a_move_before_the_current_placement_began(robin, client):
    day = robin.came_into_care - timedelta(days=3)
    problems = _refused(
        client,
        "placement-move",
        {
            **date_fields("decom", day),
            "place": "U5",
            "place_provider": "PR4",
            "pl_post": "ZZ3 3CC",
            "reason_place_change": "CARPL",
            "ls": "C2",
        },
    )
    assert problems[0][1] == "#decom-day"
    assert "on or after the day they came into care" in problems[0][0]


def test_a_move_needs_a_reason_unless_it_is_temporary(robin, client):
    move = {
        **date_fields("decom", days_ago(robin, 5)),
        "place": "U5",
        "place_provider": "PR4",
        "pl_post": "ZZ3 3CC",
        "ls": "C2",
    }
    assert _refused(client, "placement-move", move) == [
        ("Select why the placement changed", "#reason_place_change")
    ]
    # A temporary move has no provider of its own either.
    to_hospital = {**move, "place": "T1", "place_provider": "", "reason_place_change": "CARPL"}
    assert _refused(client, "placement-move", to_hospital) == [
        (
            "Leave this empty: a move to or from a temporary placement is not a change of "
            "placement",
            "#reason_place_change",
        )
    ]


def test_missing_episodes_cannot_overlap_or_end_before_they_start(robin, client):
    went, back = days_ago(robin, 9), days_ago(robin, 7)
    client.post(
        f"/children/{CHILD}/record-missing/",
        {
            **date_fields("mis_start", went),
            **date_fields("mis_end", back),
            "missing": "M",
            "action": "save",
        },
    )
    overlapping = {**date_fields("mis_start", days_ago(robin, 8)), "missing": "A"}
    assert _refused(client, "missing", overlapping) == [
        (
            f"This overlaps the missing episode from {went.day} {went:%B %Y} to "
            f"{back.day} {back:%B %Y}",
            "#mis_start-day",
        )
    ]
    backwards = {
        **date_fields("mis_start", days_ago(robin, 3)),
        **date_fields("mis_end", days_ago(robin, 4)),
        "missing": "M",
    }
    assert _refused(client, "missing", backwards) == [
        ("The date they came back must be on or after the date they went missing", "#mis_end-day")
    ]
    # Back on the day they went again: one follows the other.
    client.post(
        f"/children/{CHILD}/record-missing/",
        {**date_fields("mis_start", back), "missing": "M", "action": "save"},
    )
    assert MissingEpisode.objects.count() == 2


def test_a_rule_the_review_would_break_is_shown_on_its_field(robin, client):
    # PN0 is for a child under 4; Robin is 14.
    problems = _refused(
        client, "review", {**date_fields("review", days_ago(robin, 2)), "review_code": "PN0"}
    )
    assert problems == [
        (
            "Participation method indicates child was under 4 years old at the time of the "
            "review, but date of birth and review date indicates the child was 4 years old or "
            "over. (DfE rule 440)",
            "#review-day",
        )
    ]
    assert not Review.objects.exists()
    assert not Event.objects.filter(action=Action.CREATED, child=CHILD).exists()


def test_a_rule_about_the_whole_record_is_shown_without_a_link(robin, client):
    # A placement order (E1) needs a decision to place for adoption (placed_for_adoption).
    problems = _refused(
        client, "legal-status", {**date_fields("decom", days_ago(robin, 2)), "ls": "E1"}
    )
    assert problems == [
        (
            "Placement order has been granted but there is no date of decision that the child "
            "should be placed for adoption. (DfE rule 553)",
            "",
        )
    ]
    # Undone whole: the episode it would have ended is still open, at its version.
    episode = Episode.objects.get(child=CHILD)
    assert (episode.dec, episode.version) == (None, robin.episode.version)


def test_a_legal_status_change_must_change_it(robin, client):
    assert _refused(
        client, "legal-status", {**date_fields("decom", days_ago(robin, 2)), "ls": "C2"}
    ) == [("Select a legal status other than the one they had", "#ls")]


def test_nobody_moves_or_leaves_care_who_is_not_looked_after(robin, client):
    approved(CHILD, days_ago(robin, 10))  # looked after for over 20 working days
    client.post(
        f"/children/{CHILD}/record-leaving-care/",
        {**date_fields("dec", days_ago(robin, 10)), "rec": "E13", "action": "save"},
    )
    assert _refused(
        client, "leaving-care", {**date_fields("dec", days_ago(robin, 2)), "rec": "E13"}
    ) == [("They are not looked after: no episode of care is open", "")]


def test_the_error_summary_says_so_in_the_page(robin, client):
    response = client.post(
        f"/children/{CHILD}/record-visit/",
        {**_visit(robin.today + timedelta(days=2)), "action": "save"},
    )
    page = response.content.decode()
    assert (
        '<a href="#visit_date-day">The date of the visit must be today or in the past</a>' in page
    )
    assert 'class="govuk-error-message"' in page
    assert "govuk-form-group--error" in page
