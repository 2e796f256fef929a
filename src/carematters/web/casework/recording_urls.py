"""The recording pages of a child's record (carematters.web.casework.recording)."""

from __future__ import annotations

from django.urls import path

from carematters.web.casework import recording

urlpatterns = [
    path("children/<str:child>/record-<slug:kind>/", recording.record, name="record-entry"),
    path(
        "children/<str:child>/entries/<slug:entry>/<int:pk>/change/",
        recording.change,
        name="change-entry",
    ),
    path(
        "children/<str:child>/entries/<slug:entry>/<int:pk>/withdraw/",
        recording.withdraw,
        name="withdraw-entry",
    ),
]
