"""The education pages (education_views.py): the Virtual School Head's list, a designated
teacher's pupils, and a child's education section."""

from __future__ import annotations

from django.urls import path

from carematters.web.casework import education_views

urlpatterns = [
    path("education/", education_views.education_list, name="education"),
    path("pupils/", education_views.pupils, name="pupils"),
    path(
        "children/<str:child>/education/",
        education_views.child_education,
        name="child-education",
    ),
]
