"""No gated change without its approval: what casework's recording actions ask before a
placement move or leaving care is recorded (`casework.actions`).

A change a gate covers (`duties.decisions`) may be recorded only if an approved request
for that child, that decision and that day exists (for a move, to that placement type
and postcode, and for bed and breakfast a stay ending no later than approved) whose
gates cover every gate the change meets, and the young person does not dispute it (Care
Matters 2007 para 6.16: "no changes will impact on a young person while the dispute
resolution process is ongoing"). What no approval can allow (bed and breakfast for
longer than the guidance's limit) is refused whatever was approved.

What the record's columns cannot say about a move (bed and breakfast and until when,
separating brothers and sisters, "independent" living) the placement-move form asks
(`Declared`), and checks with `declared_move_refused` before recording it; casework's
action checks what the columns say (`move_refused`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from carematters.duties.decisions import Decision, NotLookedAfterError, Proposal, gates_for
from carematters.ssda903.codelists import code_group
from carematters.web.approvals.models import Request, State
from carematters.web.approvals.safeguards import in_words, situation_before
from carematters.web.casework.models import Episode

WHAT = {Decision.PLACEMENT_MOVE: "This move", Decision.CEASE_CARE: "Ending their care"}
DISPUTED = (
    "The young person disputes the decision to approve this. Nothing changes while the "
    "dispute is being resolved."
)


def postcode(text: str | None) -> str:
    """A postcode as compared: capitals, one space between its outward and inward codes,
    wherever it was written ("zz63az" and "ZZ6  3AZ" are "ZZ6 3AZ"; "" for none). Text
    too short to have an inward code (three characters) keeps its words, one space apart."""
    letters = "".join((text or "").upper().split())
    if len(letters) <= len("3AZ"):
        return " ".join((text or "").upper().split())
    return f"{letters[:-3]} {letters[-3:]}"


def _same_place(request: Request, proposal: Proposal) -> bool:
    """Whether `request` approved the move `proposal` is: the same placement type and
    postcode, and for bed and breakfast a stay ending no later than approved."""
    same = (request.to_placement, postcode(request.to_postcode)) == (
        proposal.to_placement or "",
        postcode(proposal.to_postcode),
    )
    if not (same and proposal.bed_and_breakfast):
        return same
    approved_until = request.until if request.bed_and_breakfast else None
    return approved_until is not None and (proposal.until or date.max) <= approved_until


def refusal_for(child: str, proposal: Proposal, *, since: date | None = None) -> str | None:
    """Why `proposal` about `child` may not be recorded as done, in words; None if it may.
    `since`: the day the placement or episode the decision ends began, whose situation the
    gates read (the day of the decision if None). A child not looked after then is left
    to recording's own checks."""
    try:
        situation = situation_before(child, proposal, since)
    except NotLookedAfterError:
        return None
    gates = gates_for(proposal, situation)
    if not gates:
        return None
    barred = [text for gate in gates if (text := gate.barred(proposal, situation))]
    if barred:
        return barred[0]
    needed = {gate.id for gate in gates}
    approved = [
        request
        for request in Request.objects.filter(
            child=child, decision=proposal.decision, on=proposal.on, state=State.APPROVED
        ).prefetch_related("disputes")
        if _same_place(request, proposal) and needed <= set(request.gates)
    ]
    if not approved:
        named = "; ".join(gate.title[0].lower() + gate.title[1:] for gate in gates)
        return (
            f"{WHAT[proposal.decision]} on {in_words(proposal.on)} needs approval first "
            f"({named}). Ask for the decision on their Decisions page."
        )
    if all(any(d.ended_on is None for d in r.disputes.all()) for r in approved):
        return DISPUTED
    return None


@dataclass(frozen=True)
class Declared:
    """What the placement-move form asks about a move that its episode's columns cannot
    say: bed and breakfast, and the day the stay ends (`until`); whether it separates the
    child from brothers or sisters they live with; whether it is to independent living."""

    bed_and_breakfast: bool = False
    until: date | None = None
    separates_siblings: bool = False
    independent_living: bool = False


def move_refused(
    child: str,
    decom: date,
    given: Mapping[str, Any],
    *,
    before: Episode | None,
    old: Episode | None,
    declared: Declared | None = None,
) -> str | None:
    """`refusal_for` a placement move on `decom` to `given` (PLACE, PL_POST), from the
    placement of the episode `before` it, as the form `declared` it (nothing beyond the
    columns, if None). A correction (`old`: the move as recorded) that keeps its day,
    placement type and postcode is the move already recorded, and needs nothing new;
    one that changes any of them is a different move."""
    if before is None or before.decom is None:
        return None
    to = (decom, given.get("PLACE"), postcode(given.get("PL_POST")))
    if old is not None and (old.decom, old.place, postcode(old.pl_post)) == to:
        return None
    said = declared or Declared()
    proposal = Proposal(
        Decision.PLACEMENT_MOVE,
        decom,
        given.get("PL_POST"),
        given.get("PLACE"),
        bed_and_breakfast=said.bed_and_breakfast,
        until=said.until if said.bed_and_breakfast else None,
        separates_siblings=said.separates_siblings,
        independent_living=said.independent_living,
    )
    return refusal_for(child, proposal, since=before.decom)


def declared_move_refused(
    child: str,
    decom: date,
    given: Mapping[str, Any],
    declared: Declared,
    *,
    correcting: int | None = None,
) -> str | None:
    """`move_refused` for the move the placement-move form is about to record, as the
    form `declared` it, before casework's action records it (which checks the columns
    alone): from the episode in force before `decom` (other than the one `correcting`
    corrects). Nothing more to say if the form declared nothing beyond the columns."""
    if declared == Declared(until=declared.until):
        return None
    episodes = Episode.objects.current().filter(child=child, decom__lte=decom)
    old = None
    if correcting is not None:
        old = Episode.objects.current().filter(child=child, pk=correcting).first()
        episodes = episodes.exclude(pk=correcting)
    before = episodes.order_by("-decom", "-pk").first()
    return move_refused(child, decom, given, before=before, old=old, declared=declared)


def not_the_authoritys_decision(rec: str | None) -> bool:
    """Whether leaving care for the reason `rec` (reason_episode_ceased) is made by a
    court's order or an event (died, adopted, a special guardianship or child
    arrangements order, custody, remand ended, found to be an adult, taken over by
    another authority), not the authority's decision to stop looking after the child,
    which is what the gates of leaving care are about (CPPCR 2010 reg 39)."""
    return rec in code_group("reason_episode_ceased", "not_the_authoritys_decision")


def leaving_refused(
    child: str, dec: date, episode: Episode | None, correcting: bool, rec: str | None = None
) -> str | None:
    """`refusal_for` ending `child`'s care on `dec` for the reason `rec`, as `episode`
    ends. A correction that keeps the day they left is the end already recorded, and
    needs nothing new; an end the authority did not decide (`not_the_authoritys_decision`:
    a death, an adoption, a court's order) needs no approval."""
    if episode is None or episode.decom is None or (correcting and episode.dec == dec):
        return None
    if not_the_authoritys_decision(rec):
        return None
    return refusal_for(child, Proposal(Decision.CEASE_CARE, dec), since=episode.decom)
