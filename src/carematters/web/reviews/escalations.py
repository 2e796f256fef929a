"""Escalation and dispute resolution (IRO Handbook 2010 chapter 6; CPPCR 2010 reg 45;
Care Matters 2007 para 6.15-6.16 and 7.33): the authority's stages, a dated setting
(`iro.escalation_stages`, each stage's time to answer `iro.escalation_stage_<n>`, in
working days), and escalations read for a page: where each stands, who holds it, since
when and by when they answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from carematters.calendar.working_days import working_days_after
from carematters.parameters import Quantity, parameters
from carematters.web.casework.models import Person
from carematters.web.people.models import User
from carematters.web.people.roles import Role
from carematters.web.reviews.models import Escalation, EscalationStage, Outcome


@dataclass(frozen=True)
class Stage:
    """One stage of the authority's process as it stood on a day: its number (from 1),
    name, and how long whoever holds it has to answer."""

    number: int
    name: str
    timescale: Quantity

    def due(self, since: date) -> date:
        """The day the answer is due for a concern that reached this stage on `since`."""
        return working_days_after(since, self.timescale.number)


def stages_on(day: date) -> tuple[Stage, ...]:
    """The authority's stages in force on `day`, in order. Raises NotInForceError for a
    day before the setting was made."""
    p = parameters(day)
    names = p["iro.escalation_stages"].value
    listed = names if isinstance(names, tuple) else (str(names),)
    return tuple(
        Stage(number, name, p[f"iro.escalation_stage_{number}"])
        for number, name in enumerate(listed, start=1)
    )


@dataclass(frozen=True)
class Standing:
    """An escalation as a page shows it: the escalation, the child's name, its stages
    (first to last) and the one it is at now (None once it has ended)."""

    escalation: Escalation
    name: str
    stages: list[EscalationStage]
    current: EscalationStage | None

    def overdue(self, today: date) -> bool:
        """Whether the answer at the current stage is late on `today`."""
        return self.current is not None and self.current.due < today

    @property
    def stage_reached(self) -> EscalationStage | None:
        """The last stage it reached (its current one, or where it ended)."""
        return self.stages[-1] if self.stages else None


def names_of(children: Iterable[str]) -> dict[str, str]:
    """The children's names as the record has them (the name they go by first), by
    CHILD id; one query."""
    found: dict[str, str] = {}
    for person in Person.objects.current().filter(child__in=sorted(set(children))).order_by("pk"):
        given = person.preferred_name or person.given_name or ""
        found[str(person.child)] = " ".join(p for p in (given, person.family_name or "") if p)
    return found


def standings(escalations: Iterable[Escalation]) -> list[Standing]:
    """`escalations` (already read, or a query) with their stages and holders and the
    children's names, open ones first, then newest first: three queries at most."""
    listed = list(escalations)
    stages: dict[int, list[EscalationStage]] = {}
    for stage in EscalationStage.objects.filter(escalation__in=listed).select_related("holder"):
        stages.setdefault(stage.escalation_id, []).append(stage)
    names = names_of(e.child for e in listed)
    shown = [
        Standing(
            escalation=e,
            name=names.get(e.child) or f"Child {e.child}",
            stages=stages.get(e.pk, []),
            current=next((s for s in stages.get(e.pk, []) if s.ended_on is None), None),
        )
        for e in listed
    ]
    return sorted(
        shown,
        key=lambda s: (
            s.escalation.outcome != Outcome.OPEN,
            -s.escalation.raised_on.toordinal(),
            -s.escalation.pk,
        ),
    )


def escalations_on(children: Iterable[str] | QuerySet[Any, str | None]) -> list[Standing]:
    """The escalations on `children` (CHILD ids, or a query giving them), open first: for
    a team manager's page, their team's children as `access.team_children` gives them
    (the team as it is today; a restricted record's only if it names them). Include
    `reviews/_team_escalations.html` with `escalations` set to this, and `today`. Three
    queries at most."""
    return standings(Escalation.objects.filter(child__in=children).select_related("raised_by"))


def holders() -> list[User]:
    """Who may hold a stage of an escalation: the authority's active team managers (the
    first stages) and director (the last), by name. One query."""
    return list(
        User.objects.filter(is_active=True, role__in=HOLDER_ROLES).order_by(
            "last_name", "first_name", "username"
        )
    )


HOLDER_ROLES = (Role.TEAM_MANAGER, Role.DIRECTOR)
"""The roles of the people who answer an IRO's concern. The people's admin pages have no
service manager role: a service manager signs in as a team manager."""
