"""Rules about whether a looked-after girl is a mother, and her first child's date of birth
(DfE rules 607, 611, 612, 620, 621 and 624-628)."""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.validation.checks import blank, female
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import (
    as_compared,
    left_blank,
    left_care,
    provided,
    rows_of,
)

MOTHER, NOT_MOTHER = "1", "0"
YOUNGEST_MOTHER = 11
"""DfE's rule 620: a mother younger than this at the start of the year is taken to be a
mistake."""


@rule(
    "607",
    "Child ceased to be looked after in the year, but mother field has not been completed.",
    tables=("header", "episodes"),
    fields=("DEC", "REC", "MOTHER", "LS", "SEX"),
)
def mother_not_given_on_leaving(context: Context) -> Failures:
    """Whether a girl leaving care is a mother is counted nationally, so it must be
    recorded for every girl who ceased to be looked after in the year (other than after
    short breaks)."""
    girls = context.table("header").filter(female() & blank("MOTHER"))
    left = context.table("episodes").filter(
        left_care(context)
        & pl.col("DEC").is_between(context.start, context.end)
        & ~pl.col("LS").is_in(context.group("legal_status", "short_breaks")).fill_null(False)
        & pl.col("CHILD").is_in(girls["CHILD"].implode())
    )
    return {"header": girls.join(left, on="CHILD", how="semi"), "episodes": left}


@rule(
    "611",
    "Date of birth field is blank, but child is a mother.",
    tables=("header",),
    fields=("MOTHER", "MC_DOB"),
)
def mother_without_child_date_of_birth(context: Context) -> Failures:
    """A mother's first child's date of birth is needed to know when she became a mother
    (whether while in care)."""
    return context.failing(
        "header", (pl.col("MOTHER") == MOTHER) & left_blank(context, "header", "MC_DOB")
    )


@rule(
    "612",
    "Date of birth field has been completed but mother field indicates child is not a mother.",
    tables=("header",),
    fields=("SEX", "MOTHER", "MC_DOB"),
)
def child_date_of_birth_but_not_mother(context: Context) -> Failures:
    """A girl recorded with a first child's date of birth is a mother, so the mother
    field saying she is not (or saying nothing) contradicts it."""
    not_mother = blank("MOTHER") | (pl.col("MOTHER") == NOT_MOTHER)
    return context.failing(
        "header",
        female() & not_mother & provided(context, "header", "MC_DOB"),
    )


@rule(
    "620",
    "Child has been recorded as a mother, but date of birth shows that the mother is under 11 "
    "years of age.",
    tables=("header",),
    fields=("DOB", "MOTHER"),
)
def mother_under_eleven(context: Context) -> Failures:
    """A mother aged under 11 at the start of the year is almost certainly a mistake in
    her date of birth or in the mother field."""
    return context.failing(
        "header",
        (pl.col("MOTHER") == MOTHER) & (age_on(pl.col("DOB"), context.start) < YOUNGEST_MOTHER),
    )


@rule(
    "621",
    "Mother\u2019s field has been completed but date of birth shows that the mother is younger "
    "than her child.",
    tables=("header",),
    fields=("DOB", "MC_DOB"),
)
def mother_younger_than_child(context: Context) -> Failures:
    """A mother is born before her child, so one of the two dates of birth is wrong."""
    return context.failing("header", pl.col("MC_DOB") <= pl.col("DOB"))


@rule(
    "624",
    "Date of birth of the first child contradicts the date of birth of the first child "
    "previously recorded.",
    tables=("header",),
    fields=("MC_DOB",),
    needs="previous",
)
def child_date_of_birth_changed(context: Context) -> Failures:
    """A first child's date of birth never changes, so this year's must match the one
    recorded last year.

    A young mother who has left care is in the return only as a care leaver, with her
    motherhood no longer recorded, so a date left out is a contradiction only while she
    is still looked after. A date given but not readable, in either year, is given, and
    agrees with no readable date (`as_compared`)."""
    looked_after = context.table("episodes")["CHILD"].implode()
    last = (
        context.last_year("header")
        .filter(provided(context, "header", "MC_DOB", last_year=True))
        .select("CHILD", as_compared(context, "header", "MC_DOB", last_year=True).alias("_LAST"))
        .unique("CHILD", keep="first")
    )
    header = context.table("header").join(last, on="CHILD")
    given = provided(context, "header", "MC_DOB") | pl.col("CHILD").is_in(looked_after)
    differs = as_compared(context, "header", "MC_DOB").ne_missing(pl.col("_LAST"))
    found = header.filter(differs & given)
    return rows_of(context, "header", found)


@rule(
    "625",
    "Date of birth of the first child is beyond the end of this reporting year or the date the "
    "child ceased to be looked after.",
    tables=("header", "episodes"),
    fields=("MC_DOB", "DEC"),
)
def child_born_after_mother_left(context: Context) -> Failures:
    """The return records motherhood while a girl is looked after, so her first child
    cannot be born after the year ended or after she left care."""
    header = context.table("header")
    latest = pl.col("DECOM") == pl.col("DECOM").max().over("CHILD")
    born_after_leaving = (
        context.table("episodes")
        .filter(latest & left_care(context))
        .join(header.select("CHILD", pl.col("MC_DOB").alias("_MC_DOB")), on="CHILD")
        .filter(pl.col("_MC_DOB") > pl.col("DEC"))
    )
    after = (pl.col("MC_DOB") > context.end) | pl.col("CHILD").is_in(
        born_after_leaving["CHILD"].implode()
    )
    return {
        "header": header.filter(after),
        **rows_of(context, "episodes", born_after_leaving),
    }


@rule(
    "626",
    "Child was reported as a mother but the date of birth of the first child is before the "
    "current year which contradicts with the mother status recorded last year.",
    tables=("header",),
    fields=("MOTHER", "MC_DOB"),
    needs="previous",
)
def mother_last_year_said_not(context: Context) -> Failures:
    """A girl recorded last year as not a mother cannot have had her first child before
    this year began."""
    not_last_year = context.last_year("header").filter(pl.col("MOTHER") == NOT_MOTHER)
    return context.failing(
        "header",
        (pl.col("MOTHER") == MOTHER)
        & (pl.col("MC_DOB") < context.start)
        & pl.col("CHILD").is_in(not_last_year["CHILD"].implode()),
    )


@rule(
    "628",
    "Motherhood details are not required for care leavers who have not been looked after "
    "during the year.",
    tables=("header",),
    fields=("MOTHER",),
)
def mother_given_for_care_leaver(context: Context) -> Failures:
    """Motherhood is recorded for children looked after in the year; care leavers in the
    return only for their outcomes (OC3) should not have it."""
    care_leavers = (
        context.table("header")
        .join(context.table("oc3"), on="CHILD", how="semi")
        .join(context.table("episodes"), on="CHILD", how="anti")
    )
    return {"header": care_leavers.filter(~blank("MOTHER"))}
