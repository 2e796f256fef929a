"""Who is a care leaver, and of which kind (CA89 s23A, s24, Sch 2 para 19B; CLR 2010).

Eligible: aged 16 or 17 and looked after, having been looked after for 13 weeks in all
since the 14th birthday (short breaks not counting), some of it after the 16th.
Relevant: was eligible, is 16 or 17 and no longer looked after. Former relevant: 18 to
21 (to 25 with a personal adviser on request, CSWA 2017 s3) and was eligible or relevant.
Not yet: qualifying care leavers (CA89 s24), who are owed advice rather than these duties.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.duties.status import SHORT_BREAKS, periods_of_care, with_birth

THIRTEEN_WEEKS = 91


def became_eligible(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Each child who had become eligible by `as_at` (CHILD, DOB, ELIGIBLE_FROM, LEFT):
    the day 13 weeks' care since 14 was reached, or the 16th birthday if later, while
    looked after; and the day their care last ended (null if still looked after)."""
    episodes = with_birth(periods_of_care(tables["episodes"]), tables).filter(
        ~pl.col("LS").is_in(SHORT_BREAKS) & (pl.col("DECOM") <= as_at)
    )
    fourteen, sixteen = pl.col("DOB").dt.offset_by("14y"), pl.col("DOB").dt.offset_by("16y")
    ended = pl.min_horizontal(pl.col("DEC").fill_null(pl.lit(as_at)), pl.lit(as_at))
    begun = pl.max_horizontal(pl.col("DECOM"), fourteen)
    spans = (
        episodes.with_columns(FROM=begun, TO=ended, SIXTEEN=sixteen)
        .filter(pl.col("TO") > pl.col("FROM"))
        .sort("CHILD", "FROM")
        .with_columns(DAYS=(pl.col("TO") - pl.col("FROM")).dt.total_days())
        .with_columns(BEFORE=pl.col("DAYS").cum_sum().over("CHILD") - pl.col("DAYS"))
    )
    reached = (
        spans.filter(
            (pl.col("BEFORE") + pl.col("DAYS") >= THIRTEEN_WEEKS)
            & (pl.col("TO") > pl.col("SIXTEEN"))
        )
        .with_columns(
            AT=pl.max_horizontal(
                pl.col("FROM") + pl.duration(days=(THIRTEEN_WEEKS - pl.col("BEFORE")).clip(0)),
                pl.col("SIXTEEN"),
            )
        )
        .filter(pl.col("AT") < pl.col("TO"))
    )
    first = reached.group_by("CHILD").agg(
        ELIGIBLE_FROM=pl.col("AT").min(), DOB=pl.col("DOB").first()
    )
    last_end = (
        tables["episodes"]
        .group_by("CHILD")
        .agg(LEFT=pl.when(pl.col("DEC").is_null().any()).then(None).otherwise(pl.col("DEC").max()))
    )
    return first.join(last_end, on="CHILD", how="left").with_columns(
        LEFT=pl.when(pl.col("LEFT") <= as_at).then(pl.col("LEFT"))
    )


def _supported_past_21(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Young people who asked for a personal adviser after 21 (CA89 s23CZB): taken, until
    the record holds requests, from personal adviser contact on or after the 21st
    birthday."""
    contacts = tables.get("pa_contacts")
    if contacts is None:
        return pl.DataFrame(schema={"CHILD": pl.String()})
    later = contacts.join(tables["header"].select("CHILD", "DOB"), on="CHILD").filter(
        (pl.col("CONTACT_DATE") >= pl.col("DOB").dt.offset_by("21y"))
        & (pl.col("CONTACT_DATE") <= as_at)
    )
    return later.select("CHILD").unique()


def leaving_care_status(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    """Each care leaver on `as_at` (CHILD, DOB, ELIGIBLE_FROM, LEFT, CATEGORY): eligible,
    relevant or former relevant, up to the 21st birthday, or to the 25th for those
    supported by a personal adviser past 21."""
    eligible = became_eligible(tables, as_at)
    age18, age21 = pl.col("DOB").dt.offset_by("18y"), pl.col("DOB").dt.offset_by("21y")
    age25 = pl.col("DOB").dt.offset_by("25y")
    past_21 = pl.col("CHILD").is_in(_supported_past_21(tables, as_at)["CHILD"].implode())
    category = (
        pl.when(pl.lit(as_at) >= age18)
        .then(pl.lit("former relevant"))
        .when(pl.col("LEFT").is_null())
        .then(pl.lit("eligible"))
        .otherwise(pl.lit("relevant"))
    )
    still_owed = (pl.lit(as_at) < age21) | (past_21 & (pl.lit(as_at) < age25))
    return eligible.filter(still_owed).with_columns(CATEGORY=category)
