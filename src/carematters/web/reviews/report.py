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
  now; and referrals to Cafcass made in the year;
- escalations ended in the year (resolved or referred to Cafcass), with the days from
  raised to ended: the median and the longest;
- IROs' caseloads on the year's last day (today, for a year not over) against the band
  (`iro.caseload`): how many IROs had fewer children than the band, within it and more,
  their largest and average caseload, and the children in care with no IRO named that day;
- children who came into care in the year, and whether an IRO was named within
  `iro.named_within` (the duty `review.iro_named`, worked out as the engine works it: an
  IRO already the child's and still in post when the period began counts from its first
  day), named later, or not named yet.

Figures only: no child and no IRO is named, so that the director, the Lead Member and
the IROs themselves can all read it (`reviews.access.REPORT_READERS`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from statistics import median

import polars as pl
from django.db.models import Max

from carematters.calendar.timescales import after
from carematters.parameters import parameters
from carematters.records.periods import looked_after_on, periods_of_care
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group, code_list
from carematters.ssda903.years import CollectionYear
from carematters.web.bridge import record_from_db
from carematters.web.people.roles import Role
from carematters.web.reviews.caseload import band_on
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
class Caseloads:
    """IROs' caseloads on one day against the band in force that day."""

    on: date
    fewest: int
    most: int
    loads: list[int]
    """Each IRO's number of children, largest first (no IRO named)."""
    unnamed: int
    """Children in care that day with no IRO named."""

    @property
    def below(self) -> int:
        return sum(1 for n in self.loads if n < self.fewest)

    @property
    def within(self) -> int:
        return sum(1 for n in self.loads if self.fewest <= n <= self.most)

    @property
    def above(self) -> int:
        return sum(1 for n in self.loads if n > self.most)

    @property
    def largest(self) -> int | None:
        return max(self.loads, default=None)

    @property
    def average(self) -> float | None:
        """The mean caseload, to one decimal place (None: no IRO had a child)."""
        return round(sum(self.loads) / len(self.loads), 1) if self.loads else None


@dataclass(frozen=True)
class Named:
    """Children who came into care in the year, by when their IRO was named."""

    within: str
    """The timescale in words ("5 working days")."""
    came_into_care: int
    in_time: int
    late: int
    not_named: int


@dataclass(frozen=True)
class Resolution:
    """Escalations ended in the year, and how long they took from raised to ended."""

    ended: int
    median_days: float | None
    longest_days: int | None


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
    resolution: Resolution
    caseloads: Caseloads
    named: Named

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

    def rows(self) -> list[tuple[str, str, int | float | str]]:
        """Every figure as (section, measure, number), for a spreadsheet."""
        found: list[tuple[str, str, int | float | str]] = [
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
        r, c, n = self.resolution, self.caseloads, self.named
        ended = "Escalations ended in the year"
        found += [
            (ended, "Ended (resolved or referred to Cafcass)", r.ended),
            (ended, "Median days from raised to ended", _blank(r.median_days)),
            (ended, "Longest, in days", _blank(r.longest_days)),
        ]
        loads = f"IRO caseloads on {c.on:%-d %B %Y} (band {c.fewest} to {c.most})"
        found += [
            (loads, "IROs with children to review", len(c.loads)),
            (loads, f"Fewer than {c.fewest} children", c.below),
            (loads, f"{c.fewest} to {c.most} children", c.within),
            (loads, f"More than {c.most} children", c.above),
            (loads, "Largest caseload", _blank(c.largest)),
            (loads, "Average caseload", _blank(c.average)),
            (loads, "Children in care with no IRO named", c.unnamed),
        ]
        named = f"IRO named within {n.within} of coming into care"
        found += [
            (named, "Came into care in the year", n.came_into_care),
            (named, f"IRO named within {n.within}", n.in_time),
            (named, "IRO named later", n.late),
            (named, "No IRO named yet", n.not_named),
        ]
        return found


def _blank(value: float | None) -> float | str:
    """A figure for the CSV: a whole number without ".0", and nothing for none."""
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def _percent(part: int, whole: int) -> int | None:
    """`part` of `whole` as a whole percentage, rounded half up (None for no whole)."""
    return (200 * part + whole) // (2 * whole) if whole else None


def _reviews_in_periods(year: CollectionYear, record: Record) -> pl.DataFrame:
    """Every review held up to the end of `year`, in the period of care it was held in:
    CHILD, REVIEW, REVIEW_CODE, PERIOD_START, PREVIOUS (the review before it in that
    period), DUE (when the law had it due) and SHORT_BREAKS (held while on short
    breaks), from `record` (episodes and reviews)."""
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


def _resolution(year: CollectionYear, until: date) -> Resolution:
    """Escalations ended from the year's start to `until`, and the days each took."""
    days = sorted(
        (closed - raised).days
        for raised, closed in Escalation.objects.filter(
            closed_on__range=(year.start, until)
        ).values_list("raised_on", "closed_on")
        if closed is not None  # always, by the filter: for the type checker
    )
    return Resolution(
        ended=len(days),
        median_days=float(median(days)) if days else None,
        longest_days=days[-1] if days else None,
    )


def _caseloads(record: Record, on: date) -> Caseloads:
    """Each IRO's children in care on `on` (an IRO named from on or before that day and
    not ended by it), against the band in force that day."""
    in_care = looked_after_on(record.episodes, on).select("CHILD").unique()
    named = record.iro.filter(
        (pl.col("START_DATE") <= on) & (pl.col("END_DATE").is_null() | (pl.col("END_DATE") > on))
    ).join(in_care, on="CHILD")
    loads = named.group_by("IRO_ID").agg(pl.col("CHILD").n_unique()).get_column("CHILD")
    band = band_on(0, on)
    return Caseloads(
        on=on,
        fewest=band.fewest,
        most=band.most,
        loads=sorted(loads.to_list(), reverse=True),
        unnamed=in_care.join(named, on="CHILD", how="anti").height,
    )


def _named(record: Record, year: CollectionYear, until: date) -> Named:
    """Periods of care begun from the year's start to `until`, by when their IRO was
    named (as `duties.reviews.iro_named` counts it)."""
    within = parameters(year.start)["iro.named_within"]
    began = (
        periods_of_care(record.episodes)
        .select("CHILD", "PERIOD_START")
        .unique()
        .filter((pl.col("PERIOD_START") >= year.start) & (pl.col("PERIOD_START") <= until))
    )
    first_named = (
        record.iro.drop_nulls("START_DATE")
        .join(began, on="CHILD")
        .filter(
            (pl.col("END_DATE").is_null() | (pl.col("END_DATE") >= pl.col("PERIOD_START")))
            & (pl.col("START_DATE") <= until)
        )
        .group_by("CHILD", "PERIOD_START")
        .agg(NAMED=pl.max_horizontal("START_DATE", "PERIOD_START").min())
    )
    judged = began.join(first_named, on=["CHILD", "PERIOD_START"], how="left").with_columns(
        DUE=after(pl.col("PERIOD_START"), within)
    )
    in_time = judged.filter(pl.col("NAMED") <= pl.col("DUE")).height
    late = judged.filter(pl.col("NAMED") > pl.col("DUE")).height
    return Named(
        within=parameters(year.start).text("{iro.named_within}"),
        came_into_care=judged.height,
        in_time=in_time,
        late=late,
        not_named=judged.height - in_time - late,
    )


def annual_report(year: CollectionYear, today: date) -> Report:
    """The IRO service's figures for `year` as the database holds them on `today` (a year
    not yet over is counted up to today). One query per table read."""
    until = min(year.end, today)
    record = record_from_db(only=("episodes", "reviews", "iro"))
    reviews = _reviews_in_periods(year, record).filter(
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
        resolution=_resolution(year, until),
        caseloads=_caseloads(record, until),
        named=_named(record, year, until),
    )
