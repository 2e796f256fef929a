"""Rules on the OC2 conviction and health promotion items: who must have them, who must
not, and what else must then be there (DfE rules 542-547).

Ages are on 31 March, from the OC2 row's date of birth. "Looked after continuously for
12 months" is DfE's OC2 cohort, defined once in `rules.oc2`.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.validation.checks import blank
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import law
from carematters.validation.rules.oc2 import in_cohort

OTHER_HEALTH_ITEMS = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
HEALTH_CHECK_UNTIL_AGE = 5
"""DfE's rules 545 and 546: health promotion (whether development checks are up to date)
is reported for children under this age on 31 March, and only for them."""


def _age(context: Context) -> pl.Expr:
    return age_on(pl.col("DOB"), context.end)


def _with_other_health_items(context: Context, column: str) -> Failures:
    """OC2 rows with `column` completed but one of the other health items left blank."""
    incomplete = pl.any_horizontal(blank(item) for item in OTHER_HEALTH_ITEMS)
    return context.failing("oc2", ~blank(column) & incomplete)


@rule(
    "542",
    "A child aged under 10 at 31 March should not have conviction information completed.",
    tables=("oc2",),
    fields=("CONVICTED",),
)
def convicted_under_ten(context: Context) -> Failures:
    """Children under 10 are below the age of criminal responsibility, so cannot have been
    convicted: the item is for children aged 10 or over."""
    too_young = _age(context) < law(context, "ages.criminal_responsibility")
    return context.failing("oc2", too_young & ~blank("CONVICTED"))


@rule(
    "543",
    "Child is aged 10 or over at 31 March and has been looked after continuously for 12 "
    "months yet conviction information has not been completed.",
    tables=("oc2",),
    fields=("DOB", "CONVICTED"),
)
def conviction_missing(context: Context) -> Failures:
    """Offending by children looked after for a year is reported nationally for those aged
    10 or over, so each of them needs an answer."""
    responsible = _age(context) >= law(context, "ages.criminal_responsibility")
    needed = responsible & in_cohort(context)
    return context.failing("oc2", needed & blank("CONVICTED"))


@rule(
    "544",
    "Any child who has conviction information completed must also have immunisation, teeth "
    "check, health assessment and substance misuse problem identified fields completed.",
    tables=("oc2",),
    fields=("CONVICTED", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"),
)
def convicted_without_health_items(context: Context) -> Failures:
    """A child with conviction information is in the OC2 cohort, whose immunisations,
    dental checks, health assessments and substance misuse are all reported."""
    return _with_other_health_items(context, "CONVICTED")


@rule(
    "545",
    "Child is aged under 5 at 31 March and has been looked after continuously for 12 months "
    "yet health promotion information has not been completed.",
    tables=("oc2",),
    fields=("DOB", "HEALTH_CHECK"),
)
def health_check_missing(context: Context) -> Failures:
    """Whether development checks are up to date is reported nationally for under-fives
    looked after for a year, so each of them needs an answer."""
    needed = (_age(context) < HEALTH_CHECK_UNTIL_AGE) & in_cohort(context)
    return context.failing("oc2", needed & blank("HEALTH_CHECK"))


@rule(
    "546",
    "Children aged 5 or over at 31 March should not have health promotion information completed.",
    tables=("oc2",),
    fields=("DOB", "HEALTH_CHECK"),
)
def health_check_over_five(context: Context) -> Failures:
    """Development checks are for children under 5, so the item is left blank for older
    children."""
    older = _age(context) >= HEALTH_CHECK_UNTIL_AGE
    return context.failing("oc2", older & ~blank("HEALTH_CHECK"))


@rule(
    "547",
    "Any child who has health promotion information completed must also have immunisation, "
    "teeth check, health assessment and substance misuse problem identified fields "
    "completed.",
    tables=("oc2",),
    fields=(
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
    ),
)
def health_check_without_health_items(context: Context) -> Failures:
    """A child with health promotion information is in the OC2 cohort, whose
    immunisations, dental checks, health assessments and substance misuse are all
    reported."""
    return _with_other_health_items(context, "HEALTH_CHECK")
