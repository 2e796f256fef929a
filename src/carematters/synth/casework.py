"""The work done while a child is in care: reviews, visits, health, education, plans,
social workers, IROs, and the times a child goes missing."""

from __future__ import annotations

import numpy as np
import polars as pl

from carematters.synth.dates import age_in_years, birthdays
from carematters.synth.draws import Spans, choice
from carematters.synth.recurring import Rhythm, recur

REVIEWS = Rhythm(first=28, second=91, then=182, late_share=0.12, late_days=40)
"""First review within 20 working days (about 28 days), the second within 3 months,
then every 6 months (CPPCR 2010 reg 33); about one in eight held late."""
VISITS = Rhythm(first=5, then=42, late_share=0.12, late_days=21, early_days=7)
"""Within a week of a placement starting, then at least every six weeks (CPPCR 2010 reg 28)."""
HEALTH_UNDER_5 = Rhythm(first=25, then=182, late_share=0.1, late_days=60)
HEALTH_5_PLUS = Rhythm(first=25, then=365, late_share=0.1, late_days=60)
PEPS = Rhythm(first=25, then=122, late_share=0.1, late_days=30)
SDQS = Rhythm(first=60, then=365, late_share=0.2, late_days=60)
DENTAL_CHECKS = Rhythm(first=90, then=365, late_share=0.2, late_days=60)
PATHWAY_REVIEWS = Rhythm(first=60, second=60, then=182, late_share=0.15, late_days=45)
PA_CONTACT = Rhythm(first=20, then=56, late_share=0.2, late_days=40)
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


def reviews(rng: np.random.Generator, spans: Spans) -> pl.DataFrame:
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    owner, day = recur(rng, start, end, REVIEWS)
    young = age_in_years(dob[owner], day) < 4
    code = np.where(young, "PN0", choice(rng, PARTICIPATION, len(owner)))
    return pl.DataFrame({"CHILD_ID": child[owner], "REVIEW": day, "REVIEW_CODE": code})


def missing(rng: np.random.Generator, spans: Spans) -> pl.DataFrame:
    """Episodes of going missing or away without permission, mostly among teenagers."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    age = age_in_years(dob, start)
    risk = np.select([age < 10, age < 13, age < 16], [0.015, 0.18, 0.45], 0.36)
    years = (end - start) / 365.25
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
    ended = np.minimum(began + length, end[owner] - 1)
    incidents = pl.DataFrame(
        {
            "OWNER": owner,
            "CHILD_ID": child[owner],
            "MISSING": kind,
            "MIS_START": began,
            "MIS_END": ended,
        }
    ).filter(pl.col("MIS_START") <= pl.col("MIS_END"))
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
    count = np.minimum(rng.poisson(changes_per_year * length / 365.25), 30)
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


def iros(rng: np.random.Generator, spans: Spans, pool: int) -> pl.DataFrame:
    """The independent reviewing officer for each period, appointed within about a week
    (IRO Handbook: within 5 working days)."""
    appointed = np.minimum(spans.start + rng.integers(0, 8, len(spans)), spans.end - 1)
    ids = [f"IRO{n:03d}" for n in range(1, pool + 1)]
    officers = _succession(
        rng,
        Spans(spans.child, spans.dob, appointed, spans.end),
        changes_per_year=IRO_CHANGES_PER_YEAR,
        ids=ids,
    )
    return officers.select("CHILD_ID", IRO_ID="ID", START_DATE="FROM", END_DATE="TO")


def visits(rng: np.random.Generator, spans: Spans) -> pl.DataFrame:
    """Social worker visits through each placement."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    owner, day = recur(rng, start, end, VISITS)
    alone = (age_in_years(dob[owner], day) >= 4) & (rng.random(len(owner)) < 0.85)
    return pl.DataFrame(
        {"CHILD_ID": child[owner], "VISIT_DATE": day, "SEEN_ALONE": np.where(alone, "Y", "N")}
    )


def health_assessments(rng: np.random.Generator, spans: Spans) -> pl.DataFrame:
    """An initial health assessment, then reviews six-monthly under 5 and yearly after; an
    SDQ yearly from 4 to 16 and a dental check yearly, some of each late."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    fifth = birthdays(dob, 5)
    young_end = np.minimum(end, fifth)
    parts = []
    for rhythm, s, e in (
        (HEALTH_UNDER_5, start, young_end),
        (HEALTH_5_PLUS, np.maximum(start, fifth - 182), end),
    ):
        owner, day = recur(rng, s, e, rhythm)
        parts.append(
            pl.DataFrame({"CHILD_ID": child[owner], "ASSESSMENT_DATE": day, "OWNER": owner})
        )
    frame = pl.concat(parts).unique(["OWNER", "ASSESSMENT_DATE"]).sort("OWNER", "ASSESSMENT_DATE")
    first = pl.col("ASSESSMENT_DATE").rank("ordinal").over("OWNER") == 1
    assessments = frame.with_columns(
        KIND=pl.when(first).then(pl.lit("IHA")).otherwise(pl.lit("RHA"))
    ).drop("OWNER")
    sdq_owner, sdq_day = recur(
        rng, np.maximum(start, birthdays(dob, 4)), np.minimum(end, birthdays(dob, 17)), SDQS
    )
    dental_owner, dental_day = recur(rng, start, end, DENTAL_CHECKS)
    checks = (
        pl.DataFrame({"CHILD_ID": child[sdq_owner], "ASSESSMENT_DATE": sdq_day, "KIND": "SDQ"}),
        pl.DataFrame(
            {"CHILD_ID": child[dental_owner], "ASSESSMENT_DATE": dental_day, "KIND": "DENTAL"}
        ),
    )
    return pl.concat([assessments, *checks])


def peps(rng: np.random.Generator, spans: Spans) -> pl.DataFrame:
    """Personal education plans termly while of school age (from 4 to 18)."""
    child, dob, start, end = spans.child, spans.dob, spans.start, spans.end
    s = np.maximum(start, birthdays(dob, 4))
    e = np.minimum(end, birthdays(dob, 18))
    owner, day = recur(rng, s, np.where(e > s, e, s), PEPS)
    return pl.DataFrame({"CHILD_ID": child[owner], "PEP_DATE": day})


def care_plans(rng: np.random.Generator, periods: Spans, placements: Spans) -> pl.DataFrame:
    """A care plan on entry, a placement plan for each placement (CPPCR 2010 reg 4, 9),
    and a permanence plan by the second review."""
    care = periods.start + rng.integers(0, 15, len(periods))
    permanence = periods.start + rng.integers(90, 130, len(periods))
    placement = placements.start + rng.integers(0, 8, len(placements))
    plans = (
        (periods.child, care, "CARE", care < periods.end),
        (placements.child, placement, "PLACEMENT", placement < placements.end),
        (periods.child, permanence, "PERMANENCE", permanence < periods.end),
    )
    return pl.concat(
        pl.DataFrame({"CHILD_ID": child[keep], "PLAN_DATE": day[keep], "KIND": kind})
        for child, day, kind, keep in plans
    )


def return_interviews(rng: np.random.Generator, missing: pl.DataFrame) -> pl.DataFrame:
    """An independent return interview offered after most missing episodes, most within
    72 hours of the child coming back (statutory guidance 2014), some late, a few never."""
    ended = missing.filter(pl.col("MIS_END").is_not_null())
    n = ended.height
    delay = np.where(rng.random(n) < 0.85, rng.integers(0, 4, n), rng.integers(4, 11, n))
    offered = rng.random(n) < 0.95
    return ended.filter(pl.Series(offered)).select(
        "CHILD_ID", "MIS_START", OFFER_DATE=pl.col("MIS_END") + pl.Series(delay[offered])
    )
