"""What the commands share for saying things: problems located and counted, a table
printed or written as CSV, and a record directory loaded (stopping when it cannot be).

Messages go to standard error; standard output carries only what a command was asked
for (a table, a code list), so it can be piped.
"""

# Polars comes with the core, imported inside the functions that need it (see
# carematters.cli): this module is loaded for `carematters --help`.
# ruff: noqa: PLC0415

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from carematters.escapes import bytes_shown
from carematters.files import write_file_atomically

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

    from carematters.records.record import Record
    from carematters.ssda903.problems import Problem

PROBLEMS_SHOWN = 50
"""How many problems are printed; all of them go to the --problems file."""


def say(text: str) -> None:
    """Tell the person running the command something, on standard error, every
    character shown as itself or as a visible escape (see `printable`)."""
    typer.echo(printable(text), err=True)


UNSEEN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters a terminal acts on or cannot show: control characters but the newline
(an ESC sequence in a value could clear the screen or retitle the window), the marks
that turn text right to left, and lone surrogates."""


def show(text: str) -> None:
    """Print what a command was asked for as lines a person reads (a table, a list of
    codes, a summary) on standard output, every character shown as itself or as a
    visible escape (see `printable`), wherever the output goes."""
    typer.echo(printable(text))


def data_out(data: bytes) -> None:
    """Print data a command was asked for (CSV, JSON) on standard output: on a terminal,
    where a person reads it, every character shown as `show` shows it (a child id
    holding an ESC sequence must not clear the screen); piped to a file or another
    program, the bytes as given, the same that --out would write."""
    stream = sys.stdout
    if stream.isatty():
        typer.echo(printable(data.decode("utf-8", "surrogateescape")), nl=False)
    else:
        typer.echo(data, nl=False)


def printable(text: str) -> str:
    """`text` with the bytes of a name that is not UTF-8 shown as they were on disk
    (\\xff, `bytes_shown`), and each other character in `UNSEEN` as an escape: a control
    character by its code (\\x1b), anything else as \\uXXXX."""
    return UNSEEN.sub(_escaped, bytes_shown(text))


def _escaped(found: re.Match[str]) -> str:
    """The visible escape for one character of `UNSEEN`."""
    code = ord(found[0])
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def report(
    problems: list[Problem], saved: Path | None = None, *, kept_in: Path | None = None
) -> None:
    """Print the first PROBLEMS_SHOWN problems, how many more there are and where they all
    are, and a count of each kind; save all of them as CSV to `saved` if given (made safe
    to open in a spreadsheet), or name `kept_in`, a file the command writes them to itself."""
    if saved is not None:
        from carematters.services.people_csv import people_csv
        from carematters.ssda903.problems import problems_frame

        write_file_atomically(saved, people_csv(problems_frame(problems)))
    for problem in problems[:PROBLEMS_SHOWN]:
        say(problem.describe())
    if len(problems) > PROBLEMS_SHOWN:
        listed = saved or kept_in
        where = f"all in {listed}" if listed else "use --problems FILE to save them all"
        say(f"... and {len(problems) - PROBLEMS_SHOWN:,} more ({where})")
    if problems:
        kinds = Counter(p.kind for p in problems)
        summary = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        say(f"{len(problems)} problem{'s' if len(problems) > 1 else ''}: {summary}")


def load_record(path: Path) -> Record:
    """The record directory at `path`, to work from: stop (exit 2) if anything in it
    could not be read, but go on (saying so) where values were only queried, such as
    codes unknown for the year."""
    from carematters.records import directory

    loaded = directory.load(path)
    report(loaded.problems)
    if any(p.lost_something for p in loaded.problems):
        say("nothing was written: fix the record first")
        raise typer.Exit(2)
    return loaded.record


def csv_out(frame: pl.DataFrame, out: Path | None, what: str) -> None:
    """Print a table of young people's rows (with CHILD) as CSV, dates as dd/mm/yyyy
    (`data_out`: escaped on a terminal), or write it atomically to `out` and say how
    many `what` for how many young people; either way made safe to open in a
    spreadsheet (`people_csv`)."""
    from carematters.services.people_csv import people_csv

    text = people_csv(frame, date_format="%d/%m/%Y")
    if out is None:
        data_out(text)
        return
    write_file_atomically(out, text)
    say(f"wrote {frame.height} {what} for {frame['CHILD'].n_unique()} young people to {out}")


@contextmanager
def on_a_day_carematters_knows() -> Iterator[None]:
    """Turn a question about a day outside what carematters knows (a date outside the
    bank holiday calendar, or before the law that sets a number was in force) into its
    one-line message and exit 2, never a traceback."""
    from carematters.calendar.working_days import OutsideCalendarError
    from carematters.parameters import NotInForceError

    try:
        yield
    except (OutsideCalendarError, NotInForceError) as error:
        say(str(error))
        raise typer.Exit(2) from error
