"""Approvals a test needs before it records a gated change (a placement move or leaving
care that a decision gate covers: `approvals.gatekeeping`), made as if asked for and
approved; the approvals tests (test_approvals_*.py) walk the way to one through the
pages and actions instead."""

from __future__ import annotations

from datetime import date

from carematters.duties.decisions import GATES, Decision
from carematters.web.approvals.models import Request, State
from carematters.web.casework.models import Episode, Header
from carematters.web.people.models import User
from carematters.web.people.roles import Role


def approved(
    child: str, on: date, place: str | None = None, postcode: str | None = None
) -> Request:
    """An approved request for `child`'s move on `on` to `place` at `postcode` (or, with
    no place, for the end of their care on `on`) covering every gate, asked by their
    social worker (any user, if the world has none) and approved by the director."""
    asker = User.objects.filter(role=Role.SOCIAL_WORKER).first() or User.objects.first()
    assert asker is not None, "the world has no users"
    return Request.objects.create(
        child=child,
        decision=Decision.PLACEMENT_MOVE if place else Decision.CEASE_CARE,
        on=on,
        to_placement=place or "",
        to_postcode=" ".join((postcode or "").upper().split()),
        why="A test's move, approved before it is recorded",
        gates=[gate.id for gate in GATES],
        approver=Role.DIRECTOR.value,
        state=State.APPROVED,
        asked_by=asker,
        asked_on=on,
        decided_by=asker,
        decided_on=on,
    )


def born_for_school_year(on: date, year: int) -> date:
    """A date of birth (1 January) that puts a child in National Curriculum `year` on
    `on`: their age on the 31 August before the school year began is `year` + 4."""
    began = on.year if (on.month, on.day) >= (9, 1) else on.year - 1
    return date(began - year - 4, 1, 1)


def born(child: str, dob: date) -> None:
    """Give `child` the date of birth `dob` in the record."""
    Header.objects.filter(child=child).update(dob=dob)


def accommodated(child: str) -> None:
    """Make `child`'s episodes accommodation under section 20 (V2): the world's children
    are on a care order (C2), and ending the care of a child in care is not the authority's
    own decision that CPPCR 2010 reg 39 gates (a child looked after but not in care)."""
    Episode.objects.filter(child=child).update(ls="V2")
