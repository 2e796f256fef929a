"""The links under the header (GOV.UK service navigation): the pages each role works from.

An app that adds such a page names it in MENU under the roles that use it; the header
(templates/includes/header.html) shows the signed-in person's links and marks the one
they are on.
"""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest
from django.urls import reverse

# Each role's links (by its Role value), in the order shown: (link text, URL name).
MENU: dict[str, tuple[tuple[str, str], ...]] = {
    "social-worker": (("Your caseload", "caseload"), ("Approvals", "approvals")),
    "team-manager": (
        ("Your team", "team"),
        ("Your caseload", "caseload"),
        ("Children", "children"),
        ("Approvals", "approvals"),
    ),
    "iro": (
        ("Children you review", "caseload"),
        ("Your reviews", "iro-reviews"),
        ("IRO report", "iro-report"),
        ("Approvals", "approvals"),
    ),
    "personal-adviser": (("Your care leavers", "caseload"),),
    # A designated teacher answers the decisions about their pupils that ask for them.
    "designated-teacher": (("Your pupils", "pupils"), ("Approvals", "approvals")),
    "virtual-school-head": (("Education", "education"), ("Figures", "figures")),
    "director": (
        ("Children", "children"),
        ("Figures", "figures"),
        ("IRO report", "iro-report"),
        ("Approvals", "approvals"),
    ),
    "lead-member": (("Figures", "figures"), ("IRO report", "iro-report")),
    "performance-officer": (("Children", "children"), ("Figures", "figures")),
    "young-person": (("Your record", "my-record"),),
    "administrator": (("Users and teams", "users"),),
}

# Where each role lands after signing in: its first link (a role with none sees the home
# page).
LANDING: dict[str, str] = {role: links[0][1] for role, links in MENU.items()}


class Link(TypedDict):
    text: str
    href: str
    current: bool


def landing(request: HttpRequest) -> str | None:
    """The page the signed-in person starts from (their role's first link), or None for
    the home page itself (a role with no page of its own yet)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in LANDING:
        return None
    return reverse(LANDING[user.role])


def service_navigation(request: HttpRequest) -> dict[str, list[Link]]:
    """Template context processor: `service_navigation`, the signed-in person's links
    (none when signed out). A link is current on its page and on the pages under it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_navigation": []}
    links: list[Link] = []
    for text, name in MENU.get(user.role, ()):
        href = reverse(name)
        links.append({"text": text, "href": href, "current": request.path.startswith(href)})
    # A page under two links (/reviews/report/ is under /reviews/ too) is the longer's.
    current = [link for link in links if link["current"]]
    for link in current:
        link["current"] = len(link["href"]) == max(len(c["href"]) for c in current)
    return {"service_navigation": links}
