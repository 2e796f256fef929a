"""The reason a placement changed (DfE rule 1009)."""

from __future__ import annotations

from carematters.validation.checks import code_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule


@rule(
    "1009",
    "Reason for placement change is not a valid code.",
    tables=("episodes",),
    fields=("REASON_PLACE_CHANGE",),
)
def reason_place_change_code(context: Context) -> Failures:
    """Why placements end is counted nationally to understand placement stability, so a
    reason given must be one of DfE's codes."""
    return code_rule(
        context, "episodes", "REASON_PLACE_CHANGE", "reason_place_change", required=False
    )
