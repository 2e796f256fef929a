"""The timeout warning's two requests ("Stay signed in", and signing out when time is up)
and the page that says why a person was signed out."""

from __future__ import annotations

import time

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from carematters.web.session.idle import duration_in_words, renew, session_seconds


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": renews the session now, however recently it was, so the page may
    count the whole idle time again. 204 while signed in; 401 once the session has
    already ended, so the page signs out."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    renew(request.session, time.time())
    return HttpResponse(status=204)


@require_POST
def timed_out(request: HttpRequest) -> HttpResponse:
    """The warning's time ran out: sign out (if the session has not already ended) and say why."""
    logout(request)
    return redirect("signed-out")


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    """ "You have been signed out", with the idle time that caused it."""
    return render(
        request, "session/signed_out.html", {"idle_time": duration_in_words(session_seconds())}
    )
