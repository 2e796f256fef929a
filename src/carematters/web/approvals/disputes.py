"""The young person's dispute of a decision as a process (Care Matters 2007 para
6.15-6.16: "the authority must follow its dispute resolution process"; "no changes will
impact on a young person while the dispute resolution process is ongoing"):

- it is held by someone other than the person who approved the decision: a manager who
  may decide for the child (the team manager of the child's team, or the director),
  chosen when the dispute is recorded, never the approver, so the decision is looked at
  again by fresh eyes (`holders`);
- it is due to be resolved by a day set from the day it was raised
  (`decisions.dispute_within`, a dated policy setting, since the seeds give no time);
- only its holder ends it, with a real reason: at least `REASON_LEAST` letters or digits,
  as a break-glass reason must have (`resolution_problem`);
- the child's IRO is told: an open dispute shows on the IRO's page for that child
  (`open_disputes`);
- while it is open the change cannot be recorded (`gatekeeping`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings

from carematters.calendar.working_days import working_days_after
from carematters.parameters import parameters
from carematters.web.approvals.access import approvers_for
from carematters.web.approvals.models import Dispute, Request
from carematters.web.people.models import User
from carematters.web.people.roles import Role

WITHIN = "decisions.dispute_within"
"""The parameter: how long the authority gives itself to resolve a dispute."""
REASON_LEAST: int = settings.BREAK_GLASS_REASON_LEAST
"""The fewest letters and digits a resolution's reason may have."""
HELD_BY_ROLES = (Role.TEAM_MANAGER.value, Role.DIRECTOR.value)
"""The roles whose holders may hold a dispute, as they may decide for the child."""


def holders(request: Request) -> list[User]:
    """Who may hold a dispute of `request`: the child's team manager and the director
    (as `access.approvers_for` finds them, so a restricted record's only if it names
    them), less whoever approved the decision. A query for each manager and director."""
    found = [person for role in HELD_BY_ROLES for person in approvers_for(request.child, role)]
    return [person for person in found if person.pk != request.decided_by_id]


def due_on(raised: date) -> date:
    """The day a dispute raised on `raised` is due to be resolved by."""
    timescale = parameters(raised)[WITHIN]
    return working_days_after(raised, timescale.number)


def within_in_words(on: date) -> str:
    """The time given to resolve a dispute, in words ("20 working days")."""
    return parameters(on).text("{" + WITHIN + "}")


def resolution_problem(resolution: str) -> str | None:
    """What is wrong with `resolution` as the reason a dispute ended, or None."""
    if not resolution.strip():
        return "Enter how the dispute was resolved"
    if sum(character.isalnum() for character in resolution) < REASON_LEAST:
        return f"Enter how the dispute was resolved in at least {REASON_LEAST} letters or numbers"
    return None


def open_disputes(children: Iterable[str]) -> dict[str, list[Dispute]]:
    """The open disputes of decisions about `children`, by child, oldest first: one
    query."""
    found: dict[str, list[Dispute]] = {}
    for dispute in (
        Dispute.objects.filter(request__child__in=list(children), ended_on__isnull=True)
        .select_related("request", "held_by")
        .order_by("raised_on", "id")
    ):
        found.setdefault(dispute.request.child, []).append(dispute)
    return found
