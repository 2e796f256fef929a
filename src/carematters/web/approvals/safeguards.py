"""The core's decision gates (`duties.decisions`) for one request: which gates a proposal
meets, who approves it, and each safeguard the gates need, met or missing, with what
shows it, read from what is recorded:

- the child heard: their views (`reviews.voice.views_of`) heard within
  `decisions.heard_within` before the request was made, or since; an independent person
  of their choosing, from the same views;
- the IRO and the designated teacher consulted: their own answer to the request, given
  signed in as the child's named IRO or designated teacher (`actions.answer_request`);
  nobody else's word for it counts;
- the host authority told; the young person's agreement: the request's consultations,
  as the social worker records them (the young person's latest answer counts);
- a review first: a review of the child's case chaired by their IRO (`reviews`'
  `HeldReview`, which only the child's named IRO records), held within
  `decisions.heard_within` before the request, or since, and not after the decision's day;

Consultations count if made within `decisions.heard_within` before the request was made,
or since. Whoever disagrees with the proposal (`objections`) is shown first on the
request's page: the IRO's objection above all.
- an up-to-date assessment of needs: a care plan, needs assessment or pathway plan made or
  reviewed within `decisions.assessment_current_for` before the decision's day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.utils.dateformat import format as date_format

from carematters.calendar.timescales import after
from carematters.duties.decisions import (
    GATES,
    Gate,
    Proposal,
    Safeguard,
    Situation,
    situation_of,
)
from carematters.parameters import parameters
from carematters.web.approvals.models import Consultation, Consulted, Request
from carematters.web.bridge import record_from_db
from carematters.web.casework.models import CarePlan, PathwayPlan
from carematters.web.people.roles import Role
from carematters.web.reviews.models import ChildView, HeldReview
from carematters.web.reviews.voice import views_of

DAY = "j F Y"
"""A date as GOV.UK writes it (Django's format): 3 March 2026."""


def in_words(day: date) -> str:
    """`day` as GOV.UK writes it: 3 March 2026."""
    return date_format(day, DAY)


SENIORITY = (Role.TEAM_MANAGER.value, Role.DIRECTOR.value)
"""The roles that approve, most junior first. A request meeting several gates is decided
by the most senior approver they name, whose approval covers the others'."""

NEEDS_ASSESSMENT = ("ASSESSMENT", "PLAN", "REVIEW")
"""Leaving-care events that assess a young person's needs (pathway_event_kind): a needs
assessment, a pathway plan made or reviewed."""
CARE_PLAN = "CARE"


def situation_before(child: str, proposal: Proposal, since: date | None = None) -> Situation:
    """`child`'s situation for `proposal`: as the record has it on the day of the decision,
    or (`since`) on that day, the start of the placement the decision ends. Raises
    `NotLookedAfterError` if they are not looked after that day."""
    return situation_of(record_from_db([child]), child, since or proposal.on)


def approver_of(gates: Iterable[Gate], day: date) -> str:
    """The role that decides a proposal meeting `gates` on `day`: the most senior of
    their approvers."""
    return max((gate.approver_on(day) for gate in gates), key=SENIORITY.index)


def gates_of(request: Request) -> list[Gate]:
    """The gates the request met when it was asked, in the core's order."""
    return [gate for gate in GATES if gate.id in request.gates]


def needs_of(request: Request) -> list[Safeguard]:
    """Every safeguard the request's gates need, each once, in the order first named."""
    return list(dict.fromkeys(s for gate in gates_of(request) for s in gate.needs))


def disputable(request: Request) -> bool:
    """Whether the young person may dispute the decision (a gate says so)."""
    return any(gate.disputable for gate in gates_of(request))


def _back(day: date, name: str) -> date:
    """`day` less the timescale parameter `name` as it stood on `day`."""
    quantity = parameters(day)[name]
    moved: date = pl.select(after(pl.lit(day), quantity, times=-1)).item()
    return moved


def heard_since(request: Request) -> date:
    """The first day a view heard, or a review held, counts for `request`."""
    return _back(request.asked_on, "decisions.heard_within")


@dataclass(frozen=True)
class Check:
    """One safeguard for one request: met or not, and what shows it (or what is missing),
    in words."""

    safeguard: Safeguard
    met: bool
    evidence: str

    @property
    def text(self) -> str:
        return self.safeguard.text


NOT_YET = "Not recorded yet"


@dataclass(frozen=True)
class _Evidence:
    """What a request's safeguards are checked against: the request, the child's views
    heard recently enough (newest first) and the request's consultations (newest first)."""

    request: Request
    views: list[ChildView]
    consultations: list[Consultation]

    def consulted(self, who: Consulted) -> Consultation | None:
        """The latest consultation of `who` that counts (`latest`)."""
        return latest(self.consultations, who)


OWN_ANSWER = frozenset({Consulted.IRO, Consulted.DESIGNATED_TEACHER})
"""Those consulted whose answer counts only if they gave it themselves, signed in as the
child's named IRO or designated teacher: a social worker's note that they were
consulted is not their answer."""

CALLED = {
    Consulted.IRO: "The IRO",
    Consulted.DESIGNATED_TEACHER: "The designated teacher",
    Consulted.HOST_AUTHORITY: "The authority where they would live",
    Consulted.YOUNG_PERSON: "The young person",
    Consulted.OTHER: "Someone consulted",
}
"""Who was consulted, as the start of a sentence."""

ANSWERS_HERE = {Consulted.IRO: "their IRO", Consulted.DESIGNATED_TEACHER: "the designated teacher"}
"""Those who give their own answer (`OWN_ANSWER`), as a sentence names them."""


def latest(consultations: Iterable[Consultation], who: Consulted) -> Consultation | None:
    """The latest of `consultations` (newest first) of `who` that counts: for the IRO and
    the designated teacher, only their own answer (`OWN_ANSWER`)."""
    return next(
        (c for c in consultations if c.who == who and (c.own_answer or who not in OWN_ANSWER)),
        None,
    )


def _answer(found: Consultation) -> str:
    if found.agrees is None:
        return ""
    return ": they agree" if found.agrees else f": they disagree, “{found.said}”"


def _heard(evidence: _Evidence) -> tuple[bool, str]:
    if not evidence.views:
        return False, NOT_YET
    view = evidence.views[0]
    if view.advocate_took_part:
        advocate = "an advocate took part"
    elif view.advocate_offered:
        advocate = "an advocate was offered"
    else:
        advocate = "no advocate was offered"
    return True, f"Heard on {in_words(view.heard_on)}, recorded by {view.recorded_by}; {advocate}"


def _supported(evidence: _Evidence) -> tuple[bool, str]:
    view = next((v for v in evidence.views if v.independent_person), None)
    if view is None:
        return False, NOT_YET
    return True, f"{view.independent_person}, on {in_words(view.heard_on)}"


def _consulted(who: Consulted) -> Callable[[_Evidence], tuple[bool, str]]:
    def consulted(evidence: _Evidence) -> tuple[bool, str]:
        found = evidence.consulted(who)
        if found is None:
            if who in OWN_ANSWER:
                return False, f"Not answered yet: {ANSWERS_HERE[who]} answers on this page"
            return False, NOT_YET
        return True, f"{found.name}, on {in_words(found.on)}{_answer(found)}"

    return consulted


def _agrees(evidence: _Evidence) -> tuple[bool, str]:
    found = evidence.consulted(Consulted.YOUNG_PERSON)
    if found is None:
        return False, "Not asked yet"
    answer = "They agree" if found.agrees else "They do not agree"
    return bool(found.agrees), f"{answer} ({in_words(found.on)})"


def _reviewed(evidence: _Evidence) -> tuple[bool, str]:
    """The latest review of the child's case their IRO chaired (a review the social
    worker records on the record's `reviews` table alone is not one)."""
    request = evidence.request
    held = (
        HeldReview.objects.filter(
            child=request.child, held_on__gte=heard_since(request), held_on__lte=request.on
        )
        .select_related("chaired_by")
        .order_by("-held_on", "-id")
        .first()
    )
    if held is None:
        return False, "No review chaired by their IRO recorded yet"
    return True, f"Reviewed on {in_words(held.held_on)}, chaired by {held.chaired_by}"


def _assessed(evidence: _Evidence) -> tuple[bool, str]:
    """The latest care plan, needs assessment or pathway plan within
    `decisions.assessment_current_for` before the decision's day."""
    request = evidence.request
    first = _back(request.on, "decisions.assessment_current_for")
    plan = (
        CarePlan.objects.current()
        .filter(child=request.child, kind=CARE_PLAN, plan_date__range=(first, request.on))
        .order_by("-plan_date")
        .values_list("plan_date", flat=True)
        .first()
    )
    pathway = (
        PathwayPlan.objects.current()
        .filter(
            child=request.child,
            kind__in=NEEDS_ASSESSMENT,
            event_date__range=(first, request.on),
        )
        .order_by("-event_date")
        .values_list("event_date", flat=True)
        .first()
    )
    found = [(day, what) for day, what in ((plan, "Care plan"), (pathway, "Pathway plan")) if day]
    if not found:
        return False, f"No care plan or pathway plan since {in_words(first)}"
    day, what = max(found)
    return True, f"{what} of {in_words(day)}"


CHECKED_BY: dict[Safeguard, Callable[[_Evidence], tuple[bool, str]]] = {
    Safeguard.CHILD_HEARD: _heard,
    Safeguard.INDEPENDENT_PERSON: _supported,
    Safeguard.IRO_CONSULTED: _consulted(Consulted.IRO),
    Safeguard.TEACHER_CONSULTED: _consulted(Consulted.DESIGNATED_TEACHER),
    Safeguard.HOST_TOLD: _consulted(Consulted.HOST_AUTHORITY),
    Safeguard.AGREES: _agrees,
    Safeguard.REVIEW_FIRST: _reviewed,
    Safeguard.NEEDS_ASSESSED: _assessed,
}
"""How each safeguard is checked: met or not, and what shows it (or is missing)."""


def counted(request: Request) -> list[Consultation]:
    """The request's consultations that count for it, newest first: those made on or
    after `heard_since(request)`, the same window as the child's views. Read from
    `request.consultations.all()`, so one query for a list of requests prefetched."""
    since = heard_since(request)
    made = [c for c in request.consultations.all() if c.on >= since]
    return sorted(made, key=lambda c: (c.on, c.recorded_at, c.pk), reverse=True)


def objections(request: Request) -> list[str]:
    """Who disagrees with the proposal, each in a sentence with their words, the IRO
    first: the latest answer that counts of each person consulted (`latest`), where it
    disagrees. "The IRO disagrees: “I object to this move” (Ivy Reviewer, 3 March 2026)"."""
    made = counted(request)
    said = []
    for who in (Consulted.IRO, *(c for c in Consulted if c != Consulted.IRO)):
        found = latest(made, who)
        if found is not None and found.agrees is False:
            verb = "does not agree" if who == Consulted.YOUNG_PERSON else "disagrees"
            said.append(
                f"{CALLED[Consulted(who)]} {verb}: “{found.said}” "
                f"({found.name}, {in_words(found.on)})"
            )
    return said


def checks(request: Request) -> list[Check]:
    """Each safeguard the request needs, met or missing, in the order the gates name them."""
    since = heard_since(request)
    evidence = _Evidence(request, views_of(request.child, since), counted(request))
    return [Check(s, *CHECKED_BY[s](evidence)) for s in needs_of(request)]
