"""Every write of the IRO's work: a child's views heard, a review held (with who took part)
and its decisions, a review postponed, an escalation raised, moved on and ended.

Each is one transaction: it checks the user may (`reviews.access`; the site's "page not
found" if not), refuses what is wrong with a `ValidationError` keyed by the field it
concerns (the form's field names), writes, and writes the audit row of each row it adds
or changes against the child (`audit.log`). A review's date and the child's
participation go to the record's reviews table through casework's own action
(`casework.actions.record_review`), which the SSDA903 return reads; this module adds only
what the return does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from carematters.calendar.timescales import after
from carematters.parameters import parameters
from carematters.web.audit import log
from carematters.web.audit.models import Action
from carematters.web.casework import actions as casework
from carematters.web.casework.actions import STALE, day_in_words
from carematters.web.people.models import User
from carematters.web.reviews import access
from carematters.web.reviews.caseload import next_review_due
from carematters.web.reviews.escalations import HOLDER_ROLES, stages_on
from carematters.web.reviews.models import (
    ChildView,
    Decision,
    Escalation,
    EscalationStage,
    HeardFor,
    HeldReview,
    Outcome,
    PostponedBecause,
    Postponement,
)


def _audited(row: Any) -> dict[str, Any]:
    """A row's fields as the audit trail keeps them (JSON: dates as ISO text, a person
    by their username, another row by its id)."""
    values = model_to_dict(row)
    for name, value in values.items():
        if isinstance(value, date):
            values[name] = value.isoformat()
    for field in row._meta.concrete_fields:
        if field.is_relation and field.related_model is User and field.name in values:
            values[field.name] = getattr(row, field.name).username
    return values


def _created(user: User, row: Any, what: str) -> None:
    """The audit row of a row just added for a child: `what` it is, in words."""
    log.changed(
        user,
        row.child,
        Action.CREATED,
        f"{what} ({row._meta.db_table} {row.pk})",
        after=_audited(row),
    )


def _refuse(problems: dict[str, str]) -> None:
    """Raise the problems found (field: message), if any, as one ValidationError."""
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})


# The child heard ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heard:
    """How a child's views were heard, as a social worker or IRO records it (a young
    person writing their own says only whether an advocate helped them)."""

    seen_alone: bool | None = None
    communication_needs: str = ""
    advocate_offered: bool = False
    advocate_took_part: bool = False
    independent_person: str = ""


def record_child_view(
    child: str,
    *,
    heard_on: date,
    wishes: str,
    purpose: HeardFor,
    heard: Heard,
    acting_user: User,
) -> ChildView:
    """What `child` said on `heard_on` (`wishes`, in their words), and how they were
    heard, recorded by their social worker or IRO, or by the young person themselves
    (then `by_young_person`, and not "seen alone": nobody saw them). Raises Http404 for
    anyone else, ValidationError for a day in the future or before they were born, no
    words, or an advocate who took part without being offered."""
    words = wishes.strip()
    problems = {}
    if not words:
        problems["wishes"] = "Enter what they said"
    if heard.advocate_took_part and not heard.advocate_offered:
        problems["advocate_took_part"] = "An advocate who took part must have been offered"
    with transaction.atomic():
        own = access.hearing(acting_user, child)
        if heard_on > timezone.localdate():
            problems["heard_on"] = "The date they were heard must be today or in the past"
        elif early := casework.before_birth(child, heard_on, "The date they were heard"):
            problems["heard_on"] = early
        _refuse(problems)
        view = ChildView.objects.create(
            child=child,
            heard_on=heard_on,
            recorded_by=acting_user,
            by_young_person=own,
            wishes=words,
            seen_alone=None if own else heard.seen_alone,
            communication_needs=heard.communication_needs.strip(),
            advocate_offered=heard.advocate_offered,
            advocate_took_part=heard.advocate_took_part,
            independent_person=heard.independent_person.strip(),
            purpose=purpose,
        )
        _created(acting_user, view, f"Their views, heard on {day_in_words(heard_on)}")
    return view


# Reviews --------------------------------------------------------------------------------


def hold_review(
    child: str, *, review: date, review_code: str, took_part: str, acting_user: User
) -> HeldReview:
    """The review of `child`'s case the acting IRO chaired on `review`: the record's
    review row, with how the child took part (`review_code`, DfE's PN0-PN7), written by
    `casework.actions.record_review` (its refusals keyed `review` and `review_code`), and
    who took part. Raises Http404 unless `acting_user` is the child's named IRO."""
    people = took_part.strip()
    with transaction.atomic():
        access.chairing(acting_user, child)
        _refuse({"took_part": "Enter who took part"} if not people else {})
        row = casework.record_review(
            child, review=review, review_code=review_code, acting_user=acting_user
        )
        held = HeldReview.objects.create(
            child=child, review=row, held_on=review, chaired_by=acting_user, took_part=people
        )
        _created(acting_user, held, f"Review chaired on {day_in_words(review)}")
    return held


def add_decision(
    held: HeldReview, *, decision: str, owner: str, due: date, acting_user: User
) -> Decision:
    """A decision of the review `held`: what (`decision`), who does it (`owner`) and by
    when (`due`, on or after the review). Raises Http404 unless `acting_user` is the
    child's named IRO, ValidationError for a blank or a date before the review."""
    words, who = decision.strip(), owner.strip()
    problems = {}
    if not words:
        problems["decision"] = "Enter the decision"
    if not who:
        problems["owner"] = "Enter who will carry it out"
    if due < held.held_on:
        problems["due"] = (
            f"The date it is due must be on or after the review, {day_in_words(held.held_on)}"
        )
    with transaction.atomic():
        access.chairing(acting_user, held.child)
        _refuse(problems)
        made = Decision.objects.create(
            review=held, decision=words, owner=who, due=due, recorded_by=acting_user
        )
        log.changed(
            acting_user,
            held.child,
            Action.CREATED,
            f"Decision of the review on {day_in_words(held.held_on)} "
            f"({made._meta.db_table} {made.pk})",
            after=_audited(made),
        )
    return made


def postpone_review(
    child: str, *, until: date, because: PostponedBecause, reason: str, acting_user: User
) -> Postponement:
    """The acting IRO postpones `child`'s next review to `until` (after today), because
    the evidence is not ready or for another reason, explained (`reason`). Keeps when
    it was due (`caseload.next_review_due`). Raises Http404 unless they are the child's
    named IRO, ValidationError for no reason, no review due, or a day not in the future
    or further ahead than the timescale of a review allows (`reviews.subsequent` from
    today, as in force today)."""
    words = reason.strip()
    today = timezone.localdate()
    timescale = parameters(today)["reviews.subsequent"]
    latest: date = pl.select(after(pl.lit(today), timescale)).item()
    problems = {}
    if until <= today:
        problems["until"] = "The new date must be in the future"
    elif until > latest:
        problems["until"] = (
            f"The new date must be no later than {day_in_words(latest)}, {timescale} from today"
        )
    if not words:
        problems["reason"] = "Enter why the review is postponed"
    with transaction.atomic():
        access.chairing(acting_user, child)
        due_on = next_review_due(child)
        if due_on is None:
            problems[NON_FIELD_ERRORS] = "They have no review due, so there is none to postpone"
        _refuse(problems)
        postponed = Postponement.objects.create(
            child=child,
            due_on=due_on,
            until=until,
            because=because,
            reason=words,
            postponed_on=today,
            postponed_by=acting_user,
        )
        _created(acting_user, postponed, f"Review postponed to {day_in_words(until)}")
    return postponed


# Escalations ----------------------------------------------------------------------------


def _holder_refused(holder: User | None) -> str | None:
    if holder is None or not holder.is_active or holder.role not in HOLDER_ROLES:
        return "Select who holds the concern at this stage"
    return None


def _begin_stage(
    escalation: Escalation, number: int, holder: User, day: date, user: User
) -> EscalationStage:
    """The escalation at stage `number` from `day`, held by `holder`, answer due by the
    stage's time as the authority's setting gave it that day; with its audit row."""
    stage = stages_on(day)[number - 1]
    begun = EscalationStage.objects.create(
        escalation=escalation,
        number=number,
        name=stage.name,
        holder=holder,
        since=day,
        due=stage.due(day),
    )
    log.changed(
        user,
        escalation.child,
        Action.CREATED,
        f"Escalation at stage {number}, {stage.name} ({begun._meta.db_table} {begun.pk})",
        after=_audited(begun),
    )
    return begun


def _stage_refused(number: int, after: int, day: date) -> str | None:
    """Why stage `number` cannot follow stage `after` (0: none yet) on `day`, or None.
    The IRO may go straight to any later stage (IRO Handbook chapter 6)."""
    if not 1 <= number <= len(stages_on(day)):
        return "Select a stage"
    if number <= after:
        return "Select a later stage than the one it is at: a concern only moves up"
    return None


def raise_escalation(
    child: str, *, concern: str, stage: int, holder: User | None, acting_user: User
) -> Escalation:
    """The acting IRO raises `concern` about `child`'s plan today, at `stage` (the first,
    or any later one: the IRO chooses) held by `holder`. Raises Http404 unless they are
    the child's named IRO, ValidationError for a blank concern, a stage the authority
    has not, or a holder who is not one of its managers."""
    today = timezone.localdate()
    words = concern.strip()
    problems = {}
    if not words:
        problems["concern"] = "Enter your concern about their plan"
    if refused := _stage_refused(stage, 0, today):
        problems["stage"] = refused
    if refused := _holder_refused(holder):
        problems["holder"] = refused
    with transaction.atomic():
        access.chairing(acting_user, child)
        _refuse(problems)
        assert holder is not None  # noqa: S101 - refused above otherwise
        escalation = Escalation.objects.create(
            child=child, concern=words, raised_by=acting_user, raised_on=today
        )
        _created(acting_user, escalation, "Escalation raised")
        _begin_stage(escalation, stage, holder, today, acting_user)
    return escalation


def _current_stage(escalation: Escalation, seen_stage: int) -> EscalationStage:
    """The escalation's current stage, held, if the escalation is open and still at the
    stage the person saw (`seen_stage`); else STALE."""
    current = (
        EscalationStage.objects.select_for_update()
        .filter(escalation=escalation, ended_on__isnull=True)
        .first()
    )
    fresh = Escalation.objects.get(pk=escalation.pk)
    if current is None or fresh.outcome != Outcome.OPEN or current.number != seen_stage:
        raise ValidationError(STALE, code="stale")
    return current


def _end_stage(current: EscalationStage, day: date, response: str, user: User) -> None:
    before = _audited(current)
    current.ended_on = day
    current.response = response.strip()
    current.save(update_fields=["ended_on", "response"])
    log.changed(
        user,
        current.escalation.child,
        Action.CREATED,
        f"Escalation stage {current.number} ended ({current._meta.db_table} {current.pk})",
        before=before,
        after=_audited(current),
    )


def move_escalation(
    escalation: Escalation,
    *,
    stage: int,
    holder: User | None,
    response: str,
    seen_stage: int,
    acting_user: User,
) -> EscalationStage:
    """The acting IRO takes `escalation` on to a later `stage` today, held by `holder`,
    noting the answer they had at the stage it leaves (`response`, may be blank: none
    came). `seen_stage` is the stage they saw it at: a move from a stage it has left is
    refused (STALE). Raises Http404 unless they are the child's named IRO."""
    today = timezone.localdate()
    problems = {}
    if refused := _stage_refused(stage, seen_stage, today):
        problems["stage"] = refused
    if refused := _holder_refused(holder):
        problems["holder"] = refused
    with transaction.atomic():
        access.chairing(acting_user, escalation.child)
        _refuse(problems)
        assert holder is not None  # noqa: S101 - refused above otherwise
        current = _current_stage(escalation, seen_stage)
        _end_stage(current, today, response, acting_user)
        return _begin_stage(escalation, stage, holder, today, acting_user)


def close_escalation(
    escalation: Escalation,
    *,
    outcome: Outcome,
    closed_on: date,
    resolution: str,
    cafcass_reference: str,
    response: str,
    seen_stage: int,
    acting_user: User,
) -> Escalation:
    """The acting IRO ends `escalation` on `closed_on` (today or before, not before it
    reached its current stage): resolved, or referred to Cafcass with the referral's
    reference; `resolution` says how, `response` is the answer at the stage it ends at.
    Raises Http404 unless they are the child's named IRO; ValidationError for a missing
    reason or reference, or STALE as `move_escalation`."""
    words, reference = resolution.strip(), cafcass_reference.strip()
    problems = {}
    if outcome not in (Outcome.RESOLVED, Outcome.CAFCASS):
        problems["outcome"] = "Select how it ended"
    if closed_on > timezone.localdate():
        problems["closed_on"] = "The date it ended must be today or in the past"
    if not words:
        problems["resolution"] = "Enter what happened"
    if outcome == Outcome.CAFCASS and not reference:
        problems["cafcass_reference"] = "Enter the Cafcass reference"
    if outcome != Outcome.CAFCASS and reference:
        problems["cafcass_reference"] = "Leave this empty: it was not referred to Cafcass"
    with transaction.atomic():
        access.chairing(acting_user, escalation.child)
        _refuse(problems)
        current = _current_stage(escalation, seen_stage)
        if closed_on < current.since:
            _refuse(
                {
                    "closed_on": "The date it ended must be on or after it reached stage "
                    f"{current.number}, {day_in_words(current.since)}"
                }
            )
        _end_stage(current, closed_on, response, acting_user)
        before = _audited(escalation)
        escalation.outcome = outcome
        escalation.closed_on = closed_on
        escalation.resolution = words
        escalation.cafcass_reference = reference
        escalation.save(update_fields=["outcome", "closed_on", "resolution", "cafcass_reference"])
        log.changed(
            acting_user,
            escalation.child,
            Action.CREATED,
            f"Escalation {Outcome(outcome).label.lower()} ({escalation._meta.db_table} "
            f"{escalation.pk})",
            before=before,
            after=_audited(escalation),
        )
    return escalation
