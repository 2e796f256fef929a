"""A child's duties asked about alone are the ones the whole authority gives them, for
every kind of child: in care at any age, on short breaks, leaving care, gone home.

Asked about alone, the engine leaves out the duties nobody in the record can be owed
(no care leaver among them, say); these tests hold that this never loses a duty."""

from datetime import date

import polars as pl
import pytest
import yaml

from carematters.duties.engine import duties_as_at
from carematters.records.record import Record
from carematters.synth.authority import simulate

from .test_scenarios import FOLDER, record_of

AS_AT = date(2025, 3, 31)


@pytest.fixture(scope="module")
def authority() -> tuple[Record, pl.DataFrame]:
    """A simulated authority, and in it the child of a scenario on short breaks (the
    simulator gives none)."""
    simulated = simulate(200, 2022, 2024, seed=5)
    case = yaml.safe_load((FOLDER / "short_breaks_then_six_monthly.yaml").read_text())
    on_breaks = record_of(case).tables()
    tables = {
        name: pl.concat([frame, on_breaks[name]], how="diagonal_relaxed")
        if name in on_breaks
        else frame
        for name, frame in simulated.items()
    }
    record = Record.of(tables)
    return record, duties_as_at(record, AS_AT)


def test_each_child_alone_gets_what_the_authority_gives_them(authority):
    record, everyone = authority
    # Every tenth child of the record, those owed nothing included.
    children = record.header["CHILD"].unique().sort().gather_every(10).to_list()
    for child in children:
        alone = duties_as_at(record, AS_AT, [child])
        assert alone.equals(everyone.filter(pl.col("CHILD") == child)), child


@pytest.mark.parametrize(
    "kind",
    ["review.first", "review.short_break.first", "leaving_care.needs_assessment"],
    ids=["in care", "on short breaks", "leaving care"],
)
def test_a_child_of_each_kind_alone_gets_what_the_authority_gives_them(authority, kind):
    record, everyone = authority
    owed = everyone.filter(pl.col("DUTY") == kind)["CHILD"].unique().sort()
    assert not owed.is_empty(), f"the simulated authority has no child owed {kind}"
    child = owed[0]
    alone = duties_as_at(record, AS_AT, [child])
    assert alone.equals(everyone.filter(pl.col("CHILD") == child))
    assert kind in alone["DUTY"].to_list()
