"""`carematters duties`, `entitlements` and `check-decision` on a synthetic record."""

from pathlib import Path

import polars as pl

from carematters.cli.duties import DecisionChoice
from carematters.duties.decisions import Decision
from carematters.duties.engine import SCHEMA
from tests.cli import carematters


def test_the_decision_option_offers_exactly_the_decisions_that_can_be_checked():
    assert [d.value for d in DecisionChoice] == [d.value for d in Decision]


def test_duties_are_listed_for_a_record_as_at_a_date(small_authority, tmp_path):
    run = carematters(
        "duties",
        str(small_authority),
        "--as-at",
        "2025-03-31",
        "--out",
        str(tmp_path / "d.csv"),
    )
    assert run.returncode == 0, run.stderr
    duties = pl.read_csv(tmp_path / "d.csv", infer_schema=False)
    assert duties.columns == list(SCHEMA)
    assert duties.height > 0
    assert duties["EXPLANATION"].str.contains("/20").all()
    assert (
        f"wrote {duties.height} duties for {duties['CHILD'].n_unique()} young people" in run.stderr
    )
    bad = carematters("duties", str(small_authority), "--as-at", "31/03/2025")
    assert bad.returncode == 2
    assert "is not a date written yyyy-mm-dd" in bad.stderr


def _a_child_in_care(record: Path) -> str:
    """A child the record shows still looked after (an episode with no end)."""
    episodes = pl.read_csv(record / "episodes.csv", infer_schema=False)
    return str(episodes.filter(pl.col("DEC").is_null())["CHILD"][0])


def test_one_childs_duties_can_be_read_as_a_table(small_authority):
    child = _a_child_in_care(small_authority)
    run = carematters(
        "duties",
        str(small_authority),
        "--as-at",
        "2025-03-31",
        "--child",
        child,
        "--format",
        "table",
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    duties, explanations = lines[::2], lines[1::2]
    assert duties and len(duties) == len(explanations)
    assert all(line.startswith(f"{child}  ") and " due " in line for line in duties)
    assert all(line.startswith("    ") for line in explanations)


def test_entitlements_are_listed_for_a_record_as_at_a_date(small_authority, tmp_path):
    run = carematters(
        "entitlements", str(small_authority), "--as-at", "2025-03-31", "--out", str(tmp_path / "e")
    )
    assert run.returncode == 0, run.stderr
    held = pl.read_csv(tmp_path / "e", infer_schema=False)
    assert held.height > 0 and held.columns[0] == "CHILD"
    assert (
        f"wrote {held.height} entitlements for {held['CHILD'].n_unique()} young people"
        in run.stderr
    )


def test_a_decision_is_checked_for_the_safeguards_it_needs(small_authority):
    child = _a_child_in_care(small_authority)
    run = carematters(
        "check-decision",
        str(small_authority),
        "--child",
        child,
        "--decision",
        "placement-move",
        "--date",
        "2025-03-31",
        "--to-postcode",
        "ZP3 4AB",
    )
    assert run.returncode == 0, run.stderr
    assert "gate.move.at_a_distance" in run.stdout
    # The law's numbers are filled in, never shown as placeholders.
    assert "{" not in run.stdout
    gone = carematters(
        "check-decision",
        str(small_authority),
        "--child",
        "nobody",
        "--decision",
        "cease-care",
        "--date",
        "2025-03-31",
    )
    assert gone.returncode == 2
    assert gone.stderr == "child nobody is not in the record\n"


def test_a_day_outside_the_calendar_is_one_line_not_a_traceback(small_authority):
    run = carematters("duties", str(small_authority), "--as-at", "2150-01-01")
    assert run.returncode == 2
    assert run.stderr.startswith("01/01/2150 is outside the years whose bank holidays")
    assert "Traceback" not in run.stderr


def test_entitlements_before_the_law_gave_them_are_none(small_authority):
    run = carematters("entitlements", str(small_authority), "--as-at", "1999-01-01")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "CHILD,ENTITLEMENT,UNTIL,AMOUNT,SOURCE,EXPLANATION\n"


def test_a_child_not_in_the_record_is_named(small_authority):
    for asked in (
        ("duties", str(small_authority), "--as-at", "2025-03-31", "--child", "NOPE"),
        (
            "check-decision",
            str(small_authority),
            "--child",
            "NOPE",
            "--decision",
            "cease-care",
            "--date",
            "2025-03-31",
        ),
    ):
        run = carematters(*asked)
        assert run.returncode == 2
        assert run.stderr == "child NOPE is not in the record\n"


def test_a_record_with_no_episodes_says_why_nothing_is_owed(tmp_path):
    (tmp_path / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA,F,01/01/2010,WBRI,,,\n", encoding="utf-8"
    )
    run = carematters("duties", str(tmp_path), "--as-at", "2025-03-31")
    assert run.returncode == 0, run.stderr
    assert (
        run.stdout
        == "CHILD,DUE_DATE,LAST_DONE,STATUS,DAYS_OVERDUE,SOURCE,EXPLANATION\n".replace(
            "CHILD,", "CHILD,DUTY,"
        )
    )
    assert "the record holds no episodes of care" in run.stderr
