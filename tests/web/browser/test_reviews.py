"""The IRO's work in a real browser, on the demo authority: the IRO opens "Your reviews",
records what the first child said, seen alone, and sees it on the page; raises a concern
about their plan and takes it to the director; the director reads the IRO annual report.
axe-core finds nothing on each page type, and each is saved as a screenshot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import sign_in
from tests.web.browser.server import PASSWORD, Site, carematters, prepared_environment, serving

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo authority, as `make run` serves it, every demo user's password PASSWORD."""
    var = tmp_path_factory.mktemp("reviews-var")
    with prepared_environment(var) as prepared:
        env = {**prepared, "CAREMATTERS_DEMO_PASSWORD": PASSWORD}
        carematters(env, "web", "setup-demo")
        with serving(env, var / "serve.log") as site:
            yield site


def test_the_iro_hears_a_child_and_escalates_their_plan(page: Page, demo: Site) -> None:
    sign_in(page, demo, "iro")
    page.get_by_role("link", name="Your reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
    expect(
        page.get_by_text(re.compile(r"You are the named independent reviewing officer"))
    ).to_be_visible()
    screenshot(page, "reviews-iro")
    assert_accessible(page)

    first = page.locator(".govuk-summary-card").first
    name = first.locator(".govuk-summary-card__title a").inner_text()
    first.get_by_role("link", name=re.compile("^Record their views")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record their views")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what they said")
    screenshot(page, "reviews-view-refused")
    assert_accessible(page)

    today = datetime.now(LONDON).date()  # the server's today
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("group", name="What were they asked about?").get_by_label(
        "Their next review"
    ).check()
    page.get_by_label("What did they say?").fill("I want to stay where I am.")
    page.get_by_role("group", name="Did you see them alone?").get_by_label("Yes").check()
    page.get_by_role("group", name="Were they offered an advocate?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did an advocate take part?").get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Their views are recorded")
    expect(page.get_by_text("“I want to stay where I am.”")).to_be_visible()
    screenshot(page, "reviews-child-views")
    assert_accessible(page)

    page.get_by_role("link", name="Your reviews").click()
    card = page.locator(".govuk-summary-card").filter(has_text=name)
    expect(card).to_contain_text("I want to stay where I am.")
    card.get_by_role("link", name=re.compile("^Raise a concern")).click()
    page.get_by_label("What is your concern about their plan?").fill("Contact has not happened.")
    page.get_by_role("group", name="Which stage do you raise it at?").get_by_label(
        re.compile("^Stage 1")
    ).check()
    page.get_by_label("Who holds it at this stage?").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern about their plan")
    screenshot(page, "reviews-escalation")
    assert_accessible(page)

    page.get_by_role("link", name="Take it to a later stage").click()
    page.get_by_role("group", name="Which stage does it go to now?").get_by_label(
        re.compile("^Stage 3")
    ).check()
    director = page.locator("#holder option", has_text="Director of Children").first
    page.get_by_label("Who holds it at this stage?").select_option(
        value=director.get_attribute("value")
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("3: Director of Children's Services")
    assert_accessible(page)


def test_the_director_reads_the_iro_annual_report(page: Page, demo: Site) -> None:
    sign_in(page, demo, "director")
    page.get_by_role("link", name="IRO report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("annual report")
    expect(page.get_by_text("Held on time")).to_be_visible()
    screenshot(page, "reviews-report")
    assert_accessible(page)
