"""Care leavers as a personal adviser's pages describe them, in words: what kind of care
leaver they are and until when, where they live and what they do (from the latest care
leavers' return, OC3), whether the authority is in touch, their last contact and the
next, and their pathway plan's next date.

A personal adviser's caseload is read from the stored lines (`casework.lines`, one query,
worst first) and the stored leaving-care lines (`lines`, one query): the same two
queries for one care leaver or forty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from carematters.ssda903.codelists import code_list
from carematters.web.casework.actions import day_in_words
from carematters.web.casework.due import STATUS_TAGS, stored_on
from carematters.web.casework.lines import lines_of
from carematters.web.casework.summaries import Row, _with_links
from carematters.web.leaving.lines import FIRST_PLAN, LEAVER_SCHEMA, leaver_lines_of

KINDS = {
    "eligible": ("Eligible", "looked after, aged 16 or 17"),
    "relevant": ("Relevant", "left care at 16 or 17"),
    "former relevant": ("Former relevant", "aged 18 or over"),
    "qualifying": ("Qualifying", "advice and assistance only"),
}
"""Each kind of care leaver (`duties.leavers.CATEGORIES`): its name on a page, and what
it means in a few words (CA89 s23A-s24)."""

NOT_A_CARE_LEAVER = "Not a care leaver by their record"

IN_TOUCH = {
    "YES": "Yes",
    "NO": "No",
    "DIED": "Has died",
    "REFU": "Refuses contact",
    "NREQ": "No longer wants support",
    "RHOM": "Returned home to their family",
}
"""The care leavers' return's "in touch" codes (`oc3_in_touch`), as a caseload says them."""

ACCOMMODATION = {
    "B": "With parents or relatives",
    "C": "Residential care",
    "D": "Semi-independent or self-contained",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyer or similar",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carers",
}
"""The kinds of accommodation of `oc3_accommodation` (each code is the letter, then 1 for
suitable or 2 for not), in a few words."""
SUITABLE = {"1": "suitable", "2": "not suitable"}

NO_ACTIVITY = "No education, work or training"
ACTIVITY = {
    "F1": ("Higher education", "full time"),
    "P1": ("Higher education", "part time"),
    "F2": ("Education or training", "full time"),
    "P2": ("Education or training", "part time"),
    "F4": ("Training or employment", "full time"),
    "P4": ("Training or employment", "part time"),
    "F5": ("Voluntary work", "full time"),
    "P5": ("Voluntary work", "part time"),
    "G4": (NO_ACTIVITY, "illness or disability"),
    "G5": (NO_ACTIVITY, ""),
    "G6": (NO_ACTIVITY, "pregnancy or parenting"),
    "0": ("Not known", ""),
}
"""Each main activity of `oc3_activity` in a few words, and a detail (full or part time;
why not in education, employment or training)."""


def accommodation_words(code: str | None) -> tuple[str, bool | None]:
    """Where a care leaver lives, from an OC3 ACCOM code: the kind in words, and whether
    it is suitable (None: the code does not say). A code the list lacks is itself."""
    if not code or code == "0":
        return ("Not known", None)
    kind, suitable = ACCOMMODATION.get(code[0]), SUITABLE.get(code[1:])
    if code[0] == "R":  # where they live is not known, so neither is whether it suits them
        suitable = None
    if kind is None or (suitable is None and code[0] != "R"):
        found = code_list("oc3_accommodation").find(code)
        return (found.label if found else code, None)
    return (kind, None if suitable is None else suitable == "suitable")


def activity_words(code: str | None) -> tuple[str, str]:
    """A care leaver's main activity from an OC3 ACTIV code, in words, and its detail
    ("" for none). A code the list lacks is itself."""
    if not code:
        return ("Not known", "")
    if code in ACTIVITY:
        return ACTIVITY[code]
    found = code_list("oc3_activity").find(code)
    return (found.label if found else code, "")


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:  # the teens take "th"
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def until_words(until: date | None, dob: date | None, today: date) -> str:
    """Until when the support lasts: "until 1 May 2028 (their 21st birthday)", or
    "support ended 1 May 2028"; "" where the record does not say."""
    if until is None:
        return ""
    if until <= today:
        return f"support ended {day_in_words(until)}"
    words = f"until {day_in_words(until)}"
    if dob is not None and (until.month, until.day) == (dob.month, dob.day):
        words += f" (their {_ordinal(until.year - dob.year)} birthday)"
    return words


def _tag(status: str | None) -> tuple[str, str] | None:
    """A duty's status as a tag (words, colour) where it needs someone's eye: overdue
    or due soon; None otherwise."""
    if status in ("overdue", "due"):
        return STATUS_TAGS[status]
    return None


def leaver_in_words(row: dict[str, Any], today: date) -> Row:
    """A young person's line (a caseload line with the leaving-care columns of
    LEAVER_SCHEMA, any of them null) with the words a page shows: KIND and KIND_HINT,
    UNTIL_WORDS (and for a table UNTIL_AGE, the birthday it is, and ENDED), ACCOM_WORDS
    and ACCOM_SUITABLE, ACTIV_WORDS and ACTIV_DETAIL, IN_TOUCH_WORDS,
    CONTACT_DUE_WORDS (why none is due, where CONTACT_DUE is null) and CONTACT_TAG,
    PLAN_WORDS ("Review by", "First plan by", before PLAN_DUE; else why none) and
    PLAN_TAG (a tag's words and colour, for work overdue or due soon; else None)."""
    kind, hint = KINDS.get(row.get("CATEGORY") or "", (NOT_A_CARE_LEAVER, ""))
    accom, suitable = accommodation_words(row.get("ACCOM"))
    activity, detail = activity_words(row.get("ACTIV"))
    until, dob = row.get("UNTIL"), row.get("DOB")
    on_birthday = (
        until is not None
        and dob is not None
        and (until.month, until.day)
        == (
            dob.month,
            dob.day,
        )
    )
    in_touch = row.get("IN_TOUCH")
    if row.get("CONTACT_DUE") is not None:
        contact_due = ""
    elif row.get("CATEGORY") == "eligible":
        contact_due = "Not due while looked after"
    else:
        contact_due = "Not owed"
    plan_due = row.get("PLAN_DUE")
    if plan_due is None:
        owed = row.get("CATEGORY") not in (None, "qualifying") and not (
            until is not None and until <= today
        )
        plan = "Not recorded" if owed else "Not owed"
    elif row.get("PLAN_DUTY") == FIRST_PLAN:
        plan = "First plan by"
    else:
        plan = "Review by"
    return row | {
        "KIND": kind,
        "KIND_HINT": hint,
        "UNTIL_WORDS": until_words(until, dob, today),
        "UNTIL_AGE": until.year - dob.year if on_birthday else None,  # type: ignore[union-attr]
        "ENDED": until is not None and until <= today,
        "ACCOM_WORDS": accom,
        "ACCOM_SUITABLE": suitable,
        "ACTIV_WORDS": activity,
        "ACTIV_DETAIL": detail,
        "IN_TOUCH_WORDS": IN_TOUCH.get(in_touch or "", in_touch or "Not in a return yet"),
        "CONTACT_DUE_WORDS": contact_due,
        "CONTACT_TAG": _tag(row.get("CONTACT_STATUS")),
        "PLAN_WORDS": plan,
        "PLAN_TAG": _tag(row.get("PLAN_STATUS")),
    }


@dataclass(frozen=True)
class AdviserCaseload:
    """A personal adviser's care leavers in words (`leaver_in_words`), worst first, and
    the day what is due was worked out on (None: nothing is stored for them)."""

    rows: list[Row]
    worked_out_on: date | None


def caseload(children: Iterable[str], as_at: date) -> AdviserCaseload:
    """The care leavers `children` (CHILD ids) on `as_at`, in words, worst first (the
    order of `casework.lines.lines_of`): two queries, however many there are."""
    wanted = sorted(set(children))
    lines = lines_of(wanted, as_at)
    leaving = leaver_lines_of(wanted).drop("AS_AT")
    joined = _with_links(lines.join(leaving, on="CHILD", how="left", maintain_order="left"))
    return AdviserCaseload(
        [leaver_in_words(row, as_at) for row in joined.iter_rows(named=True)], stored_on(lines)
    )


def leaver_facts(child: str, summary: Row, as_at: date) -> Row | None:
    """What a care leaver's record shows of leaving care (`leaver_in_words`, from their
    caseload line `summary` and their stored leaving-care line), or None for a young
    person who has no leaving-care line (a child the law does not make a care leaver,
    with no contact or return). One query."""
    lines = leaver_lines_of([child])
    if lines.is_empty():
        return None
    line = lines.row(0, named=True)
    return leaver_in_words({**summary, **line}, as_at)


__all__ = ["LEAVER_SCHEMA", "AdviserCaseload", "caseload", "leaver_facts", "leaver_in_words"]
