"""Signing in and out; the administrator's pages (users and teams); a child's restriction."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from carematters.web.people import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("account/password/", views.own_password, name="own-password"),
    path("users/", views.users, name="users"),
    # Before a user's page: no username may be "add" or "teams" (actions.RESERVED_USERNAMES).
    path("users/add/", views.user_add, name="user-add"),
    path("users/teams/add/", views.team_add, name="team-add"),
    path("users/teams/<int:team>/", views.team_detail, name="team-detail"),
    path("users/teams/<int:team>/manager/", views.team_manager, name="team-manager"),
    path("users/<str:username>/", views.user_detail, name="user"),
    path("users/<str:username>/role/", views.user_role, name="user-role"),
    path("users/<str:username>/team/", views.user_team, name="user-team"),
    path(
        "users/<str:username>/deactivate/",
        views.user_active,
        {"active": False},
        name="user-deactivate",
    ),
    path(
        "users/<str:username>/reactivate/",
        views.user_active,
        {"active": True},
        name="user-reactivate",
    ),
    path("users/<str:username>/password/", views.user_password, name="user-password"),
    path("users/<str:username>/unlock/", views.user_unlock, name="user-unlock"),
    path("children/<str:child>/restriction/", views.child_restriction, name="child-restriction"),
    path(
        "children/<str:child>/restriction/remove/",
        views.child_restriction_remove,
        name="child-restriction-remove",
    ),
    path(
        "children/<str:child>/restriction/lift/",
        views.child_restriction_lift,
        name="child-restriction-lift",
    ),
]
