"""Rules about unaccompanied asylum-seeking children (DfE rules 104, 231 and 304).

Our tables hold a child's UASC status as a row in the UASC table: a child has one if
they were UASC in the year (the XML flag UASC=1), or if a date their status ceased (DUC)
is given. So "UASC status is 1" below means "has a row in the UASC table".

Two of DfE's UASC rules therefore have nothing to check here. 105 (the UASC status is not
a valid code, or blank) is about the XML flag itself, which the reader checks as it reads
(an invalid flag is reported there; CSV returns have no flag). 303 (a DUC needs UASC
status 1) always holds, because a given DUC is what gives a child the status.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.validation.checks import date_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import law

YOUNGEST_EXPECTED_AGE = 11
"""DfE's rule 231: DfE expects unaccompanied asylum-seeking children to be at least this
old at 31 March."""


@rule(
    "104",
    "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
    tables=("uasc",),
    fields=("DUC",),
)
def status_ceased_date(context: Context) -> Failures:
    """When a child stops being an unaccompanied asylum-seeker decides which duties and
    funding apply, so a date given for it must be a real dd/mm/yyyy date."""
    return date_rule(context, "uasc", "DUC", required=False)


@rule(
    "304",
    "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the "
    "18th birthday of a child.",
    tables=("uasc",),
    fields=("DUC",),
)
def status_ceased_after_eighteen(context: Context) -> Failures:
    """UASC status ends at 18 at the latest (an adult is not a child), so a later date
    ceased is wrong."""
    day_before = pl.col("DUC") - timedelta(days=1)
    adult = age_on(pl.col("DOB"), day_before) >= law(context, "ages.adulthood")
    return context.failing("uasc", adult)


@rule(
    "231",
    "We expect that unaccompanied asylum seeking children are generally older young people. "
    "Please check the date of birth is correct. If the date of birth is correct then please "
    "provide details in a bypass request.",
    tables=("header", "uasc"),
    fields=("DOB", "UASC_STATUS"),
    since="2024-25",
)
def young_asylum_seeker(context: Context) -> Failures:
    """Very few unaccompanied asylum-seeking children are under 11, so a young one more
    often means a wrong date of birth; DfE asks for it to be checked and explained."""
    seeking = context.table("uasc")["CHILD"].implode()
    young = age_on(pl.col("DOB"), context.end) < YOUNGEST_EXPECTED_AGE
    return context.failing("header", pl.col("CHILD").is_in(seeking) & young)
