"""Who provides the placement, on the placement-move form: asked for every placement but
those with no provider of their own, a temporary move or an other placement, which DfE's
rules 178 and 213 want left blank. On Robin (tests/web/recording_world.py), in foster
care (U5) since T-100; the moves are approved first, as their decision gates ask."""

from __future__ import annotations

import pytest

from carematters.web.casework.models import Episode
from tests.web.approvals_world import approved
from tests.web.recording_world import CHILD, Recording, date_fields, days_ago

pytestmark = pytest.mark.django_db


def _move(robin: Recording, place: str, provider: str):
    day = days_ago(robin, 5)
    approved(CHILD, day, place, "ZZ3 3CC")
    return robin.signed_in().post(
        f"/children/{CHILD}/record-placement-move/",
        {
            **date_fields("decom", day),
            "place": place,
            "place_provider": provider,
            "pl_post": "ZZ3 3CC",
            "urn": "",
            "reason_place_change": "CHILD",
            "ls": "C2",
            "row": str(robin.episode.pk),
            "version": str(robin.episode.version),
            "action": "save",
        },
    )


def test_a_move_to_a_flat_of_their_own_is_recorded_with_no_provider(robin):
    response = _move(robin, "Z11", "")
    assert response.status_code == 302, response.context and response.context["problems"]
    new = Episode.objects.current().filter(child=CHILD).order_by("decom").last()
    assert (new.place, new.place_provider) == ("Z11", "")


def test_a_foster_placement_needs_who_provides_it(robin):
    page = _move(robin, "U5", "").content.decode()
    assert "There is a problem" in page
    assert "Select who provides the placement" in page
    assert Episode.objects.current().filter(child=CHILD).count() == 1


def test_an_other_placement_is_refused_a_provider(robin):
    page = _move(robin, "Z11", "PR4").content.decode()
    assert "Leave who provides the placement empty" in page
    assert Episode.objects.current().filter(child=CHILD).count() == 1
