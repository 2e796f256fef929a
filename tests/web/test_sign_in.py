"""Signing in and out of the casework application."""

import pytest

from carematters.web.people.models import User
from carematters.web.people.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def social_worker():
    return User.objects.create_user(
        "sam.social", password=PASSWORD, role=Role.SOCIAL_WORKER, first_name="Sam"
    )


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_signing_in_with_the_right_password_lands_on_home(client, social_worker):
    response = client.post("/sign-in/", {"username": "sam.social", "password": PASSWORD})
    assert response.status_code == 302
    # Home sends a social worker on to their caseload.
    home = client.get("/", follow=True)
    assert home.redirect_chain == [("/caseload/", 302)]
    assert "Sam (social worker)" in home.content.decode()


def test_a_wrong_password_shows_the_error_summary(client, social_worker):
    response = client.post("/sign-in/", {"username": "sam.social", "password": "wrong"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page


def test_a_designated_teacher_starts_from_their_pupils_then_the_decisions_for_them(client):
    teacher = User.objects.create_user("dt", role=Role.DESIGNATED_TEACHER, first_name="Dee")
    client.force_login(teacher)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/pupils/", 302)]
    assert 'href="/approvals/"' in response.content.decode()
    assert "Waiting for your answer" in client.get("/approvals/").content.decode()
