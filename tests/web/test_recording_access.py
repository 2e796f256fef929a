"""Who may record on a child (issue 12, "Who may see what"): their social worker (and,
for a review, their IRO). A colleague who may read the record, a stranger, the child
themselves, their team manager: "page not found" on every recording page, to GET and
to POST alike, and nothing written. The matrix's world (tests/web/permissions.py)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from carematters.web.audit.models import Action, Event
from carematters.web.casework import actions
from carematters.web.casework.drafts import Draft
from carematters.web.casework.forms import FORMS
from carematters.web.casework.models import Episode, Review, Visit
from tests.web.recording_world import CHILD, Recording, date_fields, days_ago

pytestmark = pytest.mark.django_db

NOT_ALLOWED = ["colleague", "other-worker", "young-person", "team-manager"]
"""A team colleague (reads the record), a social worker in another team, the child
themselves, and their team manager (allocates, does not record)."""


def _pages(robin: Recording) -> list[str]:
    visit = actions.record_visit(
        CHILD, visit_date=days_ago(robin, 4), seen_alone="Y", acting_user=robin.social_worker
    )
    entry = f"/children/{CHILD}/entries/visits/{visit.pk}"
    return [
        *(f"/children/{CHILD}/record-{slug}/" for slug in FORMS),
        f"{entry}/change/",
        f"{entry}/withdraw/",
    ]


@pytest.mark.parametrize("username", NOT_ALLOWED)
def test_everyone_else_finds_no_recording_page(robin, username):
    pages = _pages(robin)
    client = robin.signed_in(username)
    visit_data = {
        **date_fields("visit_date", days_ago(robin, 2)),
        "seen_alone": "Y",
        "reason": "Tidying up",
        "version": "1",
    }
    written = Event.objects.exclude(action=Action.VIEWED).count()
    for page in pages:
        assert client.get(page).status_code == 404, page
        for action in ("save", "draft"):
            assert client.post(page, {**visit_data, "action": action}).status_code == 404, page
    assert Visit.objects.current().count() == 1
    assert Event.objects.exclude(action=Action.VIEWED).count() == written
    assert not Event.objects.filter(action=Action.VIEWED, user__username=username).exists()
    assert not Draft.objects.exists()


def test_a_child_who_does_not_exist_is_the_same_not_found(robin):
    client = robin.signed_in()
    assert client.get("/children/1999999/record-visit/").status_code == 404


def test_the_iro_records_reviews_and_nothing_else(robin):
    iro = robin.signed_in("iro")
    assert iro.get(f"/children/{CHILD}/record-review/").status_code == 200
    assert iro.get(f"/children/{CHILD}/record-visit/").status_code == 404
    response = iro.post(
        f"/children/{CHILD}/record-review/",
        {**date_fields("review", days_ago(robin, 2)), "review_code": "PN1", "action": "save"},
    )
    assert response.status_code == 302
    assert Review.objects.get().created_by == robin.world.users["iro"]


def test_the_actions_refuse_whoever_the_page_would(robin):
    with pytest.raises(Http404):
        actions.record_legal_status(
            CHILD,
            decom=days_ago(robin, 2),
            ls="V2",
            acting_user=robin.world.users["tm"],
        )
    assert Episode.objects.filter(child=CHILD).count() == 1


def test_signed_out_people_are_sent_to_sign_in(robin):
    response = Client().get(f"/children/{CHILD}/record-visit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
