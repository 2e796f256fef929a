"""Recording in a real browser (issue 12, "Tests"): a social worker records a visit and
sees it in the child's chronology; a form with problems shows GOV.UK's error summary,
which takes the focus and passes axe-core; screenshots of a form with and without
problems, for a person to look at.

The child, Jamie Fernhill (made up), is put in the server's database by this module:
looked after since 60 days ago, with `rowan.recorder` as their social worker.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carematters.web.casework.forms import FORMS
from carematters.web.people.roles import Role
from tests.web.browser.checks import assert_accessible, screenshot
from tests.web.browser.conftest import sign_in
from tests.web.browser.server import Site, create_users

CHILD = "2000001"
SOCIAL_WORKER = {
    "username": "rowan.recorder",
    "role": str(Role.SOCIAL_WORKER),
    "first_name": "Rowan",
    "last_name": "Mbeki",
    "staff_id": "SWR1",
}

_RECORD = """
import sys
from datetime import date, timedelta
from django.utils import timezone
from carematters.web.casework.models import Episode, Header, Person, SocialWorkerEpisode
child, staff_id = sys.argv[1], sys.argv[2]
today = timezone.localdate()
began = today - timedelta(days=60)
Header.objects.create(child=child, sex="2", dob=date(2013, 9, 14), ethnic="WBRI",
    upn="A123456789013")
Episode.objects.create(child=child, decom=began, rne="S", ls="C2", cin="N1", place="U4",
    place_provider="PR1", home_post="ZZ1 1AA", pl_post="ZZ2 2BB")
SocialWorkerEpisode.objects.create(child=child, dob=date(2013, 9, 14), sw_id=staff_id,
    sw_decom=today - timedelta(days=400))
Person.objects.create(child=child, given_name="Jamie", family_name="Fernhill")
from carematters.web.casework.due import refresh_due
refresh_due([child], today)
"""


def _in_server(env: dict[str, str], code: str, *args: str) -> str:
    """Run `code` (after Django's setup) against the server's database; its output."""
    done = subprocess.run(
        [sys.executable, "-c", f"from carematters.web import setup\nsetup()\n{code}", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.fail(f"the server's database could not be read or written:\n{done.stderr}")
    return done.stdout.strip()


@pytest.fixture(scope="module")
def recorder(server_env: dict[str, str]) -> str:
    """The social worker's username, their child put in the server's database."""
    create_users(server_env, [SOCIAL_WORKER])
    _in_server(server_env, _RECORD, CHILD, SOCIAL_WORKER["staff_id"])
    return SOCIAL_WORKER["username"]


ADVISER = {
    "username": "ash.adviser",
    "role": str(Role.PERSONAL_ADVISER),
    "first_name": "Ash",
    "last_name": "Okoro",
    "staff_id": "PAR1",
}
_ADVISE = """
import sys
from django.utils import timezone
from carematters.web.people.actions import allocate
from carematters.web.people.models import AllocationKind, User
adviser = User.objects.get(username=sys.argv[2])
allocate(AllocationKind.PERSONAL_ADVISER, adviser, {sys.argv[1]: timezone.localdate()},
    acting_user=None)
"""


@pytest.fixture(scope="module")
def adviser(server_env: dict[str, str], recorder: str) -> str:
    """A personal adviser allocated to the social worker's child: the contact form is
    only theirs."""
    create_users(server_env, [ADVISER])
    _in_server(server_env, _ADVISE, CHILD, ADVISER["username"])
    return ADVISER["username"]


def _fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_social_worker_records_a_visit_and_sees_it_in_the_chronology(
    page: Page, site: Site, recorder: str
) -> None:
    sign_in(page, site, recorder)
    # No visit is recorded for Jamie yet, so carematters cannot say it was made.
    page.goto(site.at(f"/children/{CHILD}/due/"))
    first_visit = page.locator("tr", has_text="First visit in a new placement")
    expect(first_visit).to_contain_text("Not recorded")

    page.goto(site.at(f"/children/{CHILD}/record-visit/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a visit")
    screenshot(page, "record-visit")
    assert_accessible(page)

    visited = timezone.localdate() - timedelta(days=2)
    _fill_date(page, "When was the visit?", visited)
    page.get_by_role("radio", name="No").check()
    page.get_by_label("If they were not seen alone, why not?").fill(
        "Jamie wanted their foster carer to stay"
    )
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(site.at(f"/children/{CHILD}/"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Visit recorded")
    page.goto(site.at(f"/children/{CHILD}/chronology/"))
    visit = page.locator(".moj-timeline__item", has_text="Visit").first
    expect(visit).to_contain_text(f"{visited.day} {visited:%B %Y}")
    expect(visit).to_contain_text("Not seen alone (Jamie wanted their foster carer to stay)")

    # What is due was worked out again as the visit was saved: the next visit is due six
    # weeks after this one (CPPCR 2010 reg 28(2)(b)), and it is no longer unrecorded.
    page.goto(site.at(f"/children/{CHILD}/due/"))
    next_visit = page.locator("tr", has=page.locator("td span", has_text=re.compile("^Visit$")))
    expect(next_visit).to_contain_text(f"{visited.day} {visited:%B %Y}")
    expect(next_visit).to_contain_text("Upcoming")
    expect(page.locator("tr", has_text="First visit in a new placement")).not_to_contain_text(
        "Not recorded"
    )

    # Withdrawing it asks why, and shows the visit as recorded.
    visit_id = _in_server(
        site.env,
        "from carematters.web.casework.models import Visit\n"
        "import sys\n"
        "print(Visit.objects.current().filter(child=sys.argv[1]).latest('pk').pk)",
        CHILD,
    )
    page.goto(site.at(f"/children/{CHILD}/entries/visits/{visit_id}/withdraw/"))
    expect(page.locator(".govuk-summary-card")).to_contain_text(
        "Jamie wanted their foster carer to stay"
    )
    page.get_by_role("button", name="Withdraw this entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are withdrawing this entry"
    )
    screenshot(page, "withdraw-visit-errors")
    assert_accessible(page)
    page.goto(site.at(f"/children/{CHILD}/entries/visits/{visit_id}/change/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a visit")
    screenshot(page, "change-visit")
    assert_accessible(page)


def test_a_form_with_problems_says_so_first_and_passes_axe(
    page: Page, site: Site, recorder: str
) -> None:
    sign_in(page, site, recorder)
    page.goto(site.at(f"/children/{CHILD}/record-missing/"))
    _fill_date(page, "When did they go missing?", timezone.localdate() + timedelta(days=3))
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Select whether they were missing or away",
            "The date they went missing must be today or in the past",
        ]
    )
    # GOV.UK Frontend's error summary takes the focus, so a screen reader reads it first.
    expect(summary).to_be_focused()
    expect(page).to_have_title(
        f"Error: Record a missing episode \N{EN DASH} child {CHILD} \N{EN DASH} carematters"
    )
    summary.get_by_role("link", name="Select whether they were missing or away").click()
    expect(page.locator("#missing")).to_be_focused()
    screenshot(page, "record-missing-errors")
    assert_accessible(page)

    page.get_by_label("Missing from placement").check()
    _fill_date(page, "When did they go missing?", timezone.localdate())
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Missing episode recorded")


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_every_recording_form_passes_axe(
    page: Page, site: Site, recorder: str, adviser: str, kind: str
) -> None:
    sign_in(page, site, adviser if kind == "contact" else recorder)
    page.goto(site.at(f"/children/{CHILD}/record-{kind}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FORMS[kind].heading)
    screenshot(page, f"record-{kind}")
    assert_accessible(page)
