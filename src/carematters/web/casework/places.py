"""Where placements are: the `Places` the caseload measures distances and areas with,
worked out once per process, never per request.

A real authority names a postcode list in CAREMATTERS_POSTCODES (POSTCODE, LA, X, Y: a
cut of ONS's postcode directory, the validator's --postcodes) and its DfE code in
CAREMATTERS_LA_CODE; the list is read once. Without one, the synthetic record's
postcodes are located on the demo's fictional map (`carematters.geography`): every
postcode the record holds, read once, and any later one (a placement recorded since)
added the first time a page shows it.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from carematters.geography import Places, fictional_places
from carematters.validation.lists import read_list
from carematters.web.casework.models import Episode


def places_for(postcodes: pl.Series) -> Places:
    """The places that locate `postcodes` (the HOME_POST and PL_POST a page shows): the
    authority's list where CAREMATTERS_POSTCODES names one, else the fictional map.
    Raises ImproperlyConfigured, naming the file and what is wrong, for a list that
    cannot be read."""
    if settings.POSTCODES:
        return _listed(settings.POSTCODES, settings.LA_CODE or None)
    return _FICTIONAL.locating(postcodes)


@cache
def _listed(path: str, la_code: str | None) -> Places:
    postcodes, problems = read_list("postcodes", Path(path))
    if postcodes is None:
        raise ImproperlyConfigured(
            f"CAREMATTERS_POSTCODES ({path}) cannot be used: {problems[0].message}"
        )
    return Places(postcodes, la_code)


class _FictionalMap:
    """The fictional map's places for every postcode seen so far in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: frozenset[str] = frozenset()
        self._places: Places | None = None

    def locating(self, postcodes: pl.Series) -> Places:
        wanted = frozenset(postcodes.drop_nulls().unique().to_list())
        with self._lock:
            if self._places is None or not wanted <= self._known:
                if self._places is None:
                    self._known = frozenset(_record_postcodes())
                self._known |= wanted
                self._places = fictional_places(pl.Series(sorted(self._known), dtype=pl.String))
            return self._places


def _record_postcodes() -> set[str]:
    """Every home and placement postcode the record holds: one query."""
    pairs = Episode.objects.current().values_list("home_post", "pl_post").distinct()
    return {postcode for pair in pairs for postcode in pair if postcode}


_FICTIONAL = _FictionalMap()
