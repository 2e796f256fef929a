"""The personal adviser's writes to a care leaver's record (WEB.md "Who sees what": a
personal adviser changes contacts and pathway plans): a contact with the young person,
and a needs assessment, pathway plan or pathway plan review.

Each is a one-row entry recorded as `casework.actions` records every entry: in one
transaction, refused in plain words where it is wrong, audited, the SSDA903 rules run on
the record as it would be, and what is due to the young person worked out again at once
(so the contact due date, and the plan's, move as the entry is saved).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.parameters import parameters
from carematters.web.casework.actions import (
    Seen,
    _Entry,
    _record_one,
    _Write,
    day_in_words,
)
from carematters.web.casework.models import PaContact, PathwayPlan
from carematters.web.people.models import User

_CONTACT = _Entry(
    PaContact, "CONTACT_DATE", "Contact", "The date of the contact",
    "A contact on this date is already recorded: change that one instead",
    {}, same=(),
)  # fmt: skip


def record_pa_contact(
    child: str, *, contact_date: date, acting_user: User, correcting: Seen | None = None
) -> PaContact:
    """The personal adviser's contact with the care leaver `child` on `contact_date`
    (CLR 2010 reg 8: in touch at least every two months once care has ended). PA_ID is
    the acting user's staff id; a correction keeps the adviser's. Refused before the
    birthday from which they can be an eligible child. Raises ValidationError
    (see `casework.actions`) or Http404 (no such care leaver, or not theirs)."""
    values: dict[str, object] = {"CONTACT_DATE": contact_date}
    if correcting is None:
        values["PA_ID"] = acting_user.staff_id or None
    row: PaContact = _record_one(
        child,
        _CONTACT,
        values,
        acting_user=acting_user,
        correcting=correcting,
        check=lambda write: _not_before_sixteen(write, "contact_date", contact_date),
    )
    return row


def _not_before_sixteen(write: _Write, field: str, day: date) -> None:
    """Refuse `day` (the form's `field`) before the birthday from which the young person
    can be an eligible child, whose adviser's work it could not be."""
    if not write.fine(field) or write.dob is None:
        return
    if day < (sixteen := _sixteenth_birthday(write.dob, day)):
        write.refuse(
            field,
            "The date must be on or after the day they could first be an eligible "
            f"child, {day_in_words(sixteen)}",
            "too-young",
        )


_PATHWAY = _Entry(
    PathwayPlan, "EVENT_DATE", "Pathway plan", "The date",
    "This is already recorded on this date: change that one instead",
    {"KIND": ("pathway_event_kind", "whether it was an assessment, a plan or a review")},
    same=("KIND",),
)  # fmt: skip

REVIEW = "REVIEW"
"""The pathway_event_kind of a pathway plan's review; PLAN is the plan made."""


def _sixteenth_birthday(dob: date, on: date) -> date:
    """The birthday from which a young person can be an eligible child (the law's age
    on `on`): a needs assessment or pathway plan before it counts for nothing."""
    age = parameters(on)["leaving_care.eligible_from_age"].number
    day: date = pl.select(birthday(pl.lit(dob), age)).item()
    return day


def record_pathway_plan(
    child: str,
    *,
    event_date: date,
    kind: str,
    acting_user: User,
    correcting: Seen | None = None,
) -> PathwayPlan:
    """A needs assessment, a pathway plan made, or a pathway plan reviewed (`kind`:
    pathway_event_kind) on `event_date` (CPPCR 2010 reg 42-43; CLR 2010 reg 6-7).
    Refused before the birthday from which the young person can be eligible (the duties
    would not count it), and a review with no plan made on or before its date. Raises
    ValidationError (see `casework.actions`) or Http404."""

    def plan_first(write: _Write) -> None:
        _not_before_sixteen(write, "event_date", event_date)
        if not write.fine("event_date") or kind != REVIEW:
            return
        plans = write.before.pathway_plans.filter(
            (pl.col("KIND") == "PLAN") & (pl.col("EVENT_DATE") <= event_date)
        )
        if plans.is_empty():
            write.refuse(
                "kind",
                "There is no pathway plan made on or before this date to review: record "
                "the plan first",
                "no-plan",
            )

    row: PathwayPlan = _record_one(
        child,
        _PATHWAY,
        {"EVENT_DATE": event_date, "KIND": kind},
        acting_user=acting_user,
        correcting=correcting,
        check=plan_first,
    )
    return row
