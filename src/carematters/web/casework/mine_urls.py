"""A young person's own pages (mine.py): no CHILD id in the address, only their own."""

from __future__ import annotations

from django.urls import path

from carematters.web.casework import mine

urlpatterns = [
    path("my-record/", mine.your_record, name="my-record"),
    path("my-record/reviews/", mine.your_reviews, name="my-reviews"),
    path("my-record/views/", mine.your_views, name="my-views"),
    path("my-record/views/add/", mine.your_view_add, name="my-view-add"),
]
