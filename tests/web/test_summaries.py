"""Children in words for the pages (casework/summaries.py): the addresses each child's
line links to, which are worked out for a whole list at once."""

from __future__ import annotations

import polars as pl
from django.urls import reverse

from carematters.web.casework.summaries import described


def _lines(*children: str) -> pl.DataFrame:
    """Stored lines of `children`, with nothing known but their ids."""
    return pl.DataFrame({"CHILD": list(children)}).with_columns(
        LOOKED_AFTER=pl.lit(True),
        PLACEMENT=pl.lit(None, pl.String),
        IRO_ID=pl.lit(None, pl.String),
        PL_DISTANCE=pl.lit(None, pl.Float64),
        OUT_OF_AREA=pl.lit(None, pl.Boolean),
    )


def test_each_child_links_to_their_pages_as_reverse_would():
    rows = described(_lines("1000001", "A-7.b"), {}).rows(named=True)
    assert [r["HREF"] for r in rows] == ["/children/1000001/", "/children/A-7.b/"]
    assert rows[0]["ALLOCATE_HREF"] == reverse("child-allocate", args=["1000001"])
    assert rows[1]["ACCESS_LOG_HREF"] == "/children/A-7.b/access-log/"


def test_an_id_an_address_cannot_hold_as_it_is_is_quoted():
    rows = described(_lines("1000001", "AB 12#3"), {}).rows(named=True)
    assert [r["HREF"] for r in rows] == ["/children/1000001/", "/children/AB%2012%233/"]
