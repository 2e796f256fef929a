"""The reading pages in a real browser, on the demo authority (`carematters web
setup-demo`, served by `carematters serve`): a social worker's caseload, a child's record
and chronology, a team manager's team, an access log, changing a social worker, asking a
reason to open a record, the list of children and the figures. axe-core finds nothing on
each page type, and each is saved as a screenshot for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import ConsoleProblems, sign_in
from tests.web.browser.server import PASSWORD, Site, carematters, prepared_environment, serving


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo authority, as `make run` serves it, every demo user's password PASSWORD."""
    var = tmp_path_factory.mktemp("pages-var")
    with prepared_environment(var) as prepared:
        env = {**prepared, "CAREMATTERS_DEMO_PASSWORD": PASSWORD}
        carematters(env, "web", "setup-demo")
        with serving(env, var / "serve.log") as site:
            yield site


RECORD_NAVIGATION = "Child\N{RIGHT SINGLE QUOTATION MARK}s record"
"""The name of a child's record's sub-navigation."""


def _children_linked(page: Page) -> list[str]:
    """The CHILD ids the page's table links to, in order."""
    links = page.locator("tbody a[href^='/children/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [m.group(1) for href in links if (m := re.fullmatch(r"/children/(\w+)/", href))]


def test_a_social_worker_opens_a_child_from_their_caseload(page: Page, demo: Site) -> None:
    sign_in(page, demo, "social-worker")
    expect(page).to_have_url(demo.at("/caseload/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    rows = page.locator("table.carematters-caseload tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 12  # the demo's social worker holds a usual caseload
    screenshot(page, "caseload")
    assert_accessible(page)

    first = rows.first.get_by_role("link").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    screenshot(page, "child-overview")
    assert_accessible(page)

    page.get_by_role("navigation", name=RECORD_NAVIGATION).get_by_role(
        "link", name="Chronology"
    ).click()
    expect(page).to_have_url(re.compile(r"/children/\w+/chronology/$"))
    events = page.locator(".moj-timeline .moj-timeline__item")
    expect(events.first).to_be_visible()
    expect(page.locator(".moj-timeline__title").filter(has_text="Visit").first).to_be_visible()
    screenshot(page, "child-chronology")
    assert_accessible(page)

    page.get_by_role("link", name="What is due").click()
    expect(page.locator(".carematters-duties .govuk-tag").first).to_be_visible()
    screenshot(page, "child-due")
    assert_accessible(page)

    page.get_by_role("navigation", name=RECORD_NAVIGATION).get_by_role(
        "link", name="People"
    ).click()
    expect(page.locator(".govuk-summary-list__key").first).to_have_text("Social worker")
    screenshot(page, "child-people")
    assert_accessible(page)


def test_the_caseload_sorts_by_a_column(page: Page, demo: Site) -> None:
    sign_in(page, demo, "social-worker")
    page.get_by_role("button", name="Age").click()
    heading = page.locator("th", has=page.get_by_role("button", name="Age"))
    expect(heading).to_have_attribute("aria-sort", "ascending")
    ages = page.locator("table.carematters-caseload tbody tr td:nth-child(2)").all_inner_texts()
    assert [int(a) for a in ages] == sorted(int(a) for a in ages)


def test_a_team_manager_sees_the_team_and_a_childs_access_log(page: Page, demo: Site) -> None:
    sign_in(page, demo, "team-manager")
    expect(page).to_have_url(demo.at("/team/"))
    expect(page.get_by_role("heading", name="Social workers", exact=True)).to_be_visible()
    screenshot(page, "team")
    assert_accessible(page)

    page.locator("table.carematters-caseload tbody tr").first.get_by_role(
        "link", name=re.compile("^Access log")
    ).click()
    expect(page).to_have_url(re.compile(r"/children/\w+/access-log/$"))
    # Opening the log is itself the newest entry in it.
    expect(page.locator("tbody tr").first).to_contain_text("Access log")
    screenshot(page, "access-log")
    assert_accessible(page)


def test_changing_a_social_worker_names_what_is_missing(page: Page, demo: Site) -> None:
    sign_in(page, demo, "team-manager")
    page.locator("table.carematters-caseload tbody tr").first.get_by_role(
        "link", name=re.compile("^Change social worker")
    ).click()
    expect(page.get_by_role("heading", name="Change social worker")).to_be_visible()
    screenshot(page, "allocate")
    assert_accessible(page)
    page.get_by_role("button", name="Change social worker").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a social worker")
    expect(summary).to_contain_text("Enter the date they take the child on")
    expect(summary).to_be_focused()
    screenshot(page, "allocate-errors")
    assert_accessible(page)


def test_a_record_not_yours_asks_for_a_reason(page: Page, demo: Site) -> None:
    sign_in(page, demo, "team-manager")
    team = set(_children_linked(page))
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, demo, "director")
    outside = next(child for child in _children_linked(page) if child not in team)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo, "social-worker")
    page.goto(demo.at(f"/children/{outside}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Give a reason to open this record")
    screenshot(page, "break-glass")
    assert_accessible(page)
    page.get_by_label("Why do you need to open this record?").fill("Covering the duty desk")
    page.get_by_role("button", name="Open the record").click()
    expect(page).to_have_url(demo.at(f"/children/{outside}/"))
    expect(page.locator(".govuk-warning-text")).to_contain_text("Covering the duty desk")
    assert_accessible(page)


def test_a_young_person_cannot_open_another_childs_record(
    page: Page, demo: Site, console: ConsoleProblems
) -> None:
    # Two of the social worker's children: the young person is at most one of them.
    sign_in(page, demo, "social-worker")
    links = page.locator("a[href^='/children/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    children = list(dict.fromkeys(h for h in links if re.fullmatch(r"/children/\w+/", h)))[:2]
    page.context.clear_cookies()
    sign_in(page, demo, "young-person")
    expect(page).to_have_url(demo.at("/my-record/"))  # their own pages (casework.mine)
    assert_accessible(page)
    refused = 0
    for child in children:
        page.goto(demo.at(child))
        if page.url == demo.at("/my-record/"):
            continue  # the staff page of their own record sends them to their own
        console.expect_failed_load(404)
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        refused += 1
    assert refused >= 1


@pytest.mark.parametrize(
    ("username", "path", "heading"),
    [
        ("director", "/children/", "Children"),
        ("lead-member", "/figures/", "Figures"),
        ("administrator", "/users/", "Users and teams"),
    ],
)
def test_the_start_pages_of_other_roles(
    page: Page, demo: Site, username: str, path: str, heading: str
) -> None:
    sign_in(page, demo, username)
    expect(page).to_have_url(demo.at(path))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    screenshot(page, path.strip("/"))
    assert_accessible(page)


def test_the_caseload_on_a_phone(page: Page, demo: Site) -> None:
    page.set_viewport_size({"width": 375, "height": 700})
    sign_in(page, demo, "social-worker")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    # The table scrolls sideways in its own region; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    screenshot(page, "caseload-phone")
    assert_accessible(page)
