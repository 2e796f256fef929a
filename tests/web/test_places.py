"""Where placements are, for the pages: the authority's postcode list when one is named,
else the demo's fictional map, worked out once and added to as new postcodes appear."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.exceptions import ImproperlyConfigured

from carematters.geography import placed
from carematters.web.casework.places import places_for

pytestmark = pytest.mark.django_db


def _distance(places, home: str, placement: str) -> float | None:
    episodes = pl.DataFrame({"HOME_POST": [home], "PL_POST": [placement]})
    return placed(episodes, places.postcodes).item(0, "PL_DISTANCE")


def test_the_authoritys_list_is_used_when_named(settings, tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text("POSTCODE,LA,X,Y\nAB1 2CD,301,0,0\nAB3 4EF,302,0,16093\n", encoding="utf-8")
    settings.POSTCODES, settings.LA_CODE = str(path), "301"
    places = places_for(pl.Series(["AB1 2CD"]))
    assert places.la_code == "301"
    assert _distance(places, "AB1 2CD", "AB3 4EF") == 10.0


def test_a_list_that_cannot_be_used_says_which_and_why(settings, tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text("POSTCODE,LA\nAB1 2CD,301\n", encoding="utf-8")
    settings.POSTCODES = str(path)
    with pytest.raises(ImproperlyConfigured, match=r"CAREMATTERS_POSTCODES \(.*postcodes\.csv\)"):
        places_for(pl.Series(["AB1 2CD"]))


def test_without_a_list_a_postcode_recorded_later_is_located_too(settings):
    settings.POSTCODES = ""
    first = places_for(pl.Series(["ZZ1 1AA"]))
    assert first.la_code == "999"
    # ZZ1 and ZA1 districts lie on the fictional map: a postcode the record did not hold
    # when the map was made is added when a page first shows it.
    later = places_for(pl.Series(["ZZ1 1AA", "ZA1 1AA"]))
    assert _distance(later, "ZZ1 1AA", "ZA1 1AA") is not None
    assert places_for(pl.Series(["ZA1 1AA"])) is later
