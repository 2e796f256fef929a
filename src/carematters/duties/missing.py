"""After a child has been missing: an independent return interview offered within 72
hours of their return (statutory guidance on children who run away or go missing from
home or care, 2014). The duty shown is for the child's latest return."""

from __future__ import annotations

import polars as pl

from carematters.calendar.timescales import after
from carematters.duties.rule import Duty
from carematters.duties.situation import Situation
from carematters.duties.timing import once


def return_interview(s: Situation) -> pl.LazyFrame:
    in_care = s.in_care.select("CHILD")
    latest = (
        s.table("missing")
        .filter(pl.col("MIS_END").is_not_null() & (pl.col("MIS_END") <= s.as_at))
        .join(in_care, on="CHILD")
        .sort("CHILD", "MIS_END")
        .group_by("CHILD")
        .agg(pl.col("MIS_START").last(), pl.col("MIS_END").last())
    )
    offers = (
        s.table("return_interviews")
        .filter(pl.col("OFFER_DATE") <= s.as_at)
        .group_by("CHILD", "MIS_START")
        .agg(pl.col("OFFER_DATE").min())
    )
    offered = latest.join(offers, on=["CHILD", "MIS_START"], how="left")
    due = after(pl.col("MIS_END"), s.p["missing.return_interview"])
    return once(offered, due, basis="MIS_END", done_by="OFFER_DATE")


MISSING_DUTIES = (
    Duty(
        id="missing.return_interview",
        source="Statutory guidance on children who run away or go missing from home or care 2014",
        explanation=(
            "An independent return interview must be offered within {missing.return_interview} "
            "of the child coming back on {basis}"
        ),
        rule=return_interview,
        parameters=("missing.return_interview",),
        evidence=("return_interviews",),
    ),
)
