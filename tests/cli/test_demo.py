"""`carematters demo`: the demo authority, made and summarised."""

import polars as pl

from tests.cli import carematters


def test_the_demo_summarises_the_demo_authority(tmp_path):
    run = carematters("demo", "--folder", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert "looked after on 31/03/2025: " in run.stdout
    assert "problems reading the return back: 0" in run.stdout
    assert (tmp_path / "record" / "episodes.csv").exists()
    # The demo's report has a rate per 10,000 near England's for every year it covers.
    figures = pl.read_csv(tmp_path / "report" / "indicators.csv")
    rates = figures.filter(pl.col("INDICATOR") == "at_31_march.rate_per_10000")
    assert rates.height == 5
    assert ((rates["VALUE"] - rates["ENGLAND"]).abs() < 15).all()
