"""The two error pages Django would otherwise draw without the page's request: the server
error (500) and the refused form (CSRF). Both use the site's templates, which never show
what went wrong, the address asked for, or anything from a child's record."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    """500: drawn from the request alone, not the context processors (Django's own reason:
    whatever failed, the database say, must not fail the error page too). The request
    gives the page its CSP nonce, so its scripts still run."""
    page = loader.get_template("500.html").render({"request": request})
    return HttpResponseServerError(page)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent without this browser's CSRF token (settings.CSRF_FAILURE_VIEW).
    `reason` (Django's, for developers) is not shown."""
    return render(request, "403_csrf.html", status=403)
