"""`carematters parameters`: the law's numbers carematters uses, as they stood on a day,
each with where it comes from."""

# The parameters are read inside the command (see carematters.cli).
# ruff: noqa: PLC0415

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from carematters.cli.options import parse_date
from carematters.cli.output import say, show


def parameters_command(
    prefix: Annotated[
        str | None,
        typer.Argument(help="Only parameters whose name starts with this, e.g. leaving_care."),
    ] = None,
    on: Annotated[
        date | None,
        typer.Option(
            "--on", parser=parse_date, metavar="YYYY-MM-DD", help="The day to ask about (today)."
        ),
    ] = None,
) -> None:
    """Every timescale, age and amount carematters uses, as the law stood on a day: its
    value, what it is for, and the law or guidance that sets it (with a link)."""
    from carematters.parameters import all_parameters

    day = on or date.today()  # noqa: DTZ011 (a calendar day, as the law counts them)
    shown = [p for p in all_parameters() if prefix is None or p.name.startswith(prefix)]
    if not shown:
        say(f"no parameter's name starts with {prefix}")
        raise typer.Exit(2)
    for found in shown:
        value = found.on(day)
        if value is None:
            text = f"not in force on {day:%d/%m/%Y}"
        else:
            text = f"age {value}" if found.unit == "age" else str(value)
        policy = " (a carematters policy choice)" if found.policy else ""
        show(f"{found.name}: {text}{policy}\n    {found.label}: {found.description}")
        for reference in value.reference if value is not None else found.reference:
            show(f"    {reference.title}\n      {reference.href}")
