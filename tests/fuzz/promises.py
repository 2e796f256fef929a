"""The promises `903 read` and `903 validate` keep whatever return they are given, checked
by running each in this process, as the console script runs it (see tests.fuzz.test_fuzz)."""

import csv
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock

from click.testing import CliRunner

from carematters.cli import main
from tests.fuzz.corpus import LAST_YEAR, YEAR, CsvSeed, files_under
from tests.fuzz.mutations import MARKUP, SECRETS

COMMANDS = ("read", "validate")
EXIT_CODES = {0, 1, 2}
NOTHING_WRITTEN = 2
# Control characters a terminal acts on (ESC starts a sequence that can clear the screen),
# but for the line end and the tab.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LONGEST_LINE = 1_000
"""No line printed is longer: a value in a message is cut short (a 100 MB row printed
whole once went to the terminal)."""
# OWASP's CSV injection guidance: a cell starting with one of these may run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_FORMULA = re.compile(rb"<f[ >]|<hyperlink")
# A spoiled return may hold a value of any length, and a findings file may repeat it.
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Run:
    """How a command ended: its exit code and everything it printed."""

    code: object
    said: str


def carematters_in_process(*args: str) -> Run:
    """Run `carematters ARGS...` through the console script's own entry point, in this
    process (ten times faster than a subprocess): any exception but the exit escapes."""
    with (
        CliRunner().isolation() as (out, err, _),
        mock.patch.object(sys, "argv", ["carematters", *args]),
    ):
        try:
            main()
        except SystemExit as stop:
            code = 0 if stop.code is None else stop.code
        else:
            code = 0
    said = out.getvalue() + err.getvalue()
    return Run(code, said.decode("utf-8", "backslashreplace"))


def contents(path: Path) -> dict[str, bytes]:
    """Every file at or under `path`, by its path inside it."""
    return {"": path.read_bytes()} if path.is_file() else files_under(path)


def place(workdir: Path, source: CsvSeed | bytes, name: str = "return") -> Path:
    """Write a generated return into `workdir` as NAME: a folder of files, or NAME.xml."""
    if isinstance(source, bytes):
        path = workdir / f"{name}.xml"
        path.write_bytes(source)
        return path
    folder = workdir / name
    folder.mkdir()
    for file_name, data in source.items():
        (folder / file_name).parent.mkdir(parents=True, exist_ok=True)
        (folder / file_name).write_bytes(data)
    return folder


def unsafe_outputs(out: Path) -> list[str]:
    """Where the findings in `out` could run when a person opens them: a CSV cell that
    starts like a formula, a formula or link in a sheet, or a value as markup in a page."""
    unsafe = []
    for table in sorted(out.glob("*.csv")):
        with table.open(encoding="utf-8", errors="replace", newline="") as lines:
            if any(cell.startswith(FORMULA_STARTS) for row in csv.reader(lines) for cell in row):
                unsafe.append(f"{table.name} has a cell starting like a formula")
    for book in sorted(out.glob("*.xlsx")):
        with zipfile.ZipFile(book) as parts:
            sheets = [n for n in parts.namelist() if n.startswith("xl/worksheets/")]
            if any(SPREADSHEET_FORMULA.search(parts.read(n)) for n in sheets):
                unsafe.append(f"{book.name} has a formula or link")
    for page in sorted(out.glob("*.html")):
        if MARKUP in page.read_bytes():
            unsafe.append(f"{page.name} shows a value as markup")
    return unsafe


def crashed_rules(out: Path) -> list[str]:
    """The rules that crashed on the return, by summary.csv in `out`, each with its fault
    (a rule must check any value it is given, or say why it cannot, not fail)."""
    summary = out / "summary.csv"
    if not summary.is_file():
        return []
    with summary.open(encoding="utf-8", newline="") as lines:
        return [
            f"rule {row['CODE']} crashed: {row['FAULT']}"
            for row in csv.DictReader(lines)
            if row.get("STATUS") == "crashed"
        ]


def broken_promises(
    command: str,
    source: Path,
    *options: str,
    out: Path | None = None,
    also_read: Path | None = None,
) -> tuple[Run, list[str]]:
    """Run `903 COMMAND SOURCE --year 2024-25 --out OUT OPTIONS...` (OUT beside SOURCE
    unless given; ALSO_READ another input the options name) and say which of the promises
    every run must keep it broke, whatever it was given."""
    workdir = source.parent
    out = out or workdir / f"out-{command}"
    inputs = [source] if also_read is None else [source, also_read]
    before = [contents(path) for path in inputs]
    there = {p.name for p in workdir.iterdir()}
    run = carematters_in_process(
        "903", command, str(source), "--year", str(YEAR), "--out", str(out), *options
    )
    left = {p.name for p in workdir.iterdir()} - there
    if run.code == NOTHING_WRITTEN:
        left_wrongly = left
    else:
        left_wrongly = {name for name in left if name.startswith(f".{out.name}.")}
    broken = {
        "printed a traceback": "Traceback" in run.said,
        f"exited {run.code!r}": run.code not in EXIT_CODES,
        "exited 0 though it said something was not read": run.code == 0 and "not read" in run.said,
        "changed an input": [contents(path) for path in inputs] != before,
        f"exited {run.code} but left {sorted(left_wrongly)}": bool(left_wrongly),
        "printed a control character": bool(CONTROL.search(run.said)),
        "printed a case note": any(secret.decode() in run.said for secret in SECRETS),
        f"printed a line of over {LONGEST_LINE:,} characters": any(
            len(line) > LONGEST_LINE for line in run.said.splitlines()
        ),
    }
    found = [f"{command} {promise}" for promise, is_broken in broken.items() if is_broken]
    if command == "validate" and run.code != NOTHING_WRITTEN and out.is_dir():
        found += [f"validate: {fault}" for fault in unsafe_outputs(out) + crashed_rules(out)]
    return run, found


NAMES = ("return", "r\udcfe", "ret\udce9urn \u2713")
"""What a return is called: a plain name; and names whose bytes are not UTF-8 (as Python
reads a file name holding \xfe or a Latin-1 é on Linux), or are UTF-8 beyond ASCII."""


def promises_broken_by_both(source: CsvSeed | bytes, name: str = "return") -> tuple[list[str], str]:
    """Read and validate one generated return, called `name`, saying which promises were
    broken and what the two commands printed; a return read with problems is not clean."""
    with TemporaryDirectory() as scratch:
        path = place(Path(scratch), source, name)
        (read, broken_reading), (validated, broken_validating) = (
            broken_promises(command, path) for command in COMMANDS
        )
    clean_but_unread = read.code != 0 and validated.code == 0
    broken = [
        *broken_reading,
        *broken_validating,
        *(["validate exited 0 on a return read with problems"] if clean_but_unread else []),
    ]
    said = "\n".join(f"--- {run.code}: {run.said[-1500:]}" for run in (read, validated))
    return broken, said


def check_both_commands(source: CsvSeed | bytes, name: str = "return") -> None:
    """Fail, showing what was printed, if either command broke a promise."""
    broken, said = promises_broken_by_both(source, name)
    assert not broken, f"{broken}\n{said}"


def promises_broken_comparing(this: CsvSeed | bytes, previous: CsvSeed | bytes) -> list[str]:
    """Validate a return against a generated last year's return, saying which promises
    were broken; last year's reading problems must be in the findings."""
    with TemporaryDirectory() as scratch:
        this_path = place(Path(scratch), this)
        previous_path = place(Path(scratch), previous, "previous")
        last_year = str(LAST_YEAR)
        read = carematters_in_process(
            "903", "read", str(previous_path), "--year", last_year, "--out", scratch + "/record"
        )
        shutil.rmtree(scratch + "/record", ignore_errors=True)
        validated, broken = broken_promises(
            "validate", this_path, "--previous", str(previous_path), also_read=previous_path
        )
        problems = Path(scratch) / "out-validate" / "problems.csv"
        listed = problems.is_file() and f"\n{last_year}," in problems.read_text("utf-8", "replace")
    if read.code != 0 and validated.code != NOTHING_WRITTEN and not listed:
        broken.append("validate left last year's reading problems out of problems.csv")
    return broken


# Where a performance officer may point --out (or read's --problems) by a slip of the
# keyboard, each set up by `_aim`.
PLACES = (
    "a new folder",
    "the input",
    "inside the input",
    "the folder holding the input",
    "someone's folder",
    "someone's file",
    "a link to itself",
    "a link to the input",
    "its own earlier output",
    "--problems over an input",
)


def _aim(command: str, source: Path, place_name: str) -> tuple[Path, list[str]]:
    """--out for `place_name`, made ready beside SOURCE, and any other options."""
    workdir = source.parent
    out = workdir / "findings"
    if place_name == "the input":
        return source, []
    if place_name == "inside the input":
        return source / "findings", []
    if place_name == "the folder holding the input":
        return workdir, []
    if place_name == "someone's folder":
        out.mkdir()
        (out / "payroll.csv").write_bytes(b"NAME,PAY\nA. Person,1\n")
    elif place_name == "someone's file":
        out.write_bytes(b"not carematters's\n")
    elif place_name == "a link to itself":
        out.symlink_to(out)
    elif place_name == "a link to the input":
        out.symlink_to(source)
    elif place_name == "its own earlier output":
        carematters_in_process("903", command, str(source), "--year", str(YEAR), "--out", str(out))
    elif place_name == "--problems over an input" and command == "read":
        an_input = next((source / name for name in contents(source) if name), source)
        return out, ["--problems", str(an_input)]
    return out, []


def promises_broken_writing(source: CsvSeed | bytes, command: str, place_name: str) -> list[str]:
    """Run COMMAND on a return with --out at `place_name`, saying which promises were
    broken: a command replaces only what it wrote itself, so every other file is kept."""
    with TemporaryDirectory() as scratch:
        path = place(Path(scratch), source)
        out, options = _aim(command, path, place_name)
        ours = out if place_name == "its own earlier output" else None
        kept = {
            Path(scratch, name): data
            for name, data in files_under(Path(scratch)).items()
            if ours is None or ours not in Path(scratch, name).parents
        }
        _, broken = broken_promises(command, path, *options, out=out)
        lost = sorted(
            str(f.relative_to(scratch))
            for f, data in kept.items()
            if not f.is_file() or f.read_bytes() != data
        )
    return broken + ([f"{command} destroyed {lost}"] if lost else [])
