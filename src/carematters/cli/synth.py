"""`carematters synth`: a fictional authority's whole care record."""

# The service, and Polars and NumPy with it, is imported inside the command (see
# carematters.cli), so that `carematters --help` starts at once.
# ruff: noqa: PLC0415

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from carematters.cli.output import say
from carematters.files import OutputKind, guard_outputs


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
    seed: Annotated[
        int, typer.Option(min=0, help="The same seed always gives the same record.")
    ] = 7,
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
    from carematters.services.synth import Spoiling, make_authority

    first, last = _year_span(years)
    spoiling = Spoiling(inject, injected or out.parent / "injected.csv") if inject > 0 else None
    guard_outputs(folders={out: OutputKind.RECORD}, files=[spoiling.listing if spoiling else None])
    made = make_authority(
        out,
        children_in_care=children_in_care,
        first_year=first,
        last_year=last,
        seed=seed,
        spoiling=spoiling,
    )
    if spoiling is not None:
        say(f"injected {made.injected} errors, listed in {spoiling.listing}")
    say(
        f"wrote a synthetic authority to {out}: {made.record.header.height} children in the "
        f"record, {made.in_care_at_end} in care on {made.end:%d/%m/%Y}"
    )


def _year_span(text: str) -> tuple[int, int]:
    """`2019-2026`: from 1 April 2019 to 31 March 2026, as collection years 2019-20 to
    2025-26, given as the years they start in (2019, 2025); a usage error for anything
    else, for a span running past the last 31 March, or for one starting before the
    simulator can."""
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit() and len(first) == len(last) == 4):
        raise typer.BadParameter(f"'{text}' is not a span of years like 2019-2026")
    if int(last) <= int(first):
        raise typer.BadParameter(f"'{text}' must end at least a year after it starts")
    if date(int(last), 3, 31) > datetime.now(UTC).date():
        raise typer.BadParameter(f"'{text}' runs into the future: it must end on a 31 March past")
    from carematters.synth.authority import earliest_first_year

    if int(first) < earliest_first_year():
        raise typer.BadParameter(
            f"'{text}' starts too early: the simulated history before it would fall in years "
            f"whose bank holidays carematters does not know; start in {earliest_first_year()} "
            "or later"
        )
    return int(first), int(last) - 1
