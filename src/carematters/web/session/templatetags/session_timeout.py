"""`{% timeout_warning %}`: the dialog that warns a signed-in person before the idle
sign-out (static/carematters/timeout-warning.js drives it)."""

from __future__ import annotations

from typing import Any

from django import template

from carematters.web.session.idle import duration_in_words, session_seconds, warning_seconds

register = template.Library()


@register.inclusion_tag("session/timeout_warning.html", takes_context=True)
def timeout_warning(context: template.Context) -> dict[str, Any]:
    """The dialog's context: the session's length and the warning's lead, in seconds for the
    script and in words for the page as first drawn."""
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "session_seconds": session_seconds(),
        "warning_seconds": warning_seconds(),
        "warning_words": duration_in_words(warning_seconds()),
    }
