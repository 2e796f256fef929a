"""After a child has been missing: an independent return interview offered within 72
hours of their return (statutory guidance on children who run away or go missing from
home or care, 2014). The duty shown is for the child's latest return."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carematters.duties.rule import Duty
from carematters.duties.status import in_care_not_on_short_breaks
from carematters.duties.timing import once

GUIDANCE_2014 = date(2014, 1, 1)
RETURN_INTERVIEW_WITHIN = timedelta(hours=72)


def return_interview(tables: dict[str, pl.DataFrame], as_at: date) -> pl.DataFrame:
    missing = tables.get("missing")
    if missing is None:
        return pl.DataFrame(
            schema={
                "CHILD": pl.String,
                "DUE_DATE": pl.Date,
                "LAST_DONE": pl.Date,
                "DONE": pl.Boolean,
                "BASIS": pl.Date,
            }
        )
    in_care = in_care_not_on_short_breaks(tables, as_at).select("CHILD")
    latest = (
        missing.filter(pl.col("MIS_END").is_not_null() & (pl.col("MIS_END") <= as_at))
        .join(in_care, on="CHILD")
        .sort("CHILD", "MIS_END")
        .group_by("CHILD")
        .agg(pl.col("MIS_START").last(), pl.col("MIS_END").last())
    )
    offers = tables.get(
        "return_interviews",
        pl.DataFrame(schema={"CHILD": pl.String, "MIS_START": pl.Date, "OFFER_DATE": pl.Date}),
    ).filter(pl.col("OFFER_DATE") <= as_at)
    offered = latest.join(
        offers.group_by("CHILD", "MIS_START").agg(pl.col("OFFER_DATE").min()),
        on=["CHILD", "MIS_START"],
        how="left",
    )
    due = pl.col("MIS_END") + RETURN_INTERVIEW_WITHIN
    return once(offered, due, basis="MIS_END", done_by="OFFER_DATE")


MISSING_DUTIES = (
    Duty(
        id="missing.return_interview",
        source="Statutory guidance on children who run away or go missing from home or care 2014",
        explanation=(
            "An independent return interview must be offered within 72 hours of the child "
            "coming back on {basis}"
        ),
        rule=return_interview,
        in_force_from=GUIDANCE_2014,
    ),
)
