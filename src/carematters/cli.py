"""The `carematters` command.

Every command reports bad input as located problems and exits 2, never with a
traceback: the people running these are performance officers, not programmers.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from carematters.duties.decisions import (
    Decision,
    NotLookedAfterError,
    Proposal,
    gates_for,
    situation_of,
)
from carematters.duties.engine import duties_as_at
from carematters.duties.entitlements import entitlements_on
from carematters.files import write_directory_atomically, write_file_atomically
from carematters.geography import postcode_list
from carematters.indicators.page import report_page
from carematters.indicators.population import (
    ANY_AUTHORITY,
    Populations,
    population_for,
    read_populations,
)
from carematters.indicators.report import indicators_report, span
from carematters.records import directory
from carematters.records.extract import extract_return
from carematters.records.record import Record
from carematters.records.returns import record_tables, return_tables
from carematters.records.schema import columns_using
from carematters.ssda903.codelists import code_list, code_list_names
from carematters.ssda903.formats import Format, read_return, write_return
from carematters.ssda903.problems import Problem, WriteRefusedError, problems_frame
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear, UnknownYearError
from carematters.synth.authority import simulate
from carematters.synth.errors import inject_errors
from carematters.synth.population import children_in_area
from carematters.validation.context import Context, Return
from carematters.validation.engine import validate
from carematters.validation.inputs import read_both
from carematters.validation.lists import read_list
from carematters.validation.outputs import by_child, page, summary, workbook

PROBLEMS_SHOWN = 50
DEMO_IN_CARE = 600
"""How many problems are printed; all of them go to the --problems file."""

app = typer.Typer(
    help="Care records, statutory duties and SSDA903 data for a local authority.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
ssda903 = typer.Typer(
    help="Read, write and check the SSDA903 return (children looked after).",
    no_args_is_help=True,
)
app.add_typer(ssda903, name="903")


def _year(text: str) -> CollectionYear:
    try:
        return CollectionYear.parse(text)
    except UnknownYearError as error:
        raise typer.BadParameter(str(error)) from error


YearOption = Annotated[
    CollectionYear,
    typer.Option("--year", parser=_year, metavar="YYYY-YY", help="Collection year, e.g. 2024-25."),
]


def _say(text: str) -> None:
    typer.echo(text, err=True)


def _report(problems: list[Problem], report: Path | None) -> None:
    """Print the problems (the first few) and save all of them if asked."""
    if report is not None:
        buffer = problems_frame(problems).write_csv()
        write_file_atomically(report, buffer.encode("utf-8"))
    for problem in problems[:PROBLEMS_SHOWN]:
        _say(problem.describe())
    if len(problems) > PROBLEMS_SHOWN:
        more = len(problems) - PROBLEMS_SHOWN
        where = f"all are in {report}" if report else "use --problems FILE to save them all"
        _say(f"... and {more} more problems ({where})")
    if problems:
        kinds = Counter(p.kind for p in problems)
        summary = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        _say(f"{len(problems)} problems: {summary}")


def _load_record(record: Path) -> Record:
    """A record to write from: stop if anything in it could not be read, but go on
    (saying so) where values were only queried, such as codes unknown for the year."""
    loaded = directory.load(record)
    _report(loaded.problems, None)
    if any(p.lost_something for p in loaded.problems):
        _say("nothing was written: fix the record first")
        raise typer.Exit(2)
    return loaded.record


@ssda903.command("read")
def read_command(
    source: Annotated[Path, typer.Argument(help="A folder of CSV files, or an XML file.")],
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="Record directory to write.")],
    problems: Annotated[
        Path | None, typer.Option("--problems", help="Also save every problem to this CSV file.")
    ] = None,
) -> None:
    """Read a return (CSV files or XML) into a record directory, reporting what cannot be read.

    Exits 0 when every value was read, 2 when anything could not be (the record still
    holds everything that could).
    """
    result = read_return(source, year)
    if result.tables:
        directory.save(record_tables(result.tables, year), out)
    _report(result.problems, problems)
    counts = ", ".join(f"{name} {frame.height}" for name, frame in result.tables.items())
    _say(f"read {source} for {year}: {counts or 'nothing'}")
    if result.problems:
        raise typer.Exit(2)


@ssda903.command("write")
def write_command(
    record: Annotated[Path, typer.Argument(help="Record directory to write from.")],
    year: YearOption,
    form: Annotated[Format, typer.Option("--format", help="csv (a folder) or xml (a file).")],
    out: Annotated[Path, typer.Option("--out", help="Folder (csv) or file (xml) to write.")],
) -> None:
    """Write a record directory as a return in DfE's layout for the year."""
    loaded = _load_record(record)
    try:
        write_return(return_tables(loaded.tables(), year), year, form, out)
    except WriteRefusedError as refused:
        _report(refused.problems, None)
        _say(
            f"nothing was written: the {form.value.upper()} form cannot hold these rows as they are"
        )
        raise typer.Exit(2) from refused
    _say(f"wrote the {year} return to {out}")


@ssda903.command("extract")
def extract_command(
    record: Annotated[Path, typer.Argument(help="Record directory holding every year.")],
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="Folder (csv) or file (xml) to write.")],
    form: Annotated[Format, typer.Option("--format", help="csv (a folder) or xml (a file).")] = (
        Format.CSV
    ),
) -> None:
    """Cut the return for one collection year out of a full-history record, as DfE scopes it."""
    loaded = _load_record(record)
    cut = extract_return(loaded.tables(), year)
    try:
        write_return(cut, year, form, out)
    except WriteRefusedError as refused:
        _report(refused.problems, None)
        _say(f"nothing was written: the {form.value.upper()} form cannot hold these rows")
        raise typer.Exit(2) from refused
    counts = ", ".join(f"{name} {frame.height}" for name, frame in cut.items())
    _say(f"wrote the {year} return to {out}: {counts}")


@app.command("synth")
def synth_command(
    out: Annotated[Path, typer.Option("--out", help="Record directory to write.")],
    *,
    children_in_care: Annotated[
        int, typer.Option("--children-in-care", min=1, help="About how many in care each 31 March.")
    ] = 600,
    years: Annotated[
        str,
        typer.Option(
            "--years",
            metavar="FROM-TO",
            help="From 1 April of the first year to 31 March of the last, e.g. 2019-2026.",
        ),
    ] = "2019-2026",
    seed: Annotated[int, typer.Option(help="The same seed always gives the same record.")] = 7,
    inject: Annotated[
        float,
        typer.Option(
            "--inject-errors",
            min=0.0,
            max=0.5,
            metavar="RATE",
            help="Spoil the record with known errors (e.g. 0.02), listed in --injected.",
        ),
    ] = 0.0,
    injected: Annotated[
        Path | None,
        typer.Option(
            "--injected", help="Where to list injected errors (default: injected.csv beside --out)."
        ),
    ] = None,
) -> None:
    """Simulate a fictional authority's children and write its whole care record."""
    first, last = _year_span(years)
    tables = simulate(children_in_care, first, last, seed)
    if inject > 0:
        tables, errors = inject_errors(tables, inject, seed)
        listing = injected or out.parent / "injected.csv"
        write_file_atomically(listing, errors.write_csv().encode("utf-8"))
        _say(f"injected {errors.height} errors, listed in {listing}")
    directory.save(tables, out)
    in_care = tables["episodes"].filter(pl.col("DEC").is_null()).height
    _say(
        f"wrote a synthetic authority to {out}: {tables['header'].height} children in the "
        f"record, {in_care} in care on 31/03/{last + 1}"
    )


def _year_span(text: str) -> tuple[int, int]:
    """`2019-2026`: from 1 April 2019 to 31 March 2026, as collection years 2019-20 to 2025-26."""
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit() and len(first) == len(last) == 4):
        raise typer.BadParameter(f"'{text}' is not a span of years like 2019-2026")
    if int(last) <= int(first):
        raise typer.BadParameter(f"'{text}' must end at least a year after it starts")
    if date(int(last), 3, 31) > datetime.now(UTC).date():
        raise typer.BadParameter(f"'{text}' runs into the future: it must end on a 31 March past")
    return int(first), int(last) - 1


@ssda903.command("sample")
def sample_command(
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="Folder (csv) or file (xml) to write.")],
    children: Annotated[int, typer.Option(min=1, help="How many children.")] = 3000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same return.")] = 0,
    form: Annotated[Format, typer.Option("--format")] = Format.CSV,
) -> None:
    """Write a made-up, well-formed return, for trying the tools and for benchmarks."""
    write_return(sample_return(children, year, seed), year, form, out)
    _say(f"wrote a made-up {year} return of {children} children to {out}")


@ssda903.command("codes")
def codes_command(
    name: Annotated[
        str | None, typer.Argument(help="A code list, e.g. placement_type; none lists them all.")
    ] = None,
    year: Annotated[
        CollectionYear | None,
        typer.Option("--year", parser=_year, metavar="YYYY-YY", help="Only codes valid this year."),
    ] = None,
) -> None:
    """Show DfE's code lists: each code, what it means and the years it is valid."""
    if name is None:
        for list_name in code_list_names():
            codes = code_list(list_name)
            used = (
                ", ".join(f"{t.name}.{c}" for t, c in columns_using(list_name)) or "XML UASC flag"
            )
            typer.echo(f"{list_name:26s} {codes.title} ({used})")
        return
    if name not in code_list_names():
        _say(f"there is no code list called {name}; the lists are: {', '.join(code_list_names())}")
        raise typer.Exit(2)
    codes = code_list(name)
    typer.echo(f"{codes.title}{f' in {year}' if year else ''}:")
    for code in codes.codes:
        if year is None or code.valid_in(year):
            typer.echo(f"  {code.code:7s} {code.description}  [{code.years_text()}]")


def _looked_after_at_end(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """Each child's episode open on 31 March, the day the return describes."""
    return episodes.filter(
        (pl.col("DECOM") <= year.end) & (pl.col("DEC").is_null() | (pl.col("DEC") > year.end))
    )


class DutyFormat(StrEnum):
    """How `duties` shows its answer."""

    CSV = "csv"
    TABLE = "table"


def _as_at(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(
            f"'{text}' is not a date written yyyy-mm-dd, like 2025-03-31"
        ) from error


AsAtOption = Annotated[
    date, typer.Option("--as-at", parser=_as_at, metavar="YYYY-MM-DD", help="The day to ask about.")
]
CsvOutOption = Annotated[
    Path | None, typer.Option("--out", help="CSV file to write (default: print it).")
]


def _csv_out(frame: pl.DataFrame, out: Path | None, what: str) -> None:
    """Print the table as CSV, or write it atomically to `out` and say so."""
    text = frame.write_csv(date_format="%d/%m/%Y")
    if out is None:
        typer.echo(text, nl=False)
        return
    write_file_atomically(out, text.encode("utf-8"))
    _say(f"wrote {frame.height} {what} for {frame['CHILD'].n_unique()} young people to {out}")


@app.command("duties")
def duties_command(
    record: Annotated[Path, typer.Argument(help="Record directory.")],
    as_at: AsAtOption,
    out: CsvOutOption = None,
    child: Annotated[str | None, typer.Option("--child", help="Only this child.")] = None,
    form: Annotated[DutyFormat, typer.Option("--format")] = DutyFormat.CSV,
) -> None:
    """Every statutory duty owed to each child on a day: due when, done or late, and why."""
    loaded = _load_record(record)
    owed = duties_as_at(loaded.tables(), as_at, child)
    if form is DutyFormat.TABLE:
        for row in owed.iter_rows(named=True):
            late = f", {row['DAYS_OVERDUE']} days overdue" if row["STATUS"] == "overdue" else ""
            typer.echo(
                f"{row['CHILD']}  {row['DUTY']:<18} due {row['DUE_DATE']:%d/%m/%Y}  "
                f"{row['STATUS']}{late}\n    {row['EXPLANATION']} ({row['SOURCE']})"
            )
    if form is DutyFormat.CSV or out is not None:
        _csv_out(owed, out, "duties")


@app.command("entitlements")
def entitlements_command(
    record: Annotated[Path, typer.Argument(help="Record directory.")],
    as_at: AsAtOption,
    out: CsvOutOption = None,
) -> None:
    """What each child and care leaver is entitled to on a day (Staying Put, a personal
    adviser, the higher education bursary, Pupil Premium Plus), until when, and why."""
    held = entitlements_on(_load_record(record).tables(), as_at)
    text = held.write_csv(date_format="%d/%m/%Y")
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_file_atomically(out, text.encode("utf-8"))
        _say(
            f"wrote {held.height} entitlements for {held['CHILD'].n_unique()} young people to {out}"
        )


@app.command("check-decision")
def check_decision_command(
    record: Annotated[Path, typer.Argument(help="Record directory.")],
    *,
    child: Annotated[str, typer.Option("--child", help="The child the decision is about.")],
    decision: Annotated[Decision, typer.Option("--decision", help="What is proposed.")],
    on: Annotated[
        date,
        typer.Option("--date", parser=_as_at, metavar="YYYY-MM-DD", help="When it would happen."),
    ],
    to_postcode: Annotated[
        str | None, typer.Option("--to-postcode", help="For a move: the new placement's postcode.")
    ] = None,
    to_placement: Annotated[
        str | None,
        typer.Option("--to-placement", help="For a move: the new placement type, e.g. U6."),
    ] = None,
) -> None:
    """What a decision about a child needs before it may happen (placement moves, ceasing care)."""
    loaded = _load_record(record)
    try:
        situation = situation_of(loaded.tables(), child, on)
    except NotLookedAfterError as error:
        _say(str(error))
        raise typer.Exit(2) from error
    proposal = Proposal(decision, on, to_postcode, to_placement)
    gates = gates_for(proposal, situation)
    if not gates:
        typer.echo(f"{decision} for child {child} on {on:%d/%m/%Y}: no extra safeguards are needed")
    for gate in gates:
        typer.echo(f"{gate.id}: {gate.safeguard} ({gate.source})")


class FiguresFormat(StrEnum):
    """How `indicators` writes its figures."""

    HTML = "html"
    CSV = "csv"
    JSON = "json"


def _stop_if_unread(found: Return, what: str, path: Path) -> None:
    """Stop (exit 2) if nothing in a return could be read at all."""
    if not found.tables:
        _report(found.problems, None)
        _say(f"nothing could be read from {what} {path}; nothing was written")
        raise typer.Exit(2)


def _published_lists(given: dict[str, Path | None]) -> dict[str, pl.DataFrame]:
    """The outside lists given, read; stop (exit 2) if any cannot be used."""
    lists, problems = {}, []
    for name, path in given.items():
        if path is None:
            continue
        frame, found = read_list(name, path)
        problems += found
        if frame is not None:
            lists[name] = frame
    if problems:
        _report(problems, None)
        _say("nothing was written: fix the lists first")
        raise typer.Exit(2)
    return lists


@ssda903.command("validate")
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
    errors.xlsx (the three as sheets) and index.html. Exits 1 when any rule fails, 0
    when the return is clean, 2 when it cannot be read.
    """
    this, before = read_both(source, year, previous)
    _stop_if_unread(this, "the return", source)
    if before is not None and previous is not None:
        _stop_if_unread(before, "last year's return", previous)
    lists = _published_lists({"postcodes": postcodes, "ofsted_providers": ofsted_providers})
    for problem in this.problems[:PROBLEMS_SHOWN]:
        _say(problem.describe())
    try:
        result = validate(Context(this=this, previous=before, la_code=la_code, lists=lists))
    except LookupError as error:
        raise typer.BadParameter(str(error), param_hint="--year") from error
    rules = summary(result, year)
    children = by_child(result)
    write_directory_atomically(
        out,
        {
            "errors.csv": result.findings.write_csv().encode("utf-8"),
            "summary.csv": rules.write_csv().encode("utf-8"),
            "children.csv": children.write_csv().encode("utf-8"),
            "errors.xlsx": workbook(result, rules, children),
            "index.html": page(result, rules, year, str(source)).encode("utf-8"),
        },
    )
    failing = rules.filter(pl.col("STATUS") == "fails").height
    _say(
        f"{len(result.ran)} rules run ({len(result.skipped)} not run), {failing} failing on "
        f"{result.findings.height:,} rows and {children.height:,} children; "
        f"see {out / 'index.html'}"
    )
    raise typer.Exit(1 if result.findings.height else 0)


def _populations(
    population: Path | None, child_population: int | None, year: CollectionYear
) -> Populations:
    """The child populations the report was given: a file of them, or one number for
    the year asked for."""
    if population is None:
        return {ANY_AUTHORITY: {str(year): child_population}} if child_population else {}
    found, problems = read_populations(population)
    _report(problems, None)
    if problems:
        _say("nothing was written: fix the population file first")
        raise typer.Exit(2)
    return found


def _authorities(records: list[Path], la_codes: list[str]) -> list[str]:
    """What each record is called in the report: its LA code, or else its folder's name."""
    if la_codes and len(la_codes) != len(records):
        raise typer.BadParameter(
            f"give one --la-code for each record ({len(records)}), not {len(la_codes)}",
            param_hint="--la-code",
        )
    names = la_codes or [record.resolve().name for record in records]
    if len(set(names)) != len(names):
        raise typer.BadParameter(
            "two records would have the same name in the report; name them with --la-code",
            param_hint="--la-code",
        )
    return names


def _write_report(report: pl.DataFrame, folder: Path) -> None:
    """The page a director reads, and its figures beside it for anyone to reuse."""
    write_directory_atomically(
        folder,
        {
            "index.html": report_page(report).encode("utf-8"),
            "indicators.csv": report.write_csv().encode("utf-8"),
        },
    )


@app.command("indicators")
def indicators_command(
    records: Annotated[
        list[Path], typer.Argument(help="Record directory; several to compare authorities.")
    ],
    *,
    year: YearOption,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the HTML report; file for CSV or JSON (default: print it)."
        ),
    ] = None,
    form: Annotated[FiguresFormat, typer.Option("--format")] = FiguresFormat.HTML,
    la_codes: Annotated[
        list[str] | None,
        typer.Option(
            "--la-code", help="The authority each record is for, one per record, in order."
        ),
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option(
            "--population",
            help="CSV of children under 18 in each area (ONS): LA_CODE, YEAR, CHILDREN.",
        ),
    ] = None,
    child_population: Annotated[
        int | None,
        typer.Option(
            "--child-population",
            min=1,
            help="Children under 18 living in the area in the year asked for (ONS).",
        ),
    ] = None,
) -> None:
    """How the authority's children are doing, by DfE's definitions: each figure for the
    year and the years before it, beside England's, with what it counts; for several
    authorities, side by side."""
    if form is FiguresFormat.HTML and out is None:
        raise typer.BadParameter("the HTML report needs --out FOLDER", param_hint="--out")
    names = _authorities(records, la_codes or [])
    populations = _populations(population, child_population, year)
    reports = []
    for record, name in zip(records, names, strict=True):
        tables = _load_record(record).tables()
        reports.append(
            indicators_report(tables, year, population_for(populations, name), authority=name)
        )
    report = pl.concat(reports)
    years = sorted(report["YEAR"].unique().to_list())
    done = f"{report['INDICATOR'].n_unique()} indicators for {span(years)}"
    if len(names) > 1:
        done += f" and {len(names)} authorities"
    if form is FiguresFormat.HTML and out is not None:
        _write_report(report, out)
        _say(f"wrote {done} to {out / 'index.html'} (figures in {out / 'indicators.csv'})")
        return
    text = report.write_csv() if form is FiguresFormat.CSV else report.write_json() + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    write_file_atomically(out, text.encode("utf-8"))
    _say(f"wrote {done} to {out}")


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@app.command("demo")
def demo_command(
    folder: Annotated[Path, typer.Option("--folder", help="Where to put the demo files.")] = Path(
        "var/demo"
    ),
) -> None:
    """Make the demo authority, cut its 2024-25 return, read it back, and summarise it."""
    year = CollectionYear.parse("2024-25")
    record = simulate(DEMO_IN_CARE, 2019, 2025, seed=7)
    directory.save(record, folder / "record")
    xml = folder / "return-2024-25.xml"
    write_return(extract_return(record, year), year, Format.XML, xml)
    result = read_return(xml, year)
    at_end = _looked_after_at_end(result.tables["episodes"], year)
    placements = code_list("placement_type")
    typer.echo(f"Demo authority (synthetic): record in {folder / 'record'}, 2024-25 return {xml}")
    typer.echo(f"  children in the record: {record['header'].height}")
    typer.echo(f"  children in the {year} return: {result.tables['header'].height}")
    typer.echo(f"  looked after on {year.end:%d/%m/%Y}: {at_end.height}")
    typer.echo(f"  problems reading the return back: {len(result.problems)}")
    typer.echo("  placements on 31 March, most common first:")
    for code, count in at_end.get_column("PLACE").value_counts(sort=True).head(8).iter_rows():
        found = placements.find(code)
        meaning = found.description if found else "(not a placement type code)"
        typer.echo(f"    {count:4d}  {code:4s} {_shorten(meaning, 64)}")
    population = children_in_area(DEMO_IN_CARE)
    write_file_atomically(folder / "population.csv", population.write_csv().encode("utf-8"))
    places = pl.concat([record["episodes"]["HOME_POST"], record["episodes"]["PL_POST"]])
    write_file_atomically(
        folder / "postcodes.csv", postcode_list(places).write_csv().encode("utf-8")
    )
    tables = directory.load(folder / "record").record.tables()
    populations = dict(zip(population["YEAR"], population["CHILDREN"], strict=True))
    _write_report(indicators_report(tables, year, populations, authority="demo"), folder / "report")
    typer.echo(f"  indicators report: {folder / 'report' / 'index.html'}")


def main() -> None:
    """Entry point for the console script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as error:
        detail = error.strerror if error.strerror and error.filename else str(error)
        place = f" ({error.filename})" if error.filename else ""
        _say(f"could not finish: {detail}{place}")
        sys.exit(2)
