"""The IRO service's annual report (IRO Handbook 2010; Care Matters 2007 para 7.33b: IROs
are a source of information for the director on how care planning and reviewing work),
for one year from 1 April to 31 March, with no child named:

- reviews held in the year, and how many on time: each review is due as the law times it
  from the one before in the same period of care (the first within `reviews.first` of
  coming into care, the second within `reviews.second` of the first, each later one
  within `reviews.subsequent` of the last), and is on time if held by then. Reviews of
  children on short breaks (legal status V3, V4) follow their own timetable and are left
  out of the timeliness figure;
- of those reviews, how many the child was seen alone by an IRO beforehand: a view
  recorded by an IRO, seen alone, since the review before (or since they came into care)
  and by the review's day;
- how children took part: each DfE participation code, PN0 to PN7, counted;
- reviews postponed in the year, by reason: each review counted once however many times it
  was postponed (a review is the child's and the day it was due), and the postponements;
- escalations raised in the year, by the last stage they reached and where they stand
  now; and referrals to Cafcass made in the year.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import Max

from carematters.calendar.timescales import after
from carematters.parameters import parameters
from carematters.records.periods import periods_of_care
from carematters.ssda903.codelists import code_group, code_list
from carematters.ssda903.years import CollectionYear
from carematters.web.bridge import record_from_db
from carematters.web.people.roles import Role
from carematters.web.reviews.escalations import stages_on
from carematters.web.reviews.models import (
    ChildView,
    Escalation,
    Outcome,
    PostponedBecause,
    Postponement,
)

NOT_RECORDED = "Not recorded"
TIMING = (
    "the first within {reviews.first} of coming into care, the second within "
    "{reviews.second} of the first, and each later one within {reviews.subsequent} of the last"
)
"""When each review is due, in words, as the parameters of the year have it."""


@dataclass(frozen=True)
class Count:
    """One line of a table of the report: what is counted, and how many."""

    label: str
    count: int


@dataclass(frozen=True)
class StageRow:
    """Escalations raised in the year that reached one stage (and went no further)."""

    number: int
    name: str
    open: int
    resolved: int
    cafcass: int

    @property
    def total(self) -> int:
        return self.open + self.resolved + self.cafcass


@dataclass(frozen=True)
class Report:
    """The IRO service's figures for `year` (see the module)."""

    year: CollectionYear
    reviews_held: int
    timed: int
    """Reviews held whose timeliness is judged (short breaks' left out)."""
    on_time: int
    seen_alone: int
    participation: list[Count]
    postponed: list[Count]
    """Reviews postponed in the year, by reason (a review postponed for both reasons is
    counted under each)."""
    reviews_postponed: int
    """Reviews postponed in the year, each once however many times it was postponed."""
    postponements: int
    """Times a review was postponed in the year."""
    escalations: list[StageRow]
    cafcass_referrals: int
    timing: str
    """When each review was due, in words (TIMING, with the year's values)."""

    @property
    def on_time_share(self) -> int | None:
        """Reviews on time, as a whole percentage of those timed (None: none were)."""
        return _percent(self.on_time, self.timed)

    @property
    def seen_alone_share(self) -> int | None:
        """Reviews with the child seen alone first, as a percentage of those held."""
        return _percent(self.seen_alone, self.reviews_held)

    @property
    def escalations_raised(self) -> int:
        return sum(row.total for row in self.escalations)

    def rows(self) -> list[tuple[str, str, int]]:
        """Every figure as (section, measure, number), for a spreadsheet."""
        found = [
            ("Reviews", "Reviews held", self.reviews_held),
            ("Reviews", "Reviews whose timeliness is judged", self.timed),
            ("Reviews", "Held on time", self.on_time),
            ("Reviews", "Child seen alone by an IRO before the review", self.seen_alone),
        ]
        found += [("How children took part", c.label, c.count) for c in self.participation]
        found += [
            ("Reviews postponed", "Reviews postponed", self.reviews_postponed),
            (
                "Reviews postponed",
                "Postponements (a review may be postponed more than once)",
                self.postponements,
            ),
        ]
        found += [("Reviews postponed, by reason", c.label, c.count) for c in self.postponed]
        for row in self.escalations:
            stage = f"Stage {row.number}: {row.name}"
            found += [
                ("Escalations by the stage they reached", f"{stage}, open", row.open),
                ("Escalations by the stage they reached", f"{stage}, resolved", row.resolved),
                (
                    "Escalations by the stage they reached",
                    f"{stage}, referred to Cafcass",
                    row.cafcass,
                ),
            ]
        found.append(
            ("Escalations", "Referrals to Cafcass made in the year", self.cafcass_referrals)
        )
        return found


def _percent(part: int, whole: int) -> int | None:
    """`part` of `whole` as a whole percentage, rounded half up (None for no whole)."""
    return (200 * part + whole) // (2 * whole) if whole else None


def _reviews_in_periods(year: CollectionYear) -> pl.DataFrame:
    """Every review held up to the end of `year`, in the period of care it was held in:
    CHILD, REVIEW, REVIEW_CODE, PERIOD_START, PREVIOUS (the review before it in that
    period), DUE (when the law had it due) and SHORT_BREAKS (held while on short
    breaks)."""
    record = record_from_db(only=("episodes", "reviews"))
    short = code_group("legal_status", "short_breaks")
    episodes = periods_of_care(record.episodes)
    periods = episodes.group_by("CHILD", "PERIOD_START").agg(
        PERIOD_END=pl.when(pl.col("DEC").is_null().any()).then(None).otherwise(pl.col("DEC").max()),
        SHORT_BREAKS=pl.col("LS").is_in(short).all(),
    )
    p = parameters(year.start)
    held = (
        record.reviews.filter(pl.col("REVIEW") <= year.end)
        .select("CHILD", "REVIEW", "REVIEW_CODE")
        .join(periods, on="CHILD")
        .filter(
            (pl.col("REVIEW") >= pl.col("PERIOD_START"))
            & (pl.col("PERIOD_END").is_null() | (pl.col("REVIEW") <= pl.col("PERIOD_END")))
        )
        .sort("CHILD", "PERIOD_START", "REVIEW")
        .with_columns(
            NUMBER=pl.col("REVIEW").cum_count().over("CHILD", "PERIOD_START"),
            PREVIOUS=pl.col("REVIEW").shift(1).over("CHILD", "PERIOD_START"),
        )
    )
    return held.with_columns(
        DUE=pl.when(pl.col("NUMBER") == 1)
        .then(after(pl.col("PERIOD_START"), p["reviews.first"]))
        .when(pl.col("NUMBER") == 2)
        .then(after(pl.col("PREVIOUS"), p["reviews.second"]))
        .otherwise(after(pl.col("PREVIOUS"), p["reviews.subsequent"]))
    )


def _seen_alone_before(reviews: pl.DataFrame) -> int:
    """How many of `reviews` (CHILD, REVIEW, PERIOD_START, PREVIOUS) had the child seen
    alone by an IRO since the review before (or since coming into care), by its day."""
    seen = pl.DataFrame(
        list(
            ChildView.objects.filter(
                child__in=reviews.get_column("CHILD").unique().to_list(),
                seen_alone=True,
                recorded_by__role=Role.IRO,
            ).values_list("child", "heard_on")
        ),
        schema={"CHILD": pl.String(), "HEARD_ON": pl.Date()},
        orient="row",
    )
    window_opens = pl.coalesce(pl.col("PREVIOUS").dt.offset_by("1d"), pl.col("PERIOD_START"))
    return (
        reviews.join(seen, on="CHILD")
        .filter((pl.col("HEARD_ON") >= window_opens) & (pl.col("HEARD_ON") <= pl.col("REVIEW")))
        .unique(["CHILD", "REVIEW"])
        .height
    )


def _participation(reviews: pl.DataFrame, year: CollectionYear) -> list[Count]:
    """Each participation code used in `year`, with its meaning and how many reviews had
    it; then any review whose code is not recorded."""
    counts = Counter(reviews.get_column("REVIEW_CODE").fill_null(NOT_RECORDED).to_list())
    listed = [
        Count(f"{c.code}: {c.label}", counts.pop(c.code, 0))
        for c in code_list("review_participation").codes
        if c.valid_in(year)
    ]
    return listed + [Count(code, n) for code, n in sorted(counts.items())]


def _escalations(year: CollectionYear) -> list[StageRow]:
    """Escalations raised in `year`, by the last stage each reached and its outcome now,
    one row for each of the authority's stages (as they stood at the year's end)."""
    raised = (
        Escalation.objects.filter(raised_on__range=(year.start, year.end))
        .annotate(reached=Max("stages__number"))
        .values_list("reached", "outcome")
    )
    counts = Counter(raised)
    return [
        StageRow(
            stage.number,
            stage.name,
            open=counts[(stage.number, Outcome.OPEN)],
            resolved=counts[(stage.number, Outcome.RESOLVED)],
            cafcass=counts[(stage.number, Outcome.CAFCASS)],
        )
        for stage in stages_on(year.end)
    ]


def annual_report(year: CollectionYear, today: date) -> Report:
    """The IRO service's figures for `year` as the database holds them on `today` (a year
    not yet over is counted up to today). One query per table read."""
    until = min(year.end, today)
    reviews = _reviews_in_periods(year).filter(
        (pl.col("REVIEW") >= year.start) & (pl.col("REVIEW") <= until)
    )
    timed = reviews.filter(~pl.col("SHORT_BREAKS"))
    postponements = list(
        Postponement.objects.filter(postponed_on__range=(year.start, until)).values_list(
            "pk", "child", "due_on", "because"
        )
    )
    # A review is the child's and the day it was due; one whose due day is not known is
    # counted as its own.
    postponed: dict[str, set[tuple[str, date | int]]] = {
        because: {
            (child, due_on or pk)
            for pk, child, due_on, reason in postponements
            if reason == because
        }
        for because in PostponedBecause.values
    }
    return Report(
        year=year,
        reviews_held=reviews.height,
        timed=timed.height,
        on_time=timed.filter(pl.col("REVIEW") <= pl.col("DUE")).height,
        seen_alone=_seen_alone_before(reviews),
        participation=_participation(reviews, year),
        postponed=[
            Count(label, len(postponed[value])) for value, label in PostponedBecause.choices
        ],
        reviews_postponed=len(set().union(*postponed.values())),
        postponements=len(postponements),
        escalations=_escalations(year),
        cafcass_referrals=Escalation.objects.filter(
            outcome=Outcome.CAFCASS, closed_on__range=(year.start, until)
        ).count(),
        timing=parameters(year.start).text(TIMING),
    )
