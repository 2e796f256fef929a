"""`carematters duties`, `entitlements` and `check-decision`: a caseload's statutory work."""

# The service, and Polars with it, is imported inside each command (see
# carematters.cli), so that `carematters --help` starts at once.
# ruff: noqa: PLC0415

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from carematters.cli.options import AsAtOption, CsvOutOption, RecordArgument, parse_date
from carematters.cli.output import csv_out, load_record, on_a_day_carematters_knows, say, show
from carematters.files import guard_outputs

if TYPE_CHECKING:
    from carematters.records.record import Record


class DutyFormat(StrEnum):
    """How `duties` shows its answer."""

    CSV = "csv"
    TABLE = "table"


class DecisionChoice(StrEnum):
    """The decisions `check-decision` checks: the values of
    `carematters.duties.decisions.Decision`, which cannot be imported here without Polars
    (a test keeps the two the same)."""

    PLACEMENT_MOVE = "placement-move"
    CEASE_CARE = "cease-care"


def duties_command(
    record: RecordArgument,
    as_at: AsAtOption,
    out: CsvOutOption = None,
    child: Annotated[str | None, typer.Option("--child", help="Only this child.")] = None,
    form: Annotated[DutyFormat, typer.Option("--format")] = DutyFormat.CSV,
) -> None:
    """Every statutory duty owed to each child on a day: due when, done or late, and why."""
    from carematters.services.caseload import duties_for

    guard_outputs(inputs=[record], files=[out])
    loaded = load_record(record)
    _say_if_no_one_is_in_it(loaded)
    if child is not None:
        _stop_unless_in(loaded, child)
    with on_a_day_carematters_knows():
        owed = duties_for(loaded, as_at, None if child is None else [child])
    if form is DutyFormat.TABLE:
        width = max((len(duty) for duty in owed["DUTY"]), default=0)
        for row in owed.iter_rows(named=True):
            late = f" by {row['DAYS_OVERDUE']} days" if row["STATUS"] == "overdue" else ""
            show(
                f"{row['CHILD']}  {row['DUTY']:<{width}} due {row['DUE_DATE']:%d/%m/%Y}  "
                f"{row['STATUS']}{late}\n    {row['EXPLANATION']} ({row['SOURCE']})"
            )
    if form is DutyFormat.CSV or out is not None:
        csv_out(owed, out, "duties")


def entitlements_command(
    record: RecordArgument,
    as_at: AsAtOption,
    out: CsvOutOption = None,
) -> None:
    """What each child and care leaver is entitled to on a day (Staying Put, a personal
    adviser, the higher education bursary, Pupil Premium Plus), until when, and why."""
    from carematters.services.caseload import entitlements_for

    guard_outputs(inputs=[record], files=[out])
    loaded = load_record(record)
    _say_if_no_one_is_in_it(loaded)
    with on_a_day_carematters_knows():
        held = entitlements_for(loaded, as_at)
    csv_out(held, out, "entitlements")


def check_decision_command(
    record: RecordArgument,
    *,
    child: Annotated[str, typer.Option("--child", help="The child the decision is about.")],
    decision: Annotated[DecisionChoice, typer.Option("--decision", help="What is proposed.")],
    on: Annotated[
        date,
        typer.Option(
            "--date", parser=parse_date, metavar="YYYY-MM-DD", help="When it would happen."
        ),
    ],
    to_postcode: Annotated[
        str | None, typer.Option("--to-postcode", help="For a move: the new placement's postcode.")
    ] = None,
    to_placement: Annotated[
        str | None,
        typer.Option("--to-placement", help="For a move: the new placement type, e.g. U6."),
    ] = None,
    bed_and_breakfast_until: Annotated[
        date | None,
        typer.Option(
            "--bed-and-breakfast-until",
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="For a move to bed and breakfast: the day the stay would end.",
        ),
    ] = None,
    separates_siblings: Annotated[
        bool,
        typer.Option(
            "--separates-siblings",
            help="For a move: a permanent placement that separates brothers and sisters.",
        ),
    ] = False,
) -> None:
    """What a decision about a child needs before it may happen (placement moves, ceasing care)."""
    from carematters.duties.decisions import Decision, NotLookedAfterError, Proposal
    from carematters.services.caseload import safeguards_for

    proposal = Proposal(
        Decision(decision),
        on,
        to_postcode,
        to_placement,
        bed_and_breakfast=bed_and_breakfast_until is not None,
        until=bed_and_breakfast_until,
        separates_siblings=separates_siblings,
    )
    loaded = load_record(record)
    _stop_unless_in(loaded, child)
    try:
        with on_a_day_carematters_knows():
            gates = safeguards_for(loaded, child, proposal)
    except NotLookedAfterError as error:
        say(str(error))
        raise typer.Exit(2) from error
    if not gates:
        show(f"{decision} for child {child} on {on:%d/%m/%Y}: no extra safeguards are needed")
    for gate, barred in gates:
        show(f"{gate.id}: {gate.text(on)} ({gate.source})")
        if barred:
            show(f"{gate.id}: no approval can allow this: {barred}")


def _say_if_no_one_is_in_it(record: Record) -> None:
    """Say so when the record has no episodes: no one in it is looked after or a care
    leaver, so an empty answer is the record's, not a fault."""
    if record.episodes.is_empty():
        say("the record holds no episodes of care: no one in it is looked after or a care leaver")


def _stop_unless_in(record: Record, child: str) -> None:
    """Stop (exit 2) if the record knows no child called `child`."""
    if not record.knows(child):
        say(f"child {child} is not in the record")
        raise typer.Exit(2)
