"""`carematters duties`, `entitlements` and `check-decision` on a synthetic record."""

import os
import pty
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

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


def _a_child_in_care(record: Path, among: pl.Series | None = None) -> str:
    """A child the record shows still looked after (an episode with no end), of `among`
    if given."""
    episodes = pl.read_csv(record / "episodes.csv", infer_schema=False)
    open_ = episodes.filter(pl.col("DEC").is_null())
    if among is not None:
        open_ = open_.filter(pl.col("CHILD").is_in(among.to_list()))
    return str(open_["CHILD"][0])


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


def _aged_16_in_care(record: Path) -> str:
    """A child of 16 (born 1 April 2008 to 31 March 2009) still looked after on 31 March 2025."""
    header = pl.read_csv(record / "header.csv", infer_schema=False).with_columns(
        pl.col("DOB").str.to_date("%d/%m/%Y")
    )
    sixteen = header.filter(pl.col("DOB").is_between(date(2008, 4, 1), date(2009, 3, 31)))
    return _a_child_in_care(record, among=sixteen["CHILD"])


def test_bed_and_breakfast_at_16_is_gated_and_barred_past_two_working_days(small_authority):
    child = _aged_16_in_care(small_authority)
    asked = ("check-decision", str(small_authority), "--child", child)
    asked += ("--decision", "placement-move", "--date", "2025-03-31")
    # Monday 31 March 2025: two working days take the stay to Wednesday 2 April.
    within = carematters(*asked, "--bed-and-breakfast-until", "2025-04-02")
    assert within.returncode == 0, within.stderr
    assert (
        "gate.move.bed_and_breakfast: The young person is 16 or over, not yet 18" in within.stdout
    )
    assert "no approval can allow" not in within.stdout
    longer = carematters(*asked, "--bed-and-breakfast-until", "2025-04-03")
    assert (
        "gate.move.bed_and_breakfast: no approval can allow this: Bed and breakfast may be "
        "used for 2 working days at most: the stay must end by 2 April 2025"
    ) in longer.stdout
    siblings = carematters(*asked, "--separates-siblings")
    assert (
        "gate.move.separating_siblings: The permanent placement would separate" in siblings.stdout
    )
    assert "gate.move.bed_and_breakfast" not in siblings.stdout


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


# A child id holding an escape sequence (it clears the screen and retitles the window)
# must not act on the terminal: what a person reads shows it escaped; CSV piped to a file
# or a program is the data, as --out would write it.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07X6"


@pytest.fixture
def hostile_record(small_authority, tmp_path) -> tuple[Path, str]:
    """The small authority's record with the ids of a child in care and of a child with
    an entitlement made `HOSTILE` (and `HOSTILE` + "b")."""
    child = _a_child_in_care(small_authority)
    listed = carematters("entitlements", str(small_authority), "--as-at", "2025-03-31")
    entitled = listed.stdout.splitlines()[1].split(",")[0]
    renames = {child: HOSTILE} | ({} if entitled == child else {entitled: HOSTILE + "b"})
    record = tmp_path / "record"
    record.mkdir()
    for each in small_authority.glob("*.csv"):
        rows = each.read_text("utf-8").split("\n")
        for old, new in renames.items():
            rows = [new + row[len(old) :] if row.startswith(f"{old},") else row for row in rows]
        (record / each.name).write_text("\n".join(rows), "utf-8")
    return record, child


def _on_a_terminal(*args: str) -> str:
    """What `carematters ARGS...` prints to a terminal (a pseudo-terminal, as a person's
    window is), standard output and error together."""
    command = [sys.executable, "-m", "carematters", *args]
    parent, child = pty.openpty()
    with subprocess.Popen(command, stdin=child, stdout=child, stderr=child) as running:
        os.close(child)
        said = b""
        while True:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # the terminal closed: the command has ended
                break
            if not chunk:
                break
            said += chunk
        running.wait()
    os.close(parent)
    return said.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args",
    [
        ("duties", "--format", "table"),
        ("duties",),
        ("duties", "--format", "csv"),
        ("entitlements",),
    ],
    ids=["duties as a table", "duties as CSV", "duties as CSV, asked", "entitlements"],
)
def test_a_child_id_holding_an_escape_sequence_is_shown_escaped_on_a_terminal(hostile_record, args):
    record, _ = hostile_record
    said = _on_a_terminal(args[0], str(record), "--as-at", "2025-03-31", *args[1:])
    assert "\\x1b[2J\\x1b]0;pwned\\x07X6" in said
    assert "\x1b" not in said
    assert "\x07" not in said


def test_a_duties_table_piped_elsewhere_is_still_shown_escaped(hostile_record):
    record, _ = hostile_record
    run = carematters("duties", str(record), "--as-at", "2025-03-31", "--format", "table")
    assert run.returncode == 0, run.stderr
    assert "\\x1b[2J\\x1b]0;pwned\\x07X6  " in run.stdout
    assert "\x1b" not in run.stdout


@pytest.mark.parametrize("command", ["duties", "entitlements"])
def test_csv_piped_elsewhere_is_the_data_as_out_writes_it(hostile_record, tmp_path, command):
    record, _ = hostile_record
    piped = subprocess.run(
        [sys.executable, "-m", "carematters", command, str(record), "--as-at", "2025-03-31"],
        capture_output=True,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    saved = carematters(command, str(record), "--as-at", "2025-03-31", "--out", str(tmp_path / "o"))
    assert saved.returncode == 0, saved.stderr
    assert piped.stdout == (tmp_path / "o").read_bytes()
    assert HOSTILE.encode() in piped.stdout
