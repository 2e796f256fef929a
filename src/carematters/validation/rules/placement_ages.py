"""Rules about placements and ages (DfE rules 370-377, 379, 386, 387 and 389-391): the
youngest a child may be in some placements or when leaving care in some ways, how long
and how often temporary placements may be used, and who belongs in the care leavers'
outcomes (OC3).

A child's age comes from their date of birth in the header (the first row, if there are
several; rule INT32 finds those). An open temporary placement is counted to the end of
the year: it has lasted at least that long. Ages the law sets (adulthood, criminal
responsibility, the care leavers' return's birthdays) are parameters, as they stood at
the end of the year; the youngest a child may be in a placement or leave care in a
way, where the law sets no age, are DfE's, named below.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import BIRTH_DATE, aged, law
from carematters.validation.rules.child import SCHOOL_FROM_AGE
from carematters.validation.rules.episode_sequence import after, before, days_lasted, in_order

SUPPORTED_FROM_AGE = 16
"""DfE's rules 370 and 371: independent living (P2), semi-independent living (H5) and
supported accommodation (K3) are for young people of this age or over."""
EMPLOYMENT_FROM_AGE = 14
"""DfE's rule 374: the youngest a child in residential employment (P3) may be."""
INDEPENDENT_LIVING_FROM_AGE = 14
"""DfE's rule 387: the youngest a child may leave care to live independently (E5, E6)."""
ADULT_SERVICES_FROM_AGE = 16
"""DfE's rule 389: the youngest a child may leave care for adult social care (E7)."""


def _age_at(column: str) -> pl.Expr:
    """The child's age in whole years on the episode's date `column`."""
    return age_on(pl.col(BIRTH_DATE), pl.col(column))


def _placed_younger_than(context: Context, place: str, age: int) -> Failures:
    """Episodes in placement `place` that began before the child was `age`."""
    mask = (pl.col("PLACE") == place) & (_age_at("DECOM") < age)
    return aged(context, mask)


def _ceased_at_age(context: Context, reasons: tuple[str, ...], wrong_age: pl.Expr) -> Failures:
    """Episodes that ended for one of `reasons` at an age for which `wrong_age` holds."""
    mask = pl.col("REC").is_in(reasons) & wrong_age
    return aged(context, mask)


@rule(
    "370",
    "Child in independent living should be at least 16.",
    tables=("episodes", "header"),
    fields=("DECOM", "PLACE"),
    until="2023-24",
)
def independent_living_under_16(context: Context) -> Failures:
    """Independent living (P2) is not a safe placement for a child under 16."""
    return _placed_younger_than(context, "P2", SUPPORTED_FROM_AGE)


@rule(
    "371",
    "Child in semi-independent living accommodation not subject to children\u2019s homes "
    "regulations should be at least 16.",
    tables=("episodes", "header"),
    fields=("DECOM", "PLACE"),
    until="2023-24",
)
def semi_independent_under_16(context: Context) -> Failures:
    """Since September 2021 a child under 16 may only be placed in a regulated home.

    Semi-independent living (H5) is not one.
    """
    return _placed_younger_than(context, "H5", SUPPORTED_FROM_AGE)


@rule(
    "371",
    "Child in supported accomodation not subject to children\u2019s homes regulations should be "
    "at least 16.",
    tables=("episodes", "header"),
    fields=("DECOM", "PLACE"),
    since="2024-25",
)
def supported_accommodation_under_16(context: Context) -> Failures:
    """Supported accommodation is registered only for young people aged 16 and 17.

    A younger child must be placed in a children's home or with a family.
    """
    return _placed_younger_than(context, "K3", SUPPORTED_FROM_AGE)


@rule(
    "372",
    "Child in youth custody or prison should be at least 10.",
    tables=("episodes", "header"),
    fields=("DECOM", "PLACE"),
)
def custody_under_10(context: Context) -> Failures:
    """The age of criminal responsibility is 10, so a younger child cannot be in custody."""
    return _placed_younger_than(context, "R5", law(context, "ages.criminal_responsibility"))


@rule(
    "373",
    "Child placed in a school should be at least 4 years old.",
    tables=("episodes", "header"),
    fields=("DECOM", "PLACE"),
)
def school_under_4(context: Context) -> Failures:
    """A child below school age cannot be placed in a residential school."""
    return _placed_younger_than(context, "S1", SCHOOL_FROM_AGE)


@rule(
    "374",
    "Child in residential employment should be at least 14 years old.",
    tables=("episodes", "header"),
    fields=("DECOM", "PLACE"),
)
def employment_under_14(context: Context) -> Failures:
    """A child under 14 is too young in law for the work residential employment involves."""
    return _placed_younger_than(context, "P3", EMPLOYMENT_FROM_AGE)


def _temporary_lasted_longer(context: Context, place: str, days: int) -> Failures:
    """Episodes in the temporary placement `place` lasting more than `days`."""
    return context.failing("episodes", (pl.col("PLACE") == place) & (days_lasted(context) > days))


@rule(
    "375",
    "Hospitalisation coded as a temporary placement exceeds six weeks.",
    tables=("episodes",),
    fields=("DECOM", "PLACE"),
)
def hospital_stay_too_long(context: Context) -> Failures:
    """A hospital stay is a temporary placement (T1) only up to six weeks.

    A longer one is a placement in its own right (R2).
    """
    return _temporary_lasted_longer(context, "T1", 42)


@rule(
    "376",
    "Temporary placements coded as being due to holiday of usual foster carer(s) cannot "
    "exceed three weeks.",
    tables=("episodes",),
    fields=("DECOM", "PLACE"),
)
def carers_holiday_too_long(context: Context) -> Failures:
    """Cover while foster carers are on holiday (T3) is limited to three weeks.

    A longer stay is a change of placement and must be recorded as one.
    """
    return _temporary_lasted_longer(context, "T3", 21)


@rule(
    "377",
    "Only two temporary placements coded as being due to holiday of usual foster carer(s) are "
    "allowed in any 12- month period.",
    tables=("episodes",),
    fields=("PLACE",),
)
def carers_holiday_too_often(context: Context) -> Failures:
    """Cover for foster carers' holidays (T3) may be used at most twice in 12 months.

    More often, the moves are changes of placement and must be recorded as such.
    """
    third_in_a_year = pl.col("DECOM") < before("DECOM", 2).dt.offset_by("1y")
    holidays = (
        in_order(context)
        .filter(pl.col("PLACE") == "T3")
        .with_columns(third_in_a_year.fill_null(False).alias("_THIRD"))
    )
    in_a_third = pl.col("_THIRD") | after("_THIRD") | after("_THIRD", 2)
    return {"episodes": holidays.filter(in_a_third.fill_null(False)).drop("_THIRD")}


@rule(
    "379",
    "Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.",
    tables=("episodes",),
    fields=("DECOM", "PLACE"),
)
def other_temporary_too_long(context: Context) -> Failures:
    """A temporary placement for any other reason (T4) is one of seven days or less.

    A longer one is a change of placement.
    """
    return _temporary_lasted_longer(context, "T4", 7)


@rule(
    "386",
    "Reason episode ceased is adopted but child has reached age 18.",
    tables=("header", "episodes"),
    fields=("REC",),
)
def adopted_as_adult(context: Context) -> Failures:
    """Adoption must be applied for before a child is 18, so an adult does not leave care by it."""
    adopted = context.group("reason_episode_ceased", "adopted")
    adult = _age_at("DEC") >= law(context, "ages.adulthood")
    return _ceased_at_age(context, adopted, adult)


@rule(
    "387",
    "Reason episode ceased is child moved into independent living arrangement, but the "
    "child is aged under 14.",
    tables=("header", "episodes"),
    fields=("REC",),
)
def independent_living_under_14(context: Context) -> Failures:
    """A child under 14 cannot leave care to live independently."""
    too_young = _age_at("DEC") < INDEPENDENT_LIVING_FROM_AGE
    return _ceased_at_age(context, ("E5", "E6"), too_young)


@rule(
    "389",
    "Reason episode ceased is that child transferred to care of adult social care services, "
    "but child is aged under 16.",
    tables=("header", "episodes"),
    fields=("REC",),
)
def adult_services_under_16(context: Context) -> Failures:
    """Adult social care does not take over the care of a child under 16."""
    return _ceased_at_age(context, ("E7",), _age_at("DEC") < ADULT_SERVICES_FROM_AGE)


@rule(
    "390",
    "Reason episode ceased is adopted but child has not been previously placed for adoption.",
    tables=("episodes",),
    fields=("PLACE", "REC"),
)
def adopted_without_adoption_placement(context: Context) -> Failures:
    """A child is adopted from an adoption placement, so the episode must be one (A3-A6)."""
    adopted = pl.col("REC").is_in(context.group("reason_episode_ceased", "adopted"))
    placed = pl.col("PLACE").is_in(context.group("placement_type", "placed_for_adoption"))
    mask = adopted & ~placed
    return context.failing("episodes", mask)


@rule(
    "391",
    "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
    tables=("oc3",),
    fields=("DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
)
def care_leaver_outside_ages(context: Context) -> Failures:
    """Care leavers' outcomes are collected in the years of their 17th to 21st birthdays.

    Outcomes recorded for anyone else do not belong in the return.
    """
    outcome = ~blank("IN_TOUCH") | ~blank("ACTIV") | ~blank("ACCOM")
    dob = pl.col("DOB")
    first = law(context, "leaving_care.oc3_from_age")
    last = law(context, "leaving_care.oc3_until_age")
    outside = (age_on(dob, context.end) < first) | (age_on(dob, context.start) > last)
    return context.failing("oc3", outcome & outside)
