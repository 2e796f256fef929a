"""Signing in and out, and the page each role starts from."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from carematters.web.navigation import landing


class SignInView(auth_views.LoginView):
    template_name = "people/sign_in.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in: their role's start page (navigation.LANDING),
    or this page for a role that has none yet."""
    if (start := landing(request)) is not None:
        return redirect(start)
    return render(request, "people/home.html")
