"""The real site for the browser tests: a private CAREMATTERS_VAR, the database migrated,
the static files collected (hashed and compressed, as in production), users made, and
`carematters serve` (gunicorn) listening on a free local port.

On the PostgreSQL pass (DATABASE_URL set) the server gets a database of its own, made for
the run beside the one in the URL and dropped afterwards; otherwise its SQLite database is
under the private var.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[3]
STATIC_BUILD = Path(os.environ.get("CAREMATTERS_STATIC_BUILD", REPO / "build" / "static"))
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Site:
    """A running server: its address and the environment its commands ran with."""

    url: str
    env: dict[str, str]

    def at(self, path: str) -> str:
        return self.url + path


def carematters(env: dict[str, str], *args: str) -> None:
    """Run a `carematters` command as the server would see it; fail the test with its
    output if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "carematters", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.fail(f"carematters {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def create_users(env: dict[str, str], users: list[dict[str, str]]) -> None:
    """Make each user (a dict of User fields, e.g. username, role, first_name) with the
    password PASSWORD, in the server's database."""
    code = (
        "import json, sys\n"
        "from carematters.web import setup\n"
        "setup()\n"
        "from carematters.web.people.models import User\n"
        "password = sys.argv[1]\n"
        "for fields in json.loads(sys.stdin.read()):\n"
        "    User.objects.create_user(password=password, **fields)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, PASSWORD],
        env=env,
        input=json.dumps(users),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.fail(f"creating the test users failed:\n{done.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(var: Path, database_url: str | None) -> dict[str, str]:
    """The environment of every command and server of one test site: local mode, its own
    var, the built static files, and its database."""
    if not (STATIC_BUILD / "govuk" / "govuk-frontend.min.js").exists():
        pytest.fail(f"No static build at {STATIC_BUILD}: run `make static` first.")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CAREMATTERS_") and name != "DATABASE_URL"
    }
    env.update(CAREMATTERS_VAR=str(var), CAREMATTERS_STATIC_BUILD=str(STATIC_BUILD))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


_SERVERS = itertools.count(1)


@contextmanager
def own_postgres_database(url: str) -> Iterator[str]:
    """A new, empty database beside the one `url` names, for one run of the server;
    dropped afterwards. Yields its URL."""
    import psycopg  # noqa: PLC0415 - only the PostgreSQL pass needs it
    from psycopg import sql  # noqa: PLC0415

    parts = urlsplit(url)
    # Several servers may run at once in one test run (a module's and the package's):
    # each has a database of its own.
    name = f"{parts.path.strip('/')}_browser_{os.getpid()}_{next(_SERVERS)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def prepared_environment(var: Path) -> Iterator[dict[str, str]]:
    """`var` prepared as `make run` would (database migrated, static files collected),
    on the database this pass of the suite uses. Yields the environment to serve it with."""
    database_url = os.environ.get("DATABASE_URL")
    with (
        own_postgres_database(database_url)
        if database_url and database_url.startswith(("postgres://", "postgresql://"))
        else _no_database()
    ) as server_database:
        env = server_environment(var, server_database)
        carematters(env, "web", "migrate")
        carematters(env, "web", "collectstatic")
        yield env


@contextmanager
def _no_database() -> Iterator[None]:
    yield None


@contextmanager
def serving(env: dict[str, str], log: Path, **settings: str) -> Iterator[Site]:
    """`carematters serve` (one gunicorn worker) on a free port, with extra CAREMATTERS_
    settings (e.g. CAREMATTERS_SESSION_MINUTES); stopped when the block ends."""
    port = free_port()
    env = {**env, **settings}
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "carematters",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    site = Site(url=f"http://127.0.0.1:{port}", env=env)
    try:
        _wait_until_answering(site, server, log)
        yield site
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_answering(site: Site, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"carematters serve stopped at once:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(site.at("/sign-in/"), timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"carematters serve did not answer within 30 seconds:\n{log.read_text()}")
