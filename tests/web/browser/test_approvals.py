"""A decision that needs approval, in a real browser on the demo authority: a social
worker asks to end the care of a child accommodated under section 20 today, and
recording the end of care is refused, on the form, until it is approved; the child's
views and the IRO's are recorded; the person the request names approves it; then the
end of care is recorded. axe-core finds nothing on each page type, and each is saved as
a screenshot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import sign_in
from tests.web.browser.server import PASSWORD, Site, carematters, prepared_environment, serving

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo authority, as `make run` serves it, every demo user's password PASSWORD."""
    var = tmp_path_factory.mktemp("approvals-var")
    with prepared_environment(var) as prepared:
        env = {**prepared, "CAREMATTERS_DEMO_PASSWORD": PASSWORD}
        carematters(env, "web", "setup-demo")
        with serving(env, var / "serve.log") as site:
            yield site


def _on(where: Locator, day: date) -> None:
    """Fill GOV.UK's three date boxes inside `where` (a fieldset)."""
    where.get_by_label("Day").fill(str(day.day))
    where.get_by_label("Month").fill(str(day.month))
    where.get_by_label("Year").fill(str(day.year))


def _leave_care(page: Page, site: Site, child: str, day: date) -> None:
    """Fill and send the leaving care form for `child`, left on `day`, returned home as
    planned (E4A)."""
    page.goto(site.at(f"/children/{child}/record-leaving-care/"))
    _on(page.get_by_role("group", name="When did they leave care?"), day)
    page.get_by_role("group", name="Why did they leave care?").get_by_label(
        re.compile("^Returned home .* as part of the care planning process")
    ).check()
    page.get_by_role("button", name="Save", exact=True).click()


def _hear_and_consult(
    page: Page, browser: Browser, site: Site, child: str, *, request: str, day: date
) -> None:
    """What must be done first: the child's views recorded, the IRO's answer given."""
    page.goto(site.at(f"/children/{child}/views/add/"))
    _on(page.get_by_role("group", name="When did you hear their views?"), day)
    page.get_by_role("group", name="What were they asked about?").get_by_label(
        "A decision about them"
    ).check()
    page.get_by_label("What did they say?").fill("I want to go home to Mum.")
    page.get_by_role("group", name="Did you see them alone?").get_by_label("Yes").check()
    page.get_by_role("group", name="Were they offered an advocate?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did an advocate take part?").get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Their views are recorded")

    # The child's IRO gives their own answer, in a browser of their own.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    answering = context.new_page()
    try:
        sign_in(answering, site, "iro")
        answering.goto(request)
        answering.get_by_label("Your answer").fill("Agrees, with support from the family team.")
        answering.get_by_role("group", name="Do you agree with the proposal?").get_by_label(
            "Yes"
        ).check()
        answering.get_by_role("button", name="Record your answer").click()
        expect(answering.locator(".govuk-notification-banner")).to_be_visible()
    finally:
        context.close()
    page.goto(request)
    expect(page.get_by_text("To do")).to_have_count(0)


def _name_of(browser: Browser, site: Site, username: str) -> str:
    """The name a demo user goes by, as the header shows it once they sign in."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        signed_in = context.new_page()
        sign_in(signed_in, site, username)
        link = signed_in.locator("a[href='/account/password/']").inner_text()
        return link.split(" (")[0].strip()
    finally:
        context.close()


def _approve(browser: Browser, site: Site, request: str, who_decides: str) -> None:
    """The person who decides the request (`who_decides`, as its page says) signs in, in
    a browser of their own, and approves it."""
    approver = "director" if "Director" in who_decides else "team-manager"
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    deciding = context.new_page()
    try:
        sign_in(deciding, site, approver)
        deciding.get_by_role("link", name="Approvals").click()
        screenshot(deciding, "approvals-waiting")
        assert_accessible(deciding)
        deciding.goto(request)
        deciding.get_by_role("group", name="What do you decide?").get_by_label("Approve it").check()
        deciding.get_by_label("Your reasons").fill("The plan for their return home is sound.")
        deciding.get_by_role("button", name="Record your decision").click()
        expect(deciding.locator("main")).to_contain_text("Approved")
    finally:
        context.close()


def test_ending_care_waits_for_its_approval(page: Page, browser: Browser, demo: Site) -> None:
    today = datetime.now(LONDON).date()  # the server's today
    sign_in(page, demo, "social-worker")
    # Ending the care of a child accommodated under section 20 is the authority's own
    # decision, which its nominated officer approves (CPPCR 2010 reg 39).
    # One whose IRO is the demo's `iro`, who answers the request for themselves.
    accommodated = page.locator("main tbody tr", has_text="section 20").filter(
        has_text=_name_of(browser, demo, "iro")
    )
    if not accommodated.count():
        pytest.fail("the demo's social worker has no child of `iro` under section 20 today")
    link = accommodated.first.locator("a[href^='/children/']").first
    child = (link.get_attribute("href") or "").strip("/").split("/")[1]

    page.goto(demo.at(f"/children/{child}/decisions/ask/"))
    page.get_by_role("group", name="What is the decision?").get_by_label(
        "Ending their care: they stop being looked after"
    ).check()
    _on(page.get_by_role("group", name="When would it happen?"), today)
    page.get_by_label("Why is this the right decision for them?").fill(
        "Their mother has done the work the court asked of her; they want to go home."
    )
    page.get_by_role("button", name="Send for a decision").click()
    expect(
        page.get_by_role("heading", name="What must be done before it is approved")
    ).to_be_visible()
    expect(page.get_by_text("To do").first).to_be_visible()
    request = page.url
    screenshot(page, "approvals-request")
    assert_accessible(page)

    # Ending their care before it is approved: refused on the form, saying why.
    _leave_care(page, demo, child, today)
    expect(page.locator(".govuk-error-summary")).to_contain_text("needs approval first")
    screenshot(page, "approvals-leaving-care-refused")
    assert_accessible(page)

    _hear_and_consult(page, browser, demo, child, request=request, day=today)
    who_decides = page.locator(".govuk-summary-list__row", has_text="Who decides").inner_text()
    _approve(browser, demo, request, who_decides)

    _leave_care(page, demo, child, today)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
