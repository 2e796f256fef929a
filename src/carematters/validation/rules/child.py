"""Rules about who the child is, as the header records them: the unique pupil number
(DfE rules 168, 209, 210), the mother's child's date of birth (171, 174), sex (232) and
when the child's first episode began (302).

A UPN is valid as DfE's UPN guide defines it: a check letter, eleven digits and a final
digit (a letter in a temporary UPN), where the check letter is the one DfE's algorithm
gives the other twelve characters. A child without one is given an "unknown" code,
UN1 to UN5.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.ssda903.codelists import code_list
from carematters.validation.checks import date_rule
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import left_blank, provided
from carematters.validation.rules.episode_sequence import first_episodes_this_year

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
"""The letters a UPN may use, in the order of the remainders (0 to 22) they stand for:
the alphabet without I, O and S."""
UNKNOWN_UPNS = ("UN1", "UN2", "UN3", "UN4", "UN5")
"""DfE's codes for a child whose UPN is not known."""
SCHOOL_FROM_AGE = 4
"""DfE's rules 209 and 373: a child starts school at this age. One this old on 31 August
has started (Reception), and so has a UPN (UN1, too young for school, is not theirs);
a child placed in a residential school (S1) is at least this old."""
_UPN_SHAPE = rf"^[{CHECK_LETTERS}][0-9]{{11}}[0-9{CHECK_LETTERS}]$"
_CHARACTER_VALUES = {str(digit): digit for digit in range(10)} | {
    letter: value for value, letter in enumerate(CHECK_LETTERS)
}


def _character_value(upn: pl.Expr, index: int) -> pl.Expr:
    """The value DfE's algorithm gives the character at `index` (from 0): a digit its own,
    a letter its place among the check letters."""
    return upn.str.slice(index, 1).replace_strict(
        _CHARACTER_VALUES, default=None, return_dtype=pl.Int64
    )


def upn_check_letter(upn: pl.Expr) -> pl.Expr:
    """The check letter DfE's algorithm gives a UPN: characters 2 to 13, each multiplied by
    its position, summed; the remainder on dividing by 23 picks the letter."""
    total = pl.sum_horizontal(_character_value(upn, index) * (index + 1) for index in range(1, 13))
    return (total % 23).replace_strict(
        dict(enumerate(CHECK_LETTERS)), default=None, return_dtype=pl.String
    )


def valid_upn(upn: pl.Expr) -> pl.Expr:
    """The value is an unknown-UPN code, or a UPN of the right shape with the right check
    letter."""
    well_formed = upn.str.contains(_UPN_SHAPE) & (upn.str.slice(0, 1) == upn_check_letter(upn))
    return upn.is_in(UNKNOWN_UPNS) | well_formed


@rule(
    "168",
    "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, "
    "UN3, UN4 or UN5.",
    tables=("header",),
    fields=("UPN",),
)
def upn_not_valid(context: Context) -> Failures:
    """A UPN links the child's care record to their school record, so a mistyped one (the
    check letter catches most slips) loses the child's education outcomes."""
    upn = pl.col("UPN")
    return context.failing("header", upn.is_not_null() & ~valid_upn(upn))


@rule(
    "209",
    "Child looked after is of school age and should not have an unknown Unique Pupil Number "
    "(UPN) code of UN1.",
    tables=("header",),
    fields=("UPN", "DOB"),
)
def school_age_without_upn(context: Context) -> Failures:
    """UN1 says a child is too young for school; a child who was 4 by 31 August before the
    year began has started school, and so has a UPN to record."""
    school_started = date(context.year.start_year - 1, 8, 31)
    of_school_age = age_on(pl.col("DOB"), school_started) >= SCHOOL_FROM_AGE
    return context.failing("header", (pl.col("UPN") == "UN1") & of_school_age)


def _looked_after_over_a_week(context: Context) -> pl.Series:
    """Children looked after at 31 March whose period of care began before 24 March: it
    began with their latest episode starting one (RNE S), or before the year if none did.
    An episode whose end date could not be read is not taken as open on 31 March, nor one
    starting care whose start date could not be read as starting before the year."""
    episodes = context.table("episodes")
    started = pl.col("RNE").is_in(context.group("reason_new_episode", "started_care"))
    spells = episodes.group_by("CHILD").agg(
        pl.col("DECOM").filter(started).max().alias("_BEGAN"),
        started.any().alias("_STARTED"),
        left_blank(context, "episodes", "DEC").any().alias("_OPEN"),
    )
    a_week_before = context.end - timedelta(days=7)
    over_a_week = pl.col("_OPEN") & (~pl.col("_STARTED") | (pl.col("_BEGAN") < a_week_before))
    return spells.filter(over_a_week.fill_null(False))["CHILD"]


@rule(
    "210",
    "Children looked after for more than a week at 31 March should not have an unknown Unique "
    "Pupil Number (UPN) code of UN4.",
    tables=("header", "episodes"),
    fields=("UPN", "DECOM"),
)
def upn_still_awaited(context: Context) -> Failures:
    """UN4 is for a child so newly looked after that their UPN could not yet be found; a
    child in care for over a week at 31 March should have had it traced."""
    children = _looked_after_over_a_week(context).implode()
    return context.failing("header", (pl.col("UPN") == "UN4") & pl.col("CHILD").is_in(children))


@rule(
    "171",
    "Date of birth of mother's child is not a valid date.",
    tables=("header",),
    fields=("MC_DOB",),
)
def mothers_child_birth_date(context: Context) -> Failures:
    """When a looked-after young woman has a child, the child's date of birth is counted
    nationally, so it must be a real dd/mm/yyyy date."""
    return date_rule(context, "header", "MC_DOB", required=False)


def _codes_meaning(context: Context, codes: str, description: str) -> list[str]:
    """The codes of the year's list `codes` that DfE describes as `description`."""
    valid = set(context.codes(codes))
    return [
        c.code for c in code_list(codes).codes if c.description == description and c.code in valid
    ]


@rule(
    "174",
    "Mother's child date of birth is recorded but sex shows that the child is a male.",
    tables=("header",),
    fields=("SEX", "MC_DOB"),
    since="2024-25",
)
@rule(
    "174",
    "Mother's child date of birth is recorded but gender shows that the child is a male.",
    tables=("header",),
    fields=("SEX", "MC_DOB"),
    until="2023-24",
)
def mother_recorded_as_male(context: Context) -> Failures:
    """Only a mother has a mother's child's date of birth, so either the child's sex or the
    date is wrong. (DfE's message said "gender" until 2023-24; the check is the same.)"""
    recorded = provided(context, "header", "MC_DOB")
    male = pl.col("SEX").is_in(_codes_meaning(context, "sex", "Male"))
    return context.failing("header", recorded & male)


@rule(
    "232",
    "Sex of the child/young person has been reported as unknown.",
    tables=("header",),
    fields=("SEX",),
    since="2024-25",
)
def sex_unknown(context: Context) -> Failures:
    """U is allowed, but a looked-after child's sex is nearly always known, so DfE asks the
    authority to confirm it really is unknown."""
    return context.failing("header", pl.col("SEX") == "U")


@rule(
    "302",
    "First episode starts before child was born.",
    tables=("header", "episodes"),
    fields=("DECOM", "DOB"),
)
def first_episode_before_birth(context: Context) -> Failures:
    """A child cannot be looked after before being born, so the date of birth or the first
    episode's start date is wrong."""
    born = context.first_rows("header").select("CHILD", pl.col("DOB").alias("_BORN"))
    first = (
        first_episodes_this_year(context)
        .join(born, on="CHILD", how="inner")
        .filter(pl.col("DECOM") < pl.col("_BORN"))
    )
    children = first["CHILD"].implode()
    return {
        "episodes": first.drop("_BORN"),
        "header": context.table("header").filter(pl.col("CHILD").is_in(children)),
    }
