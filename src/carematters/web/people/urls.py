from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from carematters.web.people import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
]
