"""The work done while a child is in care: reviews, visits, health, education, plans,
social workers, IROs, and the times a child goes missing.

Reviews, visits, health assessments, education, care plans and the naming of an IRO
fall due by the law's timescales (`carematters.parameters`), read from `law`: the
parameters as they stood on the last day simulated (`authority.law_of`), for the whole
history. None of these timescales has changed since the Care Planning, Placement and
Case Review (England) Regulations 2010 and the IRO Handbook, and a simulated history
reaches back eighteen years, before the parameter files begin. How late or early the
authority holds each (`Lateness`) is the simulator's own setting, from published
timeliness where there is any.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from carematters.calendar.school import end_of_next_term
from carematters.parameters import Parameters
from carematters.ssda903.codelists import code_group
from carematters.synth.dates import (
    NEVER,
    YEAR_DAYS,
    Days,
    age_in_years,
    birthdays,
    each_day,
    later,
    later_by,
)
from carematters.synth.draws import Spans, choice
from carematters.synth.recurring import Due, Lateness, Owners, held, recur, rhythm

REVIEWS_HELD = Lateness(share=0.10, most_days=120, early_days=14)
"""90% of reviews held on time, as the national indicator of reviews within the required
timescales (NI 66, to 2010) had it and councils' published figures (90-99%) still do;
the late ones by a day to four months."""
VISITS_HELD = Lateness(share=0.15, most_days=50, early_days=7)
"""85% of visits on time: councils publish 85-95% of statutory visits to children in
care within timescale (DfE publishes no national figure). None more than 50 days late,
so no child goes unvisited for half a year."""
HEALTH_HELD = Lateness(share=0.25, most_days=240, early_days=30)
"""Health assessments run later than reviews (waits for a paediatrician, placements out
of area, young people who decline): a quarter late, by up to eight months. With these,
about 90% of children in care for a year are up to date on 31 March, as DfE's OC2 figure
for England (2025)."""
CHECKS_HELD = Lateness(share=0.2, most_days=60, early_days=30)
"""Strengths and Difficulties Questionnaires and dental checks, one in five late."""
PEPS_HELD = Lateness(share=0.1, most_days=30, early_days=45)
"""Personal education plans: meetings through the term, one in ten after it ends."""
PLANS_HELD = Lateness(share=0.05, most_days=20, early_days=14)
"""Care, placement and permanence plans, nearly all in time."""
INTERVIEWS_HELD = Lateness(share=0.15, most_days=7, early_days=3)
"""Return interviews: 85% offered within the 72 hours, the rest up to a week later."""
INTERVIEWS_OFFERED = 0.95
"""Share of missing episodes after which a return interview is offered at all."""
SEEN_ALONE = 0.85
"""Share of visits to a child old enough where the child is seen alone (reg 29)."""
SEEN_ALONE_FROM_AGE = 4
"""Not law: the age from which the simulated social workers see a child alone (the law
sets no age for it: reg 29)."""
PARTICIPATION_FROM_AGE = 4
"""DfE's rules 440 and 441 (its review participation codes): under this age a child's
participation in a review is coded PN0."""
SOCIAL_WORKER_CHANGES_PER_YEAR = 1.25
IRO_CHANGES_PER_YEAR = 0.2
PARTICIPATION = (
    ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"),
    (0.45, 0.1, 0.12, 0.1, 0.1, 0.08, 0.05),
)
SW_REASONS = (
    ("MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"),
    (0.16, 0.33, 0.08, 0.22, 0.06, 0.03, 0.03, 0.09),
)
"""Why a child's social worker changed; a child's first social worker is FCONTA."""


def reviews(rng: np.random.Generator, spans: Spans, law: Parameters) -> pl.DataFrame:
    """Reviews through each period of care (CPPCR 2010 reg 33): the first within 20
    working days, the second within 3 months of it, then every 6 months (reviews.*).
    Columns: PERIOD (index of the span), CHILD_ID, REVIEW (day), REVIEW_CODE."""
    due = rhythm(law, "reviews.first", "reviews.subsequent", second="reviews.second")
    owner, day = recur(rng, spans.start, spans.end, due, REVIEWS_HELD)
    young = day < birthdays(spans.dob, PARTICIPATION_FROM_AGE)[owner]
    code = np.where(young, "PN0", choice(rng, PARTICIPATION, len(owner)))
    return pl.DataFrame(
        {"PERIOD": owner, "CHILD_ID": spans.child[owner], "REVIEW": day, "REVIEW_CODE": code}
    )


def missing(rng: np.random.Generator, spans: Spans, episodes: pl.DataFrame) -> pl.DataFrame:
    """Episodes of going missing or away without permission, mostly among teenagers.
    `episodes` holds the first day (DECOM) of each SSDA903 episode of each span (PERIOD,
    the span's index): each missing period is over by the end of the episode it began in."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    age = age_in_years(dob, start)
    risk = np.select([age < 10, age < 13, age < 16], [0.015, 0.18, 0.45], 0.36)
    years = (end - start) / YEAR_DAYS
    prone = rng.random(len(start)) < risk
    rate = rng.gamma(0.6, 12.0, len(start))
    count = np.where(prone, rng.poisson(rate * years), 0)
    owner = np.repeat(np.arange(len(start)), count)
    began = start[owner] + (rng.random(len(owner)) * (end - start)[owner]).astype(np.int64)
    length = np.select(
        [rng.random(len(owner)) < 0.6, rng.random(len(owner)) < 0.75],
        [rng.integers(0, 2, len(owner)), rng.integers(1, 4, len(owner))],
        rng.integers(4, 15, len(owner)),
    )
    kind = np.where(rng.random(len(owner)) < 0.8, "M", "A")
    incidents = pl.DataFrame(
        {
            "OWNER": owner,
            "CHILD_ID": child[owner],
            "MISSING": kind,
            "MIS_START": began,
            "BACK": began + length,
            "CARE_ENDS": end[owner],
        }
    )
    next_episode = episodes.select(
        pl.col("PERIOD").cast(pl.Int64).alias("OWNER"),
        pl.col("DECOM").cast(pl.Int64).alias("EPISODE_ENDS"),
    )
    incidents = (
        incidents.sort("OWNER", "MIS_START", maintain_order=True)
        .join_asof(
            next_episode.sort("OWNER", "EPISODE_ENDS"),
            left_on="MIS_START",
            right_on="EPISODE_ENDS",
            by="OWNER",
            strategy="forward",
            allow_exact_matches=False,
            check_sortedness=False,
        )
        .with_columns(
            # DfE records a missing period against the placement the child went missing
            # from, and asks for its end date once that placement has ended (validator
            # rule 575, which takes the placement to be the episode the period began in:
            # a new one at each move or change of legal status). So a child still away
            # when that episode ends is found that day, in this model: about three in
            # four such episodes end with a move, and a child found is often taken to a
            # new placement rather than back to the one they ran from. The days drawn
            # beyond it are not had, and the return interview follows that day.
            # EPISODE_ENDS is null when no later episode begins in the span.
            MIS_END=pl.min_horizontal("BACK", "EPISODE_ENDS", pl.col("CARE_ENDS") - 1)
        )
        .filter(pl.col("MIS_START") <= pl.col("MIS_END"))
        .select("OWNER", "CHILD_ID", "MISSING", "MIS_START", "MIS_END")
    )
    # One at a time, each over before the child's care ends (validator rules 574, 577).
    earlier_end = pl.col("MIS_END").cum_max().shift(1).over("OWNER", order_by="MIS_START")
    return (
        incidents.sort("OWNER", "MIS_START")
        .filter(earlier_end.is_null() | (pl.col("MIS_START") > earlier_end))
        .drop("OWNER")
    )


def _succession(
    rng: np.random.Generator, spans: Spans, *, changes_per_year: float, ids: list[str]
) -> pl.DataFrame:
    """People who hold a role through each span in turn (OWNER, FROM, TO, ID, FIRST):
    the first from the span's start, others taking over at random times."""
    length = spans.end - spans.start
    count = rng.poisson(changes_per_year * length / YEAR_DAYS)
    owner = np.repeat(np.arange(len(spans)), count)
    change = (
        spans.start[owner]
        + 1
        + (rng.random(len(owner)) * np.maximum(length[owner] - 2, 0)).astype(np.int64)
    )
    frame = (
        pl.concat(
            [
                pl.DataFrame({"OWNER": np.arange(len(spans)), "FROM": spans.start, "FIRST": True}),
                pl.DataFrame({"OWNER": owner, "FROM": change, "FIRST": False}),
            ]
        )
        .unique(["OWNER", "FROM"], keep="first", maintain_order=True)
        .sort("OWNER", "FROM")
        .filter(pl.col("FIRST") | (pl.col("FROM") - pl.col("FROM").shift(1).over("OWNER") >= 3))
    )
    owners = frame["OWNER"].to_numpy()
    return frame.with_columns(
        TO=pl.col("FROM").shift(-1).over("OWNER").fill_null(pl.lit(spans.end[owners])),
        ID=pl.lit(np.array(ids)[rng.integers(0, len(ids), frame.height)]),
        CHILD_ID=pl.lit(spans.child[owners]),
    )


def social_workers(rng: np.random.Generator, spans: Spans, pool: int) -> pl.DataFrame:
    """Each child's social workers in turn, one after another with no gap (a child keeps a
    social worker between periods of care), and why each change happened: DfE 2024, 27% of
    children in care had three or more social workers in the year."""
    ids = [f"SW{n:04d}" for n in range(1, pool + 1)]
    workers = _succession(rng, spans, changes_per_year=SOCIAL_WORKER_CHANGES_PER_YEAR, ids=ids)
    reasons = choice(rng, SW_REASONS, workers.height)
    return workers.select(
        "CHILD_ID",
        SW_ID="ID",
        SW_DECOM="FROM",
        SW_DEC="TO",
        SW_REASON=pl.when(pl.col("FIRST")).then(pl.lit("FCONTA")).otherwise(pl.lit(reasons)),
    )


def iros(rng: np.random.Generator, spans: Spans, pool: int, law: Parameters) -> pl.DataFrame:
    """The independent reviewing officer for each period, always named in time (IRO
    Handbook: within 5 working days of becoming looked after, iro.named_within), mostly
    within the first few days: the sooner of two days drawn from those allowed, so about
    three in four are named in the first half of the time."""
    allowed = later(spans.start, law["iro.named_within"]) - spans.start
    sooner = np.minimum(rng.integers(0, allowed + 1), rng.integers(0, allowed + 1))
    appointed = np.minimum(spans.start + sooner, spans.end - 1)
    ids = [f"IRO{n:03d}" for n in range(1, pool + 1)]
    officers = _succession(
        rng,
        Spans(spans.child, spans.dob, appointed, spans.end),
        changes_per_year=IRO_CHANGES_PER_YEAR,
        ids=ids,
    )
    return officers.select("CHILD_ID", IRO_ID="ID", START_DATE="FROM", END_DATE="TO")


@dataclass(frozen=True)
class Placed:
    """Each placement, with what decides how often the child must be visited in it:
    its code (PLACE), and about its period of care the day of the first review held
    (NEVER if none) and the days an interim care order runs (from, to; NEVER if none)."""

    spans: Spans
    place: npt.NDArray[np.str_]
    first_review: Days
    interim_from: Days
    interim_to: Days


def _visits_due(placed: Placed, law: Parameters) -> Due:
    """CPPCR 2010 reg 28: within a week of the placement starting, then every 6 weeks;
    every 3 months once a long-term foster placement has lasted 12 months; weekly at
    home with a parent until the first review, then every 4 weeks under an interim care
    order (the visits.* parameters)."""
    first = law["visits.first"]
    every = (
        law["visits.interval"],
        law["visits.at_home_before_review"],
        law["visits.at_home_interim_order"],
        law["visits.settled_interval"],
    )
    long_term = np.isin(placed.place, code_group("placement_type", "long_term_foster"))
    settled_from = np.where(
        long_term, later(placed.spans.start, law["visits.settled_after"]), NEVER
    )
    at_home = np.isin(placed.place, code_group("placement_type", "with_parents"))

    def due(owners: Owners, last: Days, count: int) -> Days:
        if count == 0:
            return later(last, first)
        home = at_home[owners]
        interim = (placed.interim_from[owners] <= last) & (last < placed.interim_to[owners])
        which = np.select(
            [
                home & (last < placed.first_review[owners]),
                home & interim,
                last >= settled_from[owners],
            ],
            [1, 2, 3],
            0,
        )
        return later_by(last, which, every)

    return due


def visits(rng: np.random.Generator, placed: Placed, law: Parameters) -> pl.DataFrame:
    """Social worker visits through each placement, the child seen alone at most visits
    from the age of 4."""
    spans = placed.spans
    owner, day = recur(rng, spans.start, spans.end, _visits_due(placed, law), VISITS_HELD)
    old_enough = day >= birthdays(spans.dob, SEEN_ALONE_FROM_AGE)[owner]
    alone = old_enough & (rng.random(len(owner)) < SEEN_ALONE)
    return pl.DataFrame(
        {
            "CHILD_ID": spans.child[owner],
            "VISIT_DATE": day,
            "SEEN_ALONE": np.where(alone, "Y", "N"),
        }
    )


def visited_by(visits: pl.DataFrame, workers: pl.DataFrame) -> pl.DataFrame:
    """`visits` (CHILD_ID, VISIT_DATE, ...) with SW_ID: the social worker the child had on
    the day (`social_workers`' succession, which leaves no gap), who made the visit."""
    on_the_day = workers.select("CHILD_ID", "SW_ID", DAY="SW_DECOM").sort("DAY")
    return (
        visits.with_row_index("_ORDER")
        .sort("VISIT_DATE")
        # Both are sorted by day above; Polars cannot check that within each child.
        .join_asof(
            on_the_day, left_on="VISIT_DATE", right_on="DAY", by="CHILD_ID", check_sortedness=False
        )
        .sort("_ORDER")
        .drop("_ORDER", "DAY")
    )


def _health_due(spans: Spans, law: Parameters) -> Due:
    """CPPCR 2010 reg 7-8: an initial assessment within 20 working days, then a review
    every 6 months before the 5th birthday and every 12 months after (health.*)."""
    first = law["health.initial_assessment"]
    every = (law["health.review_under_five"], law["health.review_from_five"])
    yearly_from = birthdays(spans.dob, law["health.yearly_from_age"].number)

    def due(owners: Owners, last: Days, count: int) -> Days:
        if count == 0:
            return later(last, first)
        return later_by(last, (last >= yearly_from[owners]).astype(np.int64), every)

    return due


def health_assessments(rng: np.random.Generator, spans: Spans, law: Parameters) -> pl.DataFrame:
    """An initial health assessment (IHA), then review assessments (RHA), through each
    period of care; an SDQ yearly while of SDQ age and a dental check yearly, the first
    of each due as an initial assessment would be (with it, or after the 4th birthday)."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    owner, day = recur(rng, start, end, _health_due(spans, law), HEALTH_HELD)
    # recur gives every owner's first event before any second one.
    kind = np.full(len(owner), "RHA")
    kind[np.unique(owner, return_index=True)[1]] = "IHA"
    sdq_from = np.maximum(start, birthdays(dob, law["health.sdq_from_age"].number))
    sdq_until = np.minimum(end, birthdays(dob, law["health.sdq_until_age"].number))
    sdq_due = rhythm(law, "health.initial_assessment", "health.sdq_interval")
    sdq_owner, sdq_day = recur(rng, sdq_from, sdq_until, sdq_due, CHECKS_HELD)
    dental_due = rhythm(law, "health.initial_assessment", "health.dental_interval")
    dental_owner, dental_day = recur(rng, start, end, dental_due, CHECKS_HELD)
    return pl.concat(
        [
            pl.DataFrame({"CHILD_ID": child[owner], "ASSESSMENT_DATE": day, "KIND": kind}),
            pl.DataFrame({"CHILD_ID": child[sdq_owner], "ASSESSMENT_DATE": sdq_day, "KIND": "SDQ"}),
            pl.DataFrame(
                {"CHILD_ID": child[dental_owner], "ASSESSMENT_DATE": dental_day, "KIND": "DENTAL"}
            ),
        ]
    )


def _peps_due(law: Parameters) -> Due:
    """A PEP within 20 working days (education.pep_initial), then one by the end of the
    term after the term of the last (education.terms)."""
    first = law["education.pep_initial"]
    terms = law["education.terms"].value
    if not isinstance(terms, tuple):
        raise TypeError(f"education.terms must list the terms, not {terms!r}")

    def due(_owners: Owners, last: Days, count: int) -> Days:
        if count == 0:
            return later(last, first)
        return each_day(last, lambda given: end_of_next_term(given, terms))

    return due


def peps(rng: np.random.Generator, spans: Spans, law: Parameters) -> pl.DataFrame:
    """Personal education plans through each period of care while of school age (the
    parameters education.pep_from_age to education.pep_until_age)."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    since = np.maximum(start, birthdays(dob, law["education.pep_from_age"].number))
    until = np.minimum(end, birthdays(dob, law["education.pep_until_age"].number))
    owner, day = recur(rng, since, np.maximum(until, since), _peps_due(law), PEPS_HELD)
    return pl.DataFrame({"CHILD_ID": child[owner], "PEP_DATE": day})


def care_plans(
    rng: np.random.Generator, periods: Spans, placements: Spans, law: Parameters
) -> pl.DataFrame:
    """A care plan within 10 working days of coming into care, a placement plan within 5
    working days of each placement (CPPCR 2010 reg 4, 9), and a permanence plan by the
    second review, 4 months in (plans.*); none after the span ends."""
    plans = []
    for spans, timescale, kind in (
        (periods, "plans.care", "CARE"),
        (placements, "plans.placement", "PLACEMENT"),
        (periods, "plans.permanence", "PERMANENCE"),
    ):
        made = held(rng, later(spans.start, law[timescale]), spans.start - 1, PLANS_HELD)
        keep = made < spans.end
        plans.append(
            pl.DataFrame({"CHILD_ID": spans.child[keep], "PLAN_DATE": made[keep], "KIND": kind})
        )
    return pl.concat(plans)


def return_interviews(
    rng: np.random.Generator, missing: pl.DataFrame, law: Parameters
) -> pl.DataFrame:
    """An independent return interview offered after most missing episodes, most within
    72 hours of the child coming back (missing.return_interview), some late, a few never."""
    ended = missing.filter(pl.col("MIS_END").is_not_null())
    back = ended["MIS_END"].to_numpy()
    offered = held(rng, later(back, law["missing.return_interview"]), back - 1, INTERVIEWS_HELD)
    chosen = rng.random(ended.height) < INTERVIEWS_OFFERED
    return ended.filter(pl.Series(chosen)).select(
        "CHILD_ID", "MIS_START", OFFER_DATE=pl.Series(offered[chosen])
    )
