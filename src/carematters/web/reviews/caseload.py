"""The IRO's page (`/reviews/`): the children they are the named IRO for, each with what
they need before the next review (REQUIREMENTS.md "What a user would see first", IRO):

- when it is due and how long until then (the stored review duties, `casework.due`), and
  whether they postponed it;
- whether they have seen the child alone since the last review, what the child said, and
  what helps them communicate (Care Matters 2007 para 7.33);
- whether the evidence is ready: "an up-to-date assessment and plan" (issue 13; Care
  Matters 2007 para 6.12 lets the IRO postpone a review when the needs assessment is
  missing). The plan: a care plan made or reviewed since the last review (or, before the
  first, since they came into care), and no plan overdue. The assessment: the record
  keeps no general "assessment of needs" row, so we take the statutory assessments it
  does keep and whose timescales are duties: a health assessment (initial or review, CPPCR
  2010 reg 7, which feeds the care plan's health plan) made in this period of care and
  neither health-assessment duty overdue, and, for a young person owed one, the leaving
  care needs assessment not overdue (CLR 2010 reg 42). An assessment within its
  timescale is up to date; one past it, or none at all, is not (`_evidence`);
- significant events since the last review that needed a review first (`events`);
- decisions the young person disputes, open, with who holds each and by when
  (`approvals.disputes`): this is how their IRO is told;

and their caseload against the authority's band (`iro.caseload`). A summary table has a
line per child, and the IRO can narrow the page to the children who need something
(`FILTERS`: review overdue or due soon, not seen alone yet, evidence not ready). Every
table is read for
all the page's children at once, so the page costs the same queries for 5 children as
for 70.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import polars as pl

from carematters.calendar.working_days import working_days_after
from carematters.parameters import Quantity, Reference, parameters
from carematters.records.periods import looked_after_on
from carematters.records.record import Record
from carematters.web.approvals.disputes import open_disputes
from carematters.web.approvals.models import Dispute
from carematters.web.bridge import record_from_db
from carematters.web.casework.due import DUTY_TITLES, TO_DO, Due, due_table, stored_on
from carematters.web.casework.lines import lines_of
from carematters.web.casework.summaries import described
from carematters.web.people import access
from carematters.web.people.access import Purpose
from carematters.web.people.models import User
from carematters.web.reviews.escalations import Standing, standings
from carematters.web.reviews.events import significant_events
from carematters.web.reviews.models import ChildView, Escalation, Outcome, Postponement
from carematters.web.reviews.voice import heard_by_children

TABLES = ("header", "episodes", "reviews", "care_plans", "health_assessments")
"""The record tables the page reads."""
REVIEW_DUTY, PLAN_DUTY = "review.", "plan."
"""How the ids of the review duties (`duties.reviews`, `duties.short_breaks`) and the plan
duties (`duties.plans`) begin."""
CARE_PLAN = "CARE"
"""The care plan's KIND in the record's care_plans table."""
HEALTH_ASSESSMENTS = ("IHA", "RHA")
"""The KINDs of health assessment (initial, review) that assess the child's health needs;
an SDQ or a dental check alone is not an assessment of their needs."""
ASSESSMENT_DUTIES = ("health.initial", "health.review", "leaving_care.needs_assessment")
"""The duties whose being overdue means the assessment is out of date."""
DUE_SOON = 20
"""Working days ahead within which a review counts as due soon, for the filter: the time
the first review of a child new to care is given (`reviews.first`), so an IRO sees in
time the reviews they must prepare now."""


@dataclass(frozen=True)
class ReviewLine:
    """One child on the IRO's page."""

    child: str
    name: str
    known_as: str | None
    age: int | None
    href: str
    last_review: date | None
    next_due: date | None
    next_title: str | None
    days_to_go: int | None
    """Days from today to the next review: negative once it is overdue."""
    postponed: Postponement | None
    """The postponement of the next review, if the IRO postponed it (since the last)."""
    seen_alone: ChildView | None
    """The latest time this IRO saw them alone since the last review."""
    said: ChildView | None
    """The latest thing they said since the last review, to anyone who recorded it."""
    communication_needs: str
    evidence_ready: bool | None
    """None where the record keeps no plans or no health assessments, so nobody can say."""
    evidence_problems: list[str]
    assessed_on: date | None
    """Their latest health assessment (initial or review) in this period of care."""
    events: list[dict[str, Any]]
    """Significant events since the last review: DATE, KIND, TEXT."""
    disputes: list[Dispute]
    """Decisions about them the young person disputes, still open, oldest first: the
    IRO is told of each (Care Matters 2007 para 6.15-6.16; `approvals.disputes`)."""

    @property
    def days_overdue(self) -> int:
        """How many days late the next review is (0 if it is not)."""
        return max(0, -(self.days_to_go or 0))


@dataclass(frozen=True)
class Band:
    """The IRO's caseload against the authority's band (`iro.caseload`)."""

    children: int
    fewest: int
    most: int
    quantity: Quantity

    @property
    def above(self) -> bool:
        return self.children > self.most

    @property
    def below(self) -> bool:
        return self.children < self.fewest

    @property
    def sources(self) -> list[Reference]:
        """Where the band comes from, as a reader knows the documents: each title without
        our own note of which seed document holds it ("(seed 001)")."""
        return [replace(r, title=SEED_NOTE.sub("", r.title)) for r in self.quantity.reference]


SEED_NOTE = re.compile(r"\s*\(seed \d+\)")
"""Our note, in a parameter's reference, of the seed document it was read from."""


@dataclass(frozen=True)
class Filter:
    """One way the IRO can narrow their page: its GET value, its label, and the test a
    child's line must pass (given the last day a review counts as due soon)."""

    value: str
    label: str
    hint: str
    keeps: Callable[[ReviewLine, date], bool]


FILTERS = (
    Filter(
        "due",
        "Review overdue or due soon",
        f"Overdue, or due in the next {DUE_SOON} working days",
        lambda line, due_by: line.next_due is not None and line.next_due <= due_by,
    ),
    Filter(
        "not-seen",
        "Not seen alone yet",
        "You have not seen them alone since their last review",
        lambda line, _: line.seen_alone is None,
    ),
    Filter(
        "not-ready",
        "Evidence not ready",
        "No up-to-date assessment or plan, or the record cannot say",
        lambda line, _: line.evidence_ready is not True,
    ),
)
"""The filters of the IRO's page, in the order shown (`?show=due&show=not-ready`). Ticked
together, a child is shown only if they match every one: the IRO narrows down to, say,
the reviews due soon whose evidence is not ready."""


def narrowed(
    lines: Sequence[ReviewLine], chosen: Collection[str], due_by: date
) -> list[ReviewLine]:
    """The `lines` that pass every filter whose value is in `chosen` (unknown values are
    ignored, so an old bookmark still works)."""
    tests = [f.keeps for f in FILTERS if f.value in chosen]
    return [line for line in lines if all(keeps(line, due_by) for keeps in tests)]


@dataclass(frozen=True)
class IroPage:
    """The IRO's page: their children (next review first), those whose review they
    postponed, their caseload against the band, the open escalations on their children,
    and the day what is due was worked out on."""

    lines: list[ReviewLine]
    postponed: list[ReviewLine]
    band: Band
    escalations: list[Standing]
    worked_out_on: date | None
    due_by: date
    """The last day a review counts as due soon (`DUE_SOON` working days from today)."""


def band_on(children: int, today: date) -> Band:
    """`children` against the caseload band in force on `today`."""
    quantity = parameters(today)["iro.caseload"]
    if not isinstance(quantity.value, tuple):
        raise TypeError(f"iro.caseload is a band, fewest and most: not {quantity.value!r}")
    fewest, most = (int(v) for v in quantity.value)
    return Band(children, fewest, most, quantity)


def _by_child(frame: pl.DataFrame, value: str) -> dict[str, Any]:
    return dict(zip(frame.get_column("CHILD"), frame.get_column(value), strict=True))


def _latest(views: Sequence[ChildView], after: date | None, **matching: Any) -> ChildView | None:
    """The newest of `views` (newest first) heard after `after` (any, if None) whose
    fields equal `matching`."""
    return next(
        (
            v
            for v in views
            if (after is None or v.heard_on > after)
            and all(getattr(v, name) == value for name, value in matching.items())
        ),
        None,
    )


def _evidence(
    child: str,
    last_review: date | None,
    *,
    care_plans: dict[str, date],
    assessments: dict[str, date],
    overdue: dict[str, list[str]],
    record: Record,
) -> tuple[bool | None, list[str]]:
    """Whether the evidence for `child`'s next review is ready, and what is missing (see
    the module): an up-to-date plan and an up-to-date assessment."""
    unknown = [
        f"The record keeps no {what}, so this cannot be checked"
        for table, what in (("care_plans", "plans"), ("health_assessments", "health assessments"))
        if not record.holds(table)
    ]
    if unknown:
        return None, unknown
    problems = []
    plan = care_plans.get(child)
    if plan is None:
        problems.append("No care plan since they came into care")
    elif last_review is not None and plan < last_review:
        problems.append(
            f"The care plan was last updated on {plan:%-d %B %Y}, before the last review"
        )
    if child not in assessments:
        problems.append("No health assessment since they came into care")
    problems += [f"{title} overdue" for title in overdue.get(child, [])]
    return not problems, problems


def next_review_due(child: str) -> date | None:
    """When `child`'s next review is due, as what is due was last worked out (the
    earliest review duty still to do), or None if none is. One query."""
    return (
        Due.objects.filter(child=child, duty__startswith=REVIEW_DUTY, status__in=TO_DO)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )


def iro_page(user: User, today: date) -> IroPage:
    """The IRO `user`'s page on `today` (see the module): about fifteen queries, however
    many children."""
    children = sorted(child for child in access.child_ids_visible_to(user, Purpose.REVIEW) if child)
    lines = described(lines_of(children, today), {})
    duties = due_table(children)
    record = record_from_db(children, only=TABLES)
    in_care = looked_after_on(record.episodes, today).select("CHILD", "PERIOD_START")
    reviews = (
        record.reviews.filter(pl.col("REVIEW") <= today)
        .group_by("CHILD")
        .agg(LAST_REVIEW=pl.col("REVIEW").max())
    )
    since = (
        in_care.join(reviews, on="CHILD", how="left")
        .select("CHILD", SINCE=pl.coalesce("LAST_REVIEW", "PERIOD_START"))
        .unique("CHILD")
    )
    events = significant_events(record.episodes, record.header, since, today)
    care_plans = (
        record.care_plans.filter((pl.col("KIND") == CARE_PLAN) & (pl.col("PLAN_DATE") <= today))
        .join(in_care, on="CHILD")
        .filter(pl.col("PLAN_DATE") >= pl.col("PERIOD_START"))
        .group_by("CHILD")
        .agg(pl.col("PLAN_DATE").max())
    )
    assessments = (
        record.health_assessments.filter(
            pl.col("KIND").is_in(HEALTH_ASSESSMENTS) & (pl.col("ASSESSMENT_DATE") <= today)
        )
        .join(in_care, on="CHILD")
        .filter(pl.col("ASSESSMENT_DATE") >= pl.col("PERIOD_START"))
        .group_by("CHILD")
        .agg(pl.col("ASSESSMENT_DATE").max())
    )
    next_review = (
        duties.filter(pl.col("DUTY").str.starts_with(REVIEW_DUTY) & pl.col("STATUS").is_in(TO_DO))
        .sort("DUE_DATE")
        .unique("CHILD", keep="first")
        .with_columns(TITLE=pl.col("DUTY").replace_strict(DUTY_TITLES, default=pl.col("DUTY")))
    )
    overdue_plans = (
        duties.filter(
            (pl.col("DUTY").str.starts_with(PLAN_DUTY) | pl.col("DUTY").is_in(ASSESSMENT_DUTIES))
            & (pl.col("STATUS") == "overdue")
        )
        .with_columns(TITLE=pl.col("DUTY").replace_strict(DUTY_TITLES, default=pl.col("DUTY")))
        .group_by("CHILD")
        .agg(pl.col("TITLE").sort())
    )
    last_reviews = _by_child(reviews, "LAST_REVIEW")
    due_dates = _by_child(next_review, "DUE_DATE")
    titles = _by_child(next_review, "TITLE")
    plans = _by_child(care_plans, "PLAN_DATE")
    assessed = _by_child(assessments, "ASSESSMENT_DATE")
    overdue = {child: list(titles_) for child, titles_ in _by_child(overdue_plans, "TITLE").items()}
    heard = heard_by_children(children)
    disputed = open_disputes(children)
    postponements: dict[str, Postponement] = {}
    for p in Postponement.objects.filter(child__in=children):  # newest first
        postponements.setdefault(p.child, p)
    events_of: dict[str, list[dict[str, Any]]] = {}
    for row in events.iter_rows(named=True):
        events_of.setdefault(row["CHILD"], []).append(row)

    shown = []
    for row in lines.iter_rows(named=True):
        child = row["CHILD"]
        last = last_reviews.get(child)
        views = heard.get(child, [])
        ready, problems = _evidence(
            child,
            last,
            care_plans=plans,
            assessments=assessed,
            overdue=overdue,
            record=record,
        )
        postponed = postponements.get(child)
        due = due_dates.get(child)
        shown.append(
            ReviewLine(
                child=child,
                name=row["NAME"],
                known_as=row["KNOWN_AS"],
                age=row["AGE"],
                href=row["HREF"],
                last_review=last,
                next_due=due,
                next_title=titles.get(child),
                days_to_go=None if due is None else (due - today).days,
                postponed=postponed
                if postponed and (last is None or last < postponed.postponed_on)
                else None,
                seen_alone=_latest(views, last, recorded_by_id=user.pk, seen_alone=True),
                said=_latest(views, last),
                communication_needs=next(
                    (v.communication_needs for v in views if v.communication_needs), ""
                ),
                evidence_ready=ready,
                evidence_problems=problems,
                assessed_on=assessed.get(child),
                events=events_of.get(child, []),
                disputes=disputed.get(child, []),
            )
        )
    shown.sort(key=lambda line: (line.next_due or date.max, line.name))
    open_escalations = Escalation.objects.filter(child__in=children, outcome=Outcome.OPEN)
    return IroPage(
        lines=shown,
        band=band_on(len(children), today),
        escalations=standings(open_escalations),
        worked_out_on=stored_on(duties),
        postponed=[line for line in shown if line.postponed is not None],
        due_by=working_days_after(today, DUE_SOON),
    )
