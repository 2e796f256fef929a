"""The synthetic authority: deterministic, well-formed for every year, and like England."""

from datetime import date

import polars as pl
import pytest

from carematters.geography import fictional_places
from carematters.indicators.figures import figures_for
from carematters.indicators.national import national_figures
from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.records.record import Record
from carematters.ssda903.formats import Format, read_return, write_return
from carematters.ssda903.tables import Kind
from carematters.ssda903.years import CollectionYear
from carematters.synth.authority import simulate
from carematters.synth.calibration import compare

CALIBRATED = simulate(6000, 2019, 2024, seed=7)
"""One national-like authority for the calibration checks (about 2 seconds to make)."""
PLACES = fictional_places(pl.concat([CALIBRATED["episodes"][c] for c in ("HOME_POST", "PL_POST")]))
"""Where its postcodes are, on the synthetic authority's fictional map."""


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        directory.save(simulate(300, 2021, 2024, seed), tmp_path / name)
    files = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    assert files == sorted(p.name for p in (tmp_path / "b").glob("*.csv"))
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "episodes.csv").read_bytes() != (
        tmp_path / "c" / "episodes.csv"
    ).read_bytes()


@pytest.mark.parametrize("label", ["2022-23", "2023-24", "2024-25", "2025-26"])
@pytest.mark.parametrize("form", list(Format))
def test_every_years_return_reads_back_without_a_single_problem(label, form, tmp_path):
    year = CollectionYear.parse(label)
    record = simulate(400, 2021, 2025, seed=9)
    cut = extract_return(record, year)
    out = tmp_path / ("return.xml" if form is Format.XML else "return")
    write_return(cut, year, form, out)
    result = read_return(out, year)
    assert [p.describe() for p in result.problems][:5] == []
    assert result.tables["episodes"].height > 300


def test_nothing_happens_after_the_last_31_march():
    """Only a UASC child's DUC, the 18th birthday, is known ahead (validator rule 205B)."""
    last = date(2025, 3, 31)
    for name, frame in CALIBRATED.items():
        dates = [c for c, dtype in frame.schema.items() if dtype == pl.Date]
        for column in dates:
            if (name, column) == ("uasc", "DUC"):
                continue
            latest = frame.get_column(column).max()
            assert latest is None or latest <= last, (name, column, latest)


def test_a_record_made_until_a_day_has_nothing_after_it_and_its_open_work_still_open():
    """The demo is made until today: a live record, not one that stops on 31 March."""
    day = date(2026, 11, 30)
    record = simulate(300, 2023, 2026, seed=3, until=day)
    for name, frame in record.items():
        for column in (c for c, dtype in frame.schema.items() if dtype == pl.Date):
            if (name, column) == ("uasc", "DUC"):
                continue
            latest = frame.get_column(column).max()
            assert latest is None or latest <= day, (name, column, latest)
    open_episodes = record["episodes"].filter(pl.col("DEC").is_null())
    assert open_episodes.height > 200  # the children in care today
    assert set(record["oc2"]["YEAR"]) == {"2023-24", "2024-25", "2025-26"}  # not 2026-27


def test_a_history_reaching_back_before_the_bank_holiday_calendar_is_refused():
    """Eighteen years of history before 2015 would start in 1997: working days cannot be
    counted there, so the simulator says which first year it can start from."""
    with pytest.raises(ValueError, match="start in 2018 or later"):
        simulate(100, 2015, 2016, seed=1)


def test_every_table_of_the_record_is_made_with_its_schema_types():
    record = simulate(300, 2021, 2024, seed=2)
    assert {"header", "episodes", "reviews", "visits", "pa_contacts", "oc3"} <= set(record)
    episodes = record["episodes"]
    assert episodes.schema["DECOM"] == Kind.DATE.dtype
    assert episodes.filter(
        pl.col("DEC").is_not_null() & (pl.col("DEC") < pl.col("DECOM"))
    ).is_empty()


@pytest.mark.parametrize(
    "comparison",
    compare(
        figures_for(Record.of(CALIBRATED), CollectionYear.parse("2024-25"), PLACES),
        national_figures(),
    ),
    ids=lambda c: c.name,
)
def test_the_authority_matches_englands_published_figures(comparison):
    """Each national figure in indicators/national.yaml, within its stated tolerance."""
    assert comparison.within, (
        f"{comparison.name}: simulated {comparison.simulated:.2f}, national "
        f"{comparison.target} +/- {comparison.tolerance}"
    )
