from __future__ import annotations

from django.urls import path

from carematters.web.session import views

urlpatterns = [
    path("keep-alive/", views.keep_alive, name="keep-alive"),
    path("timed-out/", views.timed_out, name="timed-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
]
