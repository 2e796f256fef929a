"""Yearly outcomes (OC2, OC3), adoptions, previous permanence, and care leavers' support."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from carematters.calendar.timescales import in_days
from carematters.parameters import Parameters
from carematters.synth.dates import (
    Days,
    age_in_years,
    birthdays,
    later,
    text_where,
    to_dates,
)
from carematters.synth.draws import Spans, choice, flags
from carematters.synth.people import FICTIONAL_LA
from carematters.synth.recurring import Lateness, held, recur, rhythm

IN_TOUCH = (("YES", "NO", "REFU", "NREQ", "RHOM"), (0.93, 0.03, 0.02, 0.01, 0.01))
"""Whether the authority is in touch with each care leaver. DIED is not drawn: a young
person reported dead must not appear in later years (validator rule 348), which the
yearly draws here would not guarantee."""
IN_TOUCH_17_18 = (("YES", "NO", "REFU", "NREQ", "RHOM"), (0.95, 0.02, 0.01, 0.01, 0.01))
"""Most 17- and 18-year-olds have only just left care, so nearly all are in touch: DfE's
64% in education, employment or training and 30% not leave about 6% unaccounted for."""
ACTIVITY_17_18 = (
    ("F2", "P2", "F4", "P4", "F1", "F5", "G5", "G4", "G6"),
    (0.44, 0.05, 0.13, 0.04, 0.01, 0.01, 0.19, 0.07, 0.06),
)
ACTIVITY_19_21 = (
    ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G5", "G4", "G6"),
    (0.07, 0.01, 0.14, 0.04, 0.24, 0.06, 0.01, 0.01, 0.21, 0.10, 0.11),
)
"""Main activity of care leavers in touch; with those not in touch this gives DfE's
64% in education, employment or training at 17-18 and 54% at 19-21, and 30% and 40%
not (the G codes)."""
OLDER_LEAVERS_FROM_AGE = 19
"""DfE's care leaver figures give 17- and 18-year-olds apart from 19- to 21-year-olds;
the draws above follow them, the older from this birthday."""
HEALTH_CHECK_UNTIL_AGE = 5
"""DfE's rules 545 and 546: health promotion (development checks up to date) is
reported for children under this age on 31 March, and only for them."""
MISUSE_FROM_AGE = 11
"""Not law: substance misuse is drawn only for children of this age or over (calibration)."""
SUITABLE = (
    ("B1", "C1", "D1", "E1", "K1", "R1", "T1", "U1", "Z1"),
    (0.10, 0.02, 0.15, 0.10, 0.05, 0.05, 0.03, 0.35, 0.15),
)
UNSUITABLE = (("B2", "D2", "S2", "U2", "V2", "W2", "X2"), (0.15, 0.1, 0.2, 0.2, 0.15, 0.1, 0.1))
PREVIOUS_PERMANENCE = (("Z1", "P1", "P2", "P4"), (0.88, 0.02, 0.06, 0.04))
SDQ_REASONS = (("SDQ2", "SDQ3", "SDQ4", "SDQ5"), (0.45, 0.15, 0.25, 0.15))
"""Why a child of SDQ age has no score (SDQ1, 'too young or too old', never applies)."""
ADOPTERS = (("MF", "FF", "MM"), (0.86, 0.07, 0.07))
SINGLE_ADOPTERS = (("F1", "M1"), (0.85, 0.15))
REVERSALS = (("RD1", "RD2", "RD3", "RD4"), (0.3, 0.2, 0.3, 0.2))
ASSESSMENTS_HELD = Lateness(share=0.1, most_days=60, early_days=60)
"""Needs assessments at 16: most in the months after the birthday, one in ten late."""
PLAN_AFTER_ASSESSMENT_DAYS = (14, 80)
"""The pathway plan follows the needs assessment within weeks (no timescale in law)."""
PATHWAY_REVIEWS_HELD = Lateness(share=0.15, most_days=45, early_days=14)
ADVISER_CONTACT_HELD = Lateness(share=0.2, most_days=40, early_days=14)
"""Pathway plan reviews and personal advisers' contacts, some late."""


def _oc2_year(
    rng: np.random.Generator,
    child: npt.NDArray[np.int64],
    age: npt.NDArray[np.int64],
    label: str,
    law: Parameters,
) -> pl.DataFrame:
    """One year's OC2 rows for children whose ages on 31 March are given.

    An SDQ is due for children aged 4 to 16 at some point in the year (so 4 on 31 March
    up to 17 on 31 March: health.sdq_from_age, health.sdq_until_age); HEALTH_ASSESSMENT
    (the yearly health assessment) is for every child, HEALTH_CHECK (development checks)
    only for those under 5, and conviction for those of the age of criminal
    responsibility (ages.criminal_responsibility) or over.
    """
    n = len(child)
    sdq_from, sdq_until = law["health.sdq_from_age"].number, law["health.sdq_until_age"].number
    responsible = law["ages.criminal_responsibility"].number
    sdq_age = (age >= sdq_from) & (age <= sdq_until)
    sdq_given = sdq_age & (rng.random(n) < 0.78)
    score = np.clip(np.rint(rng.normal(14.9, 6.5, n)), 0, 40).astype(np.int64)
    misuse = rng.random(n) < 0.03 * (age >= MISUSE_FROM_AGE)
    received = flags(rng, 0.6, n)
    """Offered is only asked where no intervention was received (validator rule 183)."""
    return pl.DataFrame(
        {
            "CHILD_ID": child,
            "SDQ_SCORE": pl.Series(score).zip_with(
                pl.Series(sdq_given), pl.Series([None] * n, dtype=pl.Int64)
            ),
            "SDQ_REASON": text_where(
                "SDQ_REASON", sdq_age & ~sdq_given, choice(rng, SDQ_REASONS, n)
            ),
            "CONVICTED": text_where("CONVICTED", age >= responsible, flags(rng, 0.025, n)),
            "HEALTH_CHECK": text_where(
                "HEALTH_CHECK", age < HEALTH_CHECK_UNTIL_AGE, flags(rng, 0.88, n)
            ),
            "IMMUNISATIONS": flags(rng, 0.84, n),
            "TEETH_CHECK": flags(rng, 0.81, n),
            "HEALTH_ASSESSMENT": flags(rng, 0.90, n),
            "SUBSTANCE_MISUSE": np.where(misuse, "1", "0"),
            "INTERVENTION_RECEIVED": text_where("INTERVENTION_RECEIVED", misuse, received),
            "INTERVENTION_OFFERED": text_where(
                "INTERVENTION_OFFERED", misuse & (received == "0"), flags(rng, 0.75, n)
            ),
            "YEAR": pl.Series([label] * n, dtype=pl.String),
        }
    )


Years = list[tuple[int, int, str]]
"""Collection years: first day, last day, label."""


def oc2(rng: np.random.Generator, periods: Spans, years: Years, law: Parameters) -> pl.DataFrame:
    """Children looked after continuously for 12 months at each 31 March, and how they are:
    DfE 2025, health assessments 90%, immunisations 84%, dental checks 81%, SDQ 14.9."""
    parts = []
    for first, year_end, label in years:
        rows = np.flatnonzero((periods.start <= first) & (periods.end > year_end))
        age = age_in_years(periods.dob[rows], np.full(len(rows), year_end))
        parts.append(_oc2_year(rng, periods.child[rows], age, label, law))
    return pl.concat(parts)


def care_leavers(periods: Spans, law: Parameters) -> pl.DataFrame:
    """Young people owed leaving-care support (CA89 s23A, Sch 2 para 19B): in care for 13
    weeks since their 14th birthday, some of it after their 16th (leaving_care.care_needed,
    care_from_age, eligible_from_age). One row each, with when they left and from when
    they were in care at 16 or over."""
    sixteen = birthdays(periods.dob, law["leaving_care.eligible_from_age"].number)
    since = np.maximum(
        periods.start, birthdays(periods.dob, law["leaving_care.care_from_age"].number)
    )
    needed = in_days(law["leaving_care.care_needed"])
    frame = pl.DataFrame(
        {
            "CHILD_ID": periods.child,
            "DOB": periods.dob,
            "AFTER_14": np.clip(periods.end - since, 0, None),
            "FROM_16": np.where(periods.end > sixteen, np.maximum(periods.start, sixteen), -1),
            "END": periods.end,
        }
    )
    return (
        frame.group_by("CHILD_ID")
        .agg(
            pl.col("DOB").first(),
            pl.col("AFTER_14").sum(),
            pl.col("FROM_16").filter(pl.col("FROM_16") >= 0).min().alias("FROM_16"),
            pl.col("END").max().alias("LEFT"),
        )
        .filter((pl.col("AFTER_14") >= needed) & pl.col("FROM_16").is_not_null())
        .sort("CHILD_ID")
    )


def _oc3_rows(
    rng: np.random.Generator, child: npt.NDArray[np.int64], age: int, label: str, adult: int
) -> pl.DataFrame:
    """One year's OC3 rows for care leavers on their birthday `age` in the year, where
    `adult` is the age of adulthood."""
    n = len(child)
    younger = age < OLDER_LEAVERS_FROM_AGE
    touch = choice(rng, IN_TOUCH_17_18 if younger else IN_TOUCH, n)
    in_touch = touch == "YES"
    activity = choice(rng, ACTIVITY_17_18 if younger else ACTIVITY_19_21, n)
    suitable = rng.random(n) < 0.9
    accommodation = np.where(suitable, choice(rng, SUITABLE, n), choice(rng, UNSUITABLE, n))
    if age < adult:
        # Staying with former foster carers (Z1) begins at 18 (validator rule 3001).
        accommodation = np.where(accommodation == "Z1", "D1", accommodation)
    if age <= adult:
        # A foyer (T1) takes young people from 18 (validator rule 347), and an 18th
        # birthday in the year means 17 on 1 April.
        accommodation = np.where(accommodation == "T1", "U1", accommodation)
    return pl.DataFrame(
        {
            "CHILD_ID": child,
            "IN_TOUCH": touch,
            "ACTIV": np.where(in_touch, activity, "0"),
            "ACCOM": np.where(in_touch, accommodation, "0"),
            "YEAR": pl.Series([label] * n, dtype=pl.String),
        }
    )


def oc3(
    rng: np.random.Generator, leavers: pl.DataFrame, years: Years, law: Parameters
) -> pl.DataFrame:
    """Each care leaver's 17th to 21st birthdays after leaving (leaving_care.oc3_from_age,
    leaving_care.oc3_until_age): in touch, activity, home.

    On the 17th and 18th birthdays (to adulthood, ages.adulthood) only those who had
    already left care are asked about (validator rule 1016); leaving on the birthday
    itself is still in care.
    """
    dob = leavers["DOB"].to_numpy()
    left = leavers["LEFT"].to_numpy()
    child = leavers["CHILD_ID"].to_numpy()
    adult = law["ages.adulthood"].number
    first_age = law["leaving_care.oc3_from_age"].number
    last_age = law["leaving_care.oc3_until_age"].number
    parts = []
    for age in range(first_age, last_age + 1):
        birthday = birthdays(dob, age)
        for first, last, label in years:
            gone = left < birthday if age <= adult else left <= birthday
            rows = (birthday >= first) & (birthday <= last) & gone
            parts.append(_oc3_rows(rng, child[rows], age, label, adult))
    return pl.concat(parts)


def previous_permanence(
    rng: np.random.Generator, child: npt.NDArray[np.int64], dob: Days, first_start: Days
) -> pl.DataFrame:
    """Whether each child had an adoption, guardianship or arrangements order before care,
    and if so which authority made it (LA_PERM) and when (DATE_PERM, often only the year)."""
    code = choice(rng, PREVIOUS_PERMANENCE, len(child))
    born = to_dates("DOB", dob).dt.year().to_numpy()
    started = to_dates("START", first_start).dt.year().to_numpy()
    order_year = np.maximum(born, started - rng.integers(1, 5, len(child)))
    when = ("zz/zz/" + pl.Series(order_year).cast(pl.String)).to_numpy()
    had_order = code != "Z1"
    return pl.DataFrame(
        {
            "CHILD_ID": child,
            "PREV_PERM": code,
            "LA_PERM": text_where("LA_PERM", had_order, FICTIONAL_LA),
            "DATE_PERM": text_where("DATE_PERM", had_order, when),
        }
    )


def adoption_decisions(rng: np.random.Generator, periods: Spans, placed: Days) -> pl.DataFrame:
    """The decision that each child should be placed for adoption, a few months into care.

    A decision that led to adoption never "ceases" in the SSDA903 sense: the date and
    reason it ceased (RD1-RD4) are only for decisions reversed (validator rule 120).
    """
    # Before the placement order, made 14 to 60 days before the move (rule 554), and not
    # before the child came into care (rule 1003).
    decided = np.minimum(periods.start + rng.integers(150, 300, len(periods)), placed - 61)
    decided = np.maximum(decided, periods.start)
    return pl.DataFrame({"CHILD_ID": periods.child, "DATE_PLACED": decided})


def adoptions(
    rng: np.random.Generator,
    decisions: pl.DataFrame,
    placed: Days,
    foster_carer: npt.NDArray[np.bool_],
) -> pl.DataFrame:
    """AD1 for each adoption: when decided and matched, and who adopted."""
    n = decisions.height
    couple = rng.random(n) < 0.88
    sexes = np.where(couple, choice(rng, ADOPTERS, n), choice(rng, SINGLE_ADOPTERS, n))
    mixed = np.where(rng.random(n) < 0.75, "L11", "L3")
    same = choice(rng, (("L12", "L2", "L4"), (0.5, 0.25, 0.25)), n)
    return decisions.select(
        "CHILD_ID",
        DATE_INT="DATE_PLACED",
        # Matched after the decision and before moving in (validator rules 333, 331).
        DATE_MATCH=pl.max_horizontal(
            pl.lit(placed - rng.integers(14, 60, n)), pl.col("DATE_PLACED")
        ),
        FOSTER_CARE=pl.lit(np.where(foster_carer, "1", "0")),
        NB_ADOPTR=pl.lit(np.where(couple, "2", "1")),
        SEX_ADOPTR=pl.lit(sexes),
        LS_ADOPTR=pl.lit(np.where(~couple, "L0", np.where(sexes == "MF", mixed, same))),
    )


def reversed_decisions(rng: np.random.Generator, periods: Spans) -> pl.DataFrame:
    """Decisions that a child should be adopted that were later reversed, and why."""
    decided = periods.start + rng.integers(150, 300, len(periods))
    reversed_on = decided + rng.integers(90, 300, len(periods))
    keep = reversed_on < periods.end
    return pl.DataFrame(
        {
            "CHILD_ID": periods.child[keep],
            "DATE_PLACED": decided[keep],
            "DATE_PLACED_CEASED": reversed_on[keep],
            "REASON_PLACED_CEASED": choice(rng, REVERSALS, int(keep.sum())),
        }
    )


def pathway(
    rng: np.random.Generator, leavers: pl.DataFrame, law: Parameters
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Needs assessment within 3 months of the 16th birthday or of becoming eligible
    after it, pathway plan and its reviews every 6 months (CPPCR 2010 reg 42-43), and
    personal adviser contact every 2 months from leaving care (CLR 2010 reg 8), both to
    21 (leaving_care.*)."""
    child = leavers["CHILD_ID"].to_numpy()
    until = birthdays(leavers["DOB"].to_numpy(), law["leaving_care.duties_until_age"].number)
    eligible = leavers["FROM_16"].to_numpy()
    due = later(eligible, law["leaving_care.needs_assessment"])
    assessed = held(rng, due, eligible - 1, ASSESSMENTS_HELD)
    planned = assessed + rng.integers(*PLAN_AFTER_ASSESSMENT_DAYS, len(child))
    reviews_due = rhythm(law, "leaving_care.pathway_review", "leaving_care.pathway_review")
    owner, day = recur(rng, planned, until, reviews_due, PATHWAY_REVIEWS_HELD)
    plans = pl.concat(
        [
            pl.DataFrame({"CHILD_ID": child, "EVENT_DATE": assessed, "KIND": "ASSESSMENT"}),
            pl.DataFrame({"CHILD_ID": child, "EVENT_DATE": planned, "KIND": "PLAN"}),
            pl.DataFrame({"CHILD_ID": child[owner], "EVENT_DATE": day, "KIND": "REVIEW"}),
        ]
    )
    contact_due = rhythm(law, "leaving_care.adviser_contact", "leaving_care.adviser_contact")
    contact_owner, contact_day = recur(
        rng, leavers["LEFT"].to_numpy(), until, contact_due, ADVISER_CONTACT_HELD
    )
    contacts = pl.DataFrame({"CHILD_ID": child[contact_owner], "CONTACT_DATE": contact_day})
    return plans, contacts
