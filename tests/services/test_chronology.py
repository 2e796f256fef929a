"""A child's chronology, from a hand-made record: Ash came into care under section 20 on
2 January 2024 in foster care, moved to a children's home on 1 March 2024, where an
interim care order was made on 15 April 2024 (a new episode, same placement), went
missing on 3 May 2024 and came back the next day, was visited and reviewed, and left care
to live with a relative on 31 August 2024."""

from datetime import date

import polars as pl

from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.services.chronology import CHRONOLOGY, chronology


def _table(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    kinds = {c.name: c.kind.dtype for c in record_table(name).columns}
    return pl.DataFrame(rows, schema={column: kinds[column] for column in rows[0]})


def _episode(start: date, rne: str, ls: str, place: str, *, end: date, rec: str):
    return {
        "CHILD": "ASH",
        "DECOM": start,
        "RNE": rne,
        "LS": ls,
        "PLACE": place,
        "DEC": end,
        "REC": rec,
        "PL_POST": "ZZ1 1AA",
    }


RECORD = Record.of(
    {
        "header": _table("header", [{"CHILD": "ASH", "DOB": date(2010, 5, 5)}]),
        "episodes": _table(
            "episodes",
            [
                _episode(date(2024, 1, 2), "S", "V2", "U6", end=date(2024, 3, 1), rec="X1"),
                _episode(date(2024, 3, 1), "P", "V2", "K2", end=date(2024, 4, 15), rec="X1"),
                _episode(date(2024, 4, 15), "L", "C1", "K2", end=date(2024, 8, 31), rec="E13"),
            ],
        ),
        "visits": _table(
            "visits",
            [
                {
                    "CHILD": "ASH",
                    "VISIT_DATE": date(2024, 1, 8),
                    "SEEN_ALONE": "Y",
                    "SW_ID": "SW1",
                    "NOT_ALONE_REASON": None,
                },
                {
                    "CHILD": "ASH",
                    "VISIT_DATE": date(2024, 2, 20),
                    "SEEN_ALONE": "N",
                    "SW_ID": None,
                    "NOT_ALONE_REASON": "Ash asked for their carer to stay",
                },
            ],
        ),
        "reviews": _table(
            "reviews", [{"CHILD": "ASH", "REVIEW": date(2024, 1, 30), "REVIEW_CODE": "PN1"}]
        ),
        "missing": _table(
            "missing",
            [
                {
                    "CHILD": "ASH",
                    "MISSING": "M",
                    "MIS_START": date(2024, 5, 3),
                    "MIS_END": date(2024, 5, 4),
                }
            ],
        ),
    }
)


def _events() -> list[tuple[date, str, str | None]]:
    found = chronology(RECORD, staff={"SW1": "Sam Social"})
    return list(found.select("DATE", "TITLE", "DETAIL").iter_rows())


def test_the_chronology_tells_the_story_newest_first():
    assert _events() == [
        (
            date(2024, 8, 31),
            "Stopped being looked after",
            "Left care to live with parent(s), relative(s), or other person(s) with no parental "
            "responsibility",
        ),
        (date(2024, 5, 3), "Missing from placement", "Back on 4 May 2024"),
        (date(2024, 4, 15), "Legal status: Interim care order", "Was: Accommodated (section 20)"),
        (date(2024, 3, 1), "Placement: Children's home", "Placed at ZZ1 1AA"),
        (date(2024, 2, 20), "Visit", "Not seen alone (Ash asked for their carer to stay)"),
        (
            date(2024, 1, 30),
            "Review",
            "Participation: Child physically attends and speaks for him or herself",
        ),
        (date(2024, 1, 8), "Visit", "Seen alone, by Sam Social"),
        (date(2024, 1, 2), "Placement: Foster care", "Placed at ZZ1 1AA"),
        (date(2024, 1, 2), "Started to be looked after", "Legal status: Accommodated (section 20)"),
    ]


def test_a_new_episode_in_the_same_placement_is_not_a_move():
    titles = [title for _, title, _ in _events()]
    assert titles.count("Placement: Children's home") == 1


def test_a_code_the_lists_do_not_know_shows_as_recorded():
    odd = Record.of(
        {
            "reviews": _table(
                "reviews", [{"CHILD": "ASH", "REVIEW": date(2024, 1, 30), "REVIEW_CODE": "PN9"}]
            )
        }
    )
    assert chronology(odd)["DETAIL"].to_list() == ["Participation: PN9"]


def test_each_event_says_which_row_of_which_table_it_came_from():
    found = chronology(RECORD).select("TITLE", "TABLE", "ROW").rows()
    assert found == [
        ("Stopped being looked after", "episodes", 2),
        ("Missing from placement", "missing", 0),
        ("Legal status: Interim care order", "episodes", 2),
        ("Placement: Children's home", "episodes", 1),
        ("Visit", "visits", 1),
        ("Review", "reviews", 0),
        ("Visit", "visits", 0),
        ("Placement: Foster care", "episodes", 0),
        ("Started to be looked after", "episodes", 0),
    ]
    assert chronology(RECORD).columns == CHRONOLOGY.names()
