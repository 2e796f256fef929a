"""The error pages: GOV.UK's words, the site's look, and nothing of what went wrong — no
stack trace, no address asked for, nothing from a child's record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from carematters.web.config import urls as site_urls
from carematters.web.people.models import User
from carematters.web.people.roles import Role

pytestmark = pytest.mark.django_db

# What a failing page might have had in hand: it must never reach the person.
SECRET_DETAIL = "C0001234 Jessie Fictional, placed at 12 Imaginary Road"


def _fails(request):
    raise RuntimeError(SECRET_DETAIL)


def _refuses(request):
    raise PermissionDenied(SECRET_DETAIL)


# The site's own pages and error handlers, and two pages that fail.
handler500 = site_urls.handler500
urlpatterns = [
    *site_urls.urlpatterns,
    path("test-fails/", _fails),
    path("test-refuses/", _refuses),
]


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def signed_in(client):
    worker = User.objects.create_user("sam.social", role=Role.SOCIAL_WORKER, first_name="Sam")
    client.force_login(worker)
    return client


def assert_plain_error_page(page: str) -> None:
    assert 'class="govuk-heading-l"' in page
    assert "govuk-frontend.min.css" in page
    for leak in (
        "Traceback",
        "RuntimeError",
        "PermissionDenied",
        "C0001234",
        "Jessie",
        "Imaginary",
    ):
        assert leak not in page


def test_a_missing_page_says_page_not_found(signed_in):
    response = signed_in.get("/children/C0001234/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Page not found \N{EN DASH} carematters</title>" in page
    assert "Page not found" in page
    assert_plain_error_page(page)


def test_a_missing_page_for_someone_signed_out_looks_the_same(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_failure_in_a_page_says_sorry_and_shows_nothing_of_it(failing_site):
    client = Client(raise_request_exception=False)
    response = client.get("/test-fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert_plain_error_page(page)
    # Drawn with the request, so the page's scripts carry this response's nonce.
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in page


def test_a_refusal_says_you_cannot_do_this(failing_site, signed_in):
    response = signed_in.get("/test-refuses/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do this" in page
    assert_plain_error_page(page)
