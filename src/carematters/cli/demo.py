"""`carematters demo`: the demo authority, made and summarised."""

# The service, and Polars and NumPy with it, is imported inside the command (see
# carematters.cli), so that `carematters --help` starts at once.
# ruff: noqa: PLC0415

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carematters.cli.output import show

MEANING_WIDTH = 64
"""Placement types are described in a line each, cut to this many characters."""


def demo_command(
    folder: Annotated[Path, typer.Option("--folder", help="Where to put the demo files.")] = Path(
        "var/demo"
    ),
) -> None:
    """Make the demo authority, cut its 2024-25 return, read it back, and summarise it."""
    from carematters.services.demo import make_demo

    demo = make_demo(folder)
    show(f"Demo authority (synthetic): record in {demo.record}, {demo.year} return {demo.xml}")
    show(f"  children in the record: {demo.children_in_record}")
    show(f"  children in the {demo.year} return: {demo.children_in_return}")
    show(f"  looked after on {demo.year.end:%d/%m/%Y}: {demo.looked_after_at_end}")
    show(f"  problems reading the return back: {demo.problems_reading_back}")
    show("  placements on 31 March, most common first:")
    for placed in demo.placements:
        meaning = _shorten(placed.meaning or "(not a placement type code)", MEANING_WIDTH)
        show(f"    {placed.children:4d}  {placed.code:4s} {meaning}")
    show(f"  indicators report: {demo.report}")


def _shorten(text: str, width: int) -> str:
    """The text, cut to `width` characters with an ellipsis if longer."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
