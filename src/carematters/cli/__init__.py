"""The `carematters` command.

Every command reports bad input as located problems and exits 2, never with a
traceback: the people running these are performance officers, not programmers.

Each command parses its options, calls one service (`carematters.services`) and prints
what it found. The services, and with them Polars, NumPy and xlsxwriter, are imported
inside the commands that need them, so `carematters --help` starts at once: every
module of this package is loaded to build the command line, so none of them may import
the core's heavy modules at the top (a test says so).
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

import typer

from carematters.cli import demo, duties, indicators, parameters, ssda903, synth, web
from carematters.cli.output import say
from carematters.files import OutputRefusedError


def _command_line() -> typer.Typer:
    """The `carematters` command, with no commands in it yet."""
    return typer.Typer(
        help="Care records, statutory duties and SSDA903 data for a local authority.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )


app = _command_line()
app.command("synth")(synth.synth_command)
app.command("duties")(duties.duties_command)
app.command("entitlements")(duties.entitlements_command)
app.command("check-decision")(duties.check_decision_command)
app.command("indicators")(indicators.indicators_command)
app.command("parameters")(parameters.parameters_command)
app.command("demo")(demo.demo_command)
app.command("serve")(web.serve_command)
app.command("createuser")(web.createuser_command)
app.add_typer(ssda903.app, name="903")
app.add_typer(web.app, name="web")


def _to_run(args: list[str]) -> typer.Typer:
    """`app`; or, for a command of one group (`903 validate ...`), the command with that
    group alone: typer works out every command's options before it runs one, which for
    all of them takes longer than starting some commands does."""
    group = next((g for g in app.registered_groups if args[:1] == [g.name]), None)
    if group is None or group.typer_instance is None:
        return app
    only = _command_line()
    only.add_typer(group.typer_instance, name=group.name)
    return only


def main() -> None:
    """Entry point for the console script: run the command, turning an interrupt into
    exit 130, a request to stop (SIGTERM) into exit 143, and an output refused or a file
    that cannot be written or read into one line and exit 2."""
    # A plain exit, so that a writer stopped part-way clears what it staged; the
    # handler before is put back for a caller running commands in its own process.
    before = signal.signal(signal.SIGTERM, _stop)
    try:
        _to_run(sys.argv[1:])()
    except KeyboardInterrupt:
        sys.exit(130)
    except OutputRefusedError as refused:
        say(str(refused))
        sys.exit(2)
    except OSError as error:
        detail = error.strerror if error.strerror and error.filename else str(error)
        place = f" ({error.filename})" if error.filename else ""
        say(f"could not finish: {detail}{place}")
        sys.exit(2)
    finally:
        signal.signal(signal.SIGTERM, before)


def _stop(signum: int, _frame: FrameType | None) -> None:
    """Stop the command as if it had finished with an error (exit 128 + the signal)."""
    raise SystemExit(128 + signum)
