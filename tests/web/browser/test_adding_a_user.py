"""The administrator adds a user in a real browser: the form (and its error summary), the
password made and shown once, and the new user's page; axe-core finds nothing on each,
and each is saved as a screenshot. Then the new user signs in with that password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import sign_in
from tests.web.browser.server import Site, create_users


@pytest.fixture(scope="module")
def administrator(server_env: dict[str, str]) -> str:
    """An administrator in the package's site (whose own users are social workers)."""
    create_users(
        server_env,
        [
            {
                "username": "ada.admin",
                "role": "administrator",
                "first_name": "Ada",
                "last_name": "Admin",
            }
        ],
    )
    return "ada.admin"


def test_the_administrator_adds_a_user_who_then_signs_in(
    page: Page, site: Site, administrator: str
) -> None:
    sign_in(page, site, administrator)
    expect(page).to_have_url(site.at("/users/"))
    page.get_by_role("button", name="Add a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a user")
    screenshot(page, "user-add")
    assert_accessible(page)

    page.get_by_role("button", name="Add the user").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a username")
    expect(summary).to_contain_text("Choose a role")
    screenshot(page, "user-add-error")
    assert_accessible(page)

    page.get_by_label("Username").fill("amira.osei")
    page.get_by_label("First name").fill("Amira")
    page.get_by_label("Last name").fill("Bramblewick")
    page.get_by_label("Personal adviser").check()
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Bramblewick was added")
    made = page.locator("#made-password").inner_text().strip()
    assert re.fullmatch(r"([a-z2-9]{4}-){3}[a-z2-9]{4}", made)
    screenshot(page, "user-added")
    assert_accessible(page)

    page.get_by_role(
        "link", name="Go to Amira Bramblewick\N{RIGHT SINGLE QUOTATION MARK}s page"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Bramblewick")
    screenshot(page, "user")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, site, "amira.osei", password=made)
    expect(page.get_by_text("Amira Bramblewick (personal adviser)")).to_be_visible()
