"""A synthetic authority made and saved through the service."""

from datetime import date

import polars as pl

from carematters.records import directory
from carematters.services.synth import Spoiling, make_authority


def test_the_record_given_back_is_the_record_saved(tmp_path):
    made = make_authority(
        tmp_path / "record", children_in_care=60, first_year=2022, last_year=2024, seed=5
    )
    saved = directory.load(tmp_path / "record")
    assert saved.problems == []
    assert saved.record.held == made.record.held
    for name in made.record.held:
        assert saved.record.table(name).equals(made.record.table(name)), name
    assert made.end == date(2025, 3, 31)
    assert made.injected == 0 and not (tmp_path / "injected.csv").exists()


def test_those_in_care_at_the_end_are_those_whose_care_has_not_ended(tmp_path):
    made = make_authority(
        tmp_path / "record", children_in_care=60, first_year=2022, last_year=2024, seed=5
    )
    # The simulation stops on its last day: an episode still open then has no end date.
    open_at_end = made.record.episodes.filter(pl.col("DEC").is_null())
    assert made.in_care_at_end == open_at_end["CHILD"].n_unique() > 30


def test_a_spoiled_authority_lists_every_error_put_in(tmp_path):
    listing = tmp_path / "errors" / "injected.csv"
    made = make_authority(
        tmp_path / "record",
        children_in_care=60,
        first_year=2022,
        last_year=2024,
        seed=5,
        spoiling=Spoiling(0.05, listing),
    )
    injected = pl.read_csv(listing)
    assert made.injected == injected.height > 0
    assert set(injected["KIND"]) > {"unknown_code"}
