"""Rules about reviews of the child's care plan (the reviews table: DfE rules 166 and 167)
and whether a girl or young woman is a mother (the header's MOTHER: rule 165).
"""

from __future__ import annotations

import polars as pl

from carematters.validation.checks import code_rule, date_rule, not_a_code
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank
from carematters.validation.rules.oc2 import among, any_provided, looked_after_in_year
from carematters.validation.rules.oc3 import OC3_ITEMS


@rule(
    "165",
    "Data entry for mother status is invalid.",
    tables=("header", "episodes", "oc3"),
    fields=("MOTHER", "SEX", "ACTIV", "ACCOM", "IN_TOUCH", "DECOM"),
)
def mother_status(context: Context) -> Failures:
    """Whether a young woman in care is a mother is asked of every girl looked after in the
    year, so that support for young parents in care can be planned; it may be left blank
    only for a boy, or for a care leaver not looked after in the year.

    DfE's condition is followed: a MOTHER given for a boy, or for a care leaver, is not
    found (the community validator finds both)."""
    male = pl.col("SEX").is_in(context.group("sex", "male"))
    care_leavers = context.table("oc3").filter(any_provided(context, "oc3", OC3_ITEMS))
    in_care = looked_after_in_year(context, counting_unsure=False)
    only_care_leaver = among(care_leavers) & ~among(in_care)
    missing = left_blank(context, "header", "MOTHER") & ~male.fill_null(False) & ~only_care_leaver
    invalid = not_a_code(context, "MOTHER", "yes_no", required=False)
    return context.failing("header", invalid | missing)


@rule(
    "166",
    "Date of review is invalid or blank.",
    tables=("reviews",),
    fields=("REVIEW",),
)
def review_date(context: Context) -> Failures:
    """A review is recorded by its date, which shows whether reviews were held on time."""
    return date_rule(context, "reviews", "REVIEW", required=True)


@rule(
    "167",
    "Data entry for participation is invalid or blank.",
    tables=("reviews",),
    fields=("REVIEW_CODE",),
)
def review_participation(context: Context) -> Failures:
    """How the child took part in their review must be one of DfE's codes: it is how the
    child's voice in their own care plan is counted."""
    return code_rule(context, "reviews", "REVIEW_CODE", "review_participation", required=True)
