"""Renewing a signed-in person's session as they use the site, at most once a minute."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

from carematters.web.session.idle import renew_if_due


class RenewalMiddleware:
    """Each request of a signed-in person renews their session's idle time if it was last
    renewed a minute or more before (`idle.renew_if_due`), before the page is made, so
    the page's timeout warning is told the time truly left. Put after Django's
    SessionMiddleware, which saves the renewed session. A visitor who is not signed in is
    given no session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            renew_if_due(request.session, time.time())
        return self.get_response(request)
