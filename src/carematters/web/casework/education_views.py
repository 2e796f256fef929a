"""The education pages (WEB.md "Who sees what"): the Virtual School Head's list of every
child in care of school age (`/education/`), a designated teacher's list of their pupils
(`/pupils/`), and a child's education section (`/children/<CHILD>/education/`).

Thin, as the casework views are: the lists hold the children `people.access` lets the
user open for education, and the section is opened through `views.open_record` with the
education purpose, so that opening it is audited as a view of the child's record ("Education
section"), needs no reason from the Virtual School Head for a child in care nor from a
designated teacher for their pupil, and is "page not found" (or, for the authority's
staff, the page asking for a reason) for anyone else. Recording a PEP is the casework
recording form (`recording.record`, `Purpose.PEP`).
"""

from __future__ import annotations

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from carematters.web.casework import education, summaries
from carematters.web.casework.actions import purpose_of
from carematters.web.casework.recording import drafts_listed
from carematters.web.casework.views import PER_PAGE, open_record, record_page
from carematters.web.people import access
from carematters.web.people.access import Purpose
from carematters.web.people.models import User
from carematters.web.people.roles import Role

OVERDUE = "overdue"
"""The list's filter (`?show=overdue`): only the children whose PEP is overdue."""
RECENT_MEETINGS = 6
"""PEP meetings shown before the rest are folded away: two school years' worth."""
SECTION_TITLE = "Education section"
"""What the audit trail says was opened."""


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404(access.NOT_FOUND)
    return user


def reads_education_list(user: User) -> bool:
    """The list of every child in care of school age: the Virtual School Head."""
    return user.is_authenticated and user.role == Role.VIRTUAL_SCHOOL_HEAD


def reads_pupils(user: User) -> bool:
    """The list of one's own pupils: a designated teacher."""
    return user.is_authenticated and user.role == Role.DESIGNATED_TEACHER


def _list_page(request: HttpRequest, user: User, *, heading: str, vsh: bool) -> HttpResponse:
    today = timezone.localdate()
    overdue_only = request.GET.get("show") == OVERDUE
    found = education.education_list(
        access.child_ids_visible_to(user, Purpose.EDUCATION),
        today,
        in_care_of_school_age=vsh,
        overdue_only=overdue_only,
    )
    ages = education.pep_ages(today)
    return render(
        request,
        "casework/education_list.html",
        {
            "heading": heading,
            "vsh": vsh,
            "found": found,
            "lines": Paginator(found.lines, PER_PAGE).get_page(request.GET.get("page")),
            "overdue_only": overdue_only,
            "extra": f"&show={OVERDUE}" if overdue_only else "",
            "ages": ages,
            "worked_out_on": found.worked_out_on,
            "today": today,
        },
    )


@login_required
def education_list(request: HttpRequest) -> HttpResponse:
    """The Virtual School Head's list: every child in care of PEP age, worst first, or
    only those whose PEP is overdue."""
    user = _user(request)
    if not reads_education_list(user):
        raise Http404(access.NOT_FOUND)
    return _list_page(request, user, heading="Children in care of school age", vsh=True)


@login_required
def pupils(request: HttpRequest) -> HttpResponse:
    """A designated teacher's list: the pupils allocated to them, worst first."""
    user = _user(request)
    if not reads_pupils(user):
        raise Http404(access.NOT_FOUND)
    return _list_page(request, user, heading="Your pupils", vsh=False)


def _is_pep(href: str) -> bool:
    """A draft's address is a PEP form's: a new meeting's, or a correction of one."""
    return "/record-pep/" in href or "/entries/peps/" in href


@login_required
def child_education(request: HttpRequest, child: str) -> HttpResponse:
    """A child's education section: their school age and year, PEP meetings and what is
    due of them, their designated teacher and social worker; that attendance and
    exclusions are not recorded yet; and, for those who may, recording a PEP meeting."""
    opened = open_record(request, child, SECTION_TITLE, Purpose.EDUCATION)
    if isinstance(opened, HttpResponse):
        return opened
    user = _user(request)
    today = timezone.localdate()
    page = summaries.child_record(child, today)
    may_record = opened.may(purpose_of("peps"))
    duties = page.duties.filter(pl.col("DUTY").is_in(education.PEP_DUTIES))
    dob = page.summary.get("DOB")
    ages = education.pep_ages(today)
    meetings = education.pep_meetings(child, may_change=may_record)
    return record_page(
        request,
        "casework/education_section.html",
        opened,
        page,
        "child-education",
        ages=ages,
        of_pep_age=education.PepAges.holds(ages, page.summary.get("AGE")),
        school_year=education.school_year_words(dob, today),
        to_do=list(duties.filter(pl.col("TO_DO")).sort("DUE_DATE").iter_rows(named=True)),
        done=list(
            duties.filter(~pl.col("TO_DO")).sort("DUE_DATE", descending=True).iter_rows(named=True)
        ),
        meetings=meetings,
        recent=meetings[:RECENT_MEETINGS],
        earlier=meetings[RECENT_MEETINGS:],
        teacher=education.designated_teacher_of(child, today),
        record_pep=reverse("record-entry", args=[child, "pep"]) if may_record else None,
        drafts=[d for d in drafts_listed(user, child) if _is_pep(d["href"])] if may_record else [],
        not_recorded=education.NOT_RECORDED_YET,
    )
