"""A child's chronology: everything the care record holds about their time in care, as
dated events in words, newest first — what a social worker, IRO or manager reads first
when they open a child's record (REQUIREMENTS.md H; Ofsted's Annex A asks for the same
events by child).

Every table is turned into events with Polars expressions over the whole table, so the
same function gives one child's chronology or a whole caseload's.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from carematters.queries import collect
from carematters.records.periods import periods_of_care
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group, code_list

CHRONOLOGY = pl.Schema(
    {
        "CHILD": pl.String(),
        "DATE": pl.Date(),
        "KIND": pl.String(),
        "TITLE": pl.String(),
        "DETAIL": pl.String(),
        "TABLE": pl.String(),
        "ROW": pl.UInt32(),
    }
)
"""One row per event: CHILD; DATE; KIND (a short name a page can style by: care,
placement, legal-status, review, visit, health, education, plan, pathway, missing,
return-interview, social-worker, iro, personal-adviser, adoption, liberty); TITLE and
DETAIL in plain words; and where it was read from, so a page can lead to the entry:
TABLE (the record's table) and ROW (the row's place in that table, from 0)."""


def labels(codes: str) -> pl.DataFrame:
    """The code list `codes` as a table to join on: CODE and LABEL (its short meaning,
    or DfE's description where it has no short one)."""
    found = code_list(codes).codes
    return pl.DataFrame(
        {"CODE": [c.code for c in found], "LABEL": [c.label for c in found]},
        schema={"CODE": pl.String, "LABEL": pl.String},
    )


def meaning(column: str, codes: str, *, alias: str | None = None) -> pl.Expr:
    """The label of the code in `column` (from the list `codes`), or the code itself where
    the list does not know it, so a wrong code still shows, as it was recorded."""
    table = labels(codes)
    return (
        pl.col(column)
        .replace_strict(table["CODE"], table["LABEL"], default=pl.col(column))
        .alias(alias or column)
    )


ON_THE_DAY = {"care-start": 0, "legal-status": 1, "placement": 2, "care-end": 9}
"""The order events of one day happened in, where it matters (coming into care before
the first placement, leaving care after the day's last event); others come between."""


ORDERED = pl.Schema({**dict(CHRONOLOGY), "_ORDER": pl.Int8()})


def _event(
    kind: str, date: str, title: pl.Expr | str, detail: pl.Expr | str | None
) -> list[pl.Expr]:
    """The expressions that make one event per row of a table (numbered in ROW)."""

    def text(value: pl.Expr | str | None) -> pl.Expr:
        return value if isinstance(value, pl.Expr) else pl.lit(value, pl.String)

    return [
        pl.col("CHILD"),
        pl.col(date).alias("DATE"),
        pl.lit(kind.removesuffix("-start").removesuffix("-end")).alias("KIND"),
        text(title).alias("TITLE"),
        text(detail).alias("DETAIL"),
        pl.col("ROW"),
        pl.lit(ON_THE_DAY.get(kind, 5)).alias("_ORDER"),
    ]


def _day(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%-d %B %Y")


def _care_events(episodes: pl.DataFrame) -> list[pl.DataFrame]:
    """Starting and stopping being looked after, placements, and changes of legal status."""
    ordered = periods_of_care(episodes).with_columns(
        _SAME_PERIOD=(pl.col("PERIOD_START") == pl.col("PERIOD_START").shift(1))
        & (pl.col("CHILD") == pl.col("CHILD").shift(1)),
        _LS_BEFORE=pl.col("LS").shift(1),
    )
    still = code_group("reason_episode_ceased", "still_looked_after")
    started = ordered.filter(pl.col("DECOM") == pl.col("PERIOD_START")).select(
        _event(
            "care-start",
            "DECOM",
            "Started to be looked after",
            pl.concat_str(pl.lit("Legal status: "), meaning("LS", "legal_status")),
        )
    )
    placed = ordered.filter(pl.col("DECOM") == pl.col("PLACEMENT_START")).select(
        _event(
            "placement",
            "DECOM",
            pl.concat_str(pl.lit("Placement: "), meaning("PLACE", "placement_type")),
            pl.when(pl.col("PL_POST").is_not_null())
            .then(pl.concat_str(pl.lit("Placed at "), pl.col("PL_POST")))
            .otherwise(pl.lit("Placement postcode not recorded")),
        )
    )
    legal = ordered.filter(
        pl.col("_SAME_PERIOD").fill_null(value=False) & (pl.col("LS") != pl.col("_LS_BEFORE"))
    ).select(
        _event(
            "legal-status",
            "DECOM",
            pl.concat_str(pl.lit("Legal status: "), meaning("LS", "legal_status")),
            pl.concat_str(pl.lit("Was: "), meaning("_LS_BEFORE", "legal_status")),
        )
    )
    ended = ordered.filter(pl.col("DEC").is_not_null() & ~pl.col("REC").is_in(still)).select(
        _event(
            "care-end",
            "DEC",
            "Stopped being looked after",
            meaning("REC", "reason_episode_ceased"),
        )
    )
    return [started, placed, legal, ended]


def named(column: str, names: Mapping[str, str]) -> pl.Expr:
    """A staff id as the person's name where it is known, as itself where not (null
    where the record has no id)."""
    return pl.col(column).replace_strict(
        list(names), list(names.values()), default=pl.col(column), return_dtype=pl.String
    )


def chronology(record: Record, staff: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Every dated event of every child in `record`, newest first (CHRONOLOGY's columns).

    `staff` gives people's names by the ids the record uses (SW_ID, IRO_ID, PA_ID); an id
    without a name shows as itself. Rows without a date are left out: an event that
    cannot be placed in time is not part of a chronology (the validator reports them)."""
    names = dict(staff or {})
    missing_until = (
        pl.when(pl.col("MIS_END").is_not_null())
        .then(pl.concat_str(pl.lit("Back on "), _day("MIS_END")))
        .otherwise(pl.lit("No return recorded"))
    )
    seen = (
        pl.when(pl.col("SEEN_ALONE") == "Y")
        .then(pl.lit("Seen alone"))
        .when(pl.col("SEEN_ALONE") == "N")
        .then(
            pl.concat_str(
                pl.lit("Not seen alone"),
                pl.concat_str(pl.lit(" ("), pl.col("NOT_ALONE_REASON"), pl.lit(")")),
                ignore_nulls=True,
            )
        )
        .otherwise(pl.lit("Whether seen alone was not recorded"))
    )
    events: list[tuple[str, list[pl.Expr]]] = [
        (
            "reviews",
            _event(
                "review",
                "REVIEW",
                "Review",
                pl.concat_str(
                    pl.lit("Participation: "), meaning("REVIEW_CODE", "review_participation")
                ),
            ),
        ),
        (
            "visits",
            _event(
                "visit",
                "VISIT_DATE",
                "Visit",
                pl.concat_str(
                    seen, pl.concat_str(pl.lit(", by "), named("SW_ID", names)), ignore_nulls=True
                ),
            ),
        ),
        (
            "health_assessments",
            _event("health", "ASSESSMENT_DATE", meaning("KIND", "health_assessment_kind"), None),
        ),
        ("peps", _event("education", "PEP_DATE", "Personal education plan", None)),
        ("care_plans", _event("plan", "PLAN_DATE", meaning("KIND", "care_plan_kind"), None)),
        (
            "pathway_plans",
            _event("pathway", "EVENT_DATE", meaning("KIND", "pathway_event_kind"), None),
        ),
        (
            "missing",
            _event("missing", "MIS_START", meaning("MISSING", "missing_type"), missing_until),
        ),
        (
            "return_interviews",
            _event(
                "return-interview",
                "OFFER_DATE",
                "Return interview offered",
                pl.concat_str(pl.lit("After going missing on "), _day("MIS_START")),
            ),
        ),
        (
            "sw_episodes",
            _event(
                "social-worker",
                "SW_DECOM",
                pl.concat_str(
                    pl.lit("Social worker: "), named("SW_ID", names).fill_null("not recorded")
                ),
                None,
            ),
        ),
        (
            "iro",
            _event(
                "iro",
                "START_DATE",
                pl.concat_str(
                    pl.lit("Independent reviewing officer: "),
                    named("IRO_ID", names).fill_null("not recorded"),
                ),
                None,
            ),
        ),
        (
            "pa_contacts",
            _event(
                "personal-adviser",
                "CONTACT_DATE",
                "Contact with personal adviser",
                pl.concat_str(pl.lit("With "), named("PA_ID", names)),
            ),
        ),
        (
            "ad1",
            _event(
                "adoption",
                "DATE_INT",
                "Decision that adoption is in the child's best interests",
                None,
            ),
        ),
        ("ad1", _event("adoption", "DATE_MATCH", "Matched with adopters", None)),
        (
            "placed_for_adoption",
            _event(
                "adoption",
                "DATE_PLACED",
                "Decision that the child should be placed for adoption",
                None,
            ),
        ),
        ("dolo", _event("liberty", "DOLO_START", "Deprivation of liberty order made", None)),
    ]
    # Only the tables that hold something, in one lazy query: a child's record is mostly
    # empty tables, and each eager step costs Polars the same whatever its size.
    parts = [
        record.table(table).with_row_index("ROW").lazy().select(*exprs, TABLE=pl.lit(table))
        for table, exprs in events
        if record.table(table).height
    ]
    if record.episodes.height:
        parts += [
            part.lazy().with_columns(TABLE=pl.lit("episodes"))
            for part in _care_events(record.episodes.with_row_index("ROW"))
        ]
    if not parts:
        return pl.DataFrame(schema=CHRONOLOGY)
    return collect(
        pl.concat([part.cast(ORDERED) for part in parts])
        .filter(pl.col("DATE").is_not_null())
        .sort(["CHILD", "DATE", "_ORDER"], descending=[False, True, True], maintain_order=True)
        .select(CHRONOLOGY.names())
    )
