"""The web suite: Django's test client against a fresh test database (SQLite, or the
PostgreSQL that DATABASE_URL names), with static files served unhashed so pages render
without `collectstatic`."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
