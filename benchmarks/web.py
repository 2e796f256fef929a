"""`make bench`, the casework application: how fast the pages people open all day answer
when ten people use the site at once (WEB.md; issue 12: p95 under 150 ms).

For each authority (the demo's 600 in care, then 3,000 in care) a private database is
set up with `carematters web setup-demo`, the real server is started (`carematters
serve`, gunicorn, as `make run` starts it), the demo users sign in, and ten clients ask
for the caseload, a child's record and the team page over and over; the times are
whole requests as a browser sees them, over the loopback, signed in, every view audited.
Beside them, the processor time the server spent on each request (its workers' time, read
from /proc where there is one), which depends less than the times on what else the
machine is doing.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

CAREMATTERS = Path(sys.executable).with_name("carematters")
PASSWORD = "a long password for the benchmark"  # noqa: S105 - a made-up demo password
CLIENTS = 10
REQUESTS_PER_PAGE = 200
AUTHORITIES = (("demo authority (600 in care)", 600), ("3,000 in care", 3_000))
TARGET_P95_MS = 150
SETUP = (
    "import sys; from carematters.services import demo; demo.IN_CARE = int(sys.argv[1]); "
    "from carematters.web import setup; setup(); "
    "from carematters.web.demo import setup_demo; setup_demo()"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREMATTERS_")}
    return env | {"CAREMATTERS_VAR": str(var), "CAREMATTERS_DEMO_PASSWORD": PASSWORD}


@contextmanager
def served(var: Path, in_care: int) -> Iterator[tuple[int, int]]:
    """A server on a free port over a database set up with the demo's people and an
    authority of about `in_care` children in care; its port and process id."""
    env = _environment(var)
    subprocess.run([sys.executable, "-c", SETUP, str(in_care)], env=env, check=True)
    subprocess.run([str(CAREMATTERS), "web", "collectstatic"], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(CAREMATTERS), "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)


def _request(
    port: int, method: str, path: str, cookies: dict[str, str], body: str | None = None
) -> tuple[int, str, dict[str, str]]:
    """One request: status, page and the cookies it set."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    page = response.read().decode("utf-8", "replace")
    set_cookies: dict[str, str] = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie(header)
        set_cookies |= {name: morsel.value for name, morsel in parsed.items()}
    connection.close()
    return response.status, page, set_cookies


def signed_in(port: int, username: str) -> dict[str, str]:
    """The cookies of a session signed in as `username`."""
    _, page, cookies = _request(port, "GET", "/sign-in/", {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("the sign-in page has no CSRF token")
    form = urlencode({"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD})
    status, _, more = _request(port, "POST", "/sign-in/", cookies, form)
    if status != 302:
        raise SystemExit(f"{username} could not sign in (status {status})")
    return cookies | more


def timings(port: int, path: str, cookies: dict[str, str]) -> list[float]:
    """Milliseconds for each of REQUESTS_PER_PAGE requests of `path`, CLIENTS at a time."""

    def one(_: int) -> float:
        started = time.perf_counter()
        status, _, _ = _request(port, "GET", path, cookies)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(REQUESTS_PER_PAGE)))


def server_seconds(pid: int) -> float | None:
    """Processor seconds (user and system) spent so far by the server `pid` and its
    workers; None where the system has no /proc to read them from."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended while it was being read
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # the server or a worker
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(label: str, in_care: int) -> None:
    with tempfile.TemporaryDirectory() as folder, served(Path(folder), in_care) as (port, pid):
        worker = signed_in(port, "social-worker")
        manager = signed_in(port, "team-manager")
        _, caseload, _ = _request(port, "GET", "/caseload/", worker)
        child = re.search(r'href="/children/([^/"]+)/"', caseload)
        if child is None:
            raise SystemExit("the caseload page links to no child")
        pages = (
            ("caseload", "/caseload/", worker),
            ("child's record", f"/children/{child[1]}/", worker),
            ("team", "/team/", manager),
        )
        for name, path, cookies in pages:
            # Steady state: a worker's first page builds what it keeps (the statements
            # of who may see whom, a team's rendered tables), as on a site in use.
            for _ in range(CLIENTS):
                _request(port, "GET", path, cookies)
            before = server_seconds(pid)
            times = sorted(timings(port, path, cookies))
            after = server_seconds(pid)
            p50 = statistics.median(times)
            p95 = times[int(len(times) * 0.95) - 1]
            verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
            cpu = (
                ""
                if before is None or after is None
                else f", server {(after - before) / len(times) * 1000:.1f} ms of processor each"
            )
            print(
                f"  {label}, {name} ({path}): p50 {p50:.0f} ms, p95 {p95:.0f} ms "
                f"({CLIENTS} clients, {len(times)} requests{cpu}; p95 under "
                f"{TARGET_P95_MS} ms: {verdict})"
            )


def main() -> None:
    print("the casework application, as a browser sees it (gunicorn, signed in, audited)")
    for label, in_care in AUTHORITIES:
        measure(label, in_care)


if __name__ == "__main__":
    main()
