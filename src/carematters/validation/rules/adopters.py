"""Rules about who adopted the child (the AD1 table): the adopters' sexes must agree with
how many adopters there are and with their legal status (DfE rules 511, 514, 517-520
and 524).

A blank or unknown sex of adopters never fits: where DfE says which codes the sexes
"should be", anything else is found, so a couple recorded without their sexes is found too.
"""

from __future__ import annotations

import polars as pl

from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule

SINGLE = ("M1", "F1")
COUPLE = ("MM", "FF", "MF")
SAME_SEX_COUPLE = ("MM", "FF")
DIFFERENT_SEX_COUPLE = ("MF",)
FIELDS = ("LS_ADOPTR", "SEX_ADOPTR")


def _sexes_must_be(context: Context, column: str, value: str, sexes: tuple[str, ...]) -> Failures:
    """AD1 rows whose `column` is `value` but whose adopters' sexes are not one of `sexes`."""
    fits = pl.col("SEX_ADOPTR").is_in(sexes).fill_null(False)
    return context.failing("ad1", (pl.col(column) == value) & ~fits)


@rule(
    "511",
    "If reporting that the number of person(s) adopting the looked after child is two "
    "adopters then the code should only be MM, FF or MF. MM = the adopting couple are both "
    "males; FF = the adopting couple are both females; MF = The adopting couple are male "
    "and female.",
    tables=("ad1",),
    fields=("NB_ADOPTR", "SEX_ADOPTR"),
)
def two_adopters_are_a_couple(context: Context) -> Failures:
    """Two adopters are a couple, so their sexes must be recorded as a couple's, or the
    national count of single and couple adopters is wrong."""
    return _sexes_must_be(context, "NB_ADOPTR", "2", COUPLE)


@rule(
    "514",
    "Data entry on the legal status of adopters shows a single adopter but data entry for "
    "the numbers of adopters shows it as a couple.",
    tables=("ad1",),
    fields=FIELDS,
)
def single_adopter_is_one_person(context: Context) -> Failures:
    """A single adopter (legal status L0) is one person, whose sex must be recorded as a
    single adopter's, not a couple's."""
    return _sexes_must_be(context, "LS_ADOPTR", "L0", SINGLE)


@rule(
    "517",
    "If reporting legal status of adopters is L3 then the genders of adopters should be "
    "coded as MF. MF = the adopting couple are male and female.",
    tables=("ad1",),
    fields=FIELDS,
)
def unmarried_different_sex_couple(context: Context) -> Failures:
    """An unmarried couple of different sexes (L3) is a male and female couple: the two
    items describe the same adopters and must agree."""
    return _sexes_must_be(context, "LS_ADOPTR", "L3", DIFFERENT_SEX_COUPLE)


@rule(
    "518",
    "If reporting legal status of adopters is L4 then the genders of adopters should be "
    "coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple "
    "are both females.",
    tables=("ad1",),
    fields=FIELDS,
)
def unmarried_same_sex_couple(context: Context) -> Failures:
    """An unmarried couple of the same sex (L4) is two men or two women: the two items
    describe the same adopters and must agree."""
    return _sexes_must_be(context, "LS_ADOPTR", "L4", SAME_SEX_COUPLE)


@rule(
    "519",
    "Data entered on the legal status of adopters shows civil partnership couple, but data "
    "entered on genders of adopters does not show it as a couple.",
    tables=("ad1",),
    fields=FIELDS,
)
def civil_partners_are_a_couple(context: Context) -> Failures:
    """Civil partners (L2) adopt as a couple, so their sexes must be recorded as a
    couple's."""
    return _sexes_must_be(context, "LS_ADOPTR", "L2", COUPLE)


@rule(
    "520",
    "Data entry on the legal status of adopters shows different gender married couple but "
    "data entry on genders of adopters shows it as a same gender couple.",
    tables=("ad1",),
    fields=FIELDS,
)
def married_different_sex_couple(context: Context) -> Failures:
    """A married couple of different sexes (L11) is a male and female couple: the two
    items describe the same adopters and must agree."""
    return _sexes_must_be(context, "LS_ADOPTR", "L11", DIFFERENT_SEX_COUPLE)


@rule(
    "524",
    "If reporting legal status of adopters is L12 then the genders of adopters should be "
    "coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple "
    "are both females",
    tables=("ad1",),
    fields=FIELDS,
)
def married_same_sex_couple(context: Context) -> Failures:
    """A married couple of the same sex (L12) is two men or two women: the two items
    describe the same adopters and must agree."""
    return _sexes_must_be(context, "LS_ADOPTR", "L12", SAME_SEX_COUPLE)
