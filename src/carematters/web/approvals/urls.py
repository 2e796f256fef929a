"""The pages of decisions that need approval (carematters.web.approvals.views)."""

from __future__ import annotations

from django.urls import path

from carematters.web.approvals import views

urlpatterns = [
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.request_page, name="approval"),
    path("approvals/<int:pk>/consult/", views.consult, name="approval-consult"),
    path("approvals/<int:pk>/answer/", views.answer, name="approval-answer"),
    path("approvals/<int:pk>/decide/", views.decide, name="approval-decide"),
    path("approvals/<int:pk>/send-again/", views.send_again, name="approval-send-again"),
    path("approvals/<int:pk>/dispute/", views.dispute, name="approval-dispute"),
    path("approvals/<int:pk>/dispute/end/", views.end_dispute, name="approval-end-dispute"),
    path("children/<str:child>/decisions/", views.child_decisions, name="child-decisions"),
    path("children/<str:child>/decisions/ask/", views.ask, name="ask-decision"),
]
