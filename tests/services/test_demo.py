"""The demo authority, made once for these tests (a few seconds)."""

import polars as pl
import pytest

from carematters.geography import fictional_places
from carematters.indicators.report import indicators_report
from carematters.records import directory
from carematters.services.demo import PLACEMENTS_SHOWN, YEAR, make_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return folder, make_demo(folder)


def test_the_demo_writes_every_file_it_names(demo):
    folder, made = demo
    assert made.record == folder / "record" and (made.record / "episodes.csv").exists()
    assert made.xml == folder / "return-2024-25.xml" and made.xml.exists()
    assert made.report == folder / "report" / "index.html" and made.report.exists()
    assert (folder / "report" / "indicators.csv").exists()
    assert made.problems_reading_back == 0


def test_the_report_is_the_report_of_the_record_as_saved(demo):
    # The demo works from the record it made, never re-reading it: the record as saved
    # must give the very same figures.
    folder, made = demo
    saved = directory.load(made.record)
    assert saved.problems == []
    population = pl.read_csv(folder / "population.csv")
    by_year = dict(zip(population["YEAR"], population["CHILDREN"], strict=True))
    episodes = saved.record.episodes
    places = fictional_places(pl.concat([episodes["HOME_POST"], episodes["PL_POST"]]))
    again = indicators_report(saved.record, YEAR, by_year, authority="demo", places=places)
    assert (folder / "report" / "indicators.csv").read_text("utf-8") == again.write_csv()
    assert made.children_in_record == saved.record.header.height


def test_every_postcode_in_the_record_is_in_the_list_of_postcodes(demo):
    folder, made = demo
    episodes = directory.load(made.record).record.episodes
    used = set(pl.concat([episodes["HOME_POST"], episodes["PL_POST"]]).drop_nulls())
    listed = pl.read_csv(folder / "postcodes.csv")
    assert used and set(listed["POSTCODE"]) == used


def test_the_placements_on_31_march_are_the_most_common_first(demo):
    _, made = demo
    counts = [p.children for p in made.placements]
    assert 0 < len(counts) <= PLACEMENTS_SHOWN
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) <= made.looked_after_at_end < made.children_in_return
    assert all(p.meaning for p in made.placements)
