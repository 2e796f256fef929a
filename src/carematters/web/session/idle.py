"""How long a session lasts and when the page warns, in the words a person reads."""

from __future__ import annotations

from django.conf import settings

# The warning comes this long before the end (GOV.UK services' usual 2 minutes), or half-way
# through a session shorter than twice that.
WARNING_SECONDS = 120


def session_seconds() -> int:
    """The idle time after which a person is signed out, in seconds (SESSION_COOKIE_AGE)."""
    return int(settings.SESSION_COOKIE_AGE)


def warning_seconds() -> int:
    """How many seconds before the end the warning appears."""
    return min(WARNING_SECONDS, session_seconds() // 2)


def duration_in_words(seconds: int) -> str:
    """`seconds` as a person says it: "30 minutes", "1 minute 30 seconds", "45 seconds".
    The timeout warning's script words its countdown the same way."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)
