"""Social worker visits (CPPCR 2010 reg 28-29; seed 001 para 3.79-3.83).

Within one week of the start of each placement; then at most six weeks apart in the
placement's first year; after that at most three months apart where the placement is
meant to last until the child is 18 (long-term foster placements, U1 and U4), otherwise
six weeks. A child placed with a parent (P1) is visited weekly until the first review;
then four-weekly under an interim care order, six-weekly otherwise (reg 28(4)-(5)).
Not yet: connected persons with temporary approval (the record does not say which
carers are), and six-monthly visits agreed by the child (nor whether they agreed).
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.timescales import after
from carematters.duties.reviews import current_reviews
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import again, events_since, once
from carematters.ssda903.codelists import code_group


def _visits(s: Situation) -> pl.LazyFrame:
    """Visits in the current placement, with the date of the period's first review."""
    reviewed = current_reviews(s).select("CHILD", FIRST_REVIEW="FIRST")
    owed = s.in_care.select("CHILD", "PLACE", "LS", ANCHOR="PLACEMENT_START").join(
        reviewed, on="CHILD"
    )
    return s.shared("visits", lambda: events_since(owed, s.events("visits", "VISIT_DATE"), s.as_at))


def first_visit(s: Situation) -> pl.LazyFrame:
    return once(_visits(s), after(pl.col("ANCHOR"), s.p["visits.first"]))


def next_visit(s: Situation) -> pl.LazyFrame:
    """The next visit, due by the rhythm regulation 28 sets for the child's placement,
    with that rhythm in words (DETAIL) for the sentence users read."""
    last = pl.col("LAST")
    settled = pl.col("PLACE").is_in(code_group("placement_type", "long_term_foster")) & (
        last >= after(pl.col("ANCHOR"), s.p["visits.settled_after"])
    )
    at_home = pl.col("PLACE").is_in(code_group("placement_type", "with_parents"))
    before_review = pl.col("FIRST_REVIEW").is_null() | (last < pl.col("FIRST_REVIEW"))
    interim = pl.col("LS").is_in(code_group("legal_status", "interim_care_order"))
    cases = (
        (at_home & before_review, "visits.at_home_before_review"),
        (at_home & interim, "visits.at_home_interim_order"),
        (settled, "visits.settled_interval"),
    )
    due = after(last, s.p["visits.interval"])
    detail = pl.lit(s.p.text(RHYTHMS["visits.interval"]))
    for case, interval in reversed(cases):
        due = pl.when(case).then(after(last, s.p[interval])).otherwise(due)
        detail = pl.when(case).then(pl.lit(s.p.text(RHYTHMS[interval]))).otherwise(detail)
    return again(_visits(s), due, detail=detail)


RHYTHMS = {
    "visits.at_home_before_review": (
        "{visits.at_home_before_review:every} at home with a parent until the first review"
    ),
    "visits.at_home_interim_order": (
        "{visits.at_home_interim_order:every} at home with a parent under an interim care order"
    ),
    "visits.settled_interval": (
        "{visits.settled_interval:every} in a long-term placement that has lasted "
        "{visits.settled_after}"
    ),
    "visits.interval": "{visits.interval:every}",
}
"""How often a child is visited in each case regulation 28 sets, in words, by the
parameter giving the interval: placed with a parent (reg 28(4)-(5)), settled long term
(28(2)(c)), otherwise (28(2)(b))."""

VISIT_DUTIES = (
    Duty(
        id="visit.placement.first",
        source="CPPCR 2010 reg 28(2)(a)",
        explanation=(
            "The child must be visited within {visits.first} of the placement starting on {basis}"
        ),
        rule=first_visit,
        parameters=("visits.first",),
        evidence=("visits",),
    ),
    Duty(
        id="visit.placement",
        source="CPPCR 2010 reg 28(2)-(5)",
        explanation="The child must be visited {detail}; last visited on {basis}",
        rule=next_visit,
        parameters=(
            "visits.interval",
            "visits.settled_interval",
            "visits.settled_after",
            "visits.at_home_before_review",
            "visits.at_home_interim_order",
        ),
        evidence=("visits",),
    ),
)
