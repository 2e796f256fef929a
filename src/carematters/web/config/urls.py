"""Every page of the site, by app."""

from __future__ import annotations

from django.urls import include, path

# Django draws 404, 403 and 400 from templates/ itself; the 500 page needs our own view.
handler500 = "carematters.web.errors.server_error"

urlpatterns = [
    path("", include("carematters.web.people.urls")),
    path("session/", include("carematters.web.session.urls")),
    path("", include("carematters.web.casework.urls")),
    path("", include("carematters.web.casework.mine_urls")),
    path("", include("carematters.web.casework.recording_urls")),
    path("", include("carematters.web.casework.education_urls")),
    path("", include("carematters.web.reviews.urls")),
    path("", include("carematters.web.approvals.urls")),
]
