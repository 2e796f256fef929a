"""`{% timeout_warning %}`: the dialog that warns a signed-in person before the idle
sign-out (static/carematters/timeout-warning.js drives it)."""

from __future__ import annotations

import time
from typing import Any

from django import template

from carematters.web.session.idle import (
    duration_in_words,
    seconds_left,
    session_seconds,
    warning_seconds,
)

register = template.Library()


@register.inclusion_tag("session/timeout_warning.html", takes_context=True)
def timeout_warning(context: template.Context) -> dict[str, Any]:
    """The dialog's context: the session's length, the time it has left now (less than its
    length when it was last renewed a little before this page) and the warning's lead, in
    seconds for the script and in words for the page as first drawn."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session_seconds": session_seconds(),
        "seconds_left": seconds_left(request.session, time.time()),
        "warning_seconds": warning_seconds(),
        "warning_words": duration_in_words(warning_seconds()),
    }
