"""`carematters 903 ...`: read, write, cut, make up, look up and check the SSDA903 return."""

# The services, and Polars with them, are imported inside each command (see
# carematters.cli), so that `carematters 903 --help` starts at once.
# ruff: noqa: PLC0415

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from carematters.cli.options import YearOption, parse_year
from carematters.cli.output import load_record, report, say, show
from carematters.files import OutputKind, guard_outputs
from carematters.ssda903.years import CollectionYear

if TYPE_CHECKING:
    from carematters.services.validation import Inputs
    from carematters.validation.context import Return

app = typer.Typer(
    help="Read, write and check the SSDA903 return (children looked after).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class ReturnFormat(StrEnum):
    """The form a return is written in: the values of `carematters.ssda903.formats.Format`,
    which cannot be imported here without Polars (a test keeps the two the same)."""

    CSV = "csv"
    XML = "xml"


FormatOption = Annotated[
    ReturnFormat, typer.Option("--format", help="csv (a folder) or xml (a file).")
]
ReturnOutOption = Annotated[
    Path, typer.Option("--out", help="Folder (csv) or file (xml) to write.")
]


@contextmanager
def whole_or_nothing(form: str) -> Iterator[None]:
    """Turn a writer's refusal (rows the form cannot hold as they are, such as a row left
    with no values at all) into its located problems and exit 2: nothing was written."""
    from carematters.ssda903.problems import WriteRefusedError

    try:
        yield
    except WriteRefusedError as refused:
        report(refused.problems)
        say(f"nothing was written: {form} cannot hold these rows as they are")
        raise typer.Exit(2) from refused


@app.command("read")
def read_command(
    source: Annotated[Path, typer.Argument(help="A folder of CSV files, or an XML file.")],
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="Record directory to write.")],
    problems: Annotated[
        Path | None, typer.Option("--problems", help="Also save every problem to this CSV file.")
    ] = None,
) -> None:
    """Read a return (CSV files or XML) into a record directory, reporting what cannot be read.

    Exits 0 when every value was read; 1 when some could not be (the record is written
    and holds everything that could); 2 when nothing could be read (nothing is written).
    """
    from carematters.services.records import import_return

    guard_outputs(inputs=[source], folders={out: OutputKind.RECORD}, files=[problems])
    with whole_or_nothing("the record"):
        result = import_return(source, year, out)
    # Exit 2 means nothing was written: the problems file too is saved only with a record.
    report(result.problems, problems if result.tables else None)
    counts = ", ".join(f"{name} {frame.height}" for name, frame in result.tables.items())
    if not result.tables:
        say(f"nothing could be read from {source}; nothing was written")
        raise typer.Exit(2)
    say(f"read {source} for {year}: {counts}; wrote the record {out}")
    if any(problem.lost_something for problem in result.problems):
        raise typer.Exit(1)


@app.command("write")
def write_command(
    record: Annotated[Path, typer.Argument(help="Record directory to write from.")],
    year: YearOption,
    form: FormatOption,
    out: ReturnOutOption,
) -> None:
    """Write a record directory as a return in DfE's layout for the year."""
    from carematters.services.records import export_return
    from carematters.ssda903.formats import Format

    guard_return(out, form, record)
    loaded = load_record(record)
    with whole_or_nothing(f"the {form.upper()} form"):
        export_return(loaded, year, Format(form), out)
    say(f"wrote the {year} return to {out}")


@app.command("extract")
def extract_command(
    record: Annotated[Path, typer.Argument(help="Record directory holding every year.")],
    year: YearOption,
    out: ReturnOutOption,
    form: FormatOption = ReturnFormat.CSV,
) -> None:
    """Cut the return for one collection year out of a full-history record, as DfE scopes it."""
    from carematters.services.records import extract
    from carematters.ssda903.formats import Format

    guard_return(out, form, record)
    loaded = load_record(record)
    with whole_or_nothing(f"the {form.upper()} form"):
        cut = extract(loaded, year, Format(form), out)
    counts = ", ".join(f"{name} {frame.height}" for name, frame in cut.items())
    say(f"wrote the {year} return to {out}: {counts}")


@app.command("sample")
def sample_command(
    year: YearOption,
    out: ReturnOutOption,
    children: Annotated[int, typer.Option(min=1, help="How many children.")] = 3000,
    seed: Annotated[int, typer.Option(min=0, help="The same seed gives the same return.")] = 0,
    form: Annotated[ReturnFormat, typer.Option("--format")] = ReturnFormat.CSV,
) -> None:
    """Write a made-up, well-formed return, for trying the tools and for benchmarks."""
    from carematters.services.records import write_sample
    from carematters.ssda903.formats import Format

    guard_return(out, form)
    write_sample(children, year, seed, Format(form), out)
    say(f"wrote a made-up {year} return of {children} children to {out}")


def guard_return(out: Path, form: ReturnFormat, source: Path | None = None) -> None:
    """Refuse (exit 2, see `guard_outputs`) to write a return in `form` at `out` over the
    `source` it is made from or over anything carematters did not write."""
    if form is ReturnFormat.XML:
        guard_outputs(inputs=[source], files=[out])
    else:
        guard_outputs(inputs=[source], folders={out: OutputKind.RETURN})


@app.command("codes")
def codes_command(
    name: Annotated[
        str | None, typer.Argument(help="A code list, e.g. placement_type; none lists them all.")
    ] = None,
    year: Annotated[
        CollectionYear | None,
        typer.Option(
            "--year", parser=parse_year, metavar="YYYY-YY", help="Only codes valid this year."
        ),
    ] = None,
) -> None:
    """Show DfE's code lists: each code, what it means and the years it is valid."""
    from carematters.records.schema import columns_using
    from carematters.ssda903.codelists import code_list, code_list_names

    if name is None:
        for list_name in code_list_names():
            codes = code_list(list_name)
            used = (
                ", ".join(f"{t.name}.{c}" for t, c in columns_using(list_name)) or "XML UASC flag"
            )
            show(f"{list_name:26s} {codes.title} ({used})")
        return
    if name not in code_list_names():
        say(f"there is no code list called {name}; the lists are: {', '.join(code_list_names())}")
        raise typer.Exit(2)
    codes = code_list(name)
    show(f"{codes.title}{f' in {year}' if year else ''}:")
    for code in codes.codes:
        if year is None or code.valid_in(year):
            show(f"  {code.code:7s} {code.description}  [{code.years_text()}]")


@app.command("validate")
def validate_command(
    source: Annotated[
        Path, typer.Argument(help="The return: a folder of CSV files, an XML file, or a record.")
    ],
    *,
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="Folder for the findings.")],
    previous: Annotated[
        Path | None, typer.Option("--previous", help="Last year's return, for the rules comparing.")
    ] = None,
    la_code: Annotated[
        str | None, typer.Option("--la-code", help="The authority's DfE code, e.g. 202.")
    ] = None,
    postcodes: Annotated[
        Path | None,
        typer.Option("--postcodes", help="CSV of postcodes: POSTCODE, LA, X, Y (ONS)."),
    ] = None,
    ofsted_providers: Annotated[
        Path | None,
        typer.Option(
            "--ofsted-providers",
            help="CSV of Ofsted's registered settings: URN, PLACE_CODES, PROVIDER_CODES, "
            "POSTCODE, CLOSED.",
        ),
    ] = None,
) -> None:
    """Check a return against DfE's validation rules for its year.

    Writes errors.csv (every failing row), summary.csv (every rule), children.csv,
    problems.csv (what could not be read), errors.xlsx (the four as sheets) and
    index.html. Exits 0 only when every value of both returns was read, every rule that
    could run ran and none failed; 1 when the findings were written but a rule fails, a
    rule crashed or anything could not be read; 2 when nothing was written (a return
    that cannot be read at all or holds no children).
    """
    from carematters.services.validation import check, read_inputs
    from carematters.validation.outputs import counts, split_note

    guard_outputs(
        inputs=[source, previous, postcodes, ofsted_providers],
        folders={out: OutputKind.FINDINGS},
    )
    given = read_inputs(
        source, year, previous, {"postcodes": postcodes, "ofsted_providers": ofsted_providers}
    )
    _stop_if_unread(given.this, f"the return {source}")
    if given.previous is not None:
        _stop_if_unread(given.previous, f"last year's return {previous}")
    if given.list_problems:
        report(given.list_problems)
        say("nothing was written: fix the lists first")
        raise typer.Exit(2)
    try:
        checked = check(given, la_code, str(source), out)
    except LookupError as error:
        raise typer.BadParameter(str(error), param_hint="--year") from error
    _say_what_was_not_read(given, previous, out)
    found = checked.validation
    for code, fault in found.crashed.items():
        say(f"rule {code} {fault}: the return is not checked by it")
    if split := split_note(found.findings):
        say(split)
    say(f"{counts(found, checked.rules, checked.children)}; see {out / 'index.html'}")
    raise typer.Exit(0 if checked.clean else 1)


def _say_what_was_not_read(given: Inputs, previous: Path | None, out: Path) -> None:
    """The first problems reading this year's return and then last year's (after a line
    naming it, as both hold files of the same names), each list ending with how many
    more there are, all in the findings folder's problems.csv."""
    from carematters.validation.outputs import PROBLEMS_FILE

    report(given.this.problems, kept_in=out / PROBLEMS_FILE)
    if given.previous is not None and given.previous.problems:
        say(f"in last year's return {previous}:")
        report(given.previous.problems, kept_in=out / PROBLEMS_FILE)


def _stop_if_unread(found: Return, what: str) -> None:
    """Stop (exit 2, nothing written) if nothing in a return could be read at all, or
    what was read holds no child: an empty `<EXPSSDA903/>` or CSV files of only headers
    would otherwise pass every rule."""
    if not found.tables:
        report(found.problems)
        say(f"nothing could be read from {what}; nothing was written")
        raise typer.Exit(2)
    if not any(frame.height for frame in found.tables.values()):
        report(found.problems)
        say(f"{what} holds no children, only empty tables; nothing was written")
        raise typer.Exit(2)
