"""Every page of the site, by app."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("carematters.web.people.urls")),
]
