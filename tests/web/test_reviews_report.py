"""The IRO annual report for 2025-26 (1 April 2025 to 31 March 2026), worked by hand on a
small authority of four children:

- C1 came into care on Tuesday 1 April 2025. First review due 20 working days later:
  April 2 to 17 are 12, Good Friday (18) and Easter Monday (21) are not, 22 to 30 are
  7 more, and 1 May is the 20th. Held 1 May (on time, PN1). Second due 1 August, held
  5 August (late, PN3). Third due 5 February 2026, held 4 February (on time, PN1). Ivy
  saw C1 alone on 20 April (before the first) and on 5 August (the day of the second);
  the social worker saw C1 alone on 1 February, which is not the IRO.
- C2 in care since 1 January 2024, reviewed 10 January, 10 April and 10 October 2024;
  then 9 April 2025 (due 10 April: on time, PN7; Ivy saw C2 alone on 1 April 2025) and
  20 October 2025 (due 9 October: late, PN2).
- C3 on short breaks (V3), reviewed 1 June 2025 (PN4): held, not timed.
- C4 reviewed on 31 March 2025 and 1 April 2026: neither in the year.

So: 6 reviews held; 5 timed, 3 on time; 3 with the child seen alone by the IRO before;
PN1 2, PN2 1, PN3 1, PN4 1, PN7 1. Postponed in the year: C1's second review (due 1
August 2025) on 1 May for the evidence, C1's fourth (due 4 August 2026) on 31 March 2026
for another reason, and C2's fifth (due 9 October 2025) three times for the evidence, on
1, 3 and 6 October (and C1's first, in the year before, on 31 March 2025): 5
postponements of 3 reviews, 2 for the evidence and 1 for another reason. Escalations
raised in the year: E1 resolved at stage 1, E2 open at stage 2, E3 referred to Cafcass at
stage 3 (10 March 2026); E4, raised in March 2025, was referred on 2 April 2025: 2
referrals to Cafcass made in the year.

Escalations ended in the year: E1 (1 to 5 June 2025: 4 days), E4 (20 March to 2 April
2025: 11 + 2 = 13 days) and E3 (5 January to 10 March 2026: 26 + 28 + 10 = 64 days);
sorted 4, 13, 64: median 13, longest 64.

IROs named (the iro table): C1 has Ivy (IRO1) from Wednesday 9 April 2025, a day after
the 5th working day from 1 April (2, 3, 4, 7, 8 April): late. C2 has IRO1 from 2024. C3
has IRO2 from 2 January 2025. C4 had IRO2 until 31 March 2026, ended that day. C5 came
into care on Monday 2 June 2025 and had IRO1 from 9 June, the 5th working day (3, 4, 5,
6, 9): in time. C6 came into care on 2 March 2026 and has no IRO. C7 came into care on 1
September 2025 with IRO2 already theirs since 1 August and still in post: in time from
the first day. So 4 came into care in the year (C1, C5, C6, C7): 2 named in time, 1
late, 1 not named. On 31 March 2026 all seven are in care: IRO1 reviews C1, C2 and C5
(3), IRO2 C3 and C7 (2), and C4 and C6 have nobody: two IROs, both below the band of 50
to 70, the largest caseload 3, the average 2.5, 2 children with no IRO named. (C5 to C7
have no reviews, postponements or escalations, so the figures above stand.)
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from carematters.ssda903.years import CollectionYear
from carematters.web.casework.models import Episode, Header, IroAssignment, Review
from carematters.web.people.models import User
from carematters.web.reviews.models import (
    ChildView,
    Escalation,
    EscalationStage,
    HeardFor,
    Outcome,
    PostponedBecause,
    Postponement,
)
from carematters.web.reviews.report import Caseloads, annual_report
from tests.web.pages_world import Pages
from tests.web.permissions import build_world

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2025)
TODAY = date(2026, 11, 30)


def _in_care(child: str, since: date, ls: str = "C2") -> None:
    Header.objects.create(child=child, dob=date(2012, 1, 1))
    Episode.objects.create(child=child, decom=since, rne="S", ls=ls, place="U4")


def _reviewed(child: str, *held: tuple[date, str]) -> None:
    for day, code in held:
        Review.objects.create(child=child, review=day, review_code=code)


def _heard(child: str, day: date, username: str) -> None:
    ChildView.objects.create(
        child=child,
        heard_on=day,
        recorded_by=User.objects.get(username=username),
        wishes="What I think",
        seen_alone=True,
        purpose=HeardFor.REVIEW,
    )


def _escalation(raised: date, stages: int, outcome: Outcome, closed: date | None) -> None:
    director = User.objects.get(username="director")
    escalation = Escalation.objects.create(
        child="C1",
        concern="Drift",
        raised_by=User.objects.get(username="iro"),
        raised_on=raised,
        outcome=outcome,
        closed_on=closed,
        cafcass_reference="CAF-1" if outcome == Outcome.CAFCASS else "",
    )
    for number in range(1, stages + 1):
        last = number == stages
        EscalationStage.objects.create(
            escalation=escalation,
            number=number,
            name=f"Stage {number}",
            holder=director,
            since=raised,
            due=raised,
            ended_on=closed if last else raised,
        )


@pytest.fixture
def authority() -> Pages:
    world = build_world()
    _in_care("C1", date(2025, 4, 1))
    _reviewed("C1", (date(2025, 5, 1), "PN1"), (date(2025, 8, 5), "PN3"), (date(2026, 2, 4), "PN1"))
    _heard("C1", date(2025, 4, 20), "iro")
    _heard("C1", date(2025, 8, 5), "iro")
    _heard("C1", date(2026, 2, 1), "social-worker")
    _in_care("C2", date(2024, 1, 1))
    _reviewed(
        "C2",
        (date(2024, 1, 10), "PN1"),
        (date(2024, 4, 10), "PN1"),
        (date(2024, 10, 10), "PN1"),
        (date(2025, 4, 9), "PN7"),
        (date(2025, 10, 20), "PN2"),
    )
    _heard("C2", date(2025, 4, 1), "iro")
    _in_care("C3", date(2025, 1, 1), ls="V3")
    _reviewed("C3", (date(2025, 6, 1), "PN4"))
    _in_care("C4", date(2024, 6, 1))
    _reviewed("C4", (date(2025, 3, 31), "PN1"), (date(2026, 4, 1), "PN1"))
    iro = User.objects.get(username="iro")
    for child, day, due, because in (
        ("C1", date(2025, 5, 1), date(2025, 8, 1), PostponedBecause.EVIDENCE),
        ("C1", date(2026, 3, 31), date(2026, 8, 4), PostponedBecause.OTHER),
        ("C2", date(2025, 10, 1), date(2025, 10, 9), PostponedBecause.EVIDENCE),
        ("C2", date(2025, 10, 3), date(2025, 10, 9), PostponedBecause.EVIDENCE),
        ("C2", date(2025, 10, 6), date(2025, 10, 9), PostponedBecause.EVIDENCE),
        ("C1", date(2025, 3, 31), date(2025, 5, 1), PostponedBecause.OTHER),
    ):
        Postponement.objects.create(
            child=child,
            due_on=due,
            until=day,
            because=because,
            reason="Not ready",
            postponed_on=day,
            postponed_by=iro,
        )
    _escalation(date(2025, 6, 1), 1, Outcome.RESOLVED, date(2025, 6, 5))
    _escalation(date(2025, 9, 1), 2, Outcome.OPEN, None)
    _escalation(date(2026, 1, 5), 3, Outcome.CAFCASS, date(2026, 3, 10))
    _escalation(date(2025, 3, 20), 3, Outcome.CAFCASS, date(2025, 4, 2))
    _in_care("C5", date(2025, 6, 2))
    _in_care("C6", date(2026, 3, 2))
    _in_care("C7", date(2025, 9, 1))
    for child, iro_id, start, end in (
        ("C1", "IRO1", date(2025, 4, 9), None),
        ("C2", "IRO1", date(2024, 1, 1), None),
        ("C3", "IRO2", date(2025, 1, 2), None),
        ("C4", "IRO2", date(2024, 6, 1), date(2026, 3, 31)),
        ("C5", "IRO1", date(2025, 6, 9), None),
        ("C7", "IRO2", date(2025, 8, 1), None),
    ):
        IroAssignment.objects.create(child=child, iro_id=iro_id, start_date=start, end_date=end)
    return Pages(world, TODAY)


def test_the_figures_worked_by_hand(authority):
    report = annual_report(YEAR, TODAY)
    assert (report.reviews_held, report.timed, report.on_time, report.seen_alone) == (6, 5, 3, 3)
    counts = {row.label.split(":")[0]: row.count for row in report.participation}
    assert counts == {
        "PN0": 0,
        "PN1": 2,
        "PN2": 1,
        "PN3": 1,
        "PN4": 1,
        "PN5": 0,
        "PN6": 0,
        "PN7": 1,
    }
    assert [(c.label, c.count) for c in report.postponed] == [
        ("The evidence is not ready (an up-to-date assessment or plan)", 2),
        ("Another reason", 1),
    ]
    assert (report.reviews_postponed, report.postponements) == (3, 5)
    assert [(r.number, r.open, r.resolved, r.cafcass) for r in report.escalations] == [
        (1, 0, 1, 0),
        (2, 1, 0, 0),
        (3, 0, 0, 1),
    ]
    assert (report.escalations_raised, report.cafcass_referrals) == (3, 2)


def test_the_director_reads_it_and_downloads_it(authority):
    client = authority.signed_in("director")
    html = client.get("/reviews/report/?year=2025-26").content.decode()
    assert "1 April 2025 to 31 March 2026" in html
    assert "3 of 5 (60%)" in html  # on time
    assert "3 of 6 (50%)" in html  # seen alone
    assert "within 20 working days of coming into care" in html
    postponed = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Reviews postponed 3 Each review counted once. Postponements in all: 5" in postponed
    response = client.get("/reviews/report/csv/?year=2025-26")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="iro-annual-report-2025-26.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Measure", "Number"]
    assert ["Reviews", "Held on time", "3"] in rows
    assert ["Escalations", "Referrals to Cafcass made in the year", "2"] in rows
    assert ["Reviews postponed", "Reviews postponed", "3"] in rows
    assert [
        "Reviews postponed",
        "Postponements (a review may be postponed more than once)",
        "5",
    ] in rows


def test_a_year_carematters_does_not_know_is_not_found(authority):
    client = authority.signed_in("performance-officer")
    assert client.get("/reviews/report/?year=1999-00").status_code == 404
    assert client.get("/reviews/report/?year=next").status_code == 404
    assert client.get("/reviews/report/").status_code == 200


def test_escalation_times_iro_caseloads_and_naming_worked_by_hand(authority):
    report = annual_report(YEAR, TODAY)
    r, c, n = report.resolution, report.caseloads, report.named
    assert (r.ended, r.median_days, r.longest_days) == (3, 13, 64)
    assert (c.on, c.fewest, c.most, c.loads) == (date(2026, 3, 31), 50, 70, [3, 2])
    assert (c.below, c.within, c.above, c.largest, c.average, c.unnamed) == (2, 0, 0, 3, 2.5, 2)
    assert (n.within, n.came_into_care, n.in_time, n.late, n.not_named) == (
        "5 working days",
        4,
        2,
        1,
        1,
    )


def test_an_even_number_of_escalations_ended_has_the_middle_two_s_mean(authority):
    """E5, 1 to 21 July 2025 (20 days), makes 4, 13, 20, 64: median (13 + 20) / 2."""
    _escalation(date(2025, 7, 1), 1, Outcome.RESOLVED, date(2025, 7, 21))
    assert annual_report(YEAR, TODAY).resolution.median_days == 16.5
    html = authority.signed_in("director").get("/reviews/report/?year=2025-26").content.decode()
    assert "the median was 16.5 days and the longest 64 days" in html


def test_caseloads_are_put_against_the_band_at_both_ends():
    loads = Caseloads(on=date(2026, 3, 31), fewest=50, most=70, loads=[71, 70, 50, 49], unnamed=0)
    assert (loads.above, loads.within, loads.below, loads.average) == (1, 2, 1, 60.0)


def test_the_page_and_the_csv_show_the_new_figures(authority):
    client = authority.signed_in("director")
    html = client.get("/reviews/report/?year=2025-26").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "IRO named within 5 working days 2 of 4" in text
    assert "IRO named later 1" in text and "No IRO named yet 1" in text
    assert "On 31 March 2026, 2 IROs had children to review." in text
    assert "Fewer than 50 2 50 to 70 0 More than 70 0" in text
    assert "Largest caseload 3 Average caseload 2.5 Children in care with no IRO named 2" in text
    assert "3 escalations ended in the year" in text
    assert "the median was 13 days and the longest 64 days" in text
    rows = list(
        csv.reader(io.StringIO(client.get("/reviews/report/csv/?year=2025-26").content.decode()))
    )
    loads = "IRO caseloads on 31 March 2026 (band 50 to 70)"
    named = "IRO named within 5 working days of coming into care"
    ended = "Escalations ended in the year"
    for row in (
        [ended, "Ended (resolved or referred to Cafcass)", "3"],
        [ended, "Median days from raised to ended", "13"],
        [ended, "Longest, in days", "64"],
        [loads, "IROs with children to review", "2"],
        [loads, "Fewer than 50 children", "2"],
        [loads, "50 to 70 children", "0"],
        [loads, "More than 70 children", "0"],
        [loads, "Largest caseload", "3"],
        [loads, "Average caseload", "2.5"],
        [loads, "Children in care with no IRO named", "2"],
        [named, "Came into care in the year", "4"],
        [named, "IRO named within 5 working days", "2"],
        [named, "IRO named later", "1"],
        [named, "No IRO named yet", "1"],
    ):
        assert row in rows


@pytest.mark.parametrize("username", ["lead-member", "iro"])
def test_the_lead_member_and_the_iro_read_figures_with_no_child_in_them(authority, username):
    """The Lead Member sees no child-level record: the report and its CSV name no child
    (by id or name) and no IRO."""
    client = authority.signed_in(username)
    html = client.get("/reviews/report/?year=2025-26").content.decode()
    data = client.get("/reviews/report/csv/?year=2025-26").content.decode()
    assert "3 of 5 (60%)" in html
    children = list(Header.objects.values_list("child", flat=True))
    assert len(children) == 12  # C1 to C7 and the matrix's five
    body = html.split("<main", 1)[1]
    for child in children:
        assert f">{child}<" not in body and f" {child} " not in body and child not in data
    for person in User.objects.all():
        named = f"{person.first_name} {person.last_name}".strip()
        assert not named or named not in body
        assert person.staff_id == "" or person.staff_id not in body + data
    assert 'href="/reviews/report/" aria-current="page"' in html
