"""Signing in, in a real browser, with the page's scripts running under its Content
Security Policy."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import sign_in
from tests.web.browser.server import Site


def test_the_sign_in_page_passes_axe(page: Page, site: Site) -> None:
    page.goto(site.at("/sign-in/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    screenshot(page, "sign-in")
    assert_accessible(page)


def test_gov_uk_frontend_starts_under_the_content_security_policy(page: Page, site: Site) -> None:
    response = page.goto(site.at("/sign-in/"))
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy
    # The inline script (with the nonce) marked the page; init.js (a module, with the
    # nonce) imported GOV.UK Frontend, whose button component then marked its buttons.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    expect(page.get_by_role("button", name="Sign in")).to_have_attribute(
        "data-govuk-button-init", ""
    )


def test_a_social_worker_signs_in_and_sees_the_home_page(page: Page, site: Site) -> None:
    sign_in(page, site, "sam.social")
    # Home, for a social worker, is their caseload.
    expect(page).to_have_url(site.at("/caseload/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    expect(page.get_by_text("Sam Okafor (social worker)")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "home-social-worker")
    assert_accessible(page)


def test_a_wrong_password_shows_the_error_summary(page: Page, site: Site) -> None:
    sign_in(page, site, "sam.social", password="not the password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    # GOV.UK Frontend's error summary takes the focus, so a screen reader reads it first.
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Sign in \N{EN DASH} carematters")
    screenshot(page, "sign-in-error")
    assert_accessible(page)


def test_signing_out_returns_to_sign_in(page: Page, site: Site) -> None:
    sign_in(page, site, "sam.social")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(site.at("/sign-in/"))
    page.goto(site.at("/"))
    expect(page).to_have_url(site.at("/sign-in/?next=/"))


def test_on_a_phone_the_menu_folds_behind_a_button(page: Page, site: Site) -> None:
    page.set_viewport_size({"width": 375, "height": 700})
    sign_in(page, site, "sam.social")
    sign_out = page.get_by_role("button", name="Sign out")
    # GOV.UK Frontend's service navigation, started by init.js, folds the menu away.
    expect(sign_out).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(sign_out).to_be_visible()
    screenshot(page, "home-social-worker-phone")
    assert_accessible(page)
