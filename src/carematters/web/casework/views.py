"""The pages people read: a caseload, a child's record (overview, chronology, what is
due, people), its access log, a team, the list of children, the authority's figures;
and the two small forms they hold (break-glass, allocating a social worker).

Each view is thin: check access (`people.access`; a child's page writes its audit row
in the same transaction, `access.view_child`), read through `summaries`, render. A
child a user may not open is "page not found", the same as a child who does not exist;
staff who may open a record by giving a reason are shown the form asking for it instead,
for any child they cannot open, whether the child exists or not.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from carematters.web.approvals import access as approvals_access
from carematters.web.audit.access import access_log
from carematters.web.casework import mine, summaries
from carematters.web.casework.actions import (
    DAY_COLUMNS,
    discard_draft,
    purpose_of,
)
from carematters.web.casework.allocating import (
    allocatable_workers,
    allocate_social_worker,
    episodes_of,
    reasons,
    seen,
)
from carematters.web.casework.chronicle import chronology_of
from carematters.web.casework.drafts import Draft
from carematters.web.casework.due import DUTY_TITLES, Due
from carematters.web.casework.forms import FORMS, LEAVING_CARE, form_for_entry
from carematters.web.casework.models import Episode, Header, Person
from carematters.web.casework.page_forms import AllocationForm, BreakGlassForm
from carematters.web.casework.recording import drafts_listed
from carematters.web.leaving import offer as leaving_offer
from carematters.web.leaving import views as leaving_views
from carematters.web.leaving.words import leaver_facts
from carematters.web.people import access
from carematters.web.people import actions as people_actions
from carematters.web.people.access import ChildAccess, Purpose, Relationship
from carematters.web.people.models import (
    Allocation,
    AllocationKind,
    Membership,
    Team,
    User,
    current_on,
)
from carematters.web.people.roles import Role
from carematters.web.reviews.escalations import escalations_on

PER_PAGE = 50
"""Rows on one page of a long list (children, the chronology, an access log)."""
OVERVIEW_EVENTS = 5
"""The newest events of the chronology shown on a child's overview."""

CASELOADS = {
    Role.SOCIAL_WORKER: ("Your caseload", Purpose.RECORD),
    Role.TEAM_MANAGER: ("Your caseload", Purpose.RECORD),
    Role.PERSONAL_ADVISER: ("Your care leavers", Purpose.ADVISE),
    Role.IRO: ("Children you review", Purpose.REVIEW),
}
"""Who has a caseload: its heading, and the purpose whose children it holds (for a
social worker, the children they record on; for a personal adviser, those they advise;
for an IRO, those they review)."""

LISTS_CHILDREN = frozenset(
    {
        Role.DIRECTOR,
        Role.PERFORMANCE_OFFICER,
        Role.TEAM_MANAGER,
        Role.SOCIAL_WORKER,
        Role.IRO,
        Role.PERSONAL_ADVISER,
    }
)
"""Who may search the children they can open (the list holds only those)."""

SECTIONS: tuple[tuple[str, str, frozenset[Relationship] | None], ...] = (
    ("child", "Overview", None),
    ("child-chronology", "Chronology", None),
    ("child-due", "What is due", None),
    ("child-people", "People", None),
    ("child-reviews", "Reviews", None),
    ("child-views", "Their views", None),
    ("child-decisions", "Decisions", approvals_access.SEEN_BY),
    ("child-education", "Education", access.ALLOWED_BY[Purpose.EDUCATION]),
    ("child-access-log", "Access log", access.ALLOWED_BY[Purpose.ACCESS_LOG]),
)
"""A child's record, page by page: (URL name, title, the relationships that show it, or
None for everyone who may open the record), in the sub-navigation's order. The Virtual
School Head and a designated teacher, who open the education section only, see only it."""


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here requires one)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404(access.NOT_FOUND)
    return user


# A child's record ----------------------------------------------------------------------


def open_record(
    request: HttpRequest, child: str, what: str, purpose: Purpose = Purpose.VIEW
) -> ChildAccess | HttpResponse:
    """Open `what` (a page's title) of `child`'s record for `purpose` (the education
    section asks EDUCATION), audited; or, for staff who may open a record by giving a
    reason, the page asking for one. Raises Http404 otherwise.

    The page asking for a reason is shown for every CHILD id such a user cannot open,
    whether or not there is such a child and whether or not the record is restricted, so
    that it never tells them which children exist (`child_open` answers "page not found"
    once a reason is given, for a record it does not open)."""
    user = _user(request)
    # A young person reads their own record on pages written to them (casework.mine).
    if (own := mine.own_page(user, child, what)) is not None:
        return redirect(own)
    try:
        return access.view_child(user, child, what, purpose)
    except Http404:
        if not access.is_break_glass_role.test(user):
            raise
    return _break_glass_page(request, child, BreakGlassForm(), request.get_full_path())


def _break_glass_page(
    request: HttpRequest, child: str, form: BreakGlassForm, after: str
) -> HttpResponse:
    return render(
        request,
        "casework/break_glass.html",
        {"child": child, "form": form, "next": after, "least": settings.BREAK_GLASS_REASON_LEAST},
    )


def record_page(
    request: HttpRequest,
    template: str,
    opened: ChildAccess,
    page: summaries.ChildRecord,
    section: str,
    **context: Any,
) -> HttpResponse:
    """Render `section` (a URL name of SECTIONS) of a child's record, opened by
    `open_record`, with the record's header and the sub-navigation of the pages the user
    may open."""
    child = opened.child
    sections = [
        {"href": reverse(name, args=[child]), "text": text, "current": name == section}
        for name, text, shown_to in SECTIONS
        if (opened.may(Purpose.VIEW) if shown_to is None else opened.relationships & shown_to)
    ]
    # A page that is not a section of its own (changing the social worker) names itself.
    title = next((text for name, text, _ in SECTIONS if name == section), None)
    return render(
        request,
        template,
        {
            "child": child,
            "summary": page.summary,
            "opened": opened,
            "sections": sections,
            "section_title": title,
            "worked_out_on": page.worked_out_on,
            "today": timezone.localdate(),
            # What leaving care says of a care leaver, for the record's header (one query).
            "leaver": leaver_facts(child, page.summary, timezone.localdate()),
            **context,
        },
    )


@login_required
def child_overview(request: HttpRequest, child: str) -> HttpResponse:
    """A child's record at a glance: who they are, where they live, what needs doing,
    the latest events, and their drafts."""
    opened = open_record(request, child, "Overview")
    if isinstance(opened, HttpResponse):
        return opened
    user = _user(request)
    page = summaries.child_record(child, timezone.localdate())
    to_do = page.duties.filter(pl.col("STATUS").is_in(["overdue", "due"])).sort("DUE_DATE")
    events = chronology_of(child, newest=OVERVIEW_EVENTS)
    return record_page(
        request,
        "casework/child_overview.html",
        opened,
        page,
        "child",
        to_do=list(to_do.iter_rows(named=True)),
        events=list(events.iter_rows(named=True)),
        people=summaries.people_at_a_glance(page, timezone.localdate()),
        drafts=drafts_listed(user, child),
        recording=[
            (reverse("record-entry", args=[child, slug]), form.heading)
            for slug, form in FORMS.items()
            # Only the forms that fit who they are today (`leaving.offer`).
            if opened.may(form.purpose())
            and leaving_offer.fits(form.table, page.summary, timezone.localdate())
        ],
        may_allocate=opened.may(Purpose.ALLOCATE),
    )


@login_required
@require_POST
def draft_discard(request: HttpRequest, child: str, draft: int) -> HttpResponse:
    """Throw away one of the signed-in person's own drafts about `child`; anyone else's,
    or one that is gone, is "page not found"."""
    user = _user(request)
    if not Draft.objects.filter(pk=draft, user=user, child=child).exists():
        raise Http404(access.NOT_FOUND)
    discard_draft(user, draft)
    messages.success(request, "Your draft was discarded")
    return redirect("child", child)


@login_required
def child_chronology(request: HttpRequest, child: str) -> HttpResponse:
    """Everything the record holds about the child, newest first (MOJ timeline), paged."""
    opened = open_record(request, child, "Chronology")
    if isinstance(opened, HttpResponse):
        return opened
    page = summaries.child_record(child, timezone.localdate())
    events = list(chronology_of(child).iter_rows(named=True))
    shown = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return record_page(
        request,
        "casework/child_chronology.html",
        opened,
        page,
        "child-chronology",
        events=shown,
        entries=[_entry_of(event, page, opened) for event in shown],
    )


def _entry_of(
    event: summaries.Row, page: summaries.ChildRecord, opened: ChildAccess
) -> summaries.Row:
    """An event of the chronology with, where the user may correct or withdraw the entry
    it came from, CHANGE and WITHDRAW: the addresses of those pages (else None). An
    event recording cannot change (a period of care begun, a social worker named) has
    neither."""
    table = event["TABLE"]
    none: summaries.Row = {"CHANGE": None, "WITHDRAW": None}
    if table not in DAY_COLUMNS or not opened.may(purpose_of(table)):
        return event | none
    entry = table
    if table == "episodes":  # its end is leaving care; its start, the placement or status
        row = page.record.episodes.row(page.keys[table].index(event["KEY"]), named=True)
        ended = event["KIND"] == "care" and event["DATE"] == row["DEC"]
        entry = LEAVING_CARE if ended else table
        episode = Episode(rne=row["RNE"], rec=row["REC"], dec=row["DEC"])
        if (event["KIND"] == "care" and not ended) or form_for_entry(entry, episode) is None:
            return event | none
    key = event["KEY"]
    return event | {
        "CHANGE": reverse("change-entry", args=[opened.child, entry, key]),
        "WITHDRAW": reverse("withdraw-entry", args=[opened.child, entry, key]),
    }


@login_required
def child_due(request: HttpRequest, child: str) -> HttpResponse:
    """Every statutory duty owed to the child: due date, status and why, in the law's
    words and the child's own dates."""
    opened = open_record(request, child, "What is due")
    if isinstance(opened, HttpResponse):
        return opened
    page = summaries.child_record(child, timezone.localdate())
    duties = page.duties.sort(["TO_DO", "DUE_DATE"], descending=[True, False], nulls_last=True)
    return record_page(
        request,
        "casework/child_due.html",
        opened,
        page,
        "child-due",
        to_do=list(duties.filter(pl.col("TO_DO")).iter_rows(named=True)),
        done=list(
            duties.filter(~pl.col("TO_DO")).sort("DUE_DATE", descending=True).iter_rows(named=True)
        ),
    )


@login_required
def child_people(request: HttpRequest, child: str) -> HttpResponse:
    """The people in the child's life the record names: social worker and their team,
    IRO, personal adviser, designated teacher, and where they live."""
    opened = open_record(request, child, "People")
    if isinstance(opened, HttpResponse):
        return opened
    page = summaries.child_record(child, timezone.localdate())
    return record_page(
        request,
        "casework/child_people.html",
        opened,
        page,
        "child-people",
        people=summaries.child_people(child, timezone.localdate()),
        placement=summaries.placement(page.record, timezone.localdate()),
    )


@login_required
def child_access_log(request: HttpRequest, child: str) -> HttpResponse:
    """Who viewed or changed the child's record, when and what, newest first, paged: for
    the child's team manager and the director (opening it is itself audited)."""
    user = _user(request)
    events = access_log(user, child)
    access_now = access.child_for(user, child, Purpose.ACCESS_LOG)
    page = summaries.child_record(child, timezone.localdate())
    shown = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return record_page(
        request,
        "casework/access_log.html",
        access_now,
        page,
        "child-access-log",
        events=shown,
        rows=[
            {
                "at": event.at,
                "user": event.user,
                "action": event.get_action_display(),
                "what": event.what,
                "reason": event.reason,
                "changes": _changes(event.before, event.after),
            }
            for event in shown
        ],
    )


def _changes(before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """A change's columns whose value differs, each with its value before and after
    (None where the row had none): from an audit row's `before` and `after`."""
    was = before if isinstance(before, dict) else {}
    now = after if isinstance(after, dict) else {}
    columns = [*was, *(column for column in now if column not in was)]
    return [(c, was.get(c), now.get(c)) for c in columns if was.get(c) != now.get(c)]


@login_required
@require_POST
def child_open(request: HttpRequest, child: str) -> HttpResponse:
    """Open a record outside one's relationship to the child, with a reason: recorded
    (`people.actions.break_glass`), shown to the child's team manager, good until
    midnight; then the page that was asked for. A reason that is too short is asked for
    again, on the same page whether the child exists or not. Not found for anyone who
    may not break glass, and, once a reason is given, for a child who does not exist or
    a restricted record (the attempt is in the audit trail)."""
    user = _user(request)
    form = BreakGlassForm(request.POST)
    after = request.POST.get("next", "")
    if not (
        after.startswith(f"/children/{child}/")
        and url_has_allowed_host_and_scheme(after, allowed_hosts=None)
    ):
        after = reverse("child", args=[child])
    if access.MAY[Purpose.VIEW].test(user, child):
        return redirect(after)  # open already (a form sent twice): no second reason needed
    if not access.is_break_glass_role.test(user):
        raise Http404(access.NOT_FOUND)
    if form.is_valid():
        try:
            people_actions.break_glass(user, child, form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_error("reason", refused.message_dict.get("reason", refused.messages))
        else:
            return redirect(after)
    return _break_glass_page(request, child, form, after)


# A team manager's pages ----------------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """A team manager's teams: each worker's caseload and overdue work, each child's
    worker and work, the children with three or more social workers in the year, and
    the records opened by break-glass."""
    user = _user(request)
    if user.role != Role.TEAM_MANAGER:
        raise Http404(access.NOT_FOUND)
    teams = list(Team.objects.filter(manager=user))
    members = [
        m.user
        for m in Membership.objects.current()
        .filter(team__in=teams, user__role__in=(Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER))
        .select_related("user")
    ]
    workers = {u.staff_id: str(u) for u in members if u.role == Role.SOCIAL_WORKER and u.staff_id}
    advisers = {str(u.pk): str(u) for u in members if u.role == Role.PERSONAL_ADVISER}
    # Read once: asking the database again for a team's children, in each query that
    # needs them, costs more than sending their ids.
    children = [c for c in access.team_child_ids(user) if c]
    inputs = summaries.team_inputs(children, workers, advisers, timezone.localdate())
    return render(
        request,
        "casework/team.html",
        {
            "teams": teams,
            "tables": cache.get_or_set(f"team-tables:{inputs.digest()}", lambda: _tables(inputs)),
            "glass": list(access.broken_glass_on(children)[:PER_PAGE]),
            "escalations": escalations_on(children),
            "today": timezone.localdate(),
        },
    )


def _tables(inputs: summaries.TeamInputs) -> str:
    """The team page's tables, rendered. Kept by the fingerprint of all they are made
    from (`TeamInputs.digest`), so a manager opening the page again, while nothing of
    their team has changed, is shown them without their being worked out again."""
    page = summaries.team_page(inputs)
    children = list(page.children.iter_rows(named=True))
    return render_to_string(
        "casework/_team_tables.html",
        {
            "workers": list(page.workers.iter_rows(named=True)),
            "children": children,
            "unallocated": sum(1 for child in children if child["SW_ID"] is None),
            "many": list(page.many_social_workers.iter_rows(named=True)),
            "advisers": list(page.advisers.iter_rows(named=True)),
            "leavers": list(page.leavers.iter_rows(named=True)),
            "worked_out_on": page.worked_out_on,
            "today": inputs.as_at,
        },
    )


@login_required
def child_allocate(request: HttpRequest, child: str) -> HttpResponse:
    """A team manager chooses a child's social worker from their team, from a date, with
    DfE's reason; the current one's episode ends that day (`allocating`)."""
    user = _user(request)
    opened = access.view_child(user, child, "Change social worker", Purpose.ALLOCATE)
    today = timezone.localdate()
    form = AllocationForm(
        request.POST or None,
        workers=list(allocatable_workers(user)),
        reasons=reasons(today),
        initial={"seen": seen(episodes_of(child))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocate_social_worker(
                child,
                form.chosen_worker(),
                form.cleaned_data["start"],
                form.cleaned_data["reason"],
                acting_user=user,
                seen_episodes=form.cleaned_data["seen"],
            )
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(request, f"{form.chosen_worker()} is now the social worker.")
            return redirect("team")
    page = summaries.child_record(child, today)
    return record_page(
        request,
        "casework/allocate.html",
        opened,
        page,
        "child-allocate",
        section_title="Change social worker",
        form=form,
        people=summaries.child_people(child, today),
    )


# Everyone's start pages ----------------------------------------------------------------


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The children a social worker, personal adviser or IRO works with: each in a line,
    worst first, sortable."""
    user = _user(request)
    if user.role not in CASELOADS:
        raise Http404(access.NOT_FOUND)
    heading, purpose = CASELOADS[Role(user.role)]
    children = access.child_ids_visible_to(user, purpose)
    if user.role == Role.PERSONAL_ADVISER:  # care leavers, in leaving care's own terms
        return leaving_views.caseload(request, heading, children)
    page = summaries.caseload(children, timezone.localdate())
    return render(
        request,
        "casework/caseload.html",
        {
            "heading": heading,
            "children": page.rows(),
            "worked_out_on": page.worked_out_on,
            "today": timezone.localdate(),
        },
    )


def _named_children(children: QuerySet[Header]) -> QuerySet[Header]:
    """Children with their names from the record's people table, in one query."""
    person = Person.objects.current().filter(child=OuterRef("child")).order_by("-pk")
    return children.annotate(
        given=Subquery(person.values("given_name")[:1]),
        family=Subquery(person.values("family_name")[:1]),
        preferred=Subquery(person.values("preferred_name")[:1]),
    )


@login_required
def children(request: HttpRequest) -> HttpResponse:
    """The children a user may open, found by name or CHILD id, by family name, paged."""
    user = _user(request)
    if user.role not in LISTS_CHILDREN:
        raise Http404(access.NOT_FOUND)
    query = request.GET.get("q", "").strip()
    found = _named_children(access.children_visible_to(user))
    for word in query.split():
        found = found.filter(
            Q(child__icontains=word)
            | Q(given__icontains=word)
            | Q(family__icontains=word)
            | Q(preferred__icontains=word)
        )
    # Children the record names no one for last, on every database alike.
    found = found.order_by(
        F("family").asc(nulls_last=True), F("given").asc(nulls_last=True), "child"
    )
    return render(
        request,
        "casework/children.html",
        {
            "query": query,
            "extra": f"&{urlencode({'q': query})}" if query else "",
            "children": Paginator(found, PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The authority's figures today, no child named: children looked after, care
    leavers with a personal adviser, and statutory work overdue, by duty."""
    user = _user(request)
    if not access.sees_figures.test(user):
        raise Http404(access.NOT_FOUND)
    today = timezone.localdate()
    overdue = Due.objects.filter(status="overdue")
    by_duty = overdue.values("duty").annotate(
        duties=Count("pk"), children=Count("child", distinct=True)
    )
    return render(
        request,
        "casework/figures.html",
        {
            "today": today,
            "looked_after": Episode.objects.current()
            .filter(current_on("decom", "dec", today))
            .values("child")
            .distinct()
            .count(),
            "care_leavers": Allocation.objects.current(today)
            .filter(kind=AllocationKind.PERSONAL_ADVISER)
            .values("child")
            .distinct()
            .count(),
            "children_overdue": overdue.values("child").distinct().count(),
            "overdue": sorted(
                ({"title": DUTY_TITLES.get(row["duty"], row["duty"]), **row} for row in by_duty),
                key=lambda row: (-row["children"], row["title"]),
            ),
        },
    )
