"""Which recording forms a young person's record offers (issue 12: a 19-year-old's page
offered a health assessment and a return interview): those that fit who they are today.

- Looked after: every form of care, and from the age at which a young person can be an
  eligible child the pathway plan (their social worker plans with them from then).
- Not looked after: only a care leaver's, the contact and the pathway plan. What
  happens in care (visits, reviews, health assessments, plans, PEPs, missing episodes,
  return interviews, moves) is not offered; an entry made while they were in care is
  still corrected or withdrawn from their chronology.

Whether the user may use the form at all is asked apart (`ChildAccess.may`): the contact
is only the personal adviser's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from carematters.parameters import parameters

CARE_LEAVER_TABLES = frozenset({"pa_contacts", "pathway_plans"})
"""The tables of a care leaver's own recording forms."""
PLANNING = frozenset({"pathway_plans"})
"""The care leaver's forms that begin at the age one can be an eligible child."""


def fits(table: str, summary: dict[str, Any], as_at: date) -> bool:
    """Whether a form writing to `table` fits the young person whose caseload line is
    `summary` (LOOKED_AFTER, AGE) on `as_at` (see the module)."""
    if table in PLANNING:
        age = summary.get("AGE")
        return age is not None and age >= parameters(as_at)["leaving_care.eligible_from_age"].number
    if table in CARE_LEAVER_TABLES:
        return True
    return bool(summary.get("LOOKED_AFTER"))
