"""The pages of decisions that need approval: a person's approvals (their requests, those
waiting for them, the decisions reserved to the director), a child's decisions, asking
for one, and one request: what it proposes, what the law asks first and whether it is
done, who was consulted, what the child said, its history, and the forms to act on it.

Each view is thin: check access (`approvals.access`; the site's "page not found" for a
child or request the user may not see), call the action, render. Opening a child's
decisions or a request is audited as a view of the child's record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from carematters.ssda903.codelists import code_list
from carematters.web.approvals import access, actions, disputes
from carematters.web.approvals.actions import Asked
from carematters.web.approvals.forms import (
    AnswerForm,
    AskForm,
    ConsultationForm,
    DecideForm,
    DisputeForm,
    EndDisputeForm,
    SendAgainForm,
    answered_yes,
)
from carematters.web.approvals.models import OPEN, Consulted, Did, Request, State
from carematters.web.approvals.safeguards import (
    checks,
    disputable,
    gates_of,
    heard_since,
    in_words,
    objections,
)
from carematters.web.audit import log
from carematters.web.casework import mine, summaries
from carematters.web.casework import views as casework_views
from carematters.web.casework.forms import GovukForm
from carematters.web.casework.models import Person
from carematters.web.people.access import NOT_FOUND
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.reviews import access as reviews_access
from carematters.web.reviews.voice import views_of

APPROVERS = {
    Role.TEAM_MANAGER.value: "The team manager of their team",
    Role.DIRECTOR.value: "The Director of Children's Services",
}
"""Who decides a request, by the role it names, in words."""

ANSWERED = {
    Did.APPROVED: "Approved by",
    Did.REFUSED: "Refused by",
    Did.RETURNED: "Returned by",
}
"""The approver's answers (`actions.DECIDED`), as a request's page names who gave one."""

ASKED_AS = {
    Consulted.IRO: "their independent reviewing officer (IRO)",
    Consulted.DESIGNATED_TEACHER: "the designated teacher at their school",
}
"""As whom the person answering a request is asked (`access.answers_as`), in words."""

TAGS = {
    State.WAITING: "blue",
    State.RETURNED: "yellow",
    State.APPROVED: "green",
    State.REFUSED: "red",
    State.WITHDRAWN: "grey",
}
"""The colour of each state's GOV.UK tag."""


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    return user


def _names(children: Iterable[str]) -> dict[str, str]:
    """What each child is called (their preferred or given name and family name), by
    CHILD id; a child with no name recorded is left out. One query."""
    named: dict[str, str] = {}
    for person in Person.objects.current().filter(child__in=set(children)):
        given = person.preferred_name or person.given_name or ""
        name = " ".join(part for part in (given, person.family_name or "") if part)
        if name and person.child:
            named[person.child] = name
    return named


def _heading(found: Request) -> str:
    """The request in a few words: "A move on 3 March 2026"."""
    return f"{found.get_decision_display()} on {in_words(found.on)}"


def _rows(requests: Iterable[Request], *, answering: bool = False) -> list[dict[str, Any]]:
    """Requests as a table shows them: each with its child's name, heading, the gates'
    titles, its approver and state in words (and the state's tag colour), who disagrees
    with it, and its link (`answering`: to the page where the user answers it)."""
    listed = list(requests)
    prefetch_related_objects(listed, "consultations")
    names = _names(r.child for r in listed)
    page = "approval-answer" if answering else "approval"
    return [
        {
            "request": r,
            "link": reverse(page, args=[r.pk]),
            "objections": [said.split(":", 1)[0] for said in objections(r)],
            "name": names.get(r.child, f"Child {r.child}"),
            "heading": _heading(r),
            "gates": [gate.title for gate in gates_of(r)],
            "approver": APPROVERS.get(r.approver, r.approver),
            "state": r.get_state_display(),
            "tag": TAGS[State(r.state)],
        }
        for r in listed
    ]


# Lists ------------------------------------------------------------------------------------


LISTS: dict[Role, tuple[str, ...]] = {
    Role.SOCIAL_WORKER: ("mine",),
    Role.TEAM_MANAGER: ("waiting", "mine"),
    Role.DIRECTOR: ("reserved", "decided"),
    Role.IRO: ("asked", "reviewed"),
    Role.DESIGNATED_TEACHER: ("asked",),
}
"""The tables of each role's approvals page, in order (a role with none: page not found)."""


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """A person's approvals: for a social worker the requests about their children; for a
    team manager those waiting for them, then their team's; for the director the
    decisions reserved to them, waiting and decided; for an IRO, those about the children
    they review; for an IRO and a designated teacher, first the requests waiting for
    their answer."""
    user = _user(request)
    lists = LISTS.get(Role(user.role))
    if lists is None:
        raise Http404(NOT_FOUND)
    seen = access.requests_seen_by(user)
    tables = {
        "waiting": ("Waiting for your decision", access.waiting_on(user)),
        "reserved": ("Decisions reserved to you, waiting", access.waiting_on(user)),
        "decided": (
            "Decisions reserved to you, decided",
            seen.filter(approver=Role.DIRECTOR.value).exclude(state=State.WAITING),
        ),
        "mine": (
            "Your team's requests" if user.role == Role.TEAM_MANAGER else "Your requests",
            seen,
        ),
        "reviewed": ("Decisions about children you review", seen),
        "asked": ("Waiting for your answer", access.waiting_for_answer(user)),
    }
    shown = [
        {
            "id": name,
            "caption": tables[name][0],
            "rows": _rows(tables[name][1], answering=name == "asked"),
        }
        for name in lists
    ]
    return render(request, "approvals/approvals.html", {"tables": shown})


@login_required
def child_decisions(request: HttpRequest, child: str) -> HttpResponse:
    """A child's decisions that need approval, newest first, and (for their social
    worker) the way to ask for one: a page of their record, for those who see them."""
    if not access.may_see(_user(request), child):
        raise Http404(NOT_FOUND)
    opened = casework_views.open_record(request, child, "Decisions that need approval")
    if isinstance(opened, HttpResponse):  # never: seeing them is a way into the record
        return opened
    return casework_views.record_page(
        request,
        "approvals/child_decisions.html",
        opened,
        summaries.child_record(child, timezone.localdate()),
        "child-decisions",
        rows=_rows(Request.objects.filter(child=child)),
        may_ask=access.may_ask(_user(request), child),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, child: str) -> HttpResponse:
    """Ask for a decision about `child` that needs approval: the form, and (POST) the
    request made, or the form again with what is wrong."""
    user = _user(request)
    if not access.may_ask(user, child):
        raise Http404(NOT_FOUND)
    form = AskForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        access.opened(user, child, "Ask for a decision")
    elif form.is_valid():
        data = form.cleaned_data
        asked = Asked(
            decision=data["decision"],
            on=data["on"],
            why=data["why"],
            to_placement=data["to_placement"] or "",
            to_postcode=data["to_postcode"],
            bed_and_breakfast=bool(answered_yes(form, "bed_and_breakfast")),
            until=data["until"],
            separates_siblings=bool(answered_yes(form, "separates_siblings")),
            independent_living=bool(answered_yes(form, "independent_living")),
        )
        try:
            made = actions.ask_for_decision(child, asked, acting_user=user)
        except ValidationError as error:
            form.refused(error)
        else:
            messages.success(request, "Your request has been sent for a decision")
            return HttpResponseRedirect(reverse("approval", args=[made.pk]))
    return render(
        request,
        "approvals/ask.html",
        {
            "child": child,
            "name": _names([child]).get(child, f"Child {child}"),
            "form": form,
            "problems": form.problems() if form.is_bound else [],
            "back": reverse("child-decisions", args=[child]),
        },
    )


# One request -------------------------------------------------------------------------------


def _placement(code: str) -> str:
    found = code_list("placement_type").find(code)
    return found.label if found else code


def _facts(found: Request) -> list[tuple[str, str]]:
    """What the request proposes, as a summary list: (key, value)."""
    facts = [("Status", found.get_state_display())]
    if found.to_placement:
        facts.append(("Type of placement", _placement(found.to_placement)))
    if found.to_postcode:
        facts.append(("Postcode", found.to_postcode))
    if found.bed_and_breakfast and found.until:
        facts.append(("Bed and breakfast", f"Until {in_words(found.until)}"))
    if found.separates_siblings:
        facts.append(("Brothers and sisters", "It would separate them from a brother or sister"))
    if found.independent_living:
        facts.append(("Independent living", "The social worker says it is a move to it"))
    facts.append(("Why", found.why))
    facts.append(("Asked by", f"{found.asked_by}, on {in_words(found.asked_on)}"))
    answer = (
        found.steps.filter(did__in=actions.DECIDED)
        .order_by("-at", "-id")
        .select_related("by")
        .first()
    )
    if answer is not None and found.state in actions.DECIDED.values():
        when = in_words(timezone.localtime(answer.at).date())
        facts.append((ANSWERED[Did(answer.did)], f"{answer.by}, on {when}"))
        facts.append(("Their reasons", answer.words))
    return facts


def _request_page(
    request: HttpRequest, found: Request, user: User, bound: GovukForm | None = None
) -> HttpResponse:
    """The request's page, with the forms `user` may use; `bound`: the one just posted,
    showing what was wrong with it."""
    open_dispute = next((d for d in found.disputes.all() if d.ended_on is None), None)
    found_checks = checks(found)
    asker = access.may_ask(user, found.child)
    approver = access.may_decide(user, found)
    shown: dict[str, forms.Form] = {}
    if asker and found.state in OPEN:
        shown["consult"] = ConsultationForm()
    answering = access.answers_as(user, found)
    if answering is not None and found.state in OPEN:
        shown["answer"] = AnswerForm()
    if asker and found.state == State.RETURNED:
        shown["send_again"] = SendAgainForm(initial={"version": found.version})
    if approver and found.state == State.WAITING:
        shown["decide"] = DecideForm(initial={"version": found.version})
    if (
        access.may_dispute(user, found.child)
        and disputable(found)
        and found.state == State.APPROVED
        and open_dispute is None
    ):
        shown["dispute"] = DisputeForm(holders=disputes.holders(found))
    if open_dispute is not None and actions.may_end(user, found, open_dispute):
        shown["end_dispute"] = EndDisputeForm()
    if bound is not None:
        # The form just posted, in its place, if the page still offers it.
        for name, form in shown.items():
            if type(form) is type(bound):
                shown[name] = bound
    return render(
        request,
        "approvals/request.html",
        {
            "found": found,
            "child": found.child,
            "name": _names([found.child]).get(found.child, f"Child {found.child}"),
            "heading": _heading(found),
            "facts": _facts(found),
            "gates": [
                {"title": g.title, "text": g.text(found.on), "source": g.source}
                for g in gates_of(found)
            ],
            "approver": APPROVERS.get(found.approver, found.approver),
            "approvers": access.approvers_for(found.child, found.approver),
            "checks": found_checks,
            "ready": all(check.met for check in found_checks),
            "objections": objections(found),
            "answering": ASKED_AS[answering] if answering else "",
            "consultations": list(found.consultations.select_related("recorded_by")),
            "views": views_of(found.child, heard_since(found)),
            "may_hear": reviews_access.may_hear(user, found.child),
            "heard_since": heard_since(found),
            "steps": list(found.steps.select_related("by")),
            "disputes": list(found.disputes.select_related("held_by")),
            "dispute_within": disputes.within_in_words(timezone.localdate()),
            "today": timezone.localdate(),
            "open_dispute": open_dispute,
            "forms": shown,
            "problems": bound.problems() if bound is not None else [],
        },
    )


@login_required
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: what it proposes and what it needs, and the forms to act on it."""
    user = _user(request)
    found = access.request_for(user, pk)
    # A young person reads about their own record on pages written to them.
    if (own := mine.own_page(user, found.child, "Decisions that need approval")) is not None:
        return redirect(own)
    access.opened(user, found.child, f"Decision that needs approval: {_heading(found)}")
    return _request_page(request, found, user)


def _posted(
    request: HttpRequest,
    pk: int,
    form: GovukForm,
    act: Callable[[User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A form of the request's page posted: `act(user, cleaned_data)` called if the form
    is valid, then back to the page with `done` said; else the page with the problems."""
    user = _user(request)
    found = access.request_for(user, pk)
    if form.is_valid():
        try:
            act(user, form.cleaned_data)
        except ValidationError as error:
            form.refused(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("approval", args=[pk]))
    found.refresh_from_db()
    return _request_page(request, found, user, form)


@login_required
@require_POST
def consult(request: HttpRequest, pk: int) -> HttpResponse:
    """Record someone consulted about the request."""
    form = ConsultationForm(request.POST)
    return _posted(
        request,
        pk,
        form,
        lambda user, data: actions.record_consultation(
            pk,
            who=data["who"],
            name=data["name"],
            on=data["on"],
            said=data["said"],
            agrees=answered_yes(form, "agrees"),
            acting_user=user,
        ),
        "Consultation recorded",
    )


def _answer_page(
    request: HttpRequest, found: Request, user: User, form: AnswerForm
) -> HttpResponse:
    """The page where the child's IRO or designated teacher answers `found`: what it
    proposes, why it needs approval, their earlier answers and the form (while open)."""
    answers = [
        c for c in found.consultations.select_related("recorded_by") if c.recorded_by_id == user.pk
    ]
    return render(
        request,
        "approvals/answer.html",
        {
            "found": found,
            "child": found.child,
            "name": _names([found.child]).get(found.child, f"Child {found.child}"),
            "heading": _heading(found),
            "facts": [fact for fact in _facts(found) if fact[0] != "Asked by"],
            "gates": [
                {"title": g.title, "text": g.text(found.on), "source": g.source}
                for g in gates_of(found)
            ],
            "answers": answers,
            "form": form if found.state in OPEN else None,
            "problems": form.problems() if form.is_bound else [],
            "back": reverse("approvals"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's IRO or designated teacher answers the request, for themselves: the
    page with the form, and (POST) the answer recorded, or the form again with what is
    wrong (on the request's page, for one who sees it; the IRO does)."""
    user = _user(request)
    found = Request.objects.filter(pk=pk).first()
    if found is None or access.answers_as(user, found) is None:
        raise Http404(NOT_FOUND)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        with transaction.atomic():
            log.viewed(
                user, found.child, f"Decision that needs approval, to answer: {_heading(found)}"
            )
        return _answer_page(request, found, user, form)
    if form.is_valid():
        try:
            actions.answer_request(
                pk,
                said=form.cleaned_data["answer"],
                agrees=answered_yes(form, "answer_agrees"),
                acting_user=user,
            )
        except ValidationError as error:
            form.refused(error)
        else:
            messages.success(request, "Your answer has been recorded")
            back = "approval" if access.may_see(user, found.child) else "approval-answer"
            return HttpResponseRedirect(reverse(back, args=[pk]))
    found.refresh_from_db()
    if access.may_see(user, found.child):
        return _request_page(request, found, user, form)
    return _answer_page(request, found, user, form)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The approver approves, refuses or returns the request."""
    form = DecideForm(request.POST)
    return _posted(
        request,
        pk,
        form,
        lambda user, data: actions.decide(
            pk, Did(data["did"]), version=data["version"], reason=data["reason"], acting_user=user
        ),
        "Your decision has been recorded",
    )


@login_required
@require_POST
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    """The social worker sends a returned request back for a decision."""
    return _posted(
        request,
        pk,
        SendAgainForm(request.POST),
        lambda user, data: actions.send_again(
            pk, version=data["version"], words=data["added"], acting_user=user
        ),
        "Your request has been sent again",
    )


@login_required
@require_POST
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the young person disputes the decision, and who will look at it
    again."""
    found = access.request_for(_user(request), pk)
    return _posted(
        request,
        pk,
        DisputeForm(request.POST, holders=disputes.holders(found)),
        lambda user, data: actions.dispute(
            pk, words=data["words"], held_by=int(data["held_by"]), acting_user=user
        ),
        "The dispute has been recorded: nothing changes while it is resolved",
    )


@login_required
@require_POST
def end_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """Record how the dispute resolution ended."""
    return _posted(
        request,
        pk,
        EndDisputeForm(request.POST),
        lambda user, data: actions.end_dispute(
            pk, outcome=data["outcome"], resolution=data["resolution"], acting_user=user
        ),
        "The end of the dispute has been recorded",
    )
