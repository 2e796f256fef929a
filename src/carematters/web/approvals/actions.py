"""Every write of decisions that need approval: asking, recording who was consulted,
returning, sending again, approving, refusing, and the young person's dispute.

Each is one transaction: it holds the request (so two people deciding at once take
turns, and the second is refused with STALE if the first changed it), checks the user
may (`approvals.access`; the site's "page not found" if not), refuses what is wrong with
a `ValidationError` keyed by the field it concerns (the form's field names), writes the
row, the request's history (`Step`) and the audit row against the child (`audit.log`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from carematters.duties.decisions import Decision, NotLookedAfterError, Proposal, gates_for
from carematters.services.recording import collection_year_of
from carematters.ssda903.codelists import code_list
from carematters.validation.rules.postcodes import POSTCODE_FORMAT
from carematters.web.approvals import access, disputes
from carematters.web.approvals.gatekeeping import postcode
from carematters.web.approvals.models import (
    OPEN,
    Consultation,
    Consulted,
    Did,
    Dispute,
    Outcome,
    Request,
    State,
    Step,
)
from carematters.web.approvals.safeguards import (
    CALLED,
    OWN_ANSWER,
    approver_of,
    checks,
    disputable,
    heard_since,
    in_words,
    situation_before,
)
from carematters.web.audit import log
from carematters.web.audit.models import Action
from carematters.web.casework.actions import before_birth
from carematters.web.people.access import NOT_FOUND
from carematters.web.people.models import User
from carematters.web.people.roles import Role

STALE = (
    "Someone else changed this request while you were looking at it. "
    "Check what they did, then try again."
)
"""The refusal of a change made from an older version of a request than the database's."""

DECIDED = {Did.APPROVED: State.APPROVED, Did.REFUSED: State.REFUSED, Did.RETURNED: State.RETURNED}
"""What an approver may do with a request waiting for them, and where it leaves it."""


def _audited(row: Any) -> dict[str, Any]:
    """A row's fields as the audit trail keeps them (JSON: dates as ISO text, a person
    by their username)."""
    values = model_to_dict(row)
    for field in row._meta.concrete_fields:
        if field.is_relation and field.name in values:
            related = getattr(row, field.name)
            values[field.name] = getattr(related, "username", related and str(related))
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _refuse(problems: dict[str, str]) -> None:
    """Raise the problems found (field: message), if any, as one ValidationError."""
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})


def _step(
    request: Request,
    did: Did,
    user: User,
    words: str = "",
    *,
    before: dict[str, Any] | None = None,
) -> None:
    """The request's history, and its audit row: what was done, as the request now is
    (and was, `before`, for a change of its state)."""
    Step.objects.create(request=request, did=did, by=user, words=words)
    log.changed(
        user,
        request.child,
        Action.CREATED,
        f"{did.label}: {request} (approvals_request {request.pk})",
        before=before,
        after=_audited(request),
        reason=words,
    )


def _held(pk: int, user: User) -> Request:
    """The request `pk`, held until the transaction ends; Http404 unless `user` may see it."""
    found = Request.objects.select_for_update().filter(pk=pk).first()
    if found is None or not access.may_see(user, found.child):
        raise Http404(NOT_FOUND)
    return found


def _fresh(request: Request, version: int | None) -> None:
    """Refuse (STALE) a change made from another version of `request` than it now has."""
    if version != request.version:
        raise ValidationError(STALE, code="stale")


def _move_on(request: Request, **fields: Any) -> dict[str, Any]:
    """Set `fields` on `request` (held), raising its version; gives it as it was."""
    before = _audited(request)
    Request.objects.filter(pk=request.pk).update(version=F("version") + 1, **fields)
    request.refresh_from_db()
    return before


# Asking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """A decision as a social worker proposes it: what and when; for a move the placement
    type and postcode, bed and breakfast (and the day the stay ends), whether a
    permanent placement separates brothers and sisters and whether it is a move to
    "independent" living; and why."""

    decision: str
    on: date
    why: str
    to_placement: str = ""
    to_postcode: str = ""
    bed_and_breakfast: bool = False
    until: date | None = None
    separates_siblings: bool = False
    independent_living: bool = False


def _checked_move(asked: Asked, problems: dict[str, str]) -> None:
    """Note what is wrong with a move's placement type and postcode (a UK postcode's
    format, as DfE's rules check it: an outward and an inward code, such as ZZ6 3AZ)."""
    found = code_list("placement_type").find(asked.to_placement)
    year = collection_year_of(asked.on)
    if found is None:
        problems["to_placement"] = "Select the type of placement"
    elif not found.valid_in(year):
        problems["to_placement"] = (
            f"'{found.label}' is not used for a date in {year} ({found.years_text()}): "
            f"choose one used in {year}"
        )
    if not postcode(asked.to_postcode):
        problems["to_postcode"] = "Enter the postcode of the new placement"
    elif not re.fullmatch(POSTCODE_FORMAT, postcode(asked.to_postcode).replace(" ", "")):
        problems["to_postcode"] = "Enter a real postcode, like ZZ6 3AZ"
    if asked.bed_and_breakfast and asked.until is None:
        problems["until"] = "Enter the day they will leave bed and breakfast"
    elif asked.until is not None and asked.until < asked.on:
        problems["until"] = "The day they leave must be on or after the day of the move"


def _proposal(asked: Asked) -> Proposal:
    move = asked.decision == Decision.PLACEMENT_MOVE
    return Proposal(
        Decision(asked.decision),
        asked.on,
        postcode(asked.to_postcode) if move else None,
        asked.to_placement if move else None,
        bed_and_breakfast=move and asked.bed_and_breakfast,
        until=asked.until if move and asked.bed_and_breakfast else None,
        separates_siblings=move and asked.separates_siblings,
        independent_living=move and asked.independent_living,
    )


def ask_for_decision(child: str, asked: Asked, *, acting_user: User) -> Request:
    """`acting_user` (the child's social worker) asks for the decision `asked` about
    `child`. Refuses (ValidationError) what is incomplete, a decision about a child not
    looked after that day, one that needs no approval, one no approval could allow (bed
    and breakfast for longer than the guidance's limit) and one already asked for and
    open; Http404 for anyone but the child's social worker. The request waits for the
    most senior approver its gates name; a team manager's, if the child's team has none,
    goes to the director."""
    problems: dict[str, str] = {}
    if asked.decision not in {d.value for d in Decision}:
        problems["decision"] = "Select what the decision is"
    if not asked.why.strip():
        problems["why"] = "Enter why this is the right decision for them"
    if asked.decision == Decision.PLACEMENT_MOVE:
        _checked_move(asked, problems)
    with transaction.atomic():
        if not access.may_ask(acting_user, child):
            raise Http404(NOT_FOUND)
        _refuse(problems)
        proposal = _proposal(asked)
        try:
            situation = situation_before(child, proposal)
        except NotLookedAfterError as error:
            raise ValidationError(f"They are not looked after on {in_words(asked.on)}") from error
        gates = gates_for(proposal, situation)
        if not gates:
            raise ValidationError(
                "This decision needs no approval: record it on their record when it happens"
            )
        barred = [text for gate in gates if (text := gate.barred(proposal, situation))]
        if barred:
            _refuse({"until": barred[0]})
        if Request.objects.filter(
            child=child, decision=asked.decision, on=asked.on, state__in=OPEN
        ).exists():
            raise ValidationError("This decision has already been asked for, and is still open")
        approver = approver_of(gates, asked.on)
        if not access.approvers_for(child, approver):
            approver = Role.DIRECTOR.value
        request = Request.objects.create(
            child=child,
            decision=asked.decision,
            on=asked.on,
            to_placement=proposal.to_placement or "",
            to_postcode=proposal.to_postcode or "",
            bed_and_breakfast=proposal.bed_and_breakfast,
            until=proposal.until,
            separates_siblings=proposal.separates_siblings,
            independent_living=proposal.independent_living,
            why=asked.why.strip(),
            gates=[gate.id for gate in gates],
            approver=approver,
            asked_by=acting_user,
            asked_on=timezone.localdate(),
        )
        _step(request, Did.ASKED, acting_user, request.why)
    return request


def record_consultation(
    pk: int,
    *,
    who: str,
    name: str,
    on: date,
    said: str,
    agrees: bool | None,
    acting_user: User,
) -> Consultation:
    """`acting_user` (the child's social worker) records that `who` (a `Consulted`),
    called `name`, was consulted on `on` about the request `pk`, what they said and
    whether they agree (None: not said; the young person must say). Refuses the IRO and
    the designated teacher, who give their own answer (`answer_request`), a request no
    longer open, a day in the future, a day before the child was born or before the
    request's window (`safeguards.heard_since`: a consultation earlier than that does
    not count for it) and a missing answer; Http404 for anyone else."""
    problems: dict[str, str] = {}
    if who not in Consulted:
        problems["who"] = "Select who was consulted"
    elif who in OWN_ANSWER:
        problems["who"] = (
            f"{CALLED[Consulted(who)]} gives their own answer, signed in, on this request's "
            "page: select who else was consulted"
        )
    if not name.strip():
        problems["name"] = "Enter their name"
    if on > timezone.localdate():
        problems["on"] = "The date they were consulted must be today or in the past"
    if not said.strip():
        problems["said"] = "Enter what they said"
    if who == Consulted.YOUNG_PERSON and agrees is None:
        problems["agrees"] = "Select whether they agree"
    with transaction.atomic():
        request = _held(pk, acting_user)
        if not access.may_ask(acting_user, request.child):
            raise Http404(NOT_FOUND)
        if request.state not in OPEN:
            problems[NON_FIELD_ERRORS] = "This request has been decided: nothing more is recorded"
        if "on" not in problems and (early := _too_early(request, on)):
            problems["on"] = early
        _refuse(problems)
        consultation = Consultation.objects.create(
            request=request,
            who=who,
            name=name.strip(),
            on=on,
            said=said.strip(),
            agrees=agrees,
            recorded_by=acting_user,
        )
        said = f"{consultation.get_who_display()}: {consultation.name}"
        _step(request, Did.CONSULTED, acting_user, said)
    return consultation


def answer_request(pk: int, *, said: str, agrees: bool | None, acting_user: User) -> Consultation:
    """`acting_user`, the child's named IRO or their designated teacher, answers the
    request `pk` that needs them consulted (`access.answers_as`): what they say
    (required) and whether they agree with the proposal (required), today, in their own
    name. Refuses a request no longer open; Http404 for anyone else. An answer that
    disagrees is an objection, shown first on the request's page."""
    problems: dict[str, str] = {}
    if not said.strip():
        problems["answer"] = "Enter your answer"
    if agrees is None:
        problems["answer_agrees"] = "Select whether you agree with it"
    with transaction.atomic():
        request = Request.objects.select_for_update().filter(pk=pk).first()
        who = access.answers_as(acting_user, request) if request is not None else None
        if request is None or who is None:
            raise Http404(NOT_FOUND)
        if request.state not in OPEN:
            problems[NON_FIELD_ERRORS] = "This request has been decided: nothing more is recorded"
        _refuse(problems)
        consultation = Consultation.objects.create(
            request=request,
            who=who,
            name=acting_user.get_full_name() or acting_user.username,
            on=timezone.localdate(),
            said=said.strip(),
            agrees=agrees,
            own_answer=True,
            recorded_by=acting_user,
        )
        stance = "agrees" if agrees else "disagrees"
        words = f"{consultation.get_who_display()} {stance}: {consultation.said}"
        _step(request, Did.ANSWERED, acting_user, words)
    return consultation


def _too_early(request: Request, on: date) -> str | None:
    """Why a consultation on `on` cannot be recorded for `request`, if it is too early:
    before the child was born, or before the first day one counts for it."""
    since = heard_since(request)
    if on < since:
        return (
            f"The date they were consulted must be on or after {in_words(since)}: "
            "earlier consultations do not count for this request"
        )
    return before_birth(request.child, on, "The date they were consulted")


def send_again(pk: int, *, version: int | None, words: str, acting_user: User) -> Request:
    """`acting_user` (the child's social worker) sends a returned request back to its
    approver, saying what they added (`words`, required)."""
    with transaction.atomic():
        request = _held(pk, acting_user)
        if not access.may_ask(acting_user, request.child):
            raise Http404(NOT_FOUND)
        _fresh(request, version)
        problems: dict[str, str] = {}
        if request.state != State.RETURNED:
            problems[NON_FIELD_ERRORS] = "Only a request returned to you can be sent again"
        if not words.strip():
            problems["added"] = "Enter what you have added or changed"
        _refuse(problems)
        before = _move_on(request, state=State.WAITING)
        _step(request, Did.SENT_AGAIN, acting_user, words.strip(), before=before)
    return request


def decide(pk: int, did: Did, *, version: int | None, reason: str, acting_user: User) -> Request:
    """`acting_user`, the approver the request names, approves, refuses or returns it
    (`did`), with their reason (required). Approval is refused while a safeguard the
    gates need is not met. Http404 for anyone but the approver."""
    with transaction.atomic():
        request = _held(pk, acting_user)
        if not access.may_decide(acting_user, request):
            raise Http404(NOT_FOUND)
        _fresh(request, version)
        problems: dict[str, str] = {}
        if did not in DECIDED:
            problems["did"] = "Select approve, refuse or return"
        if request.state != State.WAITING:
            problems[NON_FIELD_ERRORS] = "This request is not waiting for a decision"
        if not reason.strip():
            problems["reason"] = "Enter the reasons for your decision"
        if did == Did.APPROVED and not problems:
            missing = [check.text for check in checks(request) if not check.met]
            if missing:
                problems["did"] = "It cannot be approved until: " + "; ".join(
                    m[0].lower() + m[1:] for m in missing
                )
        _refuse(problems)
        final = did != Did.RETURNED
        before = _move_on(
            request,
            state=DECIDED[did],
            decided_by=acting_user if final else None,
            decided_on=timezone.localdate() if final else None,
        )
        _step(request, did, acting_user, reason.strip(), before=before)
    return request


# The young person's dispute ---------------------------------------------------------------


def dispute(pk: int, *, words: str, held_by: int | None, acting_user: User) -> Dispute:
    """Record that the young person disputes the decision `pk`, in their `words`
    (required): by the young person, their social worker or IRO, for a decision whose
    gates allow it, once approved, and not already disputed. It is held by
    the user `held_by` (required: one of `disputes.holders`, never who approved the
    decision) and due by `disputes.due_on`. Until the dispute ends, the change may not
    be recorded."""
    with transaction.atomic():
        request = _held(pk, acting_user)
        if not access.may_dispute(acting_user, request.child):
            raise Http404(NOT_FOUND)
        problems: dict[str, str] = {}
        if not disputable(request):
            problems[NON_FIELD_ERRORS] = (
                "Only a decision about leaving care or a move to independence can be disputed here"
            )
        elif request.state in (State.REFUSED, State.WITHDRAWN):
            problems[NON_FIELD_ERRORS] = "This decision was not made: there is nothing to dispute"
        elif request.state != State.APPROVED:
            # Before the decision, what the young person thinks is their view, which the
            # approver reads; a dispute asks fresh eyes to look at a decision made.
            problems[NON_FIELD_ERRORS] = (
                "This has not been decided yet: record what the young person thinks as "
                "their view, which the approver will read"
            )
        elif request.disputes.filter(ended_on__isnull=True).exists():
            problems[NON_FIELD_ERRORS] = "The young person already disputes this decision"
        if not words.strip():
            problems["words"] = "Enter what the young person disagrees with"
        holder = next((p for p in disputes.holders(request) if p.pk == held_by), None)
        if holder is None:
            problems["held_by"] = "Select who will look at the decision again"
        _refuse(problems)
        today = timezone.localdate()
        found = Dispute.objects.create(
            request=request,
            words=words.strip(),
            raised_on=today,
            raised_by=acting_user,
            held_by=holder,
            due_on=disputes.due_on(today),
        )
        _step(
            request,
            Did.DISPUTED,
            acting_user,
            f"{found.words}\nHeld by {holder}, to be resolved by {found.due_on:%-d %B %Y}",
        )
    return found


def end_dispute(pk: int, *, outcome: str, resolution: str, acting_user: User) -> Dispute:
    """Record how the dispute resolution of the open dispute of `pk` ended (`outcome`,
    with `resolution`, a real reason: `disputes.resolution_problem`), by the dispute's
    holder (for a dispute recorded before disputes were held, the request's approver,
    so long as they did not approve it themselves): the decision stands, or the
    proposal is withdrawn (the request with it)."""
    with transaction.atomic():
        request = _held(pk, acting_user)
        found = request.disputes.select_for_update().filter(ended_on__isnull=True).first()
        if not may_end(acting_user, request, found):
            raise Http404(NOT_FOUND)
        problems: dict[str, str] = {}
        if found is None:
            problems[NON_FIELD_ERRORS] = "There is no open dispute of this decision"
        if outcome not in Outcome:
            problems["outcome"] = "Select how the dispute ended"
        if (problem := disputes.resolution_problem(resolution)) is not None:
            problems["resolution"] = problem
        _refuse(problems)
        assert found is not None  # noqa: S101 - refused above
        found.ended_on = timezone.localdate()
        found.outcome = outcome
        found.resolution = resolution.strip()
        found.ended_by = acting_user
        found.save(update_fields=("ended_on", "outcome", "resolution", "ended_by"))
        before = None
        if outcome == Outcome.WITHDRAWN:
            before = _move_on(request, state=State.WITHDRAWN, decided_on=timezone.localdate())
        words = f"{found.get_outcome_display()}: {found.resolution}"
        _step(request, Did.DISPUTE_ENDED, acting_user, words, before=before)
    return found


def may_end(user: User, request: Request, found: Dispute | None) -> bool:
    """Whether `user` ends the open dispute `found` of `request`: its holder; for one
    recorded before disputes were held (or none open, to be told so), the approver, if
    they did not approve the decision themselves."""
    if found is not None and found.held_by_id is not None:
        return bool(found.held_by_id == user.pk)
    return access.may_decide(user, request) and request.decided_by_id != user.pk
