"""A personal adviser's caseload page: their care leavers in leaving care's own terms.

Thin, as WEB.md asks: `casework.views.caseload` has checked who is asking and which
care leavers are theirs; this reads their lines (`words.caseload`, two queries) and
renders. The caseload is not a view of each record, so nothing is audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carematters.web.leaving import words


def caseload(request: HttpRequest, heading: str, children: Iterable[str]) -> HttpResponse:
    """The care leavers `children` (CHILD ids the signed-in personal adviser is allocated
    to), worst first: kind and until when, accommodation and activity, in touch, last
    and next contact, the pathway plan's next date, overdue work."""
    today = timezone.localdate()
    page = words.caseload(children, today)
    return render(
        request,
        "leaving/caseload.html",
        {
            "heading": heading,
            "children": page.rows,
            "worked_out_on": page.worked_out_on,
            "today": today,
        },
    )
