"""`carematters web ...` and `carematters serve`: the casework application's database,
static files and server.

Django is imported inside the commands (see carematters.cli), so the other commands
start without it.
"""

# ruff: noqa: PLC0415

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

app = typer.Typer(
    help="The casework application: its database, demo and files.",
    no_args_is_help=True,
    add_completion=False,
)


def _django() -> None:
    """Django set up with carematters' settings and its database brought up to date."""
    from carematters.web import setup

    setup()


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


def serve_command(
    bind: Annotated[str, typer.Option(help="Address and port to listen on.")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(min=1, help="How many worker processes.")] = 2,
) -> None:
    """Serve the casework application with gunicorn, a production WSGI server, on
    http://127.0.0.1:8000 unless told otherwise. Stops with Ctrl-C."""
    typer.echo(f"Serving carematters on http://{bind}/ (Ctrl-C stops it)", err=True)
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
