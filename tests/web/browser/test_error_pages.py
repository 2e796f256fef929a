"""The error pages a person can meet, in the browser: GOV.UK's look, accessible, and their
scripts running under the Content Security Policy."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import ConsoleProblems, sign_in
from tests.web.browser.server import Site


def test_page_not_found(page: Page, site: Site, console: ConsoleProblems) -> None:
    sign_in(page, site, "sam.social")
    response = page.goto(site.at("/children/C0001234/no-such-page/"))
    assert response is not None
    assert response.status == 404
    console.expect_failed_load(404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).to_contain_class("govuk-frontend-supported")
    screenshot(page, "error-page-not-found")
    assert_accessible(page)


def test_locked_out_after_five_wrong_passwords(
    page: Page, site: Site, console: ConsoleProblems
) -> None:
    for attempt in range(5):
        sign_in(page, site, "lee.locked", password=f"guess {attempt}")
    console.expect_failed_load(429)
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for 30 minutes")
    screenshot(page, "error-locked-out")
    assert_accessible(page)
