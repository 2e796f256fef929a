"""A personal adviser's care leavers (issue 12): their caseload in leaving care's own
columns, a care leaver's record offering only a care leaver's forms, and recording a
contact or a pathway plan, which moves what is due at once. The world and its dates,
worked out by hand, are in tests/web/leaving_world.py."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carematters.web.audit.models import Action, Event
from carematters.web.casework.due import refresh_due
from carematters.web.casework.models import Header, Oc3, PaContact, PathwayPlan
from carematters.web.people import actions
from carematters.web.people.models import AllocationKind, User
from tests.web.leaving_world import (
    AMA,
    BO,
    CY,
    Leavers,
    build_leavers,
    in_words,
    leaver,
    short,
    tenth,
    years_after,
)
from tests.web.recording_world import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def leavers() -> Leavers:
    return build_leavers()


def _rows(html: str) -> list[str]:
    """The table's body rows, tags stripped, whitespace squeezed."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr.*?</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def _text(html: str) -> str:
    main = html.split('<main class="govuk-main-wrapper" id="main-content">', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main.split("</main>", 1)[0]).split())


def _caseload(leavers: Leavers) -> list[str]:
    response = leavers.signed_in().get("/caseload/")
    assert response.status_code == 200
    return _rows(response.content.decode())


# The caseload -------------------------------------------------------------------------


def test_the_caseload_has_leaving_cares_columns(leavers):
    html = leavers.signed_in().get("/caseload/").content.decode()
    head = html.split("<thead", 1)[1].split(">", 1)[1].split("</thead>", 1)[0]
    head = " ".join(re.sub(r"<[^>]+>", " ", head).split())
    assert head == (
        "Name Age Care leaver Accommodation Activity In touch Next contact Pathway plan Overdue"
    )
    # Not a social worker's: nothing of placements, legal status or IROs.
    for words in ("Not looked after today", "None named", "Legal status", "IRO"):
        assert words not in _text(html)


def test_each_care_leaver_in_words_the_worst_first(leavers):
    m = leavers.m
    # Three months after Bo's 16th birthday: 17 years and 6 months less 16 years and 3.
    first_plan = tenth(leavers.today, 15)
    rows = _caseload(leavers)
    # Bo: needs assessment, first plan and contact overdue (3); Ama: contact (1); then
    # the matrix's LEAVER (13, left care a month ago: the law makes them no care leaver).
    assert rows[0] == (
        f"Bo Birchfield 17 Relevant until {short(years_after(leavers.bo_born, 21))} (age 21) "
        "Not known Not known Not in a return yet "
        f"{short(m(-1))} Overdue last none recorded "
        f"First plan by {short(first_plan)} Overdue 3 overdue"
    )
    assert rows[1] == (
        f"Ama Ashgrove 19 Former relevant until {short(years_after(leavers.ama_born, 21))} "
        "(age 21) Independent living suitable Education or training full time "
        f"Yes return for 2024-25 {short(m(-1))} Overdue last {short(m(-3))} "
        f"Review by {short(m(3))} 1 overdue"
    )
    assert rows[2].startswith("Name not recorded 14 Not a care leaver by their record")
    assert len(rows) == 3  # not Cy, who is another adviser's


def test_unsuitable_accommodation_stands_out(leavers):
    Oc3.objects.filter(child=AMA, year="2024-25").update(accom="W2", activ="G6", in_touch="REFU")
    refresh_due([AMA], leavers.today)
    ama = _caseload(leavers)[1]
    assert (
        "Bed and breakfast Not suitable No education, work or training pregnancy or parenting "
        "Refuses contact return for 2024-25"
    ) in ama


def test_the_same_queries_for_two_care_leavers_or_twelve(leavers):
    client = leavers.signed_in()
    client.get("/caseload/")  # renews the session, which the next minute's pages do not
    with CaptureQueriesContext(connection) as few:
        client.get("/caseload/")
    pa = User.objects.get(username="personal-adviser")
    starts = {}
    for n in range(10):
        child = f"30000{n:02d}"
        leaver(child, leavers.bo_born, leavers.m(-3), "Dee", f"Number{n}")
        starts[child] = leavers.m(-3)
    actions.allocate(AllocationKind.PERSONAL_ADVISER, pa, starts, acting_user=None)
    refresh_due(list(starts), leavers.today)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/caseload/")
    assert len(_rows(response.content.decode())) == 13
    assert len(many) == len(few)


def test_the_caseload_is_few_queries(leavers, django_assert_max_num_queries):
    client = leavers.signed_in()
    client.get("/caseload/")
    # The session and user (2); the care leavers (1); their lines (1); their leaving-care
    # lines (1); the session saved (3).
    with django_assert_max_num_queries(8):
        client.get("/caseload/")


def test_the_caseload_is_not_a_view_of_each_record(leavers):
    before = Event.objects.count()
    leavers.signed_in().get("/caseload/")
    assert Event.objects.count() == before


# A care leaver's record ----------------------------------------------------------------


def test_a_care_leavers_record_says_what_leaving_care_says(leavers):
    text = _text(leavers.signed_in().get(f"/children/{AMA}/").content.decode())
    assert (
        f"Care leaver Former relevant, until {in_words(years_after(leavers.ama_born, 21))} "
        "(their 21st birthday) Accommodation (2024-25 return) Independent living, suitable "
        "Activity Education or training, full time In touch Yes"
    ) in text
    for words in ("Not looked after today", "None named", "None allocated"):
        assert words not in text
    assert "Personal adviser Pat Adviser" in text


def test_a_care_leaver_is_offered_only_a_care_leavers_forms(leavers):
    text = _text(leavers.signed_in().get(f"/children/{AMA}/").content.decode())
    record = text.split("Record ", 1)[1].split("Latest events", 1)[0]
    assert record.strip() == "Record a contact Record a pathway plan or its review"


# Recording -----------------------------------------------------------------------------


def test_recording_a_contact_moves_the_contact_due_date(leavers):
    m = leavers.m
    client = leavers.signed_in()
    response = client.post(
        f"/children/{AMA}/record-contact/", {**date_fields("contact_date", m(0)), "action": "save"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/children/{AMA}/"
    contact = PaContact.objects.current().get(child=AMA, contact_date=m(0))
    assert contact.pa_id == "PA001"  # the adviser's own staff id
    assert Event.objects.filter(
        action=Action.CREATED, child=AMA, user__username="personal-adviser"
    ).exists()
    ama = next(row for row in _caseload(leavers) if row.startswith("Ama"))
    # Last contact M+0; the next, two months on: M+2, no longer overdue; nothing overdue.
    assert f"Yes return for 2024-25 {short(m(2))} last {short(m(0))} Review by" in ama
    assert "Overdue" not in ama
    assert ama.endswith("None")
    page = _text(client.get(f"/children/{AMA}/").content.decode())
    assert "Contact recorded" in page
    assert "Contact with personal adviser , by" not in page  # no longer overdue


def test_recording_a_pathway_plan_review_moves_the_review(leavers):
    m = leavers.m
    response = leavers.signed_in().post(
        f"/children/{AMA}/record-pathway-plan/",
        {**date_fields("event_date", m(0)), "kind": "REVIEW", "action": "save"},
    )
    assert response.status_code == 302
    assert PathwayPlan.objects.current().filter(child=AMA, kind="REVIEW").count() == 2
    assert f"Review by {short(m(6))}" in _caseload(leavers)[1]


def test_a_review_needs_a_plan_first(leavers):
    response = leavers.signed_in().post(
        f"/children/{BO}/record-pathway-plan/",
        {**date_fields("event_date", leavers.m(0)), "kind": "REVIEW", "action": "save"},
    )
    text = _text(response.content.decode())
    assert "There is a problem" in text
    assert (
        "There is no pathway plan made on or before this date to review: record the plan first"
        in text
    )
    assert not PathwayPlan.objects.filter(child=BO).exists()


def test_the_first_plan_turns_its_duty_done(leavers):
    m = leavers.m
    client = leavers.signed_in()
    response = client.post(
        f"/children/{BO}/record-pathway-plan/",
        {**date_fields("event_date", m(0)), "kind": "PLAN", "action": "save"},
    )
    assert response.status_code == 302
    bo = _caseload(leavers)[0]
    # The plan's review is next, six months on; the needs assessment and contact stay
    # overdue.
    assert f"Review by {short(m(6))}" in bo
    assert bo.endswith("2 overdue")


def test_a_plan_before_the_sixteenth_birthday_is_refused(leavers):
    sixteenth = years_after(leavers.bo_born, 16)
    before = sixteenth.replace(day=9)
    response = leavers.signed_in().post(
        f"/children/{BO}/record-pathway-plan/",
        {**date_fields("event_date", before), "kind": "PLAN", "action": "save"},
    )
    assert (
        "The date must be on or after the day they could first be an eligible child, "
        f"{in_words(sixteenth)}"
    ) in _text(response.content.decode())


def test_a_contact_before_the_sixteenth_birthday_is_refused(leavers):
    sixteenth = years_after(leavers.bo_born, 16)
    before = sixteenth.replace(day=9)
    response = leavers.signed_in().post(
        f"/children/{BO}/record-contact/",
        {**date_fields("contact_date", before), "action": "save"},
    )
    assert (
        "The date must be on or after the day they could first be an eligible child, "
        f"{in_words(sixteenth)}"
    ) in _text(response.content.decode())
    assert not PaContact.objects.filter(child=BO, contact_date=before).exists()


def test_a_contact_in_the_future_is_refused(leavers):
    response = leavers.signed_in().post(
        f"/children/{AMA}/record-contact/",
        {**date_fields("contact_date", leavers.m(1)), "action": "save"},
    )
    assert "The date of the contact must be today or in the past" in _text(
        response.content.decode()
    )
    assert PaContact.objects.filter(child=AMA).count() == 1


def test_a_contact_can_be_corrected_from_the_chronology(leavers):
    client = leavers.signed_in()
    contact = PaContact.objects.get(child=AMA)
    text = _text(client.get(f"/children/{AMA}/chronology/").content.decode())
    assert "Change" in text
    response = client.post(
        f"/children/{AMA}/entries/pa_contacts/{contact.pk}/change/",
        {**date_fields("contact_date", leavers.m(-2)), "version": "1", "action": "save"},
    )
    assert response.status_code == 302
    corrected = PaContact.objects.current().get(child=AMA)
    assert corrected.contact_date == leavers.m(-2)
    assert corrected.pa_id == "PA001"  # the correction keeps whose contact it was


# Someone else's care leaver -------------------------------------------------------------


def test_another_advisers_care_leaver_is_page_not_found(leavers):
    client = leavers.signed_in()
    for page in ("record-contact/", "record-pathway-plan/"):
        assert client.get(f"/children/{CY}/{page}").status_code == 404
    response = client.post(
        f"/children/{CY}/record-contact/",
        {**date_fields("contact_date", leavers.m(0)), "action": "save"},
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert not PaContact.objects.filter(child=CY).exists()


def test_their_social_worker_may_plan_but_not_record_the_advisers_contact(leavers):
    # A social worker of a looked-after 16-year-old (the matrix's ALLOCATED, made 16).

    child = "1000001"
    Header.objects.filter(child=child).update(dob=tenth(leavers.today, 16 * 12 + 2))
    refresh_due([child], leavers.today)
    client = leavers.signed_in("social-worker")
    text = _text(client.get(f"/children/{child}/").content.decode())
    assert "Record a pathway plan or its review" in text
    assert "Record a contact" not in text
    assert client.get(f"/children/{child}/record-contact/").status_code == 404
