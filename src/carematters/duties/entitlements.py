"""What children in care and care leavers are entitled to on a day, and until when.

Unlike duties, entitlements are not "due": they are owed for a stretch of time, some on
request. Ages and amounts are dated parameters (`carematters.parameters`), so an
entitlement is held only while the law that gives it is in force, at the amount of the
day. Who holds each follows from how care ended (`leavers`): no one whose care ended
because they died, moved to another authority or were found to be adults; Staying Put
only after staying with foster carers at 18 (REC E17); a personal adviser, the bursary
and Staying Put for former relevant young people; advice and assistance for qualifying
care leavers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.duties.situation import Situation
from carematters.queries import collect
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group

SCHEMA = pl.Schema(
    {
        "CHILD": pl.String(),
        "ENTITLEMENT": pl.String(),
        "UNTIL": pl.Date(),
        "AMOUNT": pl.Int64(),
        "SOURCE": pl.String(),
        "EXPLANATION": pl.String(),
    }
)
"""The entitlements table: one row per young person and entitlement; AMOUNT in pounds
(null where the entitlement is not money)."""


@dataclass(frozen=True)
class Entitlement:
    """Something a young person may have, from which law, and in plain words.

    `explanation` names parameters as `{area.name}`; the entitlement is held only on days
    when every one of `parameters` is in force. `amount` names the parameter giving
    the amount in pounds, if it is money.
    """

    id: str
    source: str
    explanation: str
    parameters: tuple[str, ...]
    amount: str | None = None

    def rows(self, holders: pl.LazyFrame, until: str, s: Situation) -> pl.LazyFrame:
        """One row per holder (CHILD, DOB), held until the birthday at the age the
        parameter `until` gives, with the amount in force on the day."""
        money = s.p[self.amount] if self.amount else None
        # The amount's own source: the first reference is the one for the dated value.
        source = f"{self.source}; {money.reference[0].title}" if money else self.source
        return holders.select(
            "CHILD",
            ENTITLEMENT=pl.lit(self.id),
            UNTIL=birthday(pl.col("DOB"), s.p[until].number),
            AMOUNT=pl.lit(money.number if money else None, dtype=pl.Int64),
            SOURCE=pl.lit(source),
            EXPLANATION=pl.lit(s.p.text(self.explanation)),
        )


STAYING_PUT = Entitlement(
    "entitlement.staying_put",
    "CA89 s23CZA; CFA 2014 s98",
    "May stay with former foster carers (Staying Put) until "
    "{entitlements.staying_put_until_age}, with the authority's support",
    parameters=("entitlements.staying_put_until_age",),
)
PERSONAL_ADVISER = Entitlement(
    "entitlement.personal_adviser",
    "CA89 s23C, s23CZB; CSWA 2017 s3",
    "A personal adviser until {leaving_care.duties_until_age}, and on request until "
    "{leaving_care.adviser_on_request_until_age}",
    parameters=("leaving_care.duties_until_age", "leaving_care.adviser_on_request_until_age"),
)
PERSONAL_ADVISER_TO_21 = Entitlement(
    "entitlement.personal_adviser",
    "CA89 s23C",
    "A personal adviser until {leaving_care.duties_until_age}",
    parameters=("leaving_care.duties_until_age",),
)
"""Before 1 April 2018 (CSWA 2017 s3), a personal adviser ended at 21 for most."""
HE_BURSARY = Entitlement(
    "entitlement.he_bursary",
    "CA89 s23C(5A)",
    "A higher education bursary of {entitlements.higher_education_bursary} for a former "
    "relevant young person on a course",
    parameters=("entitlements.higher_education_bursary", "entitlements.higher_education_until_age"),
    amount="entitlements.higher_education_bursary",
)
PUPIL_PREMIUM_PLUS = Entitlement(
    "entitlement.pupil_premium_plus",
    "School Finance (England) Regulations",
    "Pupil Premium Plus of {entitlements.pupil_premium_plus} a year for each looked-after "
    "child of school age, through the Virtual School",
    parameters=(
        "entitlements.pupil_premium_plus",
        "entitlements.pupil_premium_plus_from_age",
        "entitlements.pupil_premium_plus_until_age",
    ),
    amount="entitlements.pupil_premium_plus",
)
ADVICE_AND_ASSISTANCE = Entitlement(
    "entitlement.advice_and_assistance",
    "CA89 s24, s24A, s24B",
    "Advice and assistance from the authority (and help with education or training) as a "
    "qualifying care leaver, until {leaving_care.qualifying_until_age}",
    parameters=("leaving_care.qualifying_until_age",),
)
ENTITLEMENTS = (
    STAYING_PUT,
    PERSONAL_ADVISER,
    HE_BURSARY,
    PUPIL_PREMIUM_PLUS,
    ADVICE_AND_ASSISTANCE,
)


def _studying(s: Situation, former: pl.LazyFrame) -> pl.LazyFrame:
    """Former relevant young people whose latest OC3 activity is higher education."""
    latest = s.table("oc3").sort("YEAR").group_by("CHILD").agg(pl.col("ACTIV").last())
    return former.join(latest, on="CHILD").filter(
        pl.col("ACTIV").is_in(code_group("oc3_activity", "higher_education"))
    )


def _holding(s: Situation, category: str, until: str) -> pl.LazyFrame:
    """Care leavers of `category` on the day younger than the age the parameter `until`
    gives (a former relevant young person of 23 may still ask for an adviser)."""
    age = birthday(pl.col("DOB"), s.p[until].number)
    return s.leavers.filter((pl.col("CATEGORY") == category) & (age > s.as_at))


def entitlements_on(record: Record, day: date) -> pl.DataFrame:
    """Every entitlement held on `day`, one row per young person and entitlement
    (columns: `SCHEMA`, sorted by child and entitlement)."""
    s = Situation(record, day)
    p = s.p
    parts = []
    if p.in_force(STAYING_PUT.parameters):
        until = "entitlements.staying_put_until_age"
        held = _holding(s, "former relevant", until).filter(
            pl.col("LAST_PLACE").is_in(code_group("placement_type", "foster"))
            & pl.col("ENDING").is_in(code_group("reason_episode_ceased", "staying_put"))
        )
        parts.append(STAYING_PUT.rows(held, until, s))
    advisers = (PERSONAL_ADVISER, PERSONAL_ADVISER_TO_21)
    adviser = next((e for e in advisers if p.in_force(e.parameters)), None)
    if adviser is not None:
        until = adviser.parameters[-1]
        parts.append(adviser.rows(_holding(s, "former relevant", until), until, s))
    if p.in_force(HE_BURSARY.parameters):
        until = "entitlements.higher_education_until_age"
        parts.append(HE_BURSARY.rows(_studying(s, _holding(s, "former relevant", until)), until, s))
    if p.in_force(PUPIL_PREMIUM_PLUS.parameters):
        start = birthday(pl.col("DOB"), p["entitlements.pupil_premium_plus_from_age"].number)
        stop = birthday(pl.col("DOB"), p["entitlements.pupil_premium_plus_until_age"].number)
        school_age = s.in_care.filter((start <= day) & (stop > day))
        parts.append(
            PUPIL_PREMIUM_PLUS.rows(school_age, "entitlements.pupil_premium_plus_until_age", s)
        )
    if p.in_force(ADVICE_AND_ASSISTANCE.parameters):
        until = "leaving_care.qualifying_until_age"
        parts.append(ADVICE_AND_ASSISTANCE.rows(_holding(s, "qualifying", until), until, s))
    if not parts:
        return pl.DataFrame(schema=SCHEMA)
    return collect(pl.concat([part.cast(SCHEMA) for part in parts]).sort("CHILD", "ENTITLEMENT"))
