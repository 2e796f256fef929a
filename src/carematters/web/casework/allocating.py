"""Allocating a child's social worker: a write to the care record's SSDA903 social worker
episodes, which the team manager makes from the team page.

The child's current episode ends the day the new one starts (DfE's handover: the next
episode starts the day the last one ends), and the new one is opened with DfE's reason
for the change (SW_REASON). The ended episode keeps its history: its end is saved as a
new version of the row (its `version` raised), with the row before and after in the
audit trail. Everything happens in one transaction, with what is due refreshed for the
child, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from carematters.services.recording import collection_year_of, rules_broken
from carematters.ssda903.codelists import code_list
from carematters.web.audit import log
from carematters.web.audit.models import Action
from carematters.web.bridge import mark_held, record_from_db
from carematters.web.casework.due import refresh_due
from carematters.web.casework.models import Header, SocialWorkerEpisode
from carematters.web.people.access import Purpose, child_for
from carematters.web.people.models import Membership, Team, User
from carematters.web.people.roles import Role

FIRST_CONTACT = "FCONTA"
"""DfE's reason for a child's first social worker, which a re-allocation never is."""
STALE = (
    "Someone else changed this child's social worker while you were choosing. Check "
    "their change, then make yours again."
)
EPISODE_COLUMNS = ("SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
"""The columns of a social worker episode the audit trail keeps, before and after."""


def episodes_of(child: str) -> QuerySet[SocialWorkerEpisode]:
    """`child`'s social worker episodes in force, in the order they were made."""
    return SocialWorkerEpisode.objects.current().filter(child=child).order_by("pk")


def seen(episodes: Iterable[SocialWorkerEpisode]) -> str:
    """What a form saw of a child's social worker episodes (each row's id and version),
    so that a save made from an older view of them is refused."""
    return ",".join(f"{e.pk}:{e.version}" for e in episodes)


def _still_open(episode: SocialWorkerEpisode, on: date) -> bool:
    """The episode would still run on `on`: an allocation from `on` ends it."""
    return episode.sw_dec is None or episode.sw_dec > on


def allocatable_workers(manager: User) -> QuerySet[User]:
    """The social workers `manager` may allocate: those in a team they manage today, with
    a staff id, by name. One query."""
    teams = Team.objects.filter(manager=manager).values("pk")
    members = Membership.objects.current().filter(team__in=teams).values("user")
    return (
        User.objects.filter(pk__in=members, role=Role.SOCIAL_WORKER, is_active=True)
        .exclude(staff_id="")
        .order_by("first_name", "last_name", "username")
    )


def reasons(on: date) -> list[tuple[str, str]]:
    """DfE's reasons for a change of social worker valid on `on` (code, words), without
    the first contact, which a change never is."""
    year = collection_year_of(on)
    return [
        (code.code, code.label)
        for code in code_list("sw_reason").codes
        if code.code != FIRST_CONTACT and code.valid_in(year)
    ]


def _columns(episode: SocialWorkerEpisode) -> dict[str, Any]:
    values = {
        "SW_ID": episode.sw_id,
        "SW_DECOM": episode.sw_decom,
        "SW_DEC": episode.sw_dec,
        "SW_REASON": episode.sw_reason,
    }
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def allocate_social_worker(
    child: str,
    worker: User,
    start: date,
    reason: str,
    *,
    acting_user: User,
    seen_episodes: str,
) -> SocialWorkerEpisode:
    """Make `worker` (a social worker in a team `acting_user` manages) `child`'s social
    worker from `start`, for `reason` (a DfE SW_REASON code valid that year): the
    current episode ends on `start`, a new one opens, each audited, what is due to the
    child refreshed, all in one transaction. `seen_episodes` is `seen(episodes_of(child))`
    as the form was shown.

    Raises Http404 if `acting_user` may not allocate `child` (`Purpose.ALLOCATE`: the
    team manager of the child's team), and ValidationError, changing nothing, naming
    the field: a worker not theirs to allocate or already the child's; a start in the
    future, not after the current episode began, or before an ended one ended (which
    would rewrite its history); a reason not valid then; episodes
    changed since the form was shown; or SSDA903 rules the change would break."""
    today = timezone.localdate()
    with transaction.atomic():
        child_for(acting_user, child, Purpose.ALLOCATE)
        if not allocatable_workers(acting_user).filter(pk=worker.pk).exists():
            raise ValidationError({"worker": "Choose a social worker in your team."})
        if start > today:
            raise ValidationError({"start": "The date must be today or in the past."})
        if reason not in dict(reasons(start)):
            raise ValidationError({"reason": "Choose the reason for the change."})
        episodes = list(episodes_of(child).select_for_update())
        if seen(episodes) != seen_episodes:
            raise ValidationError({NON_FIELD_ERRORS: STALE})
        ending = [episode for episode in episodes if _still_open(episode, start)]
        for episode in ending:
            if episode.sw_id == worker.staff_id:
                raise ValidationError(
                    {"worker": f"{worker} is already this child's social worker."}
                )
            if episode.sw_decom is not None and episode.sw_decom >= start:
                raise ValidationError(
                    {
                        "start": "The date must be after the current social worker began, "
                        f"on {episode.sw_decom:%-d %B %Y}."
                    }
                )
        for episode in episodes:
            # An episode ended by today is history: a new one may not begin inside it.
            if episode.sw_dec is not None and start < episode.sw_dec <= today:
                raise ValidationError(
                    {
                        "start": "The date must be on or after "
                        f"{episode.sw_dec:%-d %B %Y}, when their last social worker's time "
                        "ended."
                    }
                )
        before = record_from_db([child])
        now = timezone.now()
        for episode in ending:
            was = _columns(episode)
            ended = SocialWorkerEpisode.objects.filter(pk=episode.pk, version=episode.version)
            if not ended.update(
                sw_dec=start, modified_at=now, modified_by=acting_user, version=F("version") + 1
            ):
                raise ValidationError({NON_FIELD_ERRORS: STALE})
            episode.refresh_from_db()
            log.changed(
                acting_user,
                child,
                Action.ALLOCATED,
                "Social worker episode ended",
                before=was,
                after=_columns(episode),
            )
        dob = Header.objects.current().filter(child=child).values_list("dob", flat=True).first()
        opened = SocialWorkerEpisode.objects.create(
            child=child,
            dob=dob,
            sw_id=worker.staff_id,
            sw_decom=start,
            sw_reason=reason,
            created_by=acting_user,
            modified_by=acting_user,
        )
        mark_held(["sw_episodes"])
        broken = rules_broken(before, record_from_db([child]), start, settings.LA_CODE or None)
        if broken:
            raise ValidationError(
                {NON_FIELD_ERRORS: [f"{b.message} (DfE rule {b.code})" for b in broken]}
            )
        log.changed(
            acting_user,
            child,
            Action.ALLOCATED,
            "Social worker episode",
            after=_columns(opened),
        )
        refresh_due([child], today)
    return opened
