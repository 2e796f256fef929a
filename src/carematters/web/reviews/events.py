"""Significant events: changes in a child's life that need a review of their case before
they happen (Care Matters 2007 para 7.33 and 6.11; CPPCR 2010 reg 32(2)), found in the
record's episodes so that the IRO sees each one that happened since the last review.

- a move from a regulated placement to one that is not (`placement_type` group
  `regulated`): "independent" or unregulated accommodation. Going into custody is a
  court's decision, not the care plan's, so it is not one;
- leaving custody or a secure children's home (group `custody_or_secure`) for another
  placement;
- a placement move in the GCSE years (`education.key_stage_4`), which can disrupt the
  child's education, as the years 10-11 gate (`duties.decisions`) reads it.

A temporary move (group `temporary`: hospital, a holiday) is not a change of placement:
the child goes back, so only moves between their usual placements count.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.calendar.school import AGE_IN_YEAR_1, SCHOOL_YEAR_STARTS
from carematters.parameters import parameters
from carematters.records.periods import periods_of_care
from carematters.services.chronology import labels
from carematters.ssda903.codelists import code_group

EVENTS = pl.Schema(
    {"CHILD": pl.String(), "DATE": pl.Date(), "KIND": pl.String(), "TEXT": pl.String()}
)
"""One row per event: CHILD, DATE (the day of the move), KIND (unregulated, custody or
education) and TEXT, the event in words."""

SOURCE = "Care Matters: Time for Change (2007) para 7.33; CPPCR 2010 reg 32(2)"
"""Where the rule that these events need a review first comes from."""


def _school_year(dob: pl.Expr, on: pl.Expr) -> pl.Expr:
    """The National Curriculum year of a child born on `dob` on the day `on`, for a
    column of days (as `calendar.school.school_year` gives it for one): their age on the
    31 August before the school year began, less the age of a child in Year 1, plus 1."""
    month, day = SCHOOL_YEAR_STARTS
    # Month and day as one number (1 September is 901), in 32 bits: a month is 8.
    began = on.dt.month().cast(pl.Int32) * 100 + on.dt.day().cast(pl.Int32) >= month * 100 + day
    starts = on.dt.year() - (~began).cast(pl.Int32)
    last_august = pl.date(starts, month, day).dt.offset_by("-1d")
    return age_on(dob, last_august) - AGE_IN_YEAR_1 + 1


def _words(column: str) -> pl.Expr:
    table = labels("placement_type")
    return pl.col(column).replace_strict(table["CODE"], table["LABEL"], default=pl.col(column))


def significant_events(
    episodes: pl.DataFrame, header: pl.DataFrame, since: pl.DataFrame, today: date
) -> pl.DataFrame:
    """The significant events (EVENTS' columns) of the children in `since` (CHILD, SINCE:
    the day of their last review, or the start of their time in care), after SINCE and
    up to `today`, by child and date. `episodes` and `header` are the record's tables
    (header for DOB)."""
    temporary = code_group("placement_type", "temporary")
    regulated = code_group("placement_type", "regulated")
    custody = code_group("placement_type", "custody_or_secure")
    moves = code_group("reason_new_episode", "change_of_placement")
    key_stage_4 = parameters(today)["education.key_stage_4"].value
    years = list(key_stage_4) if isinstance(key_stage_4, tuple) else [str(key_stage_4)]
    usual = (
        periods_of_care(episodes.select("CHILD", "DECOM", "DEC", "RNE", "REC", "PLACE"))
        .filter(pl.col("PLACE").is_not_null() & ~pl.col("PLACE").is_in(temporary))
        .with_columns(
            FROM=pl.col("PLACE").shift(1).over("CHILD"),
            SAME_PERIOD=pl.col("PERIOD_START") == pl.col("PERIOD_START").shift(1).over("CHILD"),
        )
    )
    changed = (
        usual.filter(
            pl.col("SAME_PERIOD").fill_null(value=False)
            & (pl.col("PLACE") != pl.col("FROM"))
            & pl.col("RNE").is_in(moves)
        )
        .join(since, on="CHILD")
        .filter((pl.col("DECOM") > pl.col("SINCE")) & (pl.col("DECOM") <= today))
        .join(header.select("CHILD", "DOB").unique("CHILD"), on="CHILD", how="left")
        .with_columns(TO_WORDS=_words("PLACE"), FROM_WORDS=_words("FROM"))
    )
    day = pl.col("DECOM").dt.to_string("%-d %B %Y")
    year = _school_year(pl.col("DOB"), pl.col("DECOM"))

    # Each kind: which moves it is, and what happened in words; every event then names
    # the placements it moved between.
    kinds = (
        (
            "unregulated",
            pl.col("FROM").is_in(regulated)
            & ~pl.col("PLACE").is_in(regulated)
            & ~pl.col("PLACE").is_in(custody),
            pl.format("Moved to a placement that is not regulated on {}", day),
        ),
        (
            "custody",
            pl.col("FROM").is_in(custody) & ~pl.col("PLACE").is_in(custody),
            pl.format("Left custody or a secure children's home on {}", day),
        ),
        (
            "education",
            year.cast(pl.String).is_in(years),
            pl.format(
                "Moved placement in school year {} on {}, which can disrupt their education",
                year,
                day,
            ),
        ),
    )
    found = [
        changed.filter(moved).select(
            "CHILD",
            DATE="DECOM",
            KIND=pl.lit(kind),
            TEXT=pl.format("{}. Before: {}. After: {}.", what, "FROM_WORDS", "TO_WORDS"),
        )
        for kind, moved, what in kinds
    ]
    return pl.concat(found).cast(EVENTS).sort("CHILD", "DATE")
