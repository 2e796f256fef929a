"""`carematters indicators`: how an authority's children are doing, beside England."""

# The service, and Polars with it, is imported inside the command (see
# carematters.cli), so that `carematters --help` starts at once.
# ruff: noqa: PLC0415

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carematters.cli.options import YearOption
from carematters.cli.output import data_out, load_record, report, say
from carematters.files import OutputKind, guard_outputs, write_file_atomically


class FiguresFormat(StrEnum):
    """How `indicators` writes its figures."""

    HTML = "html"
    CSV = "csv"
    JSON = "json"


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
    postcodes: Annotated[
        Path | None,
        typer.Option(
            "--postcodes",
            help="CSV of postcodes: POSTCODE, LA, X, Y (ONS), for distances and placements "
            "outside the authority (whose code --la-code gives, in the list's form).",
        ),
    ] = None,
) -> None:
    """How the authority's children are doing, by DfE's definitions: each figure for the
    year and the years before it, beside England's, with what it counts; for several
    authorities, side by side."""
    from carematters.indicators.report import span
    from carematters.services.indicators import (
        indicators_for,
        places_given,
        populations_given,
        write_report,
    )
    from carematters.services.people_csv import people_csv

    if form is FiguresFormat.HTML and out is None:
        raise typer.BadParameter("the HTML report needs --out FOLDER", param_hint="--out")
    inputs = [*records, population, postcodes]
    if form is FiguresFormat.HTML and out is not None:
        guard_outputs(inputs=inputs, folders={out: OutputKind.INDICATORS})
    else:
        guard_outputs(inputs=inputs, files=[out])
    names = _authorities(records, la_codes or [])
    populations, problems = populations_given(population, child_population, year)
    report(problems)
    if problems:
        say("nothing was written: fix the population file first")
        raise typer.Exit(2)
    # Only a code given with --la-code locates the authority in the list, never the
    # folder name a record is otherwise called by.
    given: list[str | None] = list(la_codes) if la_codes else [None] * len(names)
    codes = dict(zip(names, given, strict=True))
    places, problems = places_given(postcodes, codes)
    report(problems)
    if problems:
        say("nothing was written: fix the postcode list first")
        raise typer.Exit(2)
    loaded = {name: load_record(record) for record, name in zip(records, names, strict=True)}
    figures = indicators_for(loaded, year, populations, places)
    years = sorted(figures["YEAR"].unique().to_list())
    done = f"{figures['INDICATOR'].n_unique()} indicators for {span(years)}"
    if len(names) > 1:
        done += f" and {len(names)} authorities"
    if form is FiguresFormat.HTML and out is not None:
        write_report(figures, out)
        say(f"wrote {done} to {out / 'index.html'} (figures in {out / 'indicators.csv'})")
        return
    data = (
        people_csv(figures)
        if form is FiguresFormat.CSV
        else (figures.write_json() + "\n").encode("utf-8")
    )
    if out is None:
        data_out(data)
        return
    write_file_atomically(out, data)
    say(f"wrote {done} to {out}")


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
