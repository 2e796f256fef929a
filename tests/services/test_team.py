"""A team manager's view, from a hand-made record on 31 March 2025. Workers W1 and W2
are the team (W3 is in it too, with no children). W1 has Ava and Ben; W2 has Cal, whose
social worker changed twice in the year (W4 from April, W5 from August, W2 from
January: three workers); Dee is W1's until 28 February and then another team's (W9)."""

from datetime import date

import polars as pl

from carematters.records.record import Record
from carematters.records.schema import record_table
from carematters.services.team import team_on

DAY = date(2025, 3, 31)


def _table(name: str, rows: list[tuple[object, ...]]) -> pl.DataFrame:
    columns = [c for c in record_table(name).columns if c.name != "DOB"]
    schema = {c.name: c.kind.dtype for c in columns[: len(rows[0])]}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _episodes(children: str) -> list[tuple[object, ...]]:
    return [(child, date(2024, 1, 2), "S", "C2", "N1", "U4") for child in children]


RECORD = Record.of(
    {
        "header": pl.DataFrame(
            {"CHILD": list("ABCD"), "DOB": [date(2012, 1, 1)] * 4},
            schema={"CHILD": pl.String, "DOB": pl.Date},
        ),
        "episodes": _table("episodes", _episodes("ABCD")),
        "sw_episodes": _table(
            "sw_episodes",
            [
                ("A", "W1", date(2024, 1, 2), None),
                ("B", "W1", date(2024, 1, 2), None),
                ("C", "W4", date(2024, 1, 2), date(2024, 7, 31)),
                ("C", "W5", date(2024, 8, 1), date(2024, 12, 31)),
                ("C", "W2", date(2025, 1, 1), None),
                ("D", "W1", date(2024, 1, 2), date(2025, 2, 28)),
                ("D", "W9", date(2025, 3, 1), None),
            ],
        ),
    }
)
DUTIES = pl.DataFrame(
    [
        ("A", date(2025, 3, 1), "overdue", 30),
        ("A", date(2025, 3, 10), "overdue", 21),
        ("B", date(2025, 4, 30), "upcoming", None),
        ("C", date(2025, 3, 20), "overdue", 11),
        ("D", date(2025, 3, 2), "overdue", 29),
    ],
    schema={"CHILD": pl.String, "DUE_DATE": pl.Date, "STATUS": pl.String, "DAYS_OVERDUE": pl.Int64},
    orient="row",
)


def test_each_worker_has_their_caseload_and_overdue_work_counted():
    team = team_on(RECORD, DUTIES, DAY, {"W1", "W2", "W3"})
    rows = team.workers.select("SW_ID", "CHILDREN", "OVERDUE", "CHILDREN_OVERDUE").rows()
    assert rows == [("W1", 2, 2, 1), ("W2", 1, 1, 1), ("W3", 0, 0, 0)]


def test_a_child_who_moved_to_another_team_is_no_longer_the_teams():
    team = team_on(RECORD, DUTIES, DAY, {"W1", "W2", "W3"})
    assert sorted(team.children["CHILD"]) == ["A", "B", "C"]


def test_a_child_with_three_social_workers_in_the_year_is_shown_apart():
    team = team_on(RECORD, DUTIES, DAY, {"W1", "W2", "W3"})
    assert team.many_social_workers.select("CHILD", "SOCIAL_WORKERS").rows() == [("C", 3)]
    assert team.children.filter(pl.col("CHILD") == "A")["SOCIAL_WORKERS"].to_list() == [1]


def test_a_worker_whose_episode_ended_before_the_year_does_not_count():
    # Cal's first worker left on 31 July 2024; a year to 1 August 2025 begins the day after.
    team = team_on(RECORD, DUTIES, date(2025, 8, 1), {"W2"})
    assert team.children["SOCIAL_WORKERS"].to_list() == [2]
