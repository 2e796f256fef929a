"""No command destroys anything it did not write: not its inputs, not a folder or file a
person keeps, not a folder of another kind of output. Each refusal exits 2, names the
path, and leaves every byte as it was."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from carematters.cli.output import printable
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear
from tests.cli import carematters

YEAR = CollectionYear.parse("2024-25")
LAST_YEAR = CollectionYear.parse("2023-24")
PAYROLL = "NAME,SALARY\nA. Person,30000\n"


def everything(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def refused(run: subprocess.CompletedProcess[str], path: str) -> None:
    """The command refused, in one line naming `path`, without a traceback."""
    assert run.returncode == 2, run.stderr
    assert path in run.stderr
    assert "Traceback" not in run.stderr
    assert "could not finish" not in run.stderr


@pytest.fixture
def ret(tmp_path) -> Path:
    """A made-up 2024-25 return of 20 children as CSV files, in tmp_path/ret."""
    write_return(sample_return(20, YEAR, seed=2), YEAR, Format.CSV, tmp_path / "ret")
    return tmp_path / "ret"


@pytest.fixture
def xml(tmp_path) -> Path:
    """The same return as XML, in tmp_path/ret.xml."""
    write_return(sample_return(20, YEAR, seed=2), YEAR, Format.XML, tmp_path / "ret.xml")
    return tmp_path / "ret.xml"


@pytest.fixture
def record(tmp_path, small_authority) -> Path:
    """A copy of the small synthetic authority's record (years 2023-24 and 2024-25)."""
    return Path(shutil.copytree(small_authority, tmp_path / "record"))


@pytest.fixture
def payroll(tmp_path) -> Path:
    """A folder of someone's own, holding their payroll.csv."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "payroll.csv").write_text(PAYROLL)
    return folder


def validate(source: Path, out: Path, *more: str) -> subprocess.CompletedProcess[str]:
    """`903 validate SOURCE --year 2024-25 --out OUT ...`."""
    return carematters(
        "903", "validate", str(source), "--year", "2024-25", "--out", str(out), *more
    )


def read(source: Path, out: Path, *more: str) -> subprocess.CompletedProcess[str]:
    """`903 read SOURCE --year 2024-25 --out OUT ...`."""
    return carematters("903", "read", str(source), "--year", "2024-25", "--out", str(out), *more)


# 903 validate


def test_validate_into_the_return_it_checks_is_refused(ret):
    before = everything(ret)
    run = validate(ret, ret)
    refused(run, f"will not write to {ret}: it is {ret}, which this command reads")
    assert everything(ret) == before


def test_validate_into_a_folder_inside_the_return_is_refused(ret):
    before = everything(ret)
    run = validate(ret, ret / "findings")
    refused(run, f"{ret / 'findings'}: it is inside {ret}")
    assert everything(ret) == before


def test_validate_into_the_folder_holding_the_return_is_refused(tmp_path, ret):
    before = everything(tmp_path)
    run = validate(ret, tmp_path)
    refused(run, f"will not write to {tmp_path}: it holds {ret}")
    assert everything(tmp_path) == before


def test_validate_into_last_years_return_is_refused(tmp_path, ret):
    write_return(sample_return(20, LAST_YEAR, seed=1), LAST_YEAR, Format.CSV, tmp_path / "last")
    before = everything(tmp_path / "last")
    run = validate(ret, tmp_path / "last", "--previous", str(tmp_path / "last"))
    refused(run, f"it is {tmp_path / 'last'}, which this command reads")
    assert everything(tmp_path / "last") == before


def test_validate_into_the_postcode_list_is_refused(tmp_path, ret):
    postcodes = tmp_path / "postcodes.csv"
    postcodes.write_text("POSTCODE,LA,X,Y\nZZ1 1ZZ,999,1,1\n")
    run = validate(ret, postcodes, "--postcodes", str(postcodes))
    refused(run, f"it is {postcodes}, which this command reads")
    assert postcodes.read_text() == "POSTCODE,LA,X,Y\nZZ1 1ZZ,999,1,1\n"


def test_validate_through_a_link_to_the_return_is_refused(tmp_path, ret):
    (tmp_path / "link").symlink_to(ret)
    before = everything(ret)
    run = validate(ret, tmp_path / "link")
    refused(run, f"it is {ret}, which this command reads")
    assert everything(ret) == before


def test_validate_into_a_folder_holding_someones_file_is_refused(ret, payroll):
    run = validate(ret, payroll)
    refused(run, f"{payroll} already holds other things (payroll.csv)")
    assert everything(payroll) == {"payroll.csv": PAYROLL.encode()}


def test_validate_into_a_folder_carematters_did_not_write_is_refused(tmp_path, ret):
    # Even one holding only files named as findings are: a person's own copy.
    theirs = tmp_path / "checked"
    theirs.mkdir()
    (theirs / "errors.csv").write_text("my notes on last week's errors\n")
    run = validate(ret, theirs)
    refused(run, f"{theirs} already holds other things (errors.csv)")
    assert everything(theirs) == {"errors.csv": b"my notes on last week's errors\n"}


def test_validate_twice_into_the_same_findings_folder_works(tmp_path, ret):
    first = validate(ret, tmp_path / "out")
    second = validate(ret, tmp_path / "out")
    assert first.returncode == second.returncode == 1, second.stderr
    assert (tmp_path / "out" / "errors.csv").read_bytes()
    assert ".out." not in " ".join(os.listdir(tmp_path))


def test_validate_into_a_findings_folder_with_a_file_added_is_refused(tmp_path, ret):
    assert validate(ret, tmp_path / "out").returncode == 1
    (tmp_path / "out" / "payroll.csv").write_text(PAYROLL)
    run = validate(ret, tmp_path / "out")
    refused(run, "did not put there (payroll.csv)")
    assert (tmp_path / "out" / "payroll.csv").read_text() == PAYROLL


def test_validate_into_findings_a_person_has_annotated_is_refused(tmp_path, ret):
    assert validate(ret, tmp_path / "out").returncode == 1
    errors = tmp_path / "out" / "errors.csv"
    annotated = errors.read_text() + "checked with the team manager on Monday\n"
    errors.write_text(annotated)
    run = validate(ret, tmp_path / "out")
    refused(run, "changed since carematters wrote them (errors.csv)")
    assert errors.read_text() == annotated


def test_read_into_a_record_a_person_has_added_a_child_to_is_refused(tmp_path, ret):
    assert read(ret, tmp_path / "rec").returncode in {0, 1}
    header = tmp_path / "rec" / "header.csv"
    added = header.read_text() + "ADDED1,1,01/01/2015,WBRI,,,\n"
    header.write_text(added)
    refused(read(ret, tmp_path / "rec"), "changed since carematters wrote them (header.csv)")
    assert header.read_text() == added


# 903 extract, write, read, sample


def test_extract_over_the_record_it_cuts_is_refused(record):
    before = everything(record)
    run = carematters("903", "extract", str(record), "--year", "2024-25", "--out", str(record))
    refused(run, f"it is {record}, which this command reads")
    assert everything(record) == before


def test_extract_as_xml_inside_the_record_is_refused(record):
    before = everything(record)
    out = record / "ret.xml"
    run = carematters(
        "903", "extract", str(record), "--year", "2024-25", "--format", "xml", "--out", str(out)
    )
    refused(run, f"{out}: it is inside {record}")
    assert everything(record) == before


def test_extract_over_another_record_is_refused(tmp_path, record, small_authority):
    other = Path(shutil.copytree(small_authority, tmp_path / "other"))
    before = everything(other)
    run = carematters("903", "extract", str(record), "--year", "2024-25", "--out", str(other))
    refused(run, f"{other} holds a carematters record folder, not a return folder")
    assert everything(other) == before


def test_write_over_the_record_it_writes_from_is_refused(record):
    before = everything(record)
    run = carematters(
        "903", "write", str(record), "--year", "2024-25", "--format", "csv", "--out", str(record)
    )
    refused(run, f"it is {record}, which this command reads")
    assert everything(record) == before


def test_write_as_xml_over_someones_file_is_refused(tmp_path, record):
    theirs = tmp_path / "return.xml"
    theirs.write_text("<mine/>")
    run = carematters(
        "903", "write", str(record), "--year", "2024-25", "--format", "xml", "--out", str(theirs)
    )
    refused(run, f"{theirs} already exists and carematters did not write it")
    assert theirs.read_text() == "<mine/>"


def test_read_into_the_return_it_reads_is_refused(ret):
    before = everything(ret)
    run = read(ret, ret)
    refused(run, f"it is {ret}, which this command reads")
    assert everything(ret) == before


def test_problems_saved_over_the_xml_being_read_is_refused(tmp_path, xml):
    before = xml.read_bytes()
    run = read(xml, tmp_path / "rec", "--problems", str(xml))
    refused(run, f"it is {xml}, which this command reads")
    assert xml.read_bytes() == before
    assert not (tmp_path / "rec").exists()


def test_problems_saved_inside_the_return_being_read_is_refused(tmp_path, ret):
    before = everything(ret)
    problems = ret / "problems.csv"
    run = read(ret, tmp_path / "rec", "--problems", str(problems))
    refused(run, f"{problems}: it is inside {ret}")
    assert everything(ret) == before


def test_problems_saved_to_a_hard_link_of_the_return_is_refused(tmp_path, xml):
    linked = tmp_path / "problems.csv"
    os.link(xml, linked)
    before = xml.read_bytes()
    run = read(xml, tmp_path / "rec", "--problems", str(linked))
    refused(run, f"will not write to {linked}: it is {xml}")
    assert xml.read_bytes() == before


def test_problems_saved_over_someones_file_is_refused_before_anything_is_written(tmp_path, ret):
    theirs = tmp_path / "notes.csv"
    theirs.write_text("my notes\n")
    run = read(ret, tmp_path / "rec", "--problems", str(theirs))
    refused(run, f"{theirs} already exists and carematters did not write it")
    assert theirs.read_text() == "my notes\n"
    assert not (tmp_path / "rec").exists()


def test_read_twice_with_problems_saved_works(tmp_path, ret):
    args = (ret, tmp_path / "rec", "--problems", str(tmp_path / "p.csv"))
    first, second = read(*args), read(*args)
    assert first.returncode == second.returncode == 0, second.stderr
    assert (tmp_path / "p.csv").read_text().startswith("FILE")


def test_sample_into_someones_folder_is_refused(payroll):
    run = carematters(
        "903", "sample", "--year", "2024-25", "--children", "5", "--out", str(payroll)
    )
    refused(run, f"{payroll} already holds other things (payroll.csv)")
    assert everything(payroll) == {"payroll.csv": PAYROLL.encode()}


@pytest.mark.parametrize("form", ["csv", "xml"])
def test_sample_twice_to_the_same_place_works(tmp_path, form):
    args = (
        "903",
        "sample",
        "--year",
        "2024-25",
        "--children",
        "5",
        "--format",
        form,
        "--out",
        str(tmp_path / "s"),
    )
    first, second = carematters(*args), carematters(*args)
    assert first.returncode == second.returncode == 0, second.stderr


# duties, entitlements, indicators, synth


def test_duties_inside_the_record_is_refused(record):
    before = everything(record)
    out = record / "duties.csv"
    run = carematters("duties", str(record), "--as-at", "2025-03-31", "--out", str(out))
    refused(run, f"{out}: it is inside {record}")
    assert everything(record) == before


def test_duties_over_someones_file_is_refused(tmp_path, record):
    theirs = tmp_path / "duties.csv"
    theirs.write_text("my own tracker\n")
    run = carematters("duties", str(record), "--as-at", "2025-03-31", "--out", str(theirs))
    refused(run, f"{theirs} already exists and carematters did not write it")
    assert theirs.read_text() == "my own tracker\n"


def test_duties_twice_to_the_same_file_works(tmp_path, record):
    args = ("duties", str(record), "--as-at", "2025-03-31", "--out", str(tmp_path / "d.csv"))
    first, second = carematters(*args), carematters(*args)
    assert first.returncode == second.returncode == 0, second.stderr


def test_entitlements_over_a_table_of_the_record_is_refused(record):
    before = everything(record)
    run = carematters(
        "entitlements", str(record), "--as-at", "2025-03-31", "--out", str(record / "header.csv")
    )
    refused(run, f"it is inside {record}")
    assert everything(record) == before


def test_indicators_over_the_record_is_refused(record):
    before = everything(record)
    run = carematters("indicators", str(record), "--year", "2024-25", "--out", str(record))
    refused(run, f"it is {record}, which this command reads")
    assert everything(record) == before


def test_indicators_over_the_population_file_is_refused(tmp_path, record):
    population = tmp_path / "population.csv"
    population.write_text("LA_CODE,YEAR,CHILDREN\n999,2024,10000\n")
    run = carematters(
        "indicators", str(record), "--year", "2024-25", "--format", "csv",
        "--population", str(population), "--out", str(population),
    )  # fmt: skip
    refused(run, f"it is {population}, which this command reads")
    assert population.read_text() == "LA_CODE,YEAR,CHILDREN\n999,2024,10000\n"


@pytest.mark.parametrize("form", ["html", "csv"])
def test_indicators_twice_to_the_same_place_works(tmp_path, record, form):
    args = (
        "indicators",
        str(record),
        "--year",
        "2024-25",
        "--format",
        form,
        "--out",
        str(tmp_path / "r"),
    )
    first, second = carematters(*args), carematters(*args)
    assert first.returncode == second.returncode == 0, second.stderr


def test_extract_twice_into_the_same_return_works(tmp_path, record):
    args = ("903", "extract", str(record), "--year", "2024-25", "--out", str(tmp_path / "ret"))
    first, second = carematters(*args), carematters(*args)
    assert first.returncode == second.returncode == 0, second.stderr
    assert (tmp_path / "ret" / "header.csv").read_bytes()


def test_indicators_over_a_findings_folder_is_refused(tmp_path, ret, record):
    assert validate(ret, tmp_path / "out").returncode == 1
    before = everything(tmp_path / "out")
    run = carematters(
        "indicators", str(record), "--year", "2024-25", "--out", str(tmp_path / "out")
    )
    refused(run, "holds a carematters findings folder, not a indicators folder")
    assert everything(tmp_path / "out") == before


SYNTH = ("synth", "--children-in-care", "10", "--years", "2023-2025")


def test_synth_into_someones_folder_is_refused(payroll):
    run = carematters(*SYNTH, "--out", str(payroll))
    refused(run, f"{payroll} already holds other things (payroll.csv)")
    assert everything(payroll) == {"payroll.csv": PAYROLL.encode()}


def test_synth_listing_over_someones_file_is_refused(tmp_path, payroll):
    listing = payroll / "payroll.csv"
    run = carematters(
        *SYNTH,
        "--inject-errors",
        "0.02",
        "--injected",
        str(listing),
        "--out",
        str(tmp_path / "rec"),
    )
    refused(run, f"{listing} already exists and carematters did not write it")
    assert listing.read_text() == PAYROLL
    assert not (tmp_path / "rec").exists()


def test_synth_listing_inside_the_record_it_writes_is_refused(tmp_path):
    listing = tmp_path / "rec" / "injected.csv"
    run = carematters(
        *SYNTH,
        "--inject-errors",
        "0.02",
        "--injected",
        str(listing),
        "--out",
        str(tmp_path / "rec"),
    )
    refused(run, f"{listing}: it is inside {tmp_path / 'rec'}, another output of this command")
    assert os.listdir(tmp_path) == []


def test_synth_twice_into_the_same_record_works(tmp_path):
    args = (*SYNTH, "--inject-errors", "0.02", "--out", str(tmp_path / "rec"))
    first, second = carematters(*args), carematters(*args)
    assert first.returncode == second.returncode == 0, second.stderr
    assert (tmp_path / "injected.csv").read_text().count("\n") > 1


# Names that cannot be followed or printed as they are


@pytest.mark.parametrize(
    "command", [("903", "sample", "--year", "2024-25", "--children", "5"), SYNTH]
)
def test_a_symbolic_link_loop_as_out_is_a_located_refusal(tmp_path, command):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    run = carematters(*command, "--out", str(loop))
    refused(run, f"{loop} is a symbolic link that leads back to itself")
    assert loop.is_symlink()


def test_validate_into_a_symbolic_link_loop_is_a_located_refusal(tmp_path, ret):
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    run = validate(ret, loop)
    refused(run, f"{loop} is a symbolic link that leads back to itself")


@pytest.mark.parametrize("form", ["csv", "xml"])
def test_an_output_name_that_is_not_utf8_is_written_and_shown_by_its_bytes(tmp_path, form):
    out = tmp_path / os.fsdecode(b"r\xe9turn")  # Latin-1, as an old Windows share names it
    run = carematters(
        "903", "sample", "--year", "2024-25", "--children", "5", "--format", form, "--out", str(out)
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert f"to {tmp_path}/r\\xe9turn" in run.stderr
    assert os.path.lexists(out)


def test_a_value_holding_an_escape_sequence_is_shown_escaped():
    run = carematters("903", "codes", "\x1b[2J\x1b]0;owned\x07")
    assert run.returncode == 2
    assert "there is no code list called \\x1b[2J\\x1b]0;owned\\x07" in run.stderr
    assert "\x1b" not in run.stderr
    assert "\x07" not in run.stderr


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("clear\x1b[2Jscreen", "clear\\x1b[2Jscreen"),
        ("over\rwritten", "over\\x0dwritten"),
        ("a\tb", "a\\x09b"),
        ("8-bit CSI \x9b2J", "8-bit CSI \\x9b2J"),
        ("bell\x07 and delete\x7f", "bell\\x07 and delete\\x7f"),
        ("txt.\u202eexe", "txt.\\u202eexe"),
        (os.fsdecode(b"r\xe9turn"), "r\\xe9turn"),
        ("two\nlines, caf\u00e9 \u201cquoted\u201d", "two\nlines, caf\u00e9 \u201cquoted\u201d"),
    ],
)
def test_what_is_printed_shows_every_character_a_terminal_would_act_on(text, shown):
    assert printable(text) == shown


def test_an_output_name_holding_an_escape_sequence_is_shown_escaped(tmp_path):
    out = tmp_path / "ret\x1b[2J"
    run = carematters("903", "sample", "--year", "2024-25", "--children", "5", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "ret\\x1b[2J" in run.stderr
    assert "\x1b" not in run.stderr


def test_a_run_killed_before_is_cleared_up_by_the_next(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    staged = tmp_path / f".ret.new.{int(finished.stdout)}.0badcafe"
    staged.mkdir()
    (staged / ".carematters-output").write_text('{"kind": "return", "files": {"header.csv": null}}')
    (staged / "header.csv").write_text("CHILD\n1\n")
    run = carematters(
        "903", "sample", "--year", "2024-25", "--children", "5", "--out", str(tmp_path / "ret")
    )
    assert run.returncode == 0, run.stderr
    assert os.listdir(tmp_path) == ["ret"]


# An output this user may not write is refused before any output is written (exit 2 means
# nothing was written): a record written whole and then a --problems file refused for want
# of permission once left the record behind.

NOBODY = 65534


def as_someone_else(*args: str) -> subprocess.CompletedProcess[str]:
    """`carematters ARGS...` as a user other than root (root may write anywhere): as
    nobody, through setpriv, when the tests run as root."""
    command = [sys.executable, "-m", "carematters", *args]
    if os.geteuid() == 0:
        command = [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            *command,
        ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture
def shared(tmp_path_factory) -> Path:
    """A folder anyone may write in (as tmp_path is not, for another user), with the
    made-up return in ret/ and a folder nobody may write to, ro/."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to run as a user other than root")
    folder = Path(tempfile.mkdtemp(prefix="carematters-shared-", dir="/tmp"))
    folder.chmod(0o777)
    write_return(sample_return(20, YEAR, seed=2), YEAR, Format.CSV, folder / "ret")
    for path in (folder / "ret", *(folder / "ret").iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "ro").mkdir(mode=0o555)
    (folder / "ro").chmod(0o555)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize(
    "where",
    [
        ("--out", "rec", "--problems", "ro/p.csv"),
        ("--out", "ro/rec", "--problems", "p.csv"),
        ("--out", "ro/deeper/rec"),
        ("--out", "rec", "--problems", "ro/deeper/p.csv"),
    ],
    ids=["problems in ro", "out in ro", "out under ro", "problems under ro"],
)
def test_read_with_an_output_it_may_not_write_writes_nothing(shared, where):
    options = [str(shared / v) if i % 2 else v for i, v in enumerate(where)]
    before = everything(shared)
    run = as_someone_else("903", "read", str(shared / "ret"), "--year", "2024-25", *options)
    refused(run, str(shared / "ro"))
    assert "does not let you make or remove files" in run.stderr
    assert everything(shared) == before
    assert sorted(p.name for p in shared.iterdir()) == ["ret", "ro"]


def test_validate_into_a_folder_it_may_not_write_writes_nothing(shared):
    run = as_someone_else(
        "903", "validate", str(shared / "ret"), "--year", "2024-25", "--out", str(shared / "ro/v")
    )
    refused(run, str(shared / "ro"))
    assert sorted(p.name for p in shared.iterdir()) == ["ret", "ro"]


def test_read_that_could_read_nothing_saves_no_problems_file(tmp_path):
    (tmp_path / "ret").mkdir()
    (tmp_path / "ret" / "notes.csv").write_text("NAME,SALARY\nA. Person,1\n")
    run = read(tmp_path / "ret", tmp_path / "rec", "--problems", str(tmp_path / "p.csv"))
    assert run.returncode == 2, run.stderr
    assert "nothing was written" in run.stderr
    assert sorted(os.listdir(tmp_path)) == ["ret"]


# carematters demo: its five outputs are checked before the first is written.


@pytest.mark.parametrize(
    "someones",
    ["postcodes.csv", "population.csv", "return-2024-25.xml", "report/notes.txt", "record/x.csv"],
)
def test_demo_beside_someones_file_writes_nothing(tmp_path, someones):
    (tmp_path / someones).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / someones).write_text(PAYROLL)
    before = everything(tmp_path)
    run = carematters("demo", "--folder", str(tmp_path))
    refused(run, str(tmp_path / someones.split("/")[0]))
    assert everything(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({someones.split("/")[0]})
