"""The IRO's page (`/reviews/`): the children they are the named IRO for, each with what
they need before the next review (REQUIREMENTS.md "What a user would see first", IRO):

- when it is due and how long until then (the stored review duties, `casework.due`), and
  whether they postponed it;
- whether they have seen the child alone since the last review, what the child said, and
  what helps them communicate (Care Matters 2007 para 7.33);
- whether the evidence is ready: a care plan made or reviewed since the last review (or,
  before the first, since they came into care), and no plan overdue (para 6.12);
- significant events since the last review that needed a review first (`events`);

and their caseload against the authority's band (`iro.caseload`). Every table is read for
all the page's children at once, so the page costs the same queries for 5 children as
for 70.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import polars as pl

from carematters.parameters import Quantity, Reference, parameters
from carematters.records.periods import looked_after_on
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

TABLES = ("header", "episodes", "reviews", "care_plans")
"""The record tables the page reads."""
REVIEW_DUTY, PLAN_DUTY = "review.", "plan."
"""How the ids of the review duties (`duties.reviews`, `duties.short_breaks`) and the plan
duties (`duties.plans`) begin."""
CARE_PLAN = "CARE"
"""The care plan's KIND in the record's care_plans table."""


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
    """None where the record keeps no plans, so nobody can say."""
    evidence_problems: list[str]
    events: list[dict[str, Any]]
    """Significant events since the last review: DATE, KIND, TEXT."""

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
class IroPage:
    """The IRO's page: their children (next review first), those whose review they
    postponed, their caseload against the band, the open escalations on their children,
    and the day what is due was worked out on."""

    lines: list[ReviewLine]
    postponed: list[ReviewLine]
    band: Band
    escalations: list[Standing]
    worked_out_on: date | None


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
    care_plans: dict[str, date],
    overdue_plans: dict[str, list[str]],
    keeps_plans: bool,
) -> tuple[bool | None, list[str]]:
    """Whether the evidence for `child`'s next review is ready, and what is missing."""
    if not keeps_plans:
        return None, ["The record keeps no plans, so this cannot be checked"]
    problems = []
    plan = care_plans.get(child)
    if plan is None:
        problems.append("No care plan since they came into care")
    elif last_review is not None and plan < last_review:
        problems.append(
            f"The care plan was last updated on {plan:%-d %B %Y}, before the last review"
        )
    problems += [f"{title} overdue" for title in overdue_plans.get(child, [])]
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
    next_review = (
        duties.filter(pl.col("DUTY").str.starts_with(REVIEW_DUTY) & pl.col("STATUS").is_in(TO_DO))
        .sort("DUE_DATE")
        .unique("CHILD", keep="first")
        .with_columns(TITLE=pl.col("DUTY").replace_strict(DUTY_TITLES, default=pl.col("DUTY")))
    )
    overdue_plans = (
        duties.filter(pl.col("DUTY").str.starts_with(PLAN_DUTY) & (pl.col("STATUS") == "overdue"))
        .with_columns(TITLE=pl.col("DUTY").replace_strict(DUTY_TITLES, default=pl.col("DUTY")))
        .group_by("CHILD")
        .agg(pl.col("TITLE").sort())
    )
    last_reviews = _by_child(reviews, "LAST_REVIEW")
    due_dates = _by_child(next_review, "DUE_DATE")
    titles = _by_child(next_review, "TITLE")
    plans = _by_child(care_plans, "PLAN_DATE")
    overdue = {child: list(titles_) for child, titles_ in _by_child(overdue_plans, "TITLE").items()}
    heard = heard_by_children(children)
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
        ready, problems = _evidence(child, last, plans, overdue, record.holds("care_plans"))
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
                events=events_of.get(child, []),
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
    )
