"""The IRO's pages, and the child's voice: thin, as WEB.md asks. Each checks access
(`reviews.access`, `people.access`: "page not found" alike for what does not exist and
what is not theirs; a page of a child's record is audited as a view of it), calls an
action (`reviews.actions`) with the form's values, shows its refusals in the error
summary, and after a save goes on with a notification banner.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carematters.services.recording import collection_year_of
from carematters.ssda903.codelists import code_list
from carematters.ssda903.years import SUPPORTED_YEARS, CollectionYear, UnknownYearError
from carematters.web.audit import log
from carematters.web.casework import summaries
from carematters.web.casework import views as casework_views
from carematters.web.casework.forms import GovukForm
from carematters.web.casework.models import Review
from carematters.web.people.access import NOT_FOUND
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.reviews import access, actions
from carematters.web.reviews.caseload import FILTERS, iro_page, narrowed, next_review_due
from carematters.web.reviews.escalations import holders, names_of, stages_on, standings
from carematters.web.reviews.forms import (
    ChildViewForm,
    CloseForm,
    DecisionForm,
    HoldReviewForm,
    MoveForm,
    OwnViewForm,
    PostponeForm,
    RaiseForm,
)
from carematters.web.reviews.models import (
    Decision,
    Escalation,
    HeldReview,
    Outcome,
    PostponedBecause,
    Postponement,
)
from carematters.web.reviews.report import annual_report
from carematters.web.reviews.voice import views_of

Done = TypeVar("Done")
"""What an action gives: the row it made or changed."""


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    return user


def _form_page(
    request: HttpRequest, form: GovukForm, *, child: str, heading: str, back: str, **more: Any
) -> HttpResponse:
    """A form of the IRO's work (reviews/form.html): the child, the heading, the fields."""
    return render(
        request,
        "reviews/form.html",
        {
            "form": form,
            "child": child,
            "name": names_of([child]).get(child, f"Child {child}"),
            "heading": heading,
            "back": back,
            "problems": form.problems() if form.is_bound else [],
            **more,
        },
    )


def _saved(request: HttpRequest, message: str, to: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(to)


# The IRO's page -------------------------------------------------------------------------


@login_required
def iro_reviews(request: HttpRequest) -> HttpResponse:
    """The children the IRO is named for, what each needs before their next review, and
    their caseload against the band (`reviews.caseload`): a summary table, narrowed by
    the filters ticked (`?show=due&show=not-seen&show=not-ready`), then each child's card."""
    user = _user(request)
    if not access.reviews_children(user):
        raise Http404(NOT_FOUND)
    today = timezone.localdate()
    page = iro_page(user, today)
    chosen = [f.value for f in FILTERS if f.value in request.GET.getlist("show")]
    return render(
        request,
        "reviews/iro.html",
        {
            "page": page,
            "today": today,
            "filters": FILTERS,
            "chosen": chosen,
            "shown": narrowed(page.lines, chosen, page.due_by),
        },
    )


# A child's pages ------------------------------------------------------------------------


@login_required
def child_views(request: HttpRequest, child: str) -> HttpResponse:
    """What the child has said, newest first, and who heard it and how."""
    opened = casework_views.open_record(request, child, "Their views")
    if isinstance(opened, HttpResponse):
        return opened
    page = summaries.child_record(child, timezone.localdate())
    return casework_views.record_page(
        request,
        "reviews/child_views.html",
        opened,
        page,
        "child-views",
        views=views_of(child),
        may_hear=access.may_hear(_user(request), child),
        own=_user(request).role == Role.YOUNG_PERSON,
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_view_add(request: HttpRequest, child: str) -> HttpResponse:
    """Record what the child said: their social worker or IRO, with how they were heard;
    or the young person themselves, on their own record."""
    user = _user(request)
    own = user.role == Role.YOUNG_PERSON
    if request.method == "GET":
        access.opened(user, child, "Record their views", access.HEARD_BY)
    form: ChildViewForm | OwnViewForm = (
        OwnViewForm(request.POST or None) if own else ChildViewForm(request.POST or None)
    )
    if request.method == "POST":
        access.hearing(user, child)
        if _acted(
            form,
            lambda _: actions.record_child_view(
                child, acting_user=user, **form.entry(timezone.localdate())
            ),
        ):
            said = "What you said is saved" if own else "Their views are recorded"
            return _saved(request, said, reverse("child-views", args=[child]))
    return _form_page(
        request,
        form,
        child=child,
        heading="Say what you think" if own else "Record their views",
        back=reverse("child-views", args=[child]),
        own=own,
    )


@login_required
def child_reviews(request: HttpRequest, child: str) -> HttpResponse:
    """The child's reviews, each with how they took part, who took part and its
    decisions; reviews postponed; escalations of their plan the user may see."""
    opened = casework_views.open_record(request, child, "Reviews")
    if isinstance(opened, HttpResponse):
        return opened
    user = _user(request)
    today = timezone.localdate()
    page = summaries.child_record(child, today)
    held = {
        h.review_id: h for h in HeldReview.objects.filter(child=child).select_related("chaired_by")
    }
    decisions: dict[int, list[Decision]] = {}
    for decision in Decision.objects.filter(review__in=held.values()):
        decisions.setdefault(decision.review_id, []).append(decision)
    codes = code_list("review_participation")
    reviews = []
    for review in Review.objects.current().filter(child=child).order_by("-review", "-pk"):
        chaired = held.get(review.pk)
        found = codes.find(review.review_code or "")
        reviews.append(
            {
                "row": review,
                "held": chaired,
                "decisions": decisions.get(chaired.pk, []) if chaired else [],
                "taking_part": found.label if found else review.review_code or "Not recorded",
            }
        )
    return casework_views.record_page(
        request,
        "reviews/child_reviews.html",
        opened,
        page,
        "child-reviews",
        reviews=reviews,
        next_due=next_review_due(child),
        postponements=list(Postponement.objects.filter(child=child).select_related("postponed_by")),
        escalations=standings(access.escalations_seen_by(user).filter(child=child)),
        is_iro=access.is_named_iro(user, child),
        may_hear=access.may_hear(user, child),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_hold(request: HttpRequest, child: str) -> HttpResponse:
    """The IRO records a review they chaired: its date, how the child took part, who
    took part; then its decisions, one by one."""
    user = _user(request)
    if request.method == "GET":
        access.opened(user, child, "Record a review", access.CHAIRED_BY)
    form = HoldReviewForm(request.POST or None)
    if request.method == "POST":
        access.chairing(user, child)
        held = _acted(form, lambda data: actions.hold_review(child, acting_user=user, **data))
        if held:
            return _saved(
                request,
                "Review recorded. Now record what was decided",
                reverse("review-decision", args=[child, held.pk]),
            )
    return _form_page(
        request,
        form,
        child=child,
        heading="Record a review",
        back=reverse("child-reviews", args=[child]),
        views=views_of(child)[:1],
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_decision(request: HttpRequest, child: str, pk: int) -> HttpResponse:
    """Add a decision to a review (GOV.UK's "add to a list"): what, who, by when; the
    decisions so far above the form."""
    user = _user(request)
    held = HeldReview.objects.filter(pk=pk, child=child).first()
    if held is None:
        raise Http404(NOT_FOUND)
    if request.method == "GET":
        access.opened(user, child, "Record a decision", access.CHAIRED_BY)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        access.chairing(user, child)
        if _acted(form, lambda data: actions.add_decision(held, acting_user=user, **data)):
            more = request.POST.get("action") == "another"
            to = (
                reverse("review-decision", args=[child, pk])
                if more
                else reverse("child-reviews", args=[child])
            )
            return _saved(request, "Decision recorded", to)
    return _form_page(
        request,
        form,
        child=child,
        heading=f"What was decided at the review on {held.held_on:%-d %B %Y}?",
        back=reverse("child-reviews", args=[child]),
        decisions=list(held.decisions.all()),
        add_another=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_postpone(request: HttpRequest, child: str) -> HttpResponse:
    """The IRO postpones the child's next review, with the reason."""
    user = _user(request)
    if request.method == "GET":
        access.opened(user, child, "Postpone a review", access.CHAIRED_BY)
    form = PostponeForm(request.POST or None)
    if request.method == "POST":
        access.chairing(user, child)
        postponed = _acted(
            form,
            lambda data: actions.postpone_review(
                child,
                until=data["until"],
                because=PostponedBecause(data["because"]),
                reason=data["reason"],
                acting_user=user,
            ),
        )
        if postponed:
            return _saved(
                request,
                f"Review postponed to {postponed.until:%-d %B %Y}",
                reverse("child-reviews", args=[child]),
            )
    return _form_page(
        request,
        form,
        child=child,
        heading="Postpone their next review",
        back=reverse("child-reviews", args=[child]),
        next_due=next_review_due(child),
    )


# Escalations ----------------------------------------------------------------------------


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    """The escalations the user may see: open first, each with its stage, who holds it,
    since when and by when they answer."""
    user = _user(request)
    if not access.reads_escalations(user):
        raise Http404(NOT_FOUND)
    return render(
        request,
        "reviews/escalations.html",
        {
            "escalations": standings(access.escalations_seen_by(user).select_related("raised_by")),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_raise(request: HttpRequest, child: str) -> HttpResponse:
    """The child's IRO raises a concern about their plan."""
    user = _user(request)
    today = timezone.localdate()
    if request.method == "GET":
        access.opened(user, child, "Raise a concern", access.CHAIRED_BY)
    form = RaiseForm(request.POST or None, stages=stages_on(today), after=0, people=holders())
    if request.method == "POST":
        access.chairing(user, child)
        raised = _acted(
            form,
            lambda data: actions.raise_escalation(
                child,
                concern=data["concern"],
                stage=int(data["stage"]),
                holder=form.chosen_holder(),
                acting_user=user,
            ),
        )
        if raised:
            return _saved(request, "Concern raised", reverse("escalation", args=[raised.pk]))
    return _form_page(
        request,
        form,
        child=child,
        heading="Raise a concern about their plan",
        back=reverse("child-reviews", args=[child]),
    )


def _escalation(request: HttpRequest, pk: int, what: str) -> tuple[User, Escalation]:
    """The escalation `pk` if the user may see it, its opening audited as a view of the
    child's record (`what`, a page in words); Http404 otherwise."""
    user = _user(request)
    found = access.escalation_for(user, pk)
    log.viewed(user, found.child, what)
    return user, found


@login_required
def escalation(request: HttpRequest, pk: int) -> HttpResponse:
    """One escalation: the concern, each stage it reached (who held it, since when, due
    by when, their answer), and how it ended."""
    user, found = _escalation(request, pk, "Escalation")
    shown = standings([found])[0]
    today = timezone.localdate()
    return render(
        request,
        "reviews/escalation.html",
        {
            "standing": shown,
            "is_iro": found.outcome == Outcome.OPEN and access.is_named_iro(user, found.child),
            "later_stage": shown.current is not None and _later_stages(shown.current.number, today),
            "today": today,
        },
    )


def _later_stages(at: int, today: date) -> bool:
    """Whether the authority has a stage after stage `at` in force `today`."""
    return any(stage.number > at for stage in stages_on(today))


def _open_stage(found: Escalation) -> int:
    shown = standings([found])[0]
    if shown.current is None:
        raise Http404(NOT_FOUND)  # ended: nothing to move on or end
    return shown.current.number


@login_required
@require_http_methods(["GET", "POST"])
def escalation_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO takes a concern on to a later stage."""
    user, found = _escalation(request, pk, "Move an escalation on")
    access.chairing(user, found.child)
    today = timezone.localdate()
    at = _open_stage(found)
    if not _later_stages(at, today):
        messages.error(
            request,
            f"It is at stage {at}, the last stage: there is no later stage to take it to. "
            "Record how it ended instead",
        )
        return HttpResponseRedirect(reverse("escalation", args=[found.pk]))
    form = MoveForm(
        request.POST or None,
        stages=stages_on(today),
        after=at,
        people=holders(),
        initial={"seen_stage": at},
    )
    return _escalation_step(
        request,
        found,
        form,
        lambda data: actions.move_escalation(
            found,
            stage=int(data["stage"]),
            holder=form.chosen_holder(),
            response=data["response"],
            seen_stage=data["seen_stage"],
            acting_user=user,
        ),
        saved="Concern moved on",
        heading="Take the concern to a later stage",
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO records how a concern ended: resolved, or referred to Cafcass."""
    user, found = _escalation(request, pk, "End an escalation")
    access.chairing(user, found.child)
    at = _open_stage(found)
    form = CloseForm(request.POST or None, initial={"seen_stage": at})
    return _escalation_step(
        request,
        found,
        form,
        lambda data: actions.close_escalation(
            found, **(data | {"outcome": Outcome(data["outcome"])}), acting_user=user
        ),
        saved="Escalation ended",
        heading="Record how the concern ended",
    )


def _acted(form: GovukForm, act: Callable[[dict[str, Any]], Done]) -> Done | None:
    """`act` on a valid form's cleaned data, giving what it made; None when the form is
    not valid or the action refused it (the refusal then shown on the form). Every
    action here gives the row it made or changed, never None."""
    if not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except ValidationError as refused:
        form.refused(refused)
        return None


def _escalation_step(
    request: HttpRequest,
    found: Escalation,
    form: GovukForm,
    act: Callable[[dict[str, Any]], object],
    *,
    saved: str,
    heading: str,
) -> HttpResponse:
    """An escalation's form page: on a valid POST, `act` on the cleaned data and go back
    to the escalation saying `saved`; refused or not yet sent, the form again."""
    back = reverse("escalation", args=[found.pk])
    if request.method == "POST" and _acted(form, act) is not None:
        return _saved(request, saved, back)
    return _form_page(
        request, form, child=found.child, heading=heading, back=back, standing=standings([found])[0]
    )


# The annual report ----------------------------------------------------------------------


def _year(request: HttpRequest) -> CollectionYear:
    """The year asked for (`?year=2025-26`), or the one today is in (counted to today);
    Http404 for a year carematters does not support."""
    asked = request.GET.get("year")
    if not asked:
        return min(collection_year_of(timezone.localdate()), SUPPORTED_YEARS[-1])
    try:
        return CollectionYear.parse(asked)
    except UnknownYearError:
        raise Http404(NOT_FOUND) from None


def _report(request: HttpRequest) -> tuple[CollectionYear, Any]:
    user = _user(request)
    if not access.reads_the_report(user):
        raise Http404(NOT_FOUND)
    year = _year(request)
    return year, annual_report(year, timezone.localdate())


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The IRO service's figures for a year the reader chooses, no child named."""
    year, figures = _report(request)
    return render(
        request,
        "reviews/report.html",
        {
            "report": figures,
            "years": [str(y) for y in reversed(SUPPORTED_YEARS)],
            "chosen": str(year),
        },
    )


@login_required
def report_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as a CSV file: section, measure, number."""
    year, figures = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iro-annual-report-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Section", "Measure", "Number"])
    writer.writerows(figures.rows())
    return response
