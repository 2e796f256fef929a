"""Significant events that needed a review first (Care Matters 2007 para 7.33), found in
episodes: each case a child's moves, by hand."""

from __future__ import annotations

from datetime import date

import polars as pl

from carematters.web.reviews.events import significant_events

TODAY = date(2026, 11, 30)


def _events(moves: list[tuple[str, str, str, str | None]], dob: date, since: date) -> list[str]:
    """The events of one child, "D" (born `dob`, last reviewed `since`), placed in turn
    (start day as dd/mm/yyyy, RNE, PLACE, REC of the episode's end, None while open)."""
    starts = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d, *_ in moves]
    ends = [*starts[1:], None]
    episodes = pl.DataFrame(
        {
            "CHILD": ["D"] * len(moves),
            "DECOM": starts,
            "DEC": [end if rec else None for end, (*_, rec) in zip(ends, moves, strict=True)],
            "RNE": [rne for _, rne, _, _ in moves],
            "REC": [rec for *_, rec in moves],
            "PLACE": [place for _, _, place, _ in moves],
        }
    )
    header = pl.DataFrame({"CHILD": ["D"], "DOB": [dob]})
    found = significant_events(
        episodes, header, pl.DataFrame({"CHILD": ["D"], "SINCE": [since]}), TODAY
    )
    return found.get_column("TEXT").to_list()


def test_a_move_from_foster_care_to_an_unregulated_placement():
    # Dani, 17 and in year 12, from long-term foster care to an "other" placement (Z11):
    # not regulated.
    found = _events(
        [("01/01/2025", "S", "U4", "X1"), ("02/06/2026", "P", "Z11", None)],
        dob=date(2009, 3, 1),
        since=date(2026, 1, 10),
    )
    assert found == [
        "Moved to a placement that is not regulated on 2 June 2026. "
        "Before: Foster care, long term. After: Other placement (1)."
    ]


def test_leaving_a_secure_childrens_home_and_custody():
    # Dani, 12, from a secure children's home to foster care, then to a young offender
    # institution, then home: leaving each is an event; going in is not.
    found = _events(
        [
            ("01/01/2026", "S", "K1", "X1"),
            ("03/03/2026", "P", "U6", "X1"),
            ("04/05/2026", "P", "R5", "X1"),
            ("05/07/2026", "P", "P1", None),
        ],
        dob=date(2014, 3, 1),
        since=date(2026, 1, 10),
    )
    assert found == [
        "Left custody or a secure children's home on 3 March 2026. "
        "Before: Secure children's home. After: Foster care.",
        "Left custody or a secure children's home on 5 July 2026. "
        "Before: Young offender institution or prison. After: With parents.",
    ]


def test_a_move_in_year_10_can_disrupt_education_and_one_in_year_9_is_not_counted():
    # Dani, born 15 January 2012, is 14 on 31 August 2026: year 10 from 1 September 2026,
    # year 9 before it. Moves on 20 August (year 9) and 10 September (year 10).
    found = _events(
        [
            ("01/01/2026", "S", "U4", "X1"),
            ("20/08/2026", "P", "U6", "X1"),
            ("10/09/2026", "P", "U4", None),
        ],
        dob=date(2012, 1, 15),
        since=date(2026, 1, 10),
    )
    assert found == [
        "Moved placement in school year 10 on 10 September 2026, which can disrupt their "
        "education. Before: Foster care. After: Foster care, long term."
    ]


def test_a_temporary_move_is_not_a_change_of_placement():
    # In hospital and back to the same carers: nothing. In hospital, then on to an
    # unregulated placement: one move, the day the new placement began.
    assert (
        _events(
            [
                ("01/01/2026", "S", "U4", "X1"),
                ("01/03/2026", "T", "T1", "X1"),
                ("08/03/2026", "T", "U4", None),
            ],
            dob=date(2009, 3, 1),
            since=date(2026, 1, 10),
        )
        == []
    )
    assert _events(
        [
            ("01/01/2026", "S", "U4", "X1"),
            ("01/03/2026", "T", "T1", "X1"),
            ("08/03/2026", "P", "Z11", None),
        ],
        dob=date(2009, 3, 1),
        since=date(2026, 1, 10),
    ) == [
        "Moved to a placement that is not regulated on 8 March 2026. "
        "Before: Foster care, long term. After: Other placement (1)."
    ]


def test_only_events_since_the_last_review_and_not_a_new_period_of_care():
    # Left a secure home before the last review (15 March), then left care and came
    # back into care in an unregulated placement: a new period, not a move.
    found = _events(
        [
            ("01/01/2026", "S", "K1", "X1"),
            ("03/03/2026", "P", "U6", "E4A"),
            ("01/06/2026", "S", "Z11", None),
        ],
        dob=date(2009, 3, 1),
        since=date(2026, 3, 15),
    )
    assert found == []
