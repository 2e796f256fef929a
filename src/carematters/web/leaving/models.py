"""What leaving care adds to a young person's caseload line, stored (`lines`): derived
data, worked out with what is due and replaced with it, never the record itself."""

from __future__ import annotations

from datetime import date

from django.db import models


def _text(column: str) -> models.TextField[str | None, str | None]:
    return models.TextField(db_column=column, null=True, blank=True)


def _date(column: str) -> models.DateField[date | None, date | None]:
    return models.DateField(db_column=column, null=True, blank=True)


class LeaverLine(models.Model):
    """One young person's leaving-care line as worked out on AS_AT (see
    `lines.LEAVER_SCHEMA`): their kind of care leaver and until when, their latest
    contact with a personal adviser and when the next is due, their pathway plan's next
    date, and the latest care leavers' return (OC3) row."""

    child = models.CharField(max_length=None, db_column="CHILD", unique=True)
    category = _text("CATEGORY")
    until = _date("UNTIL")
    left = _date("LEFT")
    last_contact = _date("LAST_CONTACT")
    contact_due = _date("CONTACT_DUE")
    contact_status = _text("CONTACT_STATUS")
    plan_duty = _text("PLAN_DUTY")
    plan_due = _date("PLAN_DUE")
    plan_status = _text("PLAN_STATUS")
    oc3_year = _text("OC3_YEAR")
    in_touch = _text("IN_TOUCH")
    activ = _text("ACTIV")
    accom = _text("ACCOM")
    as_at = models.DateField(db_column="AS_AT")

    class Meta:
        db_table = "leaving_leaver_line"

    def __str__(self) -> str:
        return f"{self.child} ({self.category}) as at {self.as_at}"
