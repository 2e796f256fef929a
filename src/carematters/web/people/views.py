"""Signing in and out, and the page each role starts from."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SignInView(auth_views.LoginView):
    template_name = "people/sign_in.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in."""
    return render(request, "people/home.html")
