"""`carematters web ...` and `carematters serve`: the casework application's database,
static files and server.

Django is imported inside the commands (see carematters.cli), so the other commands
start without it.
"""

# ruff: noqa: PLC0415

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from carematters.cli.options import YearOption, parse_year
from carematters.cli.output import on_a_day_carematters_knows, report, say
from carematters.files import OutputKind, guard_outputs
from carematters.ssda903.years import CollectionYear

app = typer.Typer(
    help="The casework application: its database, demo and files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _django() -> None:
    """Django set up with carematters' settings; a setting missing or wrong (in production,
    the secret key or allowed hosts) stops the command with its message and exit 2."""
    from django.core.exceptions import ImproperlyConfigured

    from carematters.web import setup

    try:
        setup()
    except ImproperlyConfigured as error:
        say(f"carematters cannot start: {error}")
        raise typer.Exit(2) from error


@app.command("migrate")
def migrate_command() -> None:
    """Create or update the database's tables (the embedded SQLite database under var/,
    or the PostgreSQL one DATABASE_URL names)."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    typer.echo("The database is up to date.", err=True)


@app.command("collectstatic")
def collectstatic_command() -> None:
    """Gather the pages' styles, scripts, fonts and images into var/static, where the
    server finds them."""
    _django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _database_ready() -> None:
    """Django set up, stopping (exit 2, nothing written) if the database cannot be
    reached or its tables are not up to date."""
    _django()
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        say(f"could not reach the database: {error}; nothing was written")
        raise typer.Exit(2) from error
    if pending:
        say("the database is not up to date: run `carematters web migrate` first")
        raise typer.Exit(2)


@app.command("import-903")
def import_903_command(
    source: Annotated[Path, typer.Argument(help="A folder of CSV files, or an XML file.")],
    year: YearOption,
    problems: Annotated[
        Path | None, typer.Option("--problems", help="Also save every problem to this CSV file.")
    ] = None,
) -> None:
    """Read an SSDA903 return (CSV files or XML) into the empty database, reporting what
    cannot be read.

    Exits 0 when every value was read; 1 when some could not be (the database holds
    everything that could); 2 when nothing was imported: nothing could be read, a row
    has no CHILD or repeats a child in a table that holds one row each (each named),
    or the database already holds a record (a return is only imported into an empty
    database).
    """
    guard_outputs(inputs=[source], files=[problems])
    _database_ready()
    from carematters.web.bridge import RecordPresentError
    from carematters.web.casework.transfer import import_return

    try:
        imported = import_return(source, year)
    except RecordPresentError as present:
        say(f"{present}; nothing was imported")
        raise typer.Exit(2) from present
    report(imported.read.problems, problems)
    if imported.refused:
        rows = len(imported.refused)
        say(
            f"{source} has {rows:,} row{'s' if rows > 1 else ''} the database cannot hold "
            "as one child's (no CHILD, or a second row for a child where a table has one "
            "each); nothing was imported: correct the return and import it again"
        )
        raise typer.Exit(2)
    if not imported.counts:
        why = "holds no children, only empty tables" if imported.read.tables else "cannot be read"
        say(f"{source} {why}; nothing was imported")
        raise typer.Exit(2)
    counts = ", ".join(f"{name} {rows}" for name, rows in imported.counts.items())
    say(f"imported {source} for {year} into the database: {counts}")
    if any(problem.lost_something for problem in imported.read.problems):
        raise typer.Exit(1)


@app.command("export")
def export_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Record directory to write; with --year, the return's folder of CSV files, "
            "or its XML file if the name ends in .xml.",
        ),
    ],
    year: Annotated[
        CollectionYear | None,
        typer.Option(
            "--year",
            parser=parse_year,
            metavar="YYYY-YY",
            help="Write this collection year's SSDA903 return instead of the whole record.",
        ),
    ] = None,
) -> None:
    """Write the database's care record as a record directory, or with --year the
    SSDA903 return for that year, cut as `903 extract` cuts it.

    Exits 0 when written; 2 when nothing was written (no record in the database, an
    output refused, or rows the form cannot hold, each named)."""
    from carematters.cli.ssda903 import ReturnFormat, guard_return, whole_or_nothing

    form = ReturnFormat.XML if out.suffix.lower() == ".xml" else ReturnFormat.CSV
    if year is None and form is ReturnFormat.XML:
        raise typer.BadParameter(
            "a record is a folder of CSV files: give --year to write a return as XML",
            param_hint="--out",
        )
    if year is None:
        guard_outputs(folders={out: OutputKind.RECORD})
    else:
        guard_return(out, form)
    _database_ready()
    from carematters.ssda903.formats import Format
    from carematters.web.casework.transfer import NoRecordError, export_record, export_return

    try:
        with whole_or_nothing(f"the {form.upper()} form"):
            counts = export_record(out) if year is None else export_return(year, Format(form), out)
    except NoRecordError as none:
        say(f"{none}; nothing was written")
        raise typer.Exit(2) from none
    what = "the care record" if year is None else f"the {year} return"
    written = ", ".join(f"{name} {rows}" for name, rows in counts.items())
    say(f"wrote {what} from the database to {out}: {written}")


def serve_command(
    bind: Annotated[str, typer.Option(help="Address and port to listen on.")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(min=1, help="How many worker processes.")] = 2,
) -> None:
    """Serve the casework application with gunicorn, a production WSGI server, on
    http://127.0.0.1:8000 unless told otherwise. Stops with Ctrl-C."""
    _django()  # a setting missing is said here, once, not by every worker as it starts
    from django.conf import settings

    # Without the collected static files every page would be a server error: say so now.
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file():
        say(
            f"the static files are not collected in {settings.STATIC_ROOT}: run "
            "`carematters web collectstatic` (or `make static`) first"
        )
        raise typer.Exit(2)
    typer.echo(f"Serving carematters on http://{bind}/ (Ctrl-C stops it)", err=True)
    # A page works on one child's or one team's few rows, where Polars's pool of threads
    # costs more to wake than it saves, and each worker's pool would fight the other
    # workers for the same cores: one thread each answers more pages a second.
    os.environ.setdefault("POLARS_MAX_THREADS", "1")
    os.execv(  # noqa: S606 - gunicorn replaces this process, so signals reach it directly
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "carematters.web.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ],
    )


@app.command("setup-demo")
def setup_demo_command() -> None:
    """Prepare the demo: the database's tables, the demo authority's record (synthetic,
    about 600 in care) and a user per role (social-worker, team-manager, iro, ...), with
    the password in CAREMATTERS_DEMO_PASSWORD, or one made, shown once and kept in
    var/demo-password. Running it again changes nothing."""
    _django()
    from django.db import DatabaseError

    from carematters.web.demo import PASSWORD_VARIABLE, DemoError, setup_demo

    try:
        done = setup_demo()
    except (DemoError, DatabaseError) as error:
        say(f"could not set up the demo: {error}")
        raise typer.Exit(2) from error
    if done.children_loaded:
        say(f"Loaded the demo authority's record: {done.children_loaded} children (synthetic).")
    if done.users_created:
        say(
            f"Made {done.users_created} users: one for each role, called by the role "
            "(social-worker, team-manager, iro, personal-adviser, virtual-school-head, "
            "designated-teacher, director, lead-member, performance-officer, young-person, "
            "administrator), and the record's other staff."
        )
        if done.password_made:
            say(f"Their password: {done.password_made}")
            say(f"It is kept in {done.password_file} (readable by you only) and not shown again.")
        elif done.password_file is not None:
            say(f"Their password is kept in {done.password_file}.")
        else:
            say(f"Their password is the one in {PASSWORD_VARIABLE}.")
    if not (done.children_loaded or done.users_created):
        kept = (
            f" The demo users' password is kept in {done.password_file}."
            if (done.password_file)
            else ""
        )
        say(f"The demo is ready.{kept}")


@app.command("refresh-due")
def refresh_due_command() -> None:
    """Work out again what is due to every child today, from the record in the database,
    and store it for the pages (run daily: statuses move with the date). A save on a
    child's record refreshes that child at once; this catches up everyone else."""
    _database_ready()
    from django.utils import timezone

    from carematters.web.casework.due import refresh_all_due

    today = timezone.localdate()
    with on_a_day_carematters_knows():
        stored = refresh_all_due(today)
    say(f"worked out what is due on {today:%d/%m/%Y}: {stored} duties stored")


CREATEUSER_FIELDS = {
    "role": "--role",
    "staff_id": "--staff-id",
    "child": "--child",
    "first_name": "--name",
    "last_name": "--name",
    "team": "--team",
}
"""The option that gave each of the user's fields, to name it in a refusal."""


def createuser_command(
    username: Annotated[str, typer.Argument(help="What they sign in with.")],
    *,
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="What they do: social-worker, team-manager, iro, personal-adviser, "
            "virtual-school-head, designated-teacher, director, lead-member, "
            "performance-officer, young-person or administrator.",
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="Their full name, as pages show it.")] = "",
    staff_id: Annotated[
        str,
        typer.Option("--staff-id", help="The id the care record knows them by (SW_ID, IRO_ID)."),
    ] = "",
    child: Annotated[
        str, typer.Option("--child", help="A young person's own CHILD id in the record.")
    ] = "",
    team: Annotated[
        str,
        typer.Option(
            "--team",
            help="The team they manage (a team manager) or work in (a social worker or "
            "personal adviser), from today; one already added, unless --new-team.",
        ),
    ] = "",
    new_team: Annotated[
        bool,
        typer.Option(
            "--new-team",
            help="Add the team --team names if there is none of that name (without it, a "
            "name that is no team's is refused, so a misspelt one never makes a team).",
        ),
    ] = False,
) -> None:
    """Add a person who signs in to the casework application. The password is asked for
    twice (not shown), or read from CAREMATTERS_NEW_PASSWORD; it must pass the site's
    password rules (at least 12 characters, not a common one, not all digits)."""
    if new_team and not team.strip():
        say("--new-team: give the new team's name with --team")
        say(f"{username} was not added")
        raise typer.Exit(2)
    _database_ready()
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
    from django.db import transaction
    from django.utils import timezone

    from carematters.web.people.actions import NO_SUCH_TEAM, create_user, place_in_team

    password = os.environ.get("CAREMATTERS_NEW_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        with transaction.atomic():  # a user with a team refused is not added either
            user = create_user(username, role, password, name=name, staff_id=staff_id, child=child)
            if team:
                place_in_team(user, team, timezone.localdate(), new_team=new_team)
    except ValidationError as refused:
        for field, messages in refused.message_dict.items():
            where = "" if field == NON_FIELD_ERRORS else f"{CREATEUSER_FIELDS.get(field, field)}: "
            for message in messages:
                say(f"{where}{message}")
        if any(e.code == NO_SUCH_TEAM for e in refused.error_dict.get("team", [])):
            say("To add a new team of that name, give --new-team as well.")
        say(f"{username} was not added")
        raise typer.Exit(2) from refused
    in_team = f", {'managing' if role == 'team-manager' else 'in'} {team.strip()}" if team else ""
    say(f"Added {user.username} ({user.get_role_display()}{in_team}).")
