"""Children in words for the pages (casework/summaries.py): the addresses each child's
line links to, which are worked out for a whole list at once."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.urls import reverse

from carematters.web.casework.summaries import TeamInputs, described


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


# The team page's tables are kept by the fingerprint of what they are made from: two
# teams' fingerprints are alike only when every value is.


def _inputs(overdue: int = 1, iro: str = "Ivy Reviewer") -> TeamInputs:
    lines = pl.DataFrame(
        {"CHILD": ["1000001"], "OVERDUE": [overdue], "IRO_ID": ["IRO1"]},
        schema={"CHILD": pl.String, "OVERDUE": pl.Int64, "IRO_ID": pl.String},
    )
    return TeamInputs(lines, {"SW1": "Sam Okafor"}, {}, {"IRO1": iro}, date(2026, 12, 1))


def test_the_same_inputs_give_the_same_fingerprint():
    assert _inputs().digest() == _inputs().digest()


def test_a_value_of_a_line_changes_the_fingerprint():
    assert _inputs(overdue=2).digest() != _inputs().digest()


def test_a_name_changes_the_fingerprint():
    assert _inputs(iro="Ivy Reviewer-Smith").digest() != _inputs().digest()


def test_a_value_of_another_type_changes_the_fingerprint():
    text = _inputs().lines.with_columns(pl.col("OVERDUE").cast(pl.String))
    other = TeamInputs(text, {"SW1": "Sam Okafor"}, {}, {"IRO1": "Ivy Reviewer"}, date(2026, 12, 1))
    assert other.digest() != _inputs().digest()
