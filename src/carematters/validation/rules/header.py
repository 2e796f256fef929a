"""Rules about the header: who the child is (DfE rules 101-103, 168-174, 301 and the
internal checks INT32)."""

from __future__ import annotations

import polars as pl

from carematters.validation.checks import code_rule, date_rule, repeated_child
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule


@rule("101", "Gender code is not valid.", tables=("header",), fields=("SEX",))
def sex_code(context: Context) -> Failures:
    """A child's sex must be recorded with one of the codes of the year."""
    return code_rule(context, "header", "SEX", "sex", required=True)


@rule("102", "Date of birth is not a valid date.", tables=("header",), fields=("DOB",))
def date_of_birth(context: Context) -> Failures:
    """Every child needs a real date of birth: ages drive most other rules and duties."""
    return date_rule(context, "header", "DOB", required=True)


@rule(
    "103",
    "The ethnicity code is either not valid or has not been entered.",
    tables=("header",),
    fields=("ETHNIC",),
)
def ethnicity_code(context: Context) -> Failures:
    """Ethnicity must be one of DfE's codes, so that national figures by ethnic group add up."""
    return code_rule(context, "header", "ETHNIC", "ethnicity", required=True)


@rule("301", "Date of birth falls after the year ended.", tables=("header",), fields=("DOB",))
def born_after_year_end(context: Context) -> Failures:
    """A child in this year's return cannot be born after its last day, 31 March."""
    return context.failing("header", pl.col("DOB") > context.end)


@rule(
    "INT32",
    "Internal Check: Child should only exist once in Header.",
    tables=("header",),
    fields=("CHILD",),
)
def one_header_each(context: Context) -> Failures:
    """Each child has one header row: two would give two dates of birth or sexes."""
    return repeated_child(context, "header")
