"""How long a session lasts, when it is renewed and when the page warns, in the words a
person reads."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

# The warning comes this long before the end (GOV.UK services' usual 2 minutes), or half-way
# through a session shorter than twice that.
WARNING_SECONDS = 120


def session_seconds() -> int:
    """The idle time after which a person is signed out, in seconds (SESSION_COOKIE_AGE)."""
    return int(settings.SESSION_COOKIE_AGE)


RENEWED = "carematters_renewed"
"""The session's key holding when it was last renewed, in whole seconds since 1970."""

RENEW_SECONDS = 60
"""A session is renewed (its idle time begun again) by a request at most this often: each
renewal is a write to the database, which on every request cost a page more than a
millisecond and took SQLite's one write lock."""


def renew_seconds() -> int:
    """How long after its last renewal a request renews a session again: RENEW_SECONDS, or
    a tenth of a session shorter than ten times that, so a short one is not let lapse."""
    return max(1, min(RENEW_SECONDS, session_seconds() // 10))


def renew(session: SessionBase, now: float) -> None:
    """Begin the session's idle time again at `now` (seconds since 1970): a change to the
    session, so it is saved at the end of the request, with a new expiry."""
    session[RENEWED] = int(now)


def renew_if_due(session: SessionBase, now: float) -> None:
    """Renew the session if it was last renewed `renew_seconds()` or more before `now`, or
    never."""
    last = session.get(RENEWED)
    if last is None or now - last >= renew_seconds():
        renew(session, now)


def seconds_left(session: SessionBase, now: float) -> int:
    """How many seconds of idle time the session has left at `now`: the whole idle time
    less what has passed since its last renewal (never more than the database allows)."""
    last = session.get(RENEWED)
    if last is None:
        return session_seconds()
    return max(0, session_seconds() - int(now - last))


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
