"""The child heard: what a child said, read back (B2 "Being heard before decisions";
Care Matters 2007 para 7.33: the IRO sees each child alone before every review).

`views_of` is how other parts of the application (a decision that needs approval, a
review) ask what a child has said; `heard_by_children` reads a list of children's at
once, for a page of many. Neither checks access: the caller has.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from carematters.web.reviews.models import ChildView


def views_of(child: str, since: date | None = None) -> list[ChildView]:
    """`child`'s views (a CHILD id), newest first (by the day heard, then the moment
    recorded), those heard on or after `since` only if given, with who recorded each.
    One query."""
    views = ChildView.objects.filter(child=child).select_related("recorded_by")
    if since is not None:
        views = views.filter(heard_on__gte=since)
    return list(views)


def heard_by_children(children: Iterable[str]) -> dict[str, list[ChildView]]:
    """Every view of each of `children` (CHILD ids), newest first, by child; a child never
    heard has none. One query, however many children."""
    found: dict[str, list[ChildView]] = {}
    for view in ChildView.objects.filter(child__in=sorted(set(children))).select_related(
        "recorded_by"
    ):
        found.setdefault(view.child, []).append(view)
    return found
