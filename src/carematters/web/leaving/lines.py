"""Each young person's leaving-care line, stored (WEB.md "What is due, on the page"): the
kind of care leaver they are on the day and until when (`duties.leavers`), their latest
contact with a personal adviser and when the next is due, the next date of their pathway
plan, and what the latest care leavers' return (OC3) says of their accommodation,
activity and whether the authority is in touch.

Like `casework.lines.Line`, it is derived data: `due.refresh_due` replaces the lines of
the children it has just worked out what is due to, from the same record in the same
transaction, so a personal adviser's caseload (`caseload`) is read in one query more than
a social worker's, however many care leavers they have.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from carematters.duties.situation import Situation
from carematters.records.record import Record
from carematters.web.bulk import insert_frame, read_frame
from carematters.web.leaving.models import LeaverLine

LEAVER_SCHEMA = pl.Schema(
    {
        "CHILD": pl.String(),
        "CATEGORY": pl.String(),
        "UNTIL": pl.Date(),
        "LEFT": pl.Date(),
        "LAST_CONTACT": pl.Date(),
        "CONTACT_DUE": pl.Date(),
        "CONTACT_STATUS": pl.String(),
        "PLAN_DUTY": pl.String(),
        "PLAN_DUE": pl.Date(),
        "PLAN_STATUS": pl.String(),
        "OC3_YEAR": pl.String(),
        "IN_TOUCH": pl.String(),
        "ACTIV": pl.String(),
        "ACCOM": pl.String(),
        "AS_AT": pl.Date(),
    }
)
"""A stored line: CATEGORY (eligible, relevant, former relevant, qualifying; null for
someone the law does not make a care leaver), UNTIL (the day that ends: a 21st or 25th
birthday, or six months after going home) and LEFT (the day care ended); LAST_CONTACT
(the latest personal adviser contact on or before the day), CONTACT_DUE and
CONTACT_STATUS (the duty to be in touch, `leaving_care.pa_contact`: owed once care has
ended); PLAN_DUTY, PLAN_DUE and PLAN_STATUS (the first pathway plan while it is still to
do, else its review); the latest OC3 row's YEAR, IN_TOUCH, ACTIV and ACCOM codes; and the
day it was worked out on."""

PA_CONTACT = "leaving_care.pa_contact"
FIRST_PLAN = "leaving_care.pathway_plan"
PLAN_REVIEW = "leaving_care.pathway_review"
TO_DO = ("overdue", "due", "upcoming")


def _duty(duties: pl.DataFrame, duty: str, **names: str) -> pl.DataFrame:
    """Each child's row of `duty`: CHILD and DUE_DATE, STATUS renamed as `names` says."""
    return duties.filter(pl.col("DUTY") == duty).select(
        "CHILD", *(pl.col(column).alias(name) for name, column in names.items())
    )


def _plans(duties: pl.DataFrame) -> pl.DataFrame:
    """Each child's pathway plan work: the first plan while it is still to do (no plan
    yet), else the plan's review; CHILD, PLAN_DUTY, PLAN_DUE, PLAN_STATUS."""
    plans = duties.filter(pl.col("DUTY").is_in([FIRST_PLAN, PLAN_REVIEW])).with_columns(
        FIRST=(pl.col("DUTY") == FIRST_PLAN) & pl.col("STATUS").is_in(TO_DO),
        REVIEW=pl.col("DUTY") == PLAN_REVIEW,
    )
    return (
        plans.sort(["CHILD", "FIRST", "REVIEW"], descending=[False, True, True])
        .unique("CHILD", keep="first", maintain_order=True)
        .select("CHILD", PLAN_DUTY="DUTY", PLAN_DUE="DUE_DATE", PLAN_STATUS="STATUS")
    )


def leaver_lines_from(record: Record, duties: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """The leaving-care lines (LEAVER_SCHEMA) on `as_at` of every young person in `record`
    who is a care leaver of some kind (or was until recently), has had a personal adviser
    contact, or has a care leavers' return row, from their `duties` (`due.DUE_SCHEMA`)."""
    leavers = (
        Situation(record, as_at).leavers.collect().select("CHILD", "CATEGORY", "UNTIL", "LEFT")
    )
    contacts = (
        record.pa_contacts.filter(pl.col("CONTACT_DATE") <= as_at)
        .group_by("CHILD")
        .agg(LAST_CONTACT=pl.col("CONTACT_DATE").max())
    )
    oc3 = (
        record.oc3.filter(pl.col("YEAR").is_not_null())
        .sort("CHILD", "YEAR")
        .group_by("CHILD", maintain_order=True)
        .agg(pl.col("YEAR", "IN_TOUCH", "ACTIV", "ACCOM").last())
        .rename({"YEAR": "OC3_YEAR"})
    )
    children = pl.concat(
        [leavers.select("CHILD"), contacts.select("CHILD"), oc3.select("CHILD")]
    ).unique(maintain_order=True)
    return (
        children.join(leavers.unique("CHILD", keep="last"), on="CHILD", how="left")
        .join(contacts, on="CHILD", how="left")
        .join(
            _duty(duties, PA_CONTACT, CONTACT_DUE="DUE_DATE", CONTACT_STATUS="STATUS"),
            on="CHILD",
            how="left",
        )
        .join(_plans(duties), on="CHILD", how="left")
        .join(oc3, on="CHILD", how="left")
        .with_columns(AS_AT=pl.lit(as_at))
        .select(LEAVER_SCHEMA.names())
        .cast(LEAVER_SCHEMA)
    )


def store_leaver_lines(children: Iterable[str], lines: pl.DataFrame) -> None:
    """Replace the stored leaving-care lines of `children` (CHILD ids) with `lines`
    (LEAVER_SCHEMA's columns). Call it inside the transaction that worked them out
    (`due.refresh_due` does)."""
    LeaverLine.objects.filter(child__in=sorted(set(children))).delete()
    insert_frame(LeaverLine, lines.select(LEAVER_SCHEMA.names()))


_FIELDS = tuple(column.lower() for column in LEAVER_SCHEMA)


def leaver_lines_of(children: Iterable[str]) -> pl.DataFrame:
    """The stored leaving-care lines of `children` (CHILD ids). One query."""
    return read_frame(LeaverLine, _FIELDS, LEAVER_SCHEMA, sorted(set(children)), order_by=("pk",))
