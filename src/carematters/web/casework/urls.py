"""The pages people read (views.py): start pages, a child's record, a team."""

from __future__ import annotations

from django.urls import path

from carematters.web.casework import views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("team/", views.team, name="team"),
    path("children/", views.children, name="children"),
    path("figures/", views.figures, name="figures"),
    path("children/<str:child>/", views.child_overview, name="child"),
    path("children/<str:child>/chronology/", views.child_chronology, name="child-chronology"),
    path("children/<str:child>/due/", views.child_due, name="child-due"),
    path("children/<str:child>/people/", views.child_people, name="child-people"),
    path("children/<str:child>/access-log/", views.child_access_log, name="child-access-log"),
    path("children/<str:child>/open/", views.child_open, name="child-open"),
    path("children/<str:child>/allocate/", views.child_allocate, name="child-allocate"),
    path(
        "children/<str:child>/drafts/<int:draft>/discard/",
        views.draft_discard,
        name="draft-discard",
    ),
]
