"""Reading the audit trail: a child's access log, for the people who oversee the record."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from carematters.web.audit import log
from carematters.web.audit.models import Event
from carematters.web.people.access import Purpose, child_for
from carematters.web.people.models import User

ACCESS_LOG = "Access log"


def access_log(user: User, child: str) -> QuerySet[Event]:
    """Who viewed or changed `child`'s record, when, what and why, newest first (each
    row's `user` joined in: one query however long the log). For the child's team
    manager and the director (`Purpose.ACCESS_LOG`); raises Http404 for anyone else and
    for no such child. Opening the log is itself a view of the record, so it writes its
    own audit row first: the log shows that too."""
    with transaction.atomic():
        child_for(user, child, Purpose.ACCESS_LOG)
        log.viewed(user, child, ACCESS_LOG)
    return Event.objects.filter(child=child).select_related("user").order_by("-at", "-id")
