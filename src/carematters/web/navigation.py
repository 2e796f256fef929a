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
MENU: dict[str, tuple[tuple[str, str], ...]] = {}


class Link(TypedDict):
    text: str
    href: str
    current: bool


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
    return {"service_navigation": links}
