"""Signed out after the idle time, warned first (issue 12 "Security"), watched in the
browser on a server whose sessions last 12 seconds: the warning at 6 seconds (half-way,
since 12 seconds is shorter than twice the usual 2 minutes), the end at 12."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import sign_in
from tests.web.browser.server import Site, serving


@pytest.fixture(scope="module")
def short_site(
    server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    log = tmp_path_factory.mktemp("short-server") / "serve.log"
    with serving(server_env, log, CAREMATTERS_SESSION_MINUTES="0.2") as running:
        yield running


def test_the_warning_keeps_a_person_signed_in_or_signs_them_out(
    page: Page, short_site: Site
) -> None:
    sign_in(page, short_site, "sam.social")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    warning = page.get_by_role("dialog", name="You are about to be signed out")
    expect(warning).to_be_hidden()

    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text("we will sign you out in")
    # The dialog takes the focus, on its first button.
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    screenshot(page, "timeout-warning")
    assert_accessible(page)

    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    # Past the end of the first 12 seconds: the server renewed the session.
    page.wait_for_timeout(6_500)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")

    # Left alone this time: warned again, then signed out and told why.
    expect(warning).to_be_visible(timeout=10_000)
    expect(page).to_have_url(short_site.at("/session/signed-out/"), timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been signed out")
    expect(page.locator("main")).to_contain_text("You had not used carematters for 12 seconds")
    screenshot(page, "signed-out")
    assert_accessible(page)
    page.goto(short_site.at("/"))
    expect(page).to_have_url(short_site.at("/sign-in/?next=/"))


def test_escape_is_stay_signed_in(page: Page, short_site: Site) -> None:
    sign_in(page, short_site, "sam.social")
    warning = page.get_by_role("dialog", name="You are about to be signed out")
    expect(warning).to_be_visible(timeout=10_000)
    page.keyboard.press("Escape")
    expect(warning).to_be_hidden()
    page.wait_for_timeout(6_500)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
