"""Rules comparing a child's header and UASC status with last year's return (DfE rules
202-204, 207, 208 and 205A, 205B, 205D): who a child is does not change from one year
to the next, so a difference is usually a mistake in one of the two returns.

A blank on either side is not a disagreement (other rules ask for the value), except
for the UPN (208), where losing a UPN already recorded is itself the fault. A value
given but not readable, in either year, is given: it agrees with no readable value
(`as_compared`), so a date of birth last year's return gave as 2012-06-14 is not taken
to agree with this year's.

UASC status is a row in the UASC table (see `rules.uasc`), so a child "identified as
UASC" in a year has a row there in that year's return. A child not UASC in either year
cannot have a date their status ceased in our tables (a DUC makes a row), so DfE's
205C cannot arise and is not a rule here.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.ssda903.codelists import code_list
from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule
from carematters.validation.rules._shared import as_compared, law
from carematters.validation.rules.child import UNKNOWN_UPNS

LAST = "_LAST"
"""Suffix of last year's columns once joined to this year's rows."""


def _with_last_year(
    context: Context, table: str, *columns: str, compared: bool = False
) -> pl.DataFrame:
    """This year's rows of `table` for children in it last year too, with last year's
    `columns` (the child's first row there) alongside, suffixed `_LAST`: with `compared`,
    as text (`as_compared`), telling a value not readable from a blank."""

    def last_years(column: str) -> pl.Expr:
        if compared:
            return as_compared(context, table, column, last_year=True)
        return pl.col(column)

    last = context.first_rows(table, last_year=True).select(
        "CHILD", *(last_years(c).alias(c + LAST) for c in columns)
    )
    return context.table(table).join(last, on="CHILD", how="inner")


def _disagrees(
    context: Context, column: str, meaning: Callable[[pl.Expr], pl.Expr] = lambda e: e
) -> Failures:
    """Header rows whose `column` (read through `meaning`) differs from last year's, a
    value given but not readable in either year counted as given (`as_compared`)."""
    rows = _with_last_year(context, "header", column, compared=True)
    this_year = as_compared(context, "header", column)
    differs = meaning(this_year) != meaning(pl.col(column + LAST))
    return {"header": rows.filter(differs.fill_null(False))}


def _sex(code: pl.Expr) -> pl.Expr:
    """What a sex code means: 1 and M are both male, across DfE's change of codes."""
    return code.replace({c.code: c.description for c in code_list("sex").codes})


@rule(
    "202",
    "The gender code conflicts with the gender already recorded for this child.",
    tables=("header",),
    fields=("SEX",),
    needs="previous",
)
def sex_changed(context: Context) -> Failures:
    """A child's recorded sex should match last year's; the codes changed from 1/2 to M/F
    in 2024-25, so the codes' meanings are compared, not their letters."""
    return _disagrees(context, "SEX", _sex)


@rule(
    "203",
    "Date of birth disagrees with the date of birth already recorded for this child.",
    tables=("header",),
    fields=("DOB",),
    needs="previous",
)
def birth_date_changed(context: Context) -> Failures:
    """A child's date of birth does not change, so a different one from last year's means
    one of the two returns is wrong, and the child's age with it."""
    return _disagrees(context, "DOB")


@rule(
    "204",
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
    tables=("header",),
    fields=("ETHNIC",),
    needs="previous",
)
def ethnicity_changed(context: Context) -> Failures:
    """A child's ethnicity is recorded once and carried forward, so a change from last
    year is usually a keying mistake that moves the child between national groups."""
    return _disagrees(context, "ETHNIC")


@rule(
    "207",
    "Mother status for the current year disagrees with the mother status already recorded "
    "for this child.",
    tables=("header", "episodes"),
    fields=("MOTHER",),
    needs="previous",
)
def no_longer_a_mother(context: Context) -> Failures:
    """A young woman recorded last year as a mother is still one, so while she is looked
    after this year her mother status must stay 1."""
    looked_after = context.table("episodes")["CHILD"].implode()
    rows = _with_last_year(context, "header", "MOTHER")
    lost = (pl.col("MOTHER" + LAST) == "1") & (pl.col("MOTHER") != "1")
    return {"header": rows.filter((lost & pl.col("CHILD").is_in(looked_after)).fill_null(False))}


@rule(
    "208",
    "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number "
    "(UPN) already recorded for this child.",
    tables=("header",),
    fields=("UPN",),
    needs="previous",
)
def upn_changed(context: Context) -> Failures:
    """A child keeps one UPN for life. It may be found where it was unknown (blank or UN1 to
    UN5 last year), or UN1 become another unknown code, but no other change is right."""
    upn = pl.col("UPN").str.to_uppercase()
    before = pl.col("UPN" + LAST).str.to_uppercase()
    found = before.is_in(UNKNOWN_UPNS) & upn.is_not_null() & ~upn.is_in(UNKNOWN_UPNS)
    still_unknown = (before == "UN1") & upn.is_in(UNKNOWN_UPNS[1:])
    allowed = before.is_null() | found | still_unknown
    rows = _with_last_year(context, "header", "UPN")
    return {"header": rows.filter(upn.ne_missing(before) & ~allowed.fill_null(False))}


def _unreadable_last_year(context: Context, table: str, column: str) -> pl.Expr:
    """The row's child had a `column` in last year's `table` given but not readable: when
    it fell cannot be known, so the rules on when UASC status ceased leave the child out
    rather than guess."""
    unread = context.last_year(table).filter(context.unreadable(table, column, last_year=True))
    return pl.col("CHILD").is_in(unread["CHILD"].implode())


def _within(day: pl.Expr, year: CollectionYear) -> pl.Expr:
    """The day falls in `year` (false if there is no day)."""
    return day.is_between(year.start, year.end).fill_null(False)


def _last_year(context: Context) -> CollectionYear:
    return CollectionYear(context.year.start_year - 1)


@rule(
    "205A",
    "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in "
    "both years does not support this.",
    tables=("header", "uasc"),
    fields=("CHILD", "UASC"),
    needs="previous",
)
def uasc_status_ended_without_date(context: Context) -> Failures:
    """A child who was UASC last year but is not this year must have stopped being UASC
    during last year, so last year's date ceased must fall in last year.

    Only children looked after this year are asked: a care leaver's return carries no
    UASC row at all (rule 1014), whatever their status."""
    this_year = context.table("uasc")["CHILD"].implode()
    looked_after = context.table("episodes")["CHILD"].implode()
    rows = (
        _with_last_year(context, "header")
        .filter(pl.col("CHILD").is_in(looked_after))
        .join(
            context.first_rows("uasc", last_year=True).select("CHILD", "DUC"),
            on="CHILD",
            how="inner",
        )
    )
    ended = (
        ~pl.col("CHILD").is_in(this_year)
        & ~_within(pl.col("DUC"), _last_year(context))
        & ~_unreadable_last_year(context, "uasc", "DUC")
    )
    return {"header": rows.filter(ended).drop("DUC")}


@rule(
    "205B",
    "Child previously identified as UASC is also UASC this year, but date UASC ceased in both "
    "years does not support this.",
    tables=("uasc",),
    fields=("DUC", "UASC"),
    needs="previous",
)
def uasc_status_dates_disagree(context: Context) -> Failures:
    """A child UASC in both years whose status had ceased last year can only have ceased on
    their 18th birthday, and this year's date ceased must fall in this year or repeat
    last year's."""
    duc, before = pl.col("DUC"), pl.col("DUC" + LAST)
    # The one birthday rule (`calendar.birthdays`): born on 29 February, a child turns 18
    # on 1 March in a common year, so 28 February is a day early, however a case system
    # or DfE's own date arithmetic counts it.
    eighteenth = before == birthday(pl.col("DOB"), law(context, "ages.adulthood"))
    ceased_early = before.is_not_null() & ~eighteenth.fill_null(False)
    # A date not readable in either year cannot be said to be out of step (rule 104 and
    # the reading problems report it).
    known = ~context.unreadable("uasc", "DUC") & ~_unreadable_last_year(context, "uasc", "DUC")
    out_of_step = ~_within(duc, context.year) & ~duc.eq_missing(before) & known
    rows = _with_last_year(context, "uasc", "DUC")
    return {"uasc": rows.filter(ceased_early | out_of_step)}


@rule(
    "205D",
    "Child identified as UASC this year but not identified as UASC status provided for the "
    "child last year.",
    tables=("header", "uasc"),
    fields=("UASC", "CHILD"),
    needs="previous",
)
def uasc_only_this_year(context: Context) -> Failures:
    """A child in last year's return was already in the country then, so if UASC now they
    should have been recorded as UASC last year too."""
    known_last_year = context.last_year("header")["CHILD"].implode()
    uasc_last_year = context.last_year("uasc")["CHILD"].implode()
    newly = pl.col("CHILD").is_in(known_last_year) & ~pl.col("CHILD").is_in(uasc_last_year)
    return context.failing("uasc", newly)
