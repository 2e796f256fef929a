"""The IRO's pages and the child's voice (views.py)."""

from __future__ import annotations

from django.urls import path

from carematters.web.reviews import views

urlpatterns = [
    path("reviews/", views.iro_reviews, name="iro-reviews"),
    path("reviews/report/", views.report, name="iro-report"),
    path("reviews/report/csv/", views.report_csv, name="iro-report-csv"),
    path("reviews/escalations/", views.escalations, name="escalations"),
    path("reviews/escalations/raise/<str:child>/", views.escalation_raise, name="escalation-raise"),
    path("reviews/escalations/<int:pk>/", views.escalation, name="escalation"),
    path("reviews/escalations/<int:pk>/move/", views.escalation_move, name="escalation-move"),
    path("reviews/escalations/<int:pk>/end/", views.escalation_close, name="escalation-close"),
    path("children/<str:child>/views/", views.child_views, name="child-views"),
    path("children/<str:child>/views/add/", views.child_view_add, name="child-view-add"),
    path("children/<str:child>/reviews/", views.child_reviews, name="child-reviews"),
    path("children/<str:child>/reviews/record/", views.review_hold, name="review-hold"),
    path(
        "children/<str:child>/reviews/<int:pk>/decisions/",
        views.review_decision,
        name="review-decision",
    ),
    path("children/<str:child>/reviews/postpone/", views.review_postpone, name="review-postpone"),
]
"""The IRO's own pages under /reviews/; a child's views and reviews under their record."""
