"""What children in care and care leavers are entitled to on a day, and until when.

Unlike duties, entitlements are not "due": they are owed for a stretch of time, some on
request. Amounts that change over time are dated parameters in `entitlements.yaml`
(each with the date it applies from and where it is set), never numbers in the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import polars as pl
import yaml

from carematters.duties.leavers import leaving_care_status
from carematters.duties.status import in_care_not_on_short_breaks, with_birth

FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
HIGHER_EDUCATION = ("F1", "P1")
SCHEMA = pl.Schema(
    {
        "CHILD": pl.String(),
        "ENTITLEMENT": pl.String(),
        "UNTIL": pl.Date(),
        "AMOUNT": pl.Int64(),
        "SOURCE": pl.String(),
        "EXPLANATION": pl.String(),
    }
)


@cache
def _parameters() -> dict[str, list[dict[str, object]]]:
    text = resources.files("carematters.duties").joinpath("entitlements.yaml").read_text("utf-8")
    loaded: dict[str, list[dict[str, object]]] = yaml.safe_load(text)
    return loaded


def amount_on(name: str, day: date) -> tuple[int, str] | None:
    """The amount of a dated parameter in force on `day`, and where it is set."""
    current = [p for p in _parameters()[name] if date.fromisoformat(str(p["from"])) <= day]
    if not current:
        return None
    latest = max(current, key=lambda p: str(p["from"]))
    return int(str(latest["amount"])), str(latest["source"])


@dataclass(frozen=True)
class Entitlement:
    """Something a young person may have, from which law, and in plain words."""

    id: str
    source: str
    explanation: str
    amount: str | None = None
    """The dated parameter in `entitlements.yaml` giving the amount, if there is one."""

    def rows(self, holders: pl.DataFrame, until: pl.Expr, day: date) -> pl.DataFrame:
        """One row per holder, with the amount in force on `day`."""
        money = amount_on(self.amount, day) if self.amount else None
        return holders.select(
            "CHILD",
            ENTITLEMENT=pl.lit(self.id),
            UNTIL=until,
            AMOUNT=pl.lit(money[0] if money else None, dtype=pl.Int64),
            SOURCE=pl.lit(f"{self.source}; {money[1]}" if money else self.source),
            EXPLANATION=pl.lit(self.explanation),
        )


STAYING_PUT = Entitlement(
    "entitlement.staying_put",
    "CA89 s23CZA; CFA 2014 s98",
    "May stay with former foster carers (Staying Put) until 21, with the authority's support",
)
PERSONAL_ADVISER = Entitlement(
    "entitlement.personal_adviser",
    "CA89 s23CZB; CSWA 2017 s3",
    "A personal adviser until 21, and on request until 25",
)
HE_BURSARY = Entitlement(
    "entitlement.he_bursary",
    "CA89 s23C(5A)",
    "A higher education bursary for a former relevant young person on a course",
    amount="higher_education_bursary",
)
PUPIL_PREMIUM_PLUS = Entitlement(
    "entitlement.pupil_premium_plus",
    "School Finance (England) Regulations",
    "Pupil Premium Plus for each looked-after child of school age, through the Virtual School",
    amount="pupil_premium_plus",
)


def entitlements_on(tables: dict[str, pl.DataFrame], day: date) -> pl.DataFrame:
    """Every entitlement held on `day`, one row per young person and entitlement."""
    leavers = leaving_care_status(tables, day)
    former = leavers.filter(pl.col("CATEGORY") == "former relevant")
    final = (
        tables["episodes"]
        .sort("CHILD", "DECOM")
        .group_by("CHILD")
        .agg(pl.col("PLACE").last(), pl.col("REC").last())
    )
    stayed = former.join(final, on="CHILD").filter(
        pl.col("PLACE").is_in(FOSTER) & (pl.col("REC") == "E17")
    )
    oc3 = tables.get(
        "oc3", pl.DataFrame(schema={"CHILD": pl.String, "ACTIV": pl.String, "YEAR": pl.String})
    )
    studying = former.join(
        oc3.sort("YEAR").group_by("CHILD").agg(pl.col("ACTIV").last()), on="CHILD"
    ).filter(pl.col("ACTIV").is_in(HIGHER_EDUCATION))
    school_age = with_birth(in_care_not_on_short_breaks(tables, day), tables).filter(
        (pl.col("DOB").dt.offset_by("4y") <= day) & (pl.col("DOB").dt.offset_by("16y") > day)
    )
    birthday = {age: pl.col("DOB").dt.offset_by(f"{age}y") for age in (16, 21, 25)}
    parts = [
        STAYING_PUT.rows(stayed, birthday[21], day),
        PERSONAL_ADVISER.rows(former, birthday[25], day),
        HE_BURSARY.rows(studying, birthday[25], day),
        PUPIL_PREMIUM_PLUS.rows(school_age, birthday[16], day),
    ]
    return pl.concat(parts).cast(SCHEMA).sort("CHILD", "ENTITLEMENT")
