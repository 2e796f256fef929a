"""Every write of recording on a child's record (issue 12, "Recording"; WEB.md "Entry that
prevents errors").

Each action is one transaction. It checks that the user may record on the child (the
same "not found" as a page), holds the child's Header row so that two writes to one
child take turns, and reads the child's record as it is (`before`). It refuses what the
entry gets wrong — a date in the future or before the child was born, a code not used
in the date's collection year, dates out of order, an overlap, a duplicate — then
writes the rows, each with its audit row, reads the record again (`after`: exactly what
would be kept) and runs the SSDA903 rules on the two (`services.recording.rules_broken`);
a rule the entry would break undoes it all. Last, what is due to the child is worked
out again (`due.refresh_due`), inside the same transaction.

Refusals are `ValidationError`s keyed by the field they concern — the entry's DfE column
in lower case (`visit_date`), which is also the form's field name — or NON_FIELD_ERRORS.
A rule's breach has the code "rule"; a stale save the code "stale".

Nothing is deleted. A correction is a new row that `replaces` the old one, which is kept,
withdrawn as "corrected"; withdrawing needs a reason. A correction or a withdrawal names
the row as the person saw it (`Seen`: id and version) and is refused with STALE if
anyone has saved it since, never applied over their change. Ending an episode (a move,
leaving care) is not a correction: the episode was right and now has an end, so DEC and
REC are set on it, its version raised, and the audit row keeps it as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

import polars as pl
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carematters.records.periods import open_during
from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.services.recording import collection_year_of, rules_broken
from carematters.ssda903.codelists import code_group, code_list
from carematters.ssda903.years import FIRST_YEAR
from carematters.web.approvals import gatekeeping
from carematters.web.audit import log
from carematters.web.audit.models import Action
from carematters.web.bridge import mark_held, record_from_db
from carematters.web.casework.drafts import Draft
from carematters.web.casework.due import refresh_due
from carematters.web.casework.models import (
    CORRECTED,
    CarePlan,
    Episode,
    Header,
    HealthAssessment,
    MissingEpisode,
    Pep,
    RecordRow,
    ReturnInterview,
    Review,
    Visit,
)
from carematters.web.casework.tables import MODELS, field_name
from carematters.web.people.access import Purpose, child_for
from carematters.web.people.models import User

STALE = (
    "Someone else changed this entry while you were editing it. "
    "Check their change, then make yours again."
)
"""The refusal of a save made from an older version of a row than the database's."""

NEW_EPISODE_SAME_DAY = "X1"
"""REC of an episode that ends because another begins the same day (DfE's code)."""
MOVED, MOVED_AND_LEGAL_STATUS, LEGAL_STATUS_ONLY = "P", "B", "L"
"""RNE of a new episode (DfE's reason_new_episode): a change of placement and carers
only; that and a change of legal status at once; a change of legal status only."""

DAY_COLUMNS = {
    "visits": "VISIT_DATE",
    "reviews": "REVIEW",
    "health_assessments": "ASSESSMENT_DATE",
    "peps": "PEP_DATE",
    "care_plans": "PLAN_DATE",
    "missing": "MIS_START",
    "return_interviews": "OFFER_DATE",
    "pathway_plans": "EVENT_DATE",
    "pa_contacts": "CONTACT_DATE",
    "episodes": "DECOM",
}
"""The tables recording writes, each with the column that dates an entry."""

TITLES = {
    "visits": "Visit",
    "reviews": "Review",
    "health_assessments": "Health assessment",
    "peps": "PEP",
    "care_plans": "Plan",
    "missing": "Missing episode",
    "return_interviews": "Return interview offer",
    "pathway_plans": "Pathway plan",
    "pa_contacts": "Contact with personal adviser",
    "episodes": "Episode",
}
"""An entry of each table recording writes, in a word or two."""

CHANGED_EPISODE = frozenset(
    (*code_group("reason_new_episode", "change_of_placement"), LEGAL_STATUS_ONLY)
)
"""RNE of the episodes a move or a change of legal status begins (P, T, U, B; L), which
can be corrected and withdrawn here; a new period of care (S) cannot."""

_TABLE_OF: dict[type[RecordRow], str] = {model: name for name, model in MODELS.items()}
_Row = TypeVar("_Row", bound=RecordRow)


@dataclass(frozen=True)
class Seen:
    """A row as the person changing it last saw it: its id and its version."""

    id: int
    version: int


def day_in_words(day: date) -> str:
    """A date as GOV.UK writes it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def before_birth(child: str, day: date, what: str) -> str | None:
    """Why `day` cannot be a date in `child`'s record (`what` names it: "The date they
    were heard"), if it is before they were born; None if it is not, or no date of
    birth is recorded. One query."""
    born = Header.objects.current().filter(child=child).values_list("dob", flat=True).first()
    if born is None or day >= born:
        return None
    return f"{what} must be on or after the day they were born, {day_in_words(born)}"


WHILE_LOOKED_AFTER = frozenset({"visits", "reviews", "peps", "missing", "episodes"})
"""The tables of entries that happen only while the child is looked after: an entry's
date must fall in one of their periods of care (`_Write.day`), and a child's page offers
no form for them while the child is not looked after."""


def purpose_of(table: str) -> Purpose:
    """What a user must be allowed to do with the child to write to `table`: reviews are
    recorded by the allocated social worker or the IRO, PEP meetings also by the Virtual
    School Head and the designated teacher (`Purpose.PEP`), a care leaver's contacts by
    their personal adviser (`Purpose.ADVISE`), a pathway plan by either
    (`Purpose.PATHWAY_PLAN`), the rest as casework."""
    return {
        "reviews": Purpose.REVIEW,
        "peps": Purpose.PEP,
        "pa_contacts": Purpose.ADVISE,
        "pathway_plans": Purpose.PATHWAY_PLAN,
    }.get(table, Purpose.RECORD)


def values_of(row: RecordRow) -> dict[str, Any]:
    """The row's values by the schema's column names (CHILD included)."""
    table = record_table(_TABLE_OF[type(row)])
    assert table is not None  # noqa: S101 - every model's table is in the schema
    return {c.name: getattr(row, field_name(c.name)) for c in table.columns}


def _audited(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the audit trail keeps them (JSON: dates as ISO text)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


# One write in progress ----------------------------------------------------------------


class _Write:
    """One write to one child's record, inside its transaction: the record before it,
    the problems found so far, and the tables written to."""

    def __init__(self, child: str, user: User, before: Record) -> None:
        self.child = child
        self.user = user
        self.before = before
        self.today = timezone.localdate()
        self.problems: dict[str, list[ValidationError]] = {}
        self.written: set[str] = set()
        born = before.header.get_column("DOB").drop_nulls()
        self.dob: date | None = born.item(0) if born.len() else None

    # Checking ------------------------------------------------------------------------

    def refuse(self, field: str | None, message: str, code: str = "invalid") -> None:
        """Note a problem with `field` (None: with the entry as a whole)."""
        key = field or NON_FIELD_ERRORS
        self.problems.setdefault(key, []).append(ValidationError(message, code=code))

    def fine(self, field: str) -> bool:
        """Whether no problem has been noted with `field`."""
        return field not in self.problems

    def stop_if_refused(self) -> None:
        """Raise the problems noted so far, if any, as one ValidationError."""
        if self.problems:
            raise ValidationError(dict(self.problems))

    def day(self, field: str, day: date, what: str, *, in_care: bool = False) -> None:
        """Refuse `day` (`what` names it: "The date of the visit") if it is in the
        future, before the child was born, or (`in_care`) on a day they were not looked
        after: before they came into care, or after a period of care ended (the day it
        ended is still one of its days) and before the next began."""
        if day > self.today:
            self.refuse(field, f"{what} must be today or in the past", "future")
        elif self.dob is not None and day < self.dob:
            self.refuse(
                field,
                f"{what} must be on or after the day they were born, {day_in_words(self.dob)}",
                "before-birth",
            )
        elif in_care:
            self._looked_after(field, day, what)

    def _looked_after(self, field: str, day: date, what: str) -> None:
        episodes = self.before.episodes.filter(pl.col("DECOM").is_not_null())
        if episodes.is_empty():
            self.refuse(None, "They have no period of care recorded", "not-in-care")
            return
        first: date = episodes.get_column("DECOM").min()  # type: ignore[assignment]
        covering = open_during(episodes, day)
        if day < first:
            self.refuse(
                field,
                f"{what} must be on or after the day they came into care, {day_in_words(first)}",
                "before-care",
            )
        elif covering.is_empty():
            left: date = episodes.filter(pl.col("DEC") < day).get_column("DEC").max()  # type: ignore[assignment]
            self.refuse(
                field,
                f"{what} must be a day they were looked after: they left care on "
                f"{day_in_words(left)}",
                "not-in-care",
            )

    def code(
        self,
        field: str,
        codes: str,
        value: str,
        day: date,
        what: str,
        *,
        left_out: Collection[str] = (),
    ) -> None:
        """Refuse `value` unless the code list `codes` has it in `day`'s collection year
        (and it is not one of `left_out`, codes this entry cannot use). `what` names the
        choice: "how they took part in the review". The lists' years begin with
        FIRST_YEAR: an earlier date is judged by the codes of that year."""
        year = max(collection_year_of(day), FIRST_YEAR)
        found = code_list(codes).find(value)
        if found is None or value in left_out:
            self.refuse(field, f"Select {what}", "code")
        elif not found.valid_in(year):
            self.refuse(
                field,
                f"'{found.label}' is not used for a date in {year} ({found.years_text()}): "
                f"choose one used in {year}",
                "code-year",
            )

    # Writing -------------------------------------------------------------------------

    def locked(self, model: type[_Row], seen: Seen) -> _Row:
        """The child's row `seen` names, held, if it is in force and still the version
        the person saw; otherwise the write is refused with STALE."""
        row = (
            model._default_manager.select_for_update()
            .filter(pk=seen.id, child=self.child, withdrawn_at__isnull=True)
            .first()
        )
        if row is None or row.version != seen.version:
            raise ValidationError(STALE, code="stale")
        return cast(_Row, row)

    def add(
        self,
        model: type[_Row],
        values: Mapping[str, Any],
        what: str,
        *,
        replaces: _Row | None = None,
        action: Action | None = None,
        reason: str = "",
    ) -> _Row:
        """A new row of `model` for the child (`values` by column name), with its audit
        row: recorded, or (`replaces`) a correction of that row, which is withdrawn as
        corrected. `action` and `reason` say otherwise for the audit (a withdrawal made
        by correcting the row)."""
        if replaces is not None:
            self._save_version(
                replaces,
                withdrawn_at=timezone.now(),
                withdrawn_by=self.user,
                withdrawn_reason=CORRECTED,
            )
        fields: dict[str, Any] = {
            field_name(column): value for column, value in values.items() if column != "CHILD"
        }
        fields |= {"created_by": self.user, "modified_by": self.user, "replaces": replaces}
        row = cast(_Row, model._default_manager.create(child=self.child, **fields))
        self.written.add(_TABLE_OF[model])
        log.changed(
            self.user,
            self.child,
            action or (Action.CREATED if replaces is None else Action.CORRECTED),
            f"{what} ({row._meta.db_table} {row.pk})",
            before=None if replaces is None else _audited(values_of(replaces)),
            after=_audited(values_of(row)),
            reason=reason,
        )
        return row

    def change(self, row: _Row, values: Mapping[str, Any], what: str) -> _Row:
        """Set `values` (by column name) on `row` itself — an episode that was right and
        now ends, or is open again — with its audit row (before and after)."""
        before = values_of(row)
        fields = {field_name(column): value for column, value in values.items()}
        self._save_version(row, **fields)
        for field, value in fields.items():
            setattr(row, field, value)
        row.version += 1
        self.written.add(_TABLE_OF[type(row)])
        log.changed(
            self.user,
            self.child,
            Action.CREATED,
            f"{what} ({row._meta.db_table} {row.pk})",
            before=_audited(before),
            after=_audited(values_of(row)),
        )
        return row

    def withdraw(self, row: RecordRow, what: str, reason: str) -> None:
        """Withdraw `row` because of `reason`, with its audit row."""
        self._save_version(
            row, withdrawn_at=timezone.now(), withdrawn_by=self.user, withdrawn_reason=reason
        )
        self.written.add(_TABLE_OF[type(row)])
        log.changed(
            self.user,
            self.child,
            Action.WITHDRAWN,
            f"{what} ({row._meta.db_table} {row.pk})",
            before=_audited(values_of(row)),
            after=None,
            reason=reason,
        )

    def _save_version(self, row: RecordRow, **fields: Any) -> None:
        """Save `fields` on `row` only if it is in force and still at the version it was
        read at (UPDATE ... WHERE id AND version), raising its version by one; else STALE."""
        saved = (
            type(row)
            .objects.filter(pk=row.pk, version=row.version, withdrawn_at__isnull=True)
            .update(
                version=F("version") + 1,
                modified_at=timezone.now(),
                modified_by=self.user,
                **fields,
            )
        )
        if saved != 1:
            raise ValidationError(STALE, code="stale")

    def finish(self, day: date, table: str, entered: Collection[str]) -> None:
        """Refuse (so undo) the write for each SSDA903 rule of `day`'s year the record as
        it now stands breaks, each on the field it names among the columns of `table`
        the person `entered`, if any; then note the tables held and work out again what
        is due to the child."""
        after = record_from_db([self.child])
        for breach in rules_broken(self.before, after, day, settings.CAREMATTERS_LA_CODE):
            field = next(
                (c.lower() for c in breach.fields if breach.table == table and c in entered),
                None,
            )
            self.refuse(field, f"{breach.message} (DfE rule {breach.code})", "rule")
        self.stop_if_refused()
        mark_held(sorted(self.written))
        refresh_due([self.child], self.today)


@contextmanager
def _writing(child: str, user: User, purpose: Purpose) -> Iterator[_Write]:
    """A write to `child`'s record by `user` for `purpose`, in one transaction: raises
    Http404 (as a page would) if they may not; holds the child's Header row so that
    writes to one child take turns (PostgreSQL; SQLite writes one at a time anyway)."""
    with transaction.atomic():
        child_for(user, child, purpose)
        list(Header.objects.select_for_update().filter(child=child).values_list("pk"))
        yield _Write(child, user, record_from_db([child]))


# One-row entries ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """What recording a one-row entry needs to know of it."""

    model: type[RecordRow]
    day_column: str
    what: str
    """The entry in a word or two, as a sentence starts it: "Visit"."""
    when: str
    """Its date in words, as a sentence starts it: "The date of the visit"."""
    duplicate: str
    """Why a second one the same is refused."""
    codes: Mapping[str, tuple[str, str]]
    """Each code column: its code list, and the choice in words."""
    same: tuple[str, ...]
    """The columns beside the date that make two entries the same event."""
    with_dob: bool = False
    """Whether the table repeats the child's DOB (as SSDA903's tables do)."""


def _record_one(
    child: str,
    entry: _Entry,
    values: Mapping[str, Any],
    *,
    acting_user: User,
    correcting: Seen | None,
    check: Callable[[_Write], None] | None = None,
) -> Any:
    """Record (or, `correcting`, correct) a one-row entry with `values` (by column); a
    correction keeps the columns it does not set. `check` adds the entry's own checks."""
    table = _TABLE_OF[entry.model]
    day: date = values[entry.day_column]
    day_field = entry.day_column.lower()
    with _writing(child, acting_user, purpose_of(table)) as write:
        old = write.locked(entry.model, correcting) if correcting else None
        write.day(day_field, day, entry.when, in_care=table in WHILE_LOOKED_AFTER)
        # A code is judged by its date's year: not at all if the date is wrong.
        for column, (codes, called) in entry.codes.items() if write.fine(day_field) else ():
            write.code(column.lower(), codes, values[column], day, called)
        if check is not None:
            check(write)
        write.stop_if_refused()
        same = entry.model.objects.current().filter(
            child=child, **{c.lower(): values[c] for c in (entry.day_column, *entry.same)}
        )
        if old is not None:
            same = same.exclude(pk=old.pk)
        if same.exists():
            write.refuse(day_field, entry.duplicate, "duplicate")
        write.stop_if_refused()
        row_values = {**(values_of(old) if old else {}), **values}
        if entry.with_dob:
            row_values["DOB"] = write.dob
        row = write.add(
            entry.model, row_values, f"{entry.what} on {day_in_words(day)}", replaces=old
        )
        write.finish(day, table, values)
    return row


_VISIT = _Entry(
    Visit, "VISIT_DATE", "Visit", "The date of the visit",
    "A visit on this date is already recorded: change that one instead",
    {"SEEN_ALONE": ("seen_alone", "whether they were seen alone")}, same=(),
)  # fmt: skip


def record_visit(
    child: str,
    *,
    visit_date: date,
    seen_alone: str,
    not_alone_reason: str = "",
    acting_user: User,
    correcting: Seen | None = None,
) -> Visit:
    """A social worker's visit to `child` on `visit_date`, seen alone ("Y") or not ("N",
    with `not_alone_reason`, required then and refused for "Y"). SW_ID is the acting
    user's staff id; a correction keeps the visitor's. Raises ValidationError (see the
    module) or Http404."""
    reason = not_alone_reason.strip()

    def needs_a_reason(write: _Write) -> None:
        if seen_alone == "N" and not reason:
            write.refuse("not_alone_reason", "Enter why they were not seen alone", "required")
        elif seen_alone == "Y" and reason:
            write.refuse("not_alone_reason", "Leave this empty: they were seen alone", "not-needed")

    values: dict[str, Any] = {
        "VISIT_DATE": visit_date,
        "SEEN_ALONE": seen_alone,
        "NOT_ALONE_REASON": reason or None,
    }
    if correcting is None:
        values["SW_ID"] = acting_user.staff_id or None
    visit: Visit = _record_one(
        child,
        _VISIT,
        values,
        acting_user=acting_user,
        correcting=correcting,
        check=needs_a_reason,
    )
    return visit


_REVIEW = _Entry(
    Review, "REVIEW", "Review", "The date of the review",
    "A review on this date is already recorded: change that one instead",
    {"REVIEW_CODE": ("review_participation", "how they took part in the review")},
    same=(), with_dob=True,
)  # fmt: skip


def record_review(
    child: str, *, review: date, review_code: str, acting_user: User, correcting: Seen | None = None
) -> Review:
    """A review of `child`'s case on `review`, and how they took part (`review_code`,
    PN0 to PN7, as used in that collection year). Raises ValidationError (see the
    module) or Http404."""
    row: Review = _record_one(
        child,
        _REVIEW,
        {"REVIEW": review, "REVIEW_CODE": review_code},
        acting_user=acting_user,
        correcting=correcting,
    )
    return row


_HEALTH = _Entry(
    HealthAssessment, "ASSESSMENT_DATE", "Health assessment", "The date of the assessment",
    "This kind of health assessment on this date is already recorded: change that one instead",
    {"KIND": ("health_assessment_kind", "the kind of health assessment")},
    same=("KIND",),
)  # fmt: skip


def record_health_assessment(
    child: str,
    *,
    assessment_date: date,
    kind: str,
    acting_user: User,
    correcting: Seen | None = None,
) -> HealthAssessment:
    """A health assessment of `kind` (health_assessment_kind: IHA, RHA, SDQ, DENTAL) on
    `assessment_date`; an initial one may come just before care. Raises ValidationError
    (see the module) or Http404."""
    row: HealthAssessment = _record_one(
        child,
        _HEALTH,
        {"ASSESSMENT_DATE": assessment_date, "KIND": kind},
        acting_user=acting_user,
        correcting=correcting,
    )
    return row


_PEP = _Entry(
    Pep, "PEP_DATE", "PEP", "The date of the PEP meeting",
    "A PEP meeting on this date is already recorded: change that one instead",
    {}, same=(),
)  # fmt: skip


def record_pep(
    child: str, *, pep_date: date, acting_user: User, correcting: Seen | None = None
) -> Pep:
    """A personal education plan meeting on `pep_date`. Raises ValidationError (see the
    module) or Http404."""
    row: Pep = _record_one(
        child, _PEP, {"PEP_DATE": pep_date}, acting_user=acting_user, correcting=correcting
    )
    return row


_PLAN = _Entry(
    CarePlan, "PLAN_DATE", "Plan", "The date of the plan",
    "This kind of plan on this date is already recorded: change that one instead",
    {"KIND": ("care_plan_kind", "the kind of plan")}, same=("KIND",),
)  # fmt: skip


def record_plan(
    child: str, *, plan_date: date, kind: str, acting_user: User, correcting: Seen | None = None
) -> CarePlan:
    """A care, placement or permanence plan (`kind`: care_plan_kind) made or reviewed on
    `plan_date` (a care plan may come just before care). Raises ValidationError (see
    the module) or Http404."""
    row: CarePlan = _record_one(
        child,
        _PLAN,
        {"PLAN_DATE": plan_date, "KIND": kind},
        acting_user=acting_user,
        correcting=correcting,
    )
    return row


# Missing episodes and return interviews ---------------------------------------------


def _overlapping(
    child: str, start: date, end: date | None, old: MissingEpisode | None
) -> MissingEpisode | None:
    """The first missing episode in force (other than `old`) sharing a day with `start`
    to `end` (None: not back yet). One ending the day another starts does not overlap it."""
    others = MissingEpisode.objects.current().filter(child=child, mis_start__isnull=False)
    if old is not None:
        others = others.exclude(pk=old.pk)
    for other in others.order_by("mis_start"):
        assert other.mis_start is not None  # noqa: S101 - filtered above
        if other.mis_start == start or (
            (other.mis_end is None or other.mis_end > start)
            and (end is None or other.mis_start < end)
        ):
            return other
    return None


def record_missing(
    child: str,
    *,
    missing: str,
    mis_start: date,
    mis_end: date | None = None,
    acting_user: User,
    correcting: Seen | None = None,
) -> MissingEpisode:
    """A time `child` was missing ("M") or away without authorisation ("A") from
    `mis_start` to `mis_end` (None: not back yet). Refuses an end before the start and
    an overlap with another missing episode; correcting the start moves the return
    interview offer that followed it. Raises ValidationError (see the module) or Http404."""
    with _writing(child, acting_user, Purpose.RECORD) as write:
        old = write.locked(MissingEpisode, correcting) if correcting else None
        write.day("mis_start", mis_start, "The date they went missing", in_care=True)
        if mis_end is not None:
            write.day("mis_end", mis_end, "The date they came back")
            if mis_end < mis_start:
                write.refuse(
                    "mis_end",
                    "The date they came back must be on or after the date they went missing",
                    "order",
                )
        if write.fine("mis_start"):
            write.code("missing", "missing_type", missing, mis_start, "missing or away")
        write.stop_if_refused()
        if other := _overlapping(child, mis_start, mis_end, old):
            back = f"to {day_in_words(other.mis_end)}" if other.mis_end else "(not back yet)"
            write.refuse(
                "mis_start",
                f"This overlaps the missing episode from {day_in_words(other.mis_start)} {back}",  # type: ignore[arg-type]
                "overlap",
            )
        write.stop_if_refused()
        values = {"DOB": write.dob, "MISSING": missing, "MIS_START": mis_start, "MIS_END": mis_end}
        row = write.add(
            MissingEpisode, values, f"Missing from {day_in_words(mis_start)}", replaces=old
        )
        if old is not None and old.mis_start != mis_start:
            for offer in ReturnInterview.objects.current().filter(
                child=child, mis_start=old.mis_start
            ):
                write.add(
                    ReturnInterview,
                    {**values_of(offer), "MIS_START": mis_start},
                    TITLES["return_interviews"],
                    replaces=offer,
                )
        write.finish(mis_start, "missing", values)
    return row


def record_return_interview(
    child: str,
    *,
    mis_start: date,
    offer_date: date,
    acting_user: User,
    correcting: Seen | None = None,
) -> ReturnInterview:
    """An independent return interview offered on `offer_date` after the child's missing
    episode that began on `mis_start`; one offer is kept for each episode. Raises
    ValidationError (see the module) or Http404."""
    with _writing(child, acting_user, Purpose.RECORD) as write:
        old = write.locked(ReturnInterview, correcting) if correcting else None
        if not MissingEpisode.objects.current().filter(child=child, mis_start=mis_start).exists():
            write.refuse("mis_start", "Select the missing episode the offer followed", "code")
        write.day("offer_date", offer_date, "The date the interview was offered")
        if offer_date < mis_start:
            write.refuse(
                "offer_date",
                "The date the interview was offered must be on or after the day they went "
                f"missing, {day_in_words(mis_start)}",
                "order",
            )
        others = ReturnInterview.objects.current().filter(child=child, mis_start=mis_start)
        if old is not None:
            others = others.exclude(pk=old.pk)
        if others.exists():
            write.refuse(
                "mis_start",
                "A return interview offer is already recorded for this missing episode: "
                "change that one instead",
                "duplicate",
            )
        write.stop_if_refused()
        values = {"MIS_START": mis_start, "OFFER_DATE": offer_date}
        row = write.add(ReturnInterview, values, TITLES["return_interviews"], replaces=old)
        write.finish(offer_date, "return_interviews", values)
    return row


# Episodes: placement moves, legal status, leaving care ----------------------------------


def _open_episode(write: _Write, seen: Seen | None) -> Episode | None:
    """The child's open episode (no DEC; the latest, if the record has several), held;
    refused with STALE if it is not the one the person saw (`seen`), and noted as a
    problem if there is none."""
    episode = (
        Episode.objects.current()
        .select_for_update()
        .filter(child=write.child, dec__isnull=True)
        .order_by("-decom", "-pk")
        .first()
    )
    if episode is None:
        write.refuse(None, "They are not looked after: no episode of care is open", "not-in-care")
    elif seen is not None and (episode.pk != seen.id or episode.version != seen.version):
        raise ValidationError(STALE, code="stale")
    return episode


def _ended_by(write: _Write, episode: Episode) -> Episode | None:
    """The episode `episode` followed (in force, ended with X1 the day it began), held."""
    return (
        Episode.objects.current()
        .select_for_update()
        .filter(child=write.child, dec=episode.decom, rec=NEW_EPISODE_SAME_DAY)
        .exclude(pk=episode.pk)
        .order_by("-decom", "-pk")
        .first()
    )


def _later(write: _Write, episode: Episode) -> Episode | None:
    """An episode in force that began after `episode`, the first if several."""
    return (
        Episode.objects.current()
        .filter(child=write.child, decom__gt=episode.decom)
        .order_by("decom", "pk")
        .first()
    )


_EPISODE_CODES = (
    ("LS", "legal_status", "a legal status"),
    ("PLACE", "placement_type", "a placement type"),
    ("PLACE_PROVIDER", "placement_provider", "who provides the placement"),
)
"""The code columns a new episode may set: code list, and the choice in words."""

_SAME_PLACEMENT = ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
"""What a change of legal status only carries over from the episode before."""


@dataclass(frozen=True)
class _NewEpisode:
    """A new episode as a form gives it."""

    decom: date
    given: Mapping[str, Any]
    """The columns it sets (LS for a change of legal status; the placement for a move)."""
    what: str
    """"Placement move" or "Change of legal status"."""
    reason: str | None
    """Why the placement before it ended (REASON_PLACE_CHANGE, which DfE records on the
    episode that ends); None for a change of legal status only."""

    @property
    def legal_status_only(self) -> bool:
        return self.reason is None


def _check_provider(write: _Write, new: _NewEpisode) -> None:
    """A move says who provides the new placement, except a temporary move (T0-T4) or an
    other placement (Z1, Z11-Z14), which have no provider of their own and leave it
    blank (DfE rules 178 and 213)."""
    if new.legal_status_only or not new.given.get("PLACE"):
        return
    none_of_its_own = code_group("placement_type", "temporary") + code_group(
        "placement_type", "other"
    )
    provider = new.given.get("PLACE_PROVIDER")
    if new.given["PLACE"] in none_of_its_own and provider:
        write.refuse(
            "place_provider",
            "Leave who provides the placement empty: a temporary move or an other "
            "placement has no provider of its own",
            "no-provider",
        )
    elif new.given["PLACE"] not in none_of_its_own and not provider:
        write.refuse("place_provider", "Select who provides the placement", "required")


def _check_reason(write: _Write, new: _NewEpisode, before: Episode | None) -> None:
    """A move needs a reason the placement changed (DfE rule 225), except a move to or
    from a temporary placement, which is not a change of placement and has none (226)."""
    if new.reason is None:
        return
    temporary = code_group("placement_type", "temporary")
    if new.given.get("PLACE") in temporary or (before is not None and before.place in temporary):
        if new.reason:
            write.refuse(
                "reason_place_change",
                "Leave this empty: a move to or from a temporary placement is not a change "
                "of placement",
                "temporary",
            )
    elif not new.reason:
        write.refuse("reason_place_change", "Select why the placement changed", "required")
    else:
        write.code(
            "reason_place_change",
            "reason_place_change",
            new.reason,
            new.decom,
            "why the placement changed",
        )


def _new_episode(
    child: str,
    new: _NewEpisode,
    *,
    acting_user: User,
    ending: Seen | None,
    correcting: Seen | None,
) -> Episode:
    """A new episode from `new.decom`, the open one ending that day with X1 (and the
    reason its placement changed); or (`correcting`) such an episode corrected, the one
    before it then ending on the corrected day, for the corrected reason. RNE as DfE
    defines it: L for a change of legal status only, else B if the legal status changes
    too, else P."""
    decom, what = new.decom, new.what.lower()
    with _writing(child, acting_user, Purpose.RECORD) as write:
        old = write.locked(Episode, correcting) if correcting else None
        before = _ended_by(write, old) if old else _open_episode(write, ending)
        write.day("decom", decom, f"The date of the {what}", in_care=True)
        write.stop_if_refused()
        base = old or before
        assert base is not None  # noqa: S101 - no open episode was refused above
        if before is not None and before.decom is not None and decom < before.decom:
            write.refuse(
                "decom",
                f"The date of the {what} must be on or after the day the episode before it "
                f"began, {day_in_words(before.decom)}",
                "order",
            )
        if old is not None and old.dec is not None and decom > old.dec:
            write.refuse(
                "decom",
                f"The date of the {what} must be on or before the day this episode ended, "
                f"{day_in_words(old.dec)}",
                "order",
            )
        ls = new.given.get("LS") or base.ls
        if new.legal_status_only and before is not None and ls == before.ls:
            write.refuse("ls", "Select a legal status other than the one they had", "same")
        if write.fine("decom"):
            for column, codes, called in _EPISODE_CODES:
                # A blank provider is _check_provider's to judge: some placements have none.
                if new.given.get(column) is not None and new.given[column] != "":
                    write.code(column.lower(), codes, new.given[column], decom, called)
            _check_reason(write, new, before)
            _check_provider(write, new)
            # A move a decision gate covers needs its approval first (approvals app).
            if not (new.legal_status_only or write.problems) and (
                refused := gatekeeping.move_refused(child, decom, new.given, before=before, old=old)
            ):
                write.refuse("decom", refused, "approval")
        write.stop_if_refused()
        if new.legal_status_only:
            rne = LEGAL_STATUS_ONLY
        elif before is not None:
            rne = MOVED_AND_LEGAL_STATUS if ls != before.ls else MOVED
        else:
            rne = base.rne or MOVED
        carried = {"CIN": base.cin, "HOME_POST": base.home_post}
        if new.legal_status_only:
            carried |= {column: values_of(base)[column] for column in _SAME_PLACEMENT}
        values = {
            **carried,
            **new.given,
            "DECOM": decom,
            "RNE": rne,
            "LS": ls,
            # The episode's own end, if a correction's episode has one, stays as it was.
            "DEC": old.dec if old else None,
            "REC": old.rec if old else None,
            "REASON_PLACE_CHANGE": old.reason_place_change if old else None,
        }
        reason = new.reason or None
        if before is not None and (before.dec, before.reason_place_change) != (decom, reason):
            write.change(
                before,
                {"DEC": decom, "REC": NEW_EPISODE_SAME_DAY, "REASON_PLACE_CHANGE": reason},
                f"Episode ended by the {what} on {day_in_words(decom)}",
            )
        row = write.add(Episode, values, f"{new.what} on {day_in_words(decom)}", replaces=old)
        entered = {"DECOM", *new.given} | ({"REASON_PLACE_CHANGE"} if new.reason else set())
        write.finish(decom, "episodes", entered)
    return row


def reason_for_move(episode: Episode) -> str | None:
    """Why the placement before `episode` (begun by a move) changed: recorded, as DfE
    has it, on the episode that ended the day `episode` began."""
    return (
        Episode.objects.current()
        .filter(child=episode.child, dec=episode.decom, rec=NEW_EPISODE_SAME_DAY)
        .exclude(pk=episode.pk)
        .values_list("reason_place_change", flat=True)
        .first()
    )


def record_placement_move(
    child: str,
    *,
    decom: date,
    place: str,
    place_provider: str,
    pl_post: str,
    reason_place_change: str = "",
    ls: str = "",
    urn: str = "",
    acting_user: User,
    ending: Seen | None = None,
    correcting: Seen | None = None,
) -> Episode:
    """`child` moves on `decom` to a new placement: its type (`place`), provider and
    postcode, its Ofsted URN if it has one; with a new legal status `ls` at the same
    time (RNE B), or not ("" or the same: RNE P). The open episode (`ending`: as the
    person saw it) ends that day with X1 and `reason_place_change`, why its placement
    changed (required, except around a temporary placement, where it must be empty).
    Raises ValidationError (see the module) or Http404."""
    given: dict[str, Any] = {
        "PLACE": place,
        "PLACE_PROVIDER": place_provider,
        "PL_POST": pl_post.strip().upper() or None,
        "URN": urn.strip().upper() or None,
    }
    if ls:
        given["LS"] = ls
    return _new_episode(
        child,
        _NewEpisode(decom, given, "Placement move", reason=reason_place_change.strip()),
        acting_user=acting_user,
        ending=ending,
        correcting=correcting,
    )


def record_legal_status(
    child: str,
    *,
    decom: date,
    ls: str,
    acting_user: User,
    ending: Seen | None = None,
    correcting: Seen | None = None,
) -> Episode:
    """`child`'s legal status becomes `ls` on `decom`, in the same placement: a new
    episode (RNE L), the open one (`ending`: as the person saw it) ending that day with
    X1. Raises ValidationError (see the module) or Http404."""
    return _new_episode(
        child,
        _NewEpisode(decom, {"LS": ls}, "Change of legal status", reason=None),
        acting_user=acting_user,
        ending=ending,
        correcting=correcting,
    )


def left_care(episode: Episode) -> bool:
    """Whether the child stopped being looked after when `episode` ended (it ended, and
    not because another episode began)."""
    return episode.dec is not None and episode.rec not in {None, NEW_EPISODE_SAME_DAY}


def record_leaving_care(
    child: str,
    *,
    dec: date,
    rec: str,
    acting_user: User,
    ending: Seen | None = None,
    correcting: Seen | None = None,
) -> Episode:
    """`child` stops being looked after on `dec`, for the reason `rec` (reason_episode_
    ceased as used that year; not X1, which begins another episode): the open episode
    (`ending`: as the person saw it) ends; or (`correcting`) the end recorded on that
    episode is corrected. Raises ValidationError (see the module) or Http404."""
    with _writing(child, acting_user, Purpose.RECORD) as write:
        episode = write.locked(Episode, correcting) if correcting else _open_episode(write, ending)
        if correcting and episode is not None and not left_care(episode):
            write.refuse(None, "This episode does not record them leaving care", "not-ended")
        write.day("dec", dec, "The date they left care")
        if write.fine("dec"):
            write.code(
                "rec",
                "reason_episode_ceased",
                rec,
                dec,
                "why they left care",
                left_out={NEW_EPISODE_SAME_DAY},
            )
        write.stop_if_refused()
        assert episode is not None  # noqa: S101 - no open episode was refused above
        if episode.decom is not None and dec < episode.decom:
            write.refuse(
                "dec",
                "The date they left care must be on or after the day their last episode "
                f"began, {day_in_words(episode.decom)}",
                "order",
            )
        elif refused := gatekeeping.leaving_refused(
            child, dec, episode, correcting is not None, rec
        ):
            write.refuse("dec", refused, "approval")
        write.stop_if_refused()
        ended = {"DEC": dec, "REC": rec}
        what = f"Left care on {day_in_words(dec)}"
        if correcting is None:
            row = write.change(episode, ended, what)
        else:
            row = write.add(Episode, {**values_of(episode), **ended}, what, replaces=episode)
        write.finish(dec, "episodes", ended)
    return row


# Withdrawing --------------------------------------------------------------------------


def withdraw_entry(
    child: str,
    table: str,
    seen: Seen,
    *,
    reason: str,
    acting_user: User,
    leaving_care: bool = False,
) -> None:
    """Withdraw the entry `seen` of `table` (one of DAY_COLUMNS) because of `reason`
    (required): it stays in the database, no longer in force. A missing episode takes
    its return interview offer with it. An episode begun by a move or a change of legal
    status re-opens the one it ended; only the latest episode can be withdrawn. With
    `leaving_care`, what is withdrawn is the end of care recorded on the episode `seen`,
    which is open again. Raises ValidationError (a blank reason, STALE, a rule the
    record would then break, an episode that cannot be withdrawn) or Http404."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this entry is being withdrawn"})
    with _writing(child, acting_user, purpose_of(table)) as write:
        row = write.locked(MODELS[table], seen)
        if isinstance(row, Episode):
            day = _withdraw_episode(write, row, reason, leaving_care=leaving_care)
        else:
            day = getattr(row, field_name(DAY_COLUMNS[table])) or write.today
            write.withdraw(row, f"{TITLES[table]} on {day_in_words(day)}", reason)
            if isinstance(row, MissingEpisode):
                for offer in ReturnInterview.objects.current().filter(
                    child=child, mis_start=row.mis_start
                ):
                    write.withdraw(offer, TITLES["return_interviews"], reason)
        write.finish(day, table, ())


def _withdraw_episode(write: _Write, row: Episode, reason: str, *, leaving_care: bool) -> date:
    """Withdraw the end of care on `row` (`leaving_care`), or `row` itself if a move or
    change of legal status began it, re-opening the episode it ended. Gives the day
    whose collection year's rules apply."""
    begun_by_a_change = row.rne in CHANGED_EPISODE
    later = _later(write, row)
    if later is not None:
        write.refuse(
            None,
            f"A later episode begins on {day_in_words(later.decom)}: withdraw that first",  # type: ignore[arg-type]
            "later-episode",
        )
    elif leaving_care:
        if not left_care(row):
            write.refuse(None, "This episode does not record them leaving care", "not-ended")
    elif not begun_by_a_change:
        write.refuse(
            None,
            "The start of a period of care cannot be withdrawn here: a performance officer "
            "corrects the record",
            "start-of-care",
        )
    elif row.dec is not None:
        write.refuse(
            None, "They left care at the end of this episode: withdraw that first", "ended"
        )
    write.stop_if_refused()
    if leaving_care:
        assert row.dec is not None  # noqa: S101 - refused above
        reopened = write.add(
            Episode,
            {**values_of(row), "DEC": None, "REC": None},
            f"Left care on {day_in_words(row.dec)}",
            replaces=row,
            action=Action.WITHDRAWN,
            reason=reason,
        )
        return reopened.decom or write.today
    previous = _ended_by(write, row)
    write.withdraw(row, f"{TITLES['episodes']} from {day_in_words(row.decom)}", reason)  # type: ignore[arg-type]
    if previous is not None:
        write.change(
            previous, {"DEC": None, "REC": None, "REASON_PLACE_CHANGE": None}, "Episode open again"
        )
    return row.decom or write.today


# Drafts ---------------------------------------------------------------------------------

DRAFT_LIMIT = 10_000
"""The most characters a draft's answers may hold in all: a form's worth, and no more."""


def save_draft(
    user: User,
    child: str,
    kind: str,
    typed: Mapping[str, str],
    *,
    table: str,
    draft: int | None = None,
    entry: str = "",
    correcting: Seen | None = None,
) -> Draft:
    """Keep a recording form's answers as `user` typed them (`typed`: input name to
    text), unchecked, as their draft of the form `kind` (which writes to `table`) for
    `child`: the draft `draft` if it is theirs for that form and child (and the same
    entry), else a new one. For a correction, `entry` (its page's name for the entry) and
    `correcting` (the row and the version the person began from) are kept with it. Not
    part of the record, so not audited; the user must still be allowed to write to
    `table` on the child (else Http404). Raises ValidationError for answers that are
    not text, or too long in all."""
    answers = {str(name): value for name, value in typed.items()}
    if not all(isinstance(value, str) for value in answers.values()) or (
        sum(len(name) + len(value) for name, value in answers.items()) > DRAFT_LIMIT
    ):
        raise ValidationError("A draft holds a form's answers as text, and no more", code="shape")
    with transaction.atomic():
        child_for(user, child, purpose_of(table))
        row = None if correcting is None else correcting.id
        version = None if correcting is None else correcting.version
        entry = entry if correcting is not None else ""
        mine = Draft.objects.select_for_update().filter(
            user=user, child=child, kind=kind, entry=entry, row=row
        )
        found = mine.filter(pk=draft).first() if draft is not None else None
        if found is None:
            return Draft.objects.create(
                user=user,
                child=child,
                kind=kind,
                data=answers,
                entry=entry,
                row=row,
                version=version,
            )
        found.data = answers
        found.updated_at = timezone.now()
        found.save(update_fields=["data", "updated_at"])
        return found


def discard_draft(user: User, draft: int) -> None:
    """Remove `user`'s draft `draft` (once its entry is recorded); another's is left."""
    Draft.objects.filter(pk=draft, user=user).delete()
