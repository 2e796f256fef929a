"""The IRO's page (`/reviews/`): Ivy's children, each with what she needs before their next
review, worked out by hand from a record built for it. T is today; a date "D" is the
first day at least 10 days ahead that is at most the 28th of its month, so that a date
some months before it is the same day of an earlier month.

- Asha (2000001), 10, in long-term foster care since T-400; reviewed T-390, T-300 and
  L = D - 6 months, so the next is due on D; care plan, placement plan and permanence
  plan made, and the care plan updated at L+5; a review health assessment at T-100 (a
  yearly one, from 5): the evidence is ready. Ivy saw her alone
  at L-10 (Asha uses Makaton signs) and again at L+20; Sam, her social worker, heard her
  at L+30: "I like my school".
- Ben (2000002), 12, in a secure children's home from T-300, then foster care from
  T-100, then an "other" placement (Z11, not regulated) from T-20; reviewed once, at
  D2 - 3 months, where D2 is the first day from T-200 that is at most the 28th: his
  second review was due on D2 and is overdue. No plan and no health assessment at all.
  Ivy postponed his review at T-1 to T+20.
- Cara (2000003) came into care at T-60 and moved at T-20, in school year 10 (born 15
  January, 14 on the 31 August before the move); no review yet; care plan at T-58,
  placement plan at T-19, initial health assessment at T-50: ready.
- Ivy is also the IRO of the matrix's ALLOCATED (1000001), not reviewed since coming into
  care at T-100, and of SEALED, which is restricted and not hers to see: 4 children.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.calendar.working_days import working_days_after
from carematters.web.bridge import mark_held
from carematters.web.casework.due import refresh_all_due
from carematters.web.casework.models import (
    CarePlan,
    Episode,
    Header,
    HealthAssessment,
    HeldTable,
    IroAssignment,
    Person,
    Review,
)
from carematters.web.people.models import User
from carematters.web.reviews.caseload import ReviewLine, narrowed
from carematters.web.reviews.models import ChildView, HeardFor, PostponedBecause, Postponement
from tests.web.pages_world import Pages
from tests.web.permissions import build_world

pytestmark = pytest.mark.django_db

ASHA, BEN, CARA = "2000001", "2000002", "2000003"


def _on_or_after(day: date) -> date:
    while day.day > 28:
        day += timedelta(days=1)
    return day


def _months_before(day: date, months: int) -> date:
    """`day` (at most the 28th) the given number of months earlier."""
    month = day.month - months
    return day.replace(year=day.year + (month - 1) // 12, month=(month - 1) % 12 + 1)


def _child(child: str, given: str, dob: date, places: list[tuple[date, str, str]]) -> None:
    """A child in care in `places` (start, RNE, PLACE) one after another, the last open,
    with Ivy (IRO1) as their IRO since they came into care."""
    Header.objects.create(child=child, sex="2", dob=dob)
    Person.objects.create(child=child, given_name=given, family_name="Testpage")
    for (start, rne, place), following in zip(places, [*places[1:], None], strict=True):
        end = following[0] if following else None
        Episode.objects.create(
            child=child,
            decom=start,
            rne=rne,
            ls="C2",
            place=place,
            dec=end,
            rec="X1" if end else None,
        )
    IroAssignment.objects.create(child=child, iro_id="IRO1", start_date=places[0][0])


class IroWorld:
    def __init__(self) -> None:
        self.world = build_world()
        t = self.today = self.world.today
        self.d = _on_or_after(t + timedelta(days=10))
        self.last = _months_before(self.d, 6)
        self.d2 = _on_or_after(t - timedelta(days=200))
        ivy, sam = User.objects.get(username="iro"), User.objects.get(username="social-worker")
        User.objects.filter(username="social-worker").update(first_name="Sam", last_name="Okafor")

        def ago(days: int) -> date:
            return t - timedelta(days=days)

        _child(ASHA, "Asha", date(t.year - 10, 6, 1), [(ago(400), "S", "U4")])
        for day in (ago(390), ago(300), self.last):
            Review.objects.create(child=ASHA, review=day, review_code="PN1")
        for day, kind in ((ago(399), "CARE"), (ago(399), "PLACEMENT"), (ago(380), "PERMANENCE")):
            CarePlan.objects.create(child=ASHA, plan_date=day, kind=kind)
        CarePlan.objects.create(child=ASHA, plan_date=self.last + timedelta(days=5), kind="CARE")
        HealthAssessment.objects.create(child=ASHA, assessment_date=ago(100), kind="RHA")
        for days, who, alone, words, needs in (
            (-10, ivy, True, "Can I see my mum more?", "Uses Makaton signs"),
            (20, ivy, True, "I want to stay with my carers", ""),
            (30, sam, False, "I like my school", ""),
        ):
            ChildView.objects.create(
                child=ASHA,
                heard_on=self.last + timedelta(days=days),
                recorded_by=who,
                wishes=words,
                seen_alone=alone,
                communication_needs=needs,
                purpose=HeardFor.REVIEW,
            )

        _child(
            BEN,
            "Ben",
            date(t.year - 12, 1, 15),
            [(ago(300), "S", "K1"), (ago(100), "P", "U6"), (ago(20), "P", "Z11")],
        )
        Review.objects.create(child=BEN, review=_months_before(self.d2, 3), review_code="PN3")
        Postponement.objects.create(
            child=BEN,
            due_on=self.d2,
            until=t + timedelta(days=20),
            because=PostponedBecause.EVIDENCE,
            reason="Waiting for his placement plan",
            postponed_on=ago(1),
            postponed_by=ivy,
        )

        move = ago(20)
        school_year_began = move.year if move.month >= 9 else move.year - 1
        _child(
            CARA,
            "Cara",
            date(school_year_began - 14, 1, 15),
            [(ago(60), "S", "U6"), (move, "P", "U4")],
        )
        CarePlan.objects.create(child=CARA, plan_date=ago(58), kind="CARE")
        CarePlan.objects.create(child=CARA, plan_date=ago(19), kind="PLACEMENT")
        HealthAssessment.objects.create(child=CARA, assessment_date=ago(50), kind="IHA")
        mark_held(["reviews", "care_plans", "health_assessments"])
        refresh_all_due(t)
        self.pages = Pages(self.world, t)


@pytest.fixture
def ivy() -> IroWorld:
    return IroWorld()


def _cards(html: str) -> dict[str, str]:
    """Each child's card on the page, by their first name, as plain text."""
    cards = re.split(r'<div class="govuk-summary-card"[^>]*>', html)[1:]
    text = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)).replace("&#x27;", "'") for card in cards
    ]
    return {card.split()[0]: card for card in text}


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_ivy_sees_her_four_children_next_review_first(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    assert "You are the named independent reviewing officer (IRO) for 4 children." in html
    assert "The guidance gives 50 to 70 children for a full-time IRO: yours is below that" in html
    assert "IRO Handbook" in html and "paragraph 7.15" in html
    assert list(_cards(html)) == ["Ben", "Name", "Cara", "Asha"]  # ALLOCATED has no name


def test_the_band_s_source_names_the_public_document_not_our_seed_file(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    assert "Care Matters: Time for Change (2007), paragraph 7.33" in html
    assert "seed" not in html.lower()


def test_a_review_postponed_for_another_reason_says_the_reason(ivy):
    Postponement.objects.filter(child=BEN).update(
        because=PostponedBecause.OTHER, reason="Ben is in hospital"
    )
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    until = _day(ivy.today + timedelta(days=20))
    assert f"to {until}, for another reason: Ben is in hospital" in html
    assert "because another reason" not in html


def test_a_review_postponed_for_the_evidence_says_so(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    until = _day(ivy.today + timedelta(days=20))
    assert f"to {until}, because the evidence is not ready" in html


def test_asha_is_ready_and_ivy_has_seen_her_alone(ivy):
    asha = _cards(ivy.pages.signed_in("iro").get("/reviews/").content.decode())["Asha"]
    days = (ivy.d - ivy.today).days
    assert f"Review by {_day(ivy.d)} in {days} days" in asha
    assert f"Last review: {_day(ivy.last)}" in asha
    assert (
        f"Seen alone by you since the last review Yes, on {_day(ivy.last + timedelta(days=20))}"
        in asha
    )
    assert "“I like my school”" in asha
    assert f"Heard by Sam Okafor on {_day(ivy.last + timedelta(days=30))}" in asha
    assert "What helps them communicate Uses Makaton signs" in asha
    assert "Ready" in asha and "Not ready" not in asha
    assert "Significant events since the last review None" in asha


def test_ben_is_overdue_postponed_unready_and_left_secure_care(ivy):
    ben = _cards(ivy.pages.signed_in("iro").get("/reviews/").content.decode())["Ben"]
    late = (ivy.today - ivy.d2).days
    assert f"Second review by {_day(ivy.d2)} {late} days overdue" in ben
    until = ivy.today + timedelta(days=20)
    assert f"You postponed it to {_day(until)}: Waiting for his placement plan" in ben
    assert "Seen alone by you since the last review Not yet" in ben
    assert "What they said Nothing recorded since the last review" in ben
    assert (
        "Not ready No care plan since they came into care "
        "No health assessment since they came into care Care plan overdue "
        "Initial health assessment overdue Permanence plan overdue Placement plan overdue"
    ) in ben
    left = _day(ivy.today - timedelta(days=100))
    moved = _day(ivy.today - timedelta(days=20))
    assert (
        f"Left custody or a secure children's home on {left}. "
        "Before: Secure children's home. After: Foster care."
    ) in ben
    assert (
        f"Moved to a placement that is not regulated on {moved}. "
        "Before: Foster care. After: Other placement (1)."
    ) in ben


def test_cara_moved_in_year_10_before_her_first_review(ivy):
    cara = _cards(ivy.pages.signed_in("iro").get("/reviews/").content.decode())["Cara"]
    assert "First review by" in cara and "overdue" in cara
    assert "Last review: none held yet" in cara
    moved = _day(ivy.today - timedelta(days=20))
    assert (
        f"Moved placement in school year 10 on {moved}, which can disrupt their education. "
        "Before: Foster care. After: Foster care, long term."
    ) in cara
    assert "Ready" in cara


def test_the_page_costs_the_same_queries_for_more_children(ivy):
    client = ivy.pages.signed_in("iro")
    client.get("/reviews/")  # renews the session, which the next minute's pages do not
    with CaptureQueriesContext(connection) as four:
        client.get("/reviews/")
    t = ivy.today
    _child("2000004", "Dev", date(t.year - 15, 3, 1), [(t - timedelta(days=500), "S", "K2")])
    ChildView.objects.create(
        child="2000004",
        heard_on=t,
        recorded_by=User.objects.get(username="iro"),
        wishes="Fine",
        purpose=HeardFor.OTHER,
    )
    refresh_all_due(t)
    with CaptureQueriesContext(connection) as five:
        html = client.get("/reviews/").content.decode()
    assert "for 5 children" in html
    assert len(five) == len(four)


def test_a_caseload_above_the_band_is_warned_of(ivy):
    for n in range(67):
        child = f"3{n:06d}"
        Header.objects.create(child=child, dob=date(2015, 1, 1))
        IroAssignment.objects.create(child=child, iro_id="IRO1", start_date=ivy.today)
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    assert "for 71 children" in html
    assert "That is more than the 70 children the guidance gives as the most" in html


# The summary table and its filters ------------------------------------------------------


def _rows(html: str) -> list[str]:
    """Each row of the summary table of children, as plain text."""
    table = html.split('id="children"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody", 1)[1].split(">", 1)[1].split("</tr>")[:-1]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def _line(**values: object) -> ReviewLine:
    """A line of the page with nothing to note but `values`."""
    blank: dict[str, object] = {
        "child": ASHA,
        "name": "Asha",
        "known_as": None,
        "age": 10,
        "href": "",
        "last_review": None,
        "next_due": None,
        "next_title": None,
        "days_to_go": None,
        "postponed": None,
        "seen_alone": None,
        "said": None,
        "communication_needs": "",
        "evidence_ready": True,
        "evidence_problems": [],
        "assessed_on": None,
        "events": [],
        "disputes": [],
    }
    return ReviewLine(**(blank | values))  # type: ignore[arg-type]


def _first_names(rows: list[str]) -> list[str]:
    return [row.split()[0] for row in rows]


def _dev(world: IroWorld) -> None:
    """Dev (2000004), 15, in care since T-500 and reviewed at T-30, so his next review
    is six months on; a care plan at T-29 and a review health assessment at T-40: ready,
    and not due soon. Ivy has not seen him alone."""
    t = world.today
    _child("2000004", "Dev", date(t.year - 15, 3, 1), [(t - timedelta(days=500), "S", "U4")])
    Review.objects.create(child="2000004", review=t - timedelta(days=30), review_code="PN1")
    CarePlan.objects.create(child="2000004", plan_date=t - timedelta(days=29), kind="CARE")
    HealthAssessment.objects.create(
        child="2000004", assessment_date=t - timedelta(days=40), kind="RHA"
    )
    refresh_all_due(t)


def test_the_summary_table_has_a_line_per_child_next_review_first(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    rows = _rows(html)
    assert _first_names(rows) == ["Ben", "Name", "Cara", "Asha"]
    ben, _, cara, asha = rows
    late = (ivy.today - ivy.d2).days
    assert f"Ben Testpage Aged 12 {ivy.d2:%-d %b %Y} {late} days overdue" in ben
    assert f"Postponed to {ivy.today + timedelta(days=20):%-d %b %Y} No " in ben
    assert "No No care plan since they came into care" in ben
    assert "No health assessment since they came into care" in ben
    assert f"Left custody or secure care on {ivy.today - timedelta(days=100):%-d %b %Y}" in ben
    assert f"Moved to an unregulated placement on {ivy.today - timedelta(days=20):%-d %b %Y}" in ben
    days = (ivy.d - ivy.today).days
    seen = ivy.last + timedelta(days=20)
    assert (
        asha
        == f"Asha Testpage Aged 10 {ivy.d:%-d %b %Y} in {days} days Yes {seen:%-d %b %Y} Yes None"
    )
    assert f"Moved in a GCSE year on {ivy.today - timedelta(days=20):%-d %b %Y}" in cara
    assert "Showing all 4 children." in html


def test_ivy_narrows_to_children_she_has_not_seen_alone(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/?show=not-seen").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name", "Cara"]
    assert "Showing 3 of 4 children." in html
    assert list(_cards(html)) == ["Ben", "Name", "Cara"]  # the cards below follow
    assert 'value="not-seen" aria-describedby="show-not-seen-hint" checked' in html


def test_ivy_narrows_to_children_whose_evidence_is_not_ready(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/?show=not-ready").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name"]


def test_filters_ticked_together_keep_children_matching_them_all(ivy):
    _dev(ivy)
    client = ivy.pages.signed_in("iro")
    html = client.get("/reviews/?show=not-seen").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name", "Cara", "Dev"]
    html = client.get("/reviews/?show=not-seen&show=due").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name", "Cara"]
    html = client.get("/reviews/?show=not-seen&show=due&show=not-ready").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name"]


def test_due_soon_is_overdue_or_within_20_working_days(ivy):
    """Asha's review on D (10 to 13 days ahead) is within 20 working days (at least 26
    days); Dev's, six months off, is not. Moving Asha's last review back so hers falls
    27 working days off takes her out."""
    _dev(ivy)
    client = ivy.pages.signed_in("iro")
    html = client.get("/reviews/?show=due").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name", "Cara", "Asha"]
    due_by = working_days_after(ivy.today, 20)
    assert f"Overdue, or due in the next 20 working days (by {_day(due_by)})" in html


def test_a_due_date_after_the_20th_working_day_is_not_due_soon(ivy):
    line = _line(next_due=working_days_after(ivy.today, 21))
    assert narrowed([line], ["due"], working_days_after(ivy.today, 20)) == []
    line = _line(next_due=working_days_after(ivy.today, 20))
    assert narrowed([line], ["due"], working_days_after(ivy.today, 20)) == [line]


def test_an_unknown_filter_is_ignored(ivy):
    html = ivy.pages.signed_in("iro").get("/reviews/?show=everything").content.decode()
    assert "Showing all 4 children." in html


def test_no_child_matching_says_so(ivy):
    ivy_user = User.objects.get(username="iro")
    for child in (BEN, CARA, "1000001"):
        ChildView.objects.create(
            child=child,
            heard_on=ivy.today,
            recorded_by=ivy_user,
            wishes="Fine",
            seen_alone=True,
            purpose=HeardFor.REVIEW,
        )
    html = ivy.pages.signed_in("iro").get("/reviews/?show=not-seen").content.decode()
    assert "Showing 0 of 4 children." in html
    assert "None of your children matches what you ticked." in html
    assert "<table" not in html.split('id="children"', 1)[1].split("Open escalations")[0]


def test_a_health_assessment_past_its_timescale_makes_the_evidence_not_ready(ivy):
    """Asha (10) was last assessed 400 days ago: her yearly review health assessment is
    overdue, so the evidence is not ready though her care plan is up to date."""
    HealthAssessment.objects.filter(child=ASHA).update(
        assessment_date=ivy.today - timedelta(days=399)
    )
    refresh_all_due(ivy.today)
    asha = _cards(ivy.pages.signed_in("iro").get("/reviews/").content.decode())["Asha"]
    assert "Not ready Review health assessment overdue" in asha
    html = ivy.pages.signed_in("iro").get("/reviews/?show=not-ready").content.decode()
    assert _first_names(_rows(html)) == ["Ben", "Name", "Asha"]


def test_a_record_keeping_no_health_assessments_cannot_say(ivy):
    HeldTable.objects.filter(name="health_assessments").delete()
    HealthAssessment.objects.all().delete()
    html = ivy.pages.signed_in("iro").get("/reviews/").content.decode()
    asha = _cards(html)["Asha"]
    assert "The record keeps no health assessments, so this cannot be checked" in asha
    assert "Cannot say" in _rows(html)[-1]
