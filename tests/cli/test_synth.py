"""`carematters synth`: a fictional authority's whole record."""

import polars as pl

from tests.cli import carematters


def test_a_synthetic_authority_with_injected_errors_still_cuts_a_return(tmp_path):
    made = carematters(
        "synth",
        "--children-in-care",
        "150",
        "--years",
        "2022-2025",
        "--seed",
        "2",
        "--inject-errors",
        "0.02",
        "--out",
        str(tmp_path / "record"),
    )
    assert made.returncode == 0, made.stderr
    listing = pl.read_csv(tmp_path / "injected.csv")
    assert listing.columns == ["KIND", "TABLE", "ROW", "CHILD", "COLUMN", "BEFORE", "AFTER"]
    assert listing.height > 0
    assert f"injected {listing.height} errors, listed in {tmp_path / 'injected.csv'}" in made.stderr
    header = pl.read_csv(tmp_path / "record" / "header.csv", infer_schema=False)
    assert f"{header.height} children in the record" in made.stderr
    assert " in care on 31/03/2025" in made.stderr
    cut = carematters(
        "903",
        "extract",
        str(tmp_path / "record"),
        "--year",
        "2024-25",
        "--out",
        str(tmp_path / "return"),
    )
    assert cut.returncode == 0, cut.stderr
    assert "kept as given" in cut.stderr
    assert (tmp_path / "return" / "episodes.csv").exists()


def test_a_span_of_years_into_the_future_is_refused(tmp_path):
    run = carematters("synth", "--years", "2024-2031", "--out", str(tmp_path / "r"))
    assert run.returncode == 2
    assert "runs into the future" in run.stderr
    assert not (tmp_path / "r").exists()


def test_a_span_starting_before_the_calendar_allows_is_refused(tmp_path):
    run = carematters("synth", "--years", "2012-2014", "--out", str(tmp_path / "record"))
    assert run.returncode == 2
    said = " ".join(run.stderr.replace("│", " ").split())  # the message as typer boxes it
    assert "starts too early" in said and "start in 2018 or later" in said
    assert not (tmp_path / "record").exists()
