"""A young person's own pages: their record written to them, in plain words (WEB.md "Who
sees what": a young person sees their own record, in plain words, and changes their
wishes and feelings).

Staff read a child's record in the words of the law and of DfE's return (codes,
regulations, "the child"); a young person of 12 to 20, often on a phone, needs to read
who is in their life, where they live, when their next review is and what happens at
one, what was decided, and to say what they think. So they get pages of their own:

- `/my-record/`: their name, their social worker, IRO and personal adviser (names only),
  where they live in words, their next review and what happens at one, their last visit
  and their plans;
- `/my-record/reviews/`: their reviews, how they took part (DfE's PN codes said to them:
  "You went and spoke for yourself"), who chaired each and what was decided;
- `/my-record/views/`: what they have said, and `/my-record/views/add/`: "Tell us what
  you think", saved through the same action as staff's (`reviews.actions`), so their
  social worker and IRO read it on the child's Views page.

No code, regulation or staff-only section is shown, and no other person's details beyond
the names of those who work with them. The address holds no CHILD id: a young person
reaches their own record and nothing else. Every page is audited as a view of their own
record (`people.access.view_child`), and the staff pages of their record send them here
(`own_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carematters.web.casework import summaries
from carematters.web.casework.chronicle import staff_names
from carematters.web.casework.due import TO_DO
from carematters.web.casework.models import CarePlan, PathwayPlan, Person, Review, Visit
from carematters.web.people import access
from carematters.web.people.models import Allocation, AllocationKind, User
from carematters.web.people.roles import Role
from carematters.web.reviews import actions as reviews_actions
from carematters.web.reviews.caseload import next_review_due
from carematters.web.reviews.forms import OwnViewForm
from carematters.web.reviews.models import (
    ChildView,
    Decision,
    HeardFor,
    HeldReview,
    PostponedBecause,
    Postponement,
)

# Words -----------------------------------------------------------------------------------

TAKING_PART = {
    "PN0": "You were under 4, so you were too young to take part",
    "PN1": "You went and spoke for yourself",
    "PN2": "You went, and an advocate spoke for you",
    "PN3": "You went, and showed what you think without words, for example with signs",
    "PN4": "You went, but you did not share your views",
    "PN5": "You did not go, but an advocate spoke for you",
    "PN6": "You did not go, but you shared your views another way, for example in a "
    "letter, a drawing or a recording",
    "PN7": "You did not go, and your views were not shared",
}
"""How the young person took part in a review, said to them: DfE's participation codes
(SSDA903 REVIEW_CODE, PN0 to PN7), whose own words speak of "the child"."""
NOT_WRITTEN_DOWN = "We have not written down how you took part"

HOMES = {
    **dict.fromkeys(("U1", "U2", "U3"), "You live with foster carers who are family or friends"),
    **dict.fromkeys(("U4", "U5", "U6"), "You live with foster carers"),
    **dict.fromkeys(("A3", "A4", "A5", "A6"), "You live with the family who are adopting you"),
    "K1": "You live in a secure children's home",
    "K2": "You live in a children's home",
    "K3": "You live in supported accommodation, with staff there to help you",
    "H5": "You live in your own place, with support",
    "P1": "You live with your parent, or someone who has parental responsibility for you",
    "P2": "You live in your own place",
    "P3": "You live where you work",
    "R1": "You live in a residential care home",
    "R2": "You are staying in a hospital or a place where you get health care",
    "R3": "You live in a family centre or a mother and baby unit",
    "R5": "You are in a young offender institution",
    "S1": "You live at a residential school",
    **dict.fromkeys(("T0", "T1", "T2", "T3", "T4"), "You are staying somewhere for a short time"),
    **dict.fromkeys(("Z1", "Z11", "Z12", "Z13", "Z14"), "You live in another kind of home"),
}
"""Where the young person lives, said to them, by DfE's placement type (PLACE)."""
HOME_UNKNOWN = "We have not written down where you live. Ask your social worker"

PLANS = {
    "CARE": ("Your care plan", "what you need and how we will help"),
    "PLACEMENT": ("Your placement plan", "how the people you live with will look after you"),
    "PERMANENCE": ("Your permanence plan", "where you will grow up"),
}
"""A plan (the care record's plan kinds), named to the young person with what it is."""
PATHWAY_PLANS = ("PLAN", "REVIEW")
"""The pathway plan events that make or update the plan."""

ABOUT = {
    HeardFor.REVIEW: "Your next review",
    HeardFor.DECISION: "A decision about you",
    HeardFor.OTHER: "Something else",
}
"""What a view was about, said to the young person."""

MOVED_BECAUSE = {
    PostponedBecause.EVIDENCE: "because some of the information your review needs was not ready",
    PostponedBecause.OTHER: "for another reason. Your IRO can tell you why",
}
"""Why a review was moved, said to the young person (the IRO's own words are for staff)."""

SECTIONS = (
    ("my-record", "Your record"),
    ("my-reviews", "Your reviews"),
    ("my-views", "Your views"),
)
"""The young person's pages, in the sub-navigation's order: (URL name, title)."""

OWN_PAGES = {
    "Overview": "my-record",
    "Chronology": "my-record",
    "What is due": "my-record",
    "People": "my-record",
    "Reviews": "my-reviews",
    "Their views": "my-views",
    "Education section": "my-record",
    "Decisions that need approval": "my-record",
}
"""Each staff page of a child's record (by the title it is audited under) and the young
person's own page that says the same to them."""


def taking_part(code: str | None) -> str:
    """How the young person took part in a review, said to them (TAKING_PART)."""
    return TAKING_PART.get(code or "", NOT_WRITTEN_DOWN)


def home_in_words(place: str | None) -> str:
    """Where the young person lives, said to them, from the placement type (HOMES)."""
    return HOMES.get(place or "", HOME_UNKNOWN)


# Who may ------------------------------------------------------------------------------------


def own_page(user: User, child: str, what: str) -> str | None:
    """The address of the young person's own page that stands for `what` (a staff page of
    `child`'s record, by its title), when `user` is that young person; else None (the
    staff page answers as it does for anyone). Asks nothing of the database: their own
    page checks access, and audits it."""
    if user.role != Role.YOUNG_PERSON or not user.child or child != user.child:
        return None
    name = OWN_PAGES.get(what)
    return reverse(name) if name else None


def reads_own_record(user: User) -> bool:
    """Whether `user` has pages of their own record: a young person whose record they may
    open (not a restricted record that leaves them out). One query."""
    if not user.is_authenticated or user.role != Role.YOUNG_PERSON or not user.child:
        return False
    return access.Relationship.OWN in access.relationships_to(user, user.child)


def _young_person(request: HttpRequest) -> User:
    """The signed-in young person (Http404 for anyone else)."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.YOUNG_PERSON or not user.child:
        raise Http404(access.NOT_FOUND)
    return user


def _opened(request: HttpRequest, what: str) -> tuple[User, str]:
    """The young person and their CHILD id, their record opened for `what` (a page, in
    words) and audited; Http404 if it is not theirs to open (a restricted record that
    does not name them)."""
    user = _young_person(request)
    access.view_child(user, user.child, what)
    return user, user.child


def _page(request: HttpRequest, template: str, section: str, **context: object) -> HttpResponse:
    return render(
        request,
        template,
        {
            "sections": [
                {"href": reverse(name), "text": text, "current": name == section}
                for name, text in SECTIONS
            ],
            "section_title": dict(SECTIONS)[section],
            **context,
        },
    )


# What the pages show -----------------------------------------------------------------------


@dataclass(frozen=True)
class Someone:
    """A person who works with the young person: what they are to them, in words; their
    name (None: nobody, or not known here); what they do for them; what to say if none."""

    role: str
    name: str | None
    does: str
    nobody: str


@dataclass(frozen=True)
class Plan:
    title: str
    about: str
    updated: date


def called(child: str) -> str:
    """What the young person is called: the name they go by, else their given name
    (empty if the record has neither). One query."""
    person = Person.objects.current().filter(child=child).order_by("-pk").first()
    if person is None:
        return ""
    return person.preferred_name or person.given_name or ""


def people_of(child: str, summary: summaries.Row, as_at: date) -> list[Someone]:
    """Their social worker, IRO and (if they have one) personal adviser, by name only:
    the social worker and IRO of their stored line, the adviser allocated on `as_at`.
    Two queries."""
    sw_id, iro_id = summary.get("SW_ID"), summary.get("IRO_ID")
    names = staff_names([sw_id, iro_id])
    unnamed = "We have not written their name down here yet."
    people = [
        Someone(
            "Your social worker",
            names.get(sw_id or ""),
            "They visit you, help make your plans and make sure you are safe and well.",
            unnamed
            if sw_id
            else "You do not have a social worker at the moment. We are finding you one.",
        ),
        Someone(
            "Your independent reviewing officer (IRO)",
            names.get(iro_id or ""),
            "They run your reviews and check that your plan is right for you. They do not "
            "work for your social worker's team.",
            unnamed if iro_id else "You do not have an IRO at the moment.",
        ),
    ]
    adviser = (
        Allocation.objects.current(as_at)
        .filter(child=child, kind=AllocationKind.PERSONAL_ADVISER)
        .select_related("user")
        .order_by("-start", "-pk")
        .first()
    )
    if adviser is not None:
        people.append(
            Someone(
                "Your personal adviser",
                str(adviser.user),
                "They help you get ready for leaving care, and support you after.",
                "",
            )
        )
    return people


def plans_of(child: str, as_at: date) -> list[Plan]:
    """Each of the young person's plans with the day it was last made or updated, on or
    before `as_at`: care, placement and permanence plans, and their pathway plan. Two
    queries."""
    latest: dict[str, date] = {}
    for kind, day in (
        CarePlan.objects.current()
        .filter(child=child, plan_date__lte=as_at)
        .values_list("kind", "plan_date")
    ):
        if kind in PLANS and day is not None and day > latest.get(kind, date.min):
            latest[kind] = day
    plans = [Plan(*PLANS[kind], latest[kind]) for kind in PLANS if kind in latest]
    pathway = (
        PathwayPlan.objects.current()
        .filter(child=child, kind__in=PATHWAY_PLANS, event_date__lte=as_at)
        .order_by("-event_date")
        .values_list("event_date", flat=True)
        .first()
    )
    if pathway is not None:
        plans.append(Plan("Your pathway plan", "your life after care", pathway))
    return plans


def last_visit(child: str, as_at: date) -> date | None:
    """The day of the young person's last visit from their social worker. One query."""
    return (
        Visit.objects.current()
        .filter(child=child, visit_date__lte=as_at)
        .order_by("-visit_date")
        .values_list("visit_date", flat=True)
        .first()
    )


def last_review(child: str, as_at: date) -> date | None:
    """The day of the young person's last review. One query."""
    return (
        Review.objects.current()
        .filter(child=child, review__lte=as_at)
        .order_by("-review")
        .values_list("review", flat=True)
        .first()
    )


def next_visit(page: summaries.ChildRecord) -> date | None:
    """When the next visit is due, as what is due was last worked out (the earliest
    visit still to do), or None: no query."""
    duties = page.duties
    due = [
        row["DUE_DATE"]
        for row in duties.iter_rows(named=True)
        if row["DUTY"].startswith("visit.") and row["STATUS"] in TO_DO and row["DUE_DATE"]
    ]
    return min(due, default=None)


# The pages -------------------------------------------------------------------------------


@login_required
def your_record(request: HttpRequest) -> HttpResponse:
    """The young person's record at a glance, written to them."""
    _, child = _opened(request, "Your record")
    today = timezone.localdate()
    page = summaries.child_record(child, today)
    summary = page.summary
    looked_after = bool(summary.get("LOOKED_AFTER"))
    return _page(
        request,
        "casework/mine/record.html",
        "my-record",
        name=called(child),
        people=people_of(child, summary, today),
        looked_after=looked_after,
        home=home_in_words(summary.get("PLACE")) if looked_after else None,
        home_since=summary.get("PLACEMENT_START") if looked_after else None,
        next_review=next_review_due(child) if looked_after else None,
        last_review=last_review(child, today),
        last_visit=last_visit(child, today),
        next_visit=next_visit(page) if looked_after else None,
        plans=plans_of(child, today),
    )


RECENT_REVIEWS = 3
"""Reviews shown in full on "Your reviews"; earlier ones are listed in a line each, so
that the page stays short on a phone."""


@dataclass(frozen=True)
class ReviewSaid:
    """One of the young person's reviews, said to them."""

    held_on: date
    taking_part: str
    chaired_by: str | None
    decisions: list[Decision]


def reviews_of(child: str, as_at: date) -> list[ReviewSaid]:
    """The young person's reviews up to `as_at`, newest first, each with how they took
    part, who chaired it and what was decided (where the IRO recorded it here). Three
    queries."""
    held = {
        h.review_id: h for h in HeldReview.objects.filter(child=child).select_related("chaired_by")
    }
    decisions: dict[int, list[Decision]] = {}
    for decision in Decision.objects.filter(review__in=held.values()):
        decisions.setdefault(decision.review_id, []).append(decision)
    said = []
    for review in (
        Review.objects.current().filter(child=child, review__lte=as_at).order_by("-review", "-pk")
    ):
        if review.review is None:
            continue
        chaired = held.get(review.pk)
        said.append(
            ReviewSaid(
                review.review,
                taking_part(review.review_code),
                str(chaired.chaired_by) if chaired else None,
                decisions.get(chaired.pk, []) if chaired else [],
            )
        )
    return said


@login_required
def your_reviews(request: HttpRequest) -> HttpResponse:
    """The young person's reviews, written to them: the next one, each held with how they
    took part and what was decided, and any moved to another day."""
    _, child = _opened(request, "Your reviews")
    today = timezone.localdate()
    reviews = reviews_of(child, today)
    moved = Postponement.objects.filter(child=child, until__gte=today).order_by("-postponed_on")
    return _page(
        request,
        "casework/mine/reviews.html",
        "my-reviews",
        next_review=next_review_due(child),
        reviews=reviews[:RECENT_REVIEWS],
        earlier=reviews[RECENT_REVIEWS:],
        moved=[(p.until, MOVED_BECAUSE.get(PostponedBecause(p.because), "")) for p in moved[:1]],
    )


@dataclass(frozen=True)
class ViewSaid:
    """Something the young person said, as they read it back."""

    on: date
    about: str
    words: str
    who: str
    """Who wrote it down, said to them: "You wrote this", "You told Sam Okafor, your
    social worker"."""
    helped: str


def _said(view: ChildView) -> ViewSaid:
    if view.by_young_person:
        who = "You wrote this"
    else:
        role = view.recorded_by.get_role_display()
        role = "IRO" if view.recorded_by.role == Role.IRO else role.lower()
        who = f"You told {view.recorded_by}, your {role}"
    helped = []
    if view.advocate_took_part:
        helped.append("An advocate helped you")
    if view.independent_person:
        helped.append(f"{view.independent_person} helped you")
    return ViewSaid(
        view.heard_on,
        ABOUT.get(HeardFor(view.purpose), ABOUT[HeardFor.OTHER]),
        view.wishes,
        who,
        ". ".join(helped),
    )


@login_required
def your_views(request: HttpRequest) -> HttpResponse:
    """What the young person has said, newest first, written to them, and how to say more."""
    _, child = _opened(request, "Your views")
    views = ChildView.objects.filter(child=child).select_related("recorded_by")
    return _page(
        request,
        "casework/mine/views.html",
        "my-views",
        views=[_said(view) for view in views],
        next_review=next_review_due(child),
    )


@login_required
@require_http_methods(["GET", "POST"])
def your_view_add(request: HttpRequest) -> HttpResponse:
    """ "Tell us what you think": the young person writes their own view, saved with the
    same action staff use (`reviews.actions.record_child_view`, audited), so their social
    worker and IRO read it where they read every view of the child."""
    user = _young_person(request)
    child = user.child
    if request.method == "GET":
        access.view_child(user, child, "Tell us what you think")
    form = OwnViewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews_actions.record_child_view(
                child, acting_user=user, **form.entry(timezone.localdate())
            )
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(
                request,
                "Thank you. What you said is saved, and your social worker and IRO can read it",
            )
            return redirect("my-views")
    return _page(
        request,
        "casework/mine/view_add.html",
        "my-views",
        form=form,
        problems=form.problems() if form.is_bound else [],
        next_review=next_review_due(child),
    )
