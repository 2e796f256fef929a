"""Browser tests: Debian's Chromium, driven by playwright, against the real server
(`carematters serve`) on a private var (tests/web/browser/server.py).

The Content Security Policy is left in force in every page: axe-core is run through the
DevTools protocol (page.evaluate), which the policy does not govern, rather than by turning
the policy off (bypass_csp) or adding an inline script the policy would rightly refuse.
Any console error or uncaught exception in a page (a script refused by the policy, a file
that did not load) fails the test that caused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from carematters.web.people.roles import Role
from tests.web.browser.server import PASSWORD, Site, create_users, prepared_environment, serving

CHROMIUM = Path("/usr/bin/chromium")

# Who the tests sign in as (all fictional).
USERS = [
    {
        "username": "sam.social",
        "role": Role.SOCIAL_WORKER,
        "first_name": "Sam",
        "last_name": "Okafor",
    },
    # Locked out on purpose by one test; nobody else signs in as them.
    {
        "username": "lee.locked",
        "role": Role.SOCIAL_WORKER,
        "first_name": "Lee",
        "last_name": "Adeyemi",
    },
]


@pytest.fixture(scope="package")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The prepared var and database every server in this package serves."""
    var = tmp_path_factory.mktemp("browser-var")
    with prepared_environment(var) as env:
        create_users(env, [{**user, "role": str(user["role"])} for user in USERS])
        yield env


@pytest.fixture(scope="package")
def site(server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site as `make run` serves it (30-minute sessions)."""
    log = tmp_path_factory.mktemp("server") / "serve.log"
    with serving(server_env, log) as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium. Package-scoped, so its event loop is gone before the
    Django-client tests run (Django refuses database work beside a running loop)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/ensure-browser (make test does).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            # This machine has no route out: Chromium's own background calls only fail.
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-quic",
            ],
        )
        yield launched
        launched.close()


class ConsoleProblems(list[str]):
    """Console errors and warnings, and uncaught exceptions, seen in a page."""

    page: Page

    def watch(self, page: Page) -> None:
        self.page = page
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"uncaught: {error}"))

    def expect_failed_load(self, status: int) -> None:
        """Chromium reports an error page's own status in the console; a test that opened
        one on purpose takes that line (and only that) off the problems. The report comes
        a moment after the page, so this waits for it (up to 5 seconds)."""
        line = f"the server responded with a status of {status}"
        for _ in range(50):
            expected = [problem for problem in self if line in problem]
            if expected:
                break
            self.page.wait_for_timeout(100)
        assert expected, f"no page answered {status}: {list(self)}"
        for problem in expected:
            self.remove(problem)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.append(f"{message.type}: {message.text} ({message.location.get('url')})")


@pytest.fixture
def console() -> ConsoleProblems:
    return ConsoleProblems()


@pytest.fixture
def page(browser: Browser, console: ConsoleProblems) -> Iterator[Page]:
    """A fresh browser (no cookies) at a desktop size; fails the test on any console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    opened = context.new_page()
    console.watch(opened)
    yield opened
    context.close()
    assert not console, "The page reported problems:\n" + "\n".join(console)


def sign_in(page: Page, site: Site, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would."""
    page.goto(site.at("/sign-in/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
