"""Cutting a year's SSDA903 return from a care record that holds every year.

Each test builds a small record by hand for the 2024-25 return (1 April 2024 to
31 March 2025) and states, worked out by hand, what a performance officer should see.
"""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carematters.records.extract import extract_return
from carematters.records.returns import record_tables
from carematters.records.schema import record_table
from carematters.ssda903.formats import Format, read_return, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.tables import tables_in
from carematters.ssda903.years import SUPPORTED_YEARS, CollectionYear

YEAR = CollectionYear.parse("2024-25")
D = date
BORN = D(2010, 1, 1)


def record(**tables: list[dict[str, object]]) -> dict[str, pl.DataFrame]:
    """Record tables from rows naming only the columns that matter; the rest are blank."""
    frames = {}
    for name, rows in tables.items():
        table = record_table(name)
        assert table is not None, name
        frames[name] = pl.DataFrame(
            [{c.name: row.get(c.name) for c in table.columns} for row in rows],
            schema=table.schema(),
            orient="row",
        )
    return frames


def episode(child: str, decom: date, dec: date | None = None, **values: object) -> dict:
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "LS": "C2", **values}


def header(*children: str, dob: date = BORN) -> list[dict[str, object]]:
    return [{"CHILD": c, "SEX": "F", "DOB": dob} for c in children]


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return frame.select(columns).rows()


# Every table, and its columns ------------------------------------------------------------


@pytest.mark.parametrize("year", SUPPORTED_YEARS, ids=str)
def test_every_table_of_the_year_is_there_with_exactly_that_years_columns(year):
    out = extract_return({}, year)
    assert list(out) == [t.name for t in tables_in(year)]
    for table in tables_in(year):
        assert out[table.name].schema == table.schema(table.columns_in(year))
        assert out[table.name].height == 0


def test_social_worker_episodes_appear_from_2023_24_and_dolo_from_2026_27():
    assert "sw_episodes" not in extract_return({}, CollectionYear.parse("2022-23"))
    assert "dolo" not in extract_return({}, CollectionYear.parse("2025-26"))
    assert "dolo" in extract_return({}, CollectionYear.parse("2026-27"))


# Episodes --------------------------------------------------------------------------------


def test_episodes_open_at_any_time_in_the_year_are_kept_and_others_are_not():
    out = extract_return(
        record(
            header=header("A", "B", "C", "D", "E"),
            episodes=[
                episode("A", D(2023, 5, 1), D(2024, 3, 31), REC="E4A"),  # ended the day before
                episode("B", D(2023, 5, 1), D(2024, 4, 1), REC="E4A"),  # ended on 1 April
                episode("C", D(2025, 3, 31)),  # began on 31 March
                episode("D", D(2025, 4, 1)),  # began the day after
                episode("E", D(2020, 1, 1)),  # open for years
            ],
        ),
        YEAR,
    )
    assert rows(out["episodes"], "CHILD", "DECOM", "DEC", "REC") == [
        ("B", D(2023, 5, 1), D(2024, 4, 1), "E4A"),
        ("C", D(2025, 3, 31), None, None),
        ("E", D(2020, 1, 1), None, None),
    ]
    assert rows(out["header"], "CHILD") == [("B",), ("C",), ("E",)]


def test_an_episode_that_ends_after_31_march_is_shown_open():
    moved = episode(
        "A",
        D(2024, 6, 1),
        D(2025, 5, 10),
        RNE="S",
        PLACE="U1",
        REC="X1",
        REASON_PLACE_CHANGE="CARPL",
        PL_POST="ZZ99 3CZ",
    )
    ended_on_31_march = episode(
        "B", D(2024, 6, 1), D(2025, 3, 31), REC="X1", REASON_PLACE_CHANGE="CARPL"
    )
    next_one = episode("B", D(2025, 3, 31), D(2025, 6, 1), REC="E11")
    out = extract_return(
        record(header=header("A", "B"), episodes=[moved, ended_on_31_march, next_one]), YEAR
    )
    assert rows(
        out["episodes"],
        "CHILD",
        "DECOM",
        "RNE",
        "PLACE",
        "PL_POST",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
    ) == [
        ("A", D(2024, 6, 1), "S", "U1", "ZZ99 3CZ", None, None, None),
        ("B", D(2024, 6, 1), None, None, None, D(2025, 3, 31), "X1", "CARPL"),
        ("B", D(2025, 3, 31), None, None, None, None, None, None),
    ]


# The Header and what child tables repeat from it -----------------------------------------


def test_the_header_names_every_child_in_the_return_and_nobody_else():
    out = extract_return(
        record(
            header=header("in care", "care leaver", "left long ago", "never in care"),
            episodes=[
                episode("in care", D(2024, 9, 1)),
                episode("left long ago", D(2019, 1, 1), D(2020, 1, 1), REC="E4A"),
            ],
            oc3=[{"CHILD": "care leaver", "IN_TOUCH": "YES", "YEAR": "2024-25"}],
        ),
        YEAR,
    )
    assert rows(out["header"], "CHILD") == [("in care",), ("care leaver",)]


def test_a_child_the_record_has_no_header_row_for_still_gets_one():
    out = extract_return(
        record(
            episodes=[episode("A", D(2024, 9, 1))],
            uasc=[{"CHILD": "A", "SEX": "M", "DOB": D(2008, 2, 3)}],
        ),
        YEAR,
    )
    assert rows(out["header"], "CHILD", "SEX", "DOB", "ETHNIC") == [("A", "M", D(2008, 2, 3), None)]


def test_every_table_gives_the_childs_date_of_birth_and_sex_as_the_header_does():
    out = extract_return(
        record(
            header=header("A", dob=D(2012, 7, 7)),
            episodes=[episode("A", D(2024, 9, 1))],
            reviews=[{"CHILD": "A", "DOB": D(2012, 7, 8), "REVIEW": D(2024, 10, 1)}],
            uasc=[{"CHILD": "A", "SEX": "M", "DOB": None}],
            oc2=[{"CHILD": "A", "DOB": D(2001, 1, 1), "YEAR": "2024-25"}],
        ),
        YEAR,
    )
    assert rows(out["reviews"], "DOB") == [(D(2012, 7, 7),)]
    assert rows(out["uasc"], "SEX", "DOB") == [("F", D(2012, 7, 7))]
    assert rows(out["oc2"], "DOB") == [(D(2012, 7, 7),)]


# OC2 and OC3 -----------------------------------------------------------------------------


def test_oc2_and_oc3_hold_only_the_rows_recorded_for_the_year():
    out = extract_return(
        record(
            header=header("A", "B"),
            episodes=[episode("A", D(2020, 1, 1))],
            oc2=[
                {"CHILD": "A", "SDQ_SCORE": 10, "YEAR": "2023-24"},
                {"CHILD": "A", "SDQ_SCORE": 12, "YEAR": "2024-25"},
            ],
            oc3=[
                {"CHILD": "B", "ACCOM": "B1", "YEAR": "2024-25"},
                {"CHILD": "B", "ACCOM": "S2", "YEAR": "2025-26"},
            ],
        ),
        YEAR,
    )
    assert rows(out["oc2"], "CHILD", "SDQ_SCORE") == [("A", 12)]
    assert rows(out["oc3"], "CHILD", "ACCOM") == [("B", "B1")]
    assert "YEAR" not in out["oc2"].columns


# Reviews and missing episodes ------------------------------------------------------------


def test_reviews_are_those_held_in_the_year_for_children_looked_after_in_it():
    out = extract_return(
        record(
            header=header("A", "B"),
            episodes=[
                episode("A", D(2024, 1, 1)),
                episode("B", D(2022, 1, 1), D(2023, 1, 1), REC="E4A"),
            ],
            reviews=[
                {"CHILD": "A", "REVIEW": D(2024, 3, 31)},  # last year's
                {"CHILD": "A", "REVIEW": D(2024, 4, 1)},
                {"CHILD": "A", "REVIEW": D(2025, 3, 31)},
                {"CHILD": "A", "REVIEW": D(2025, 4, 1)},  # next year's
                {"CHILD": "B", "REVIEW": D(2024, 6, 1)},  # not looked after this year
            ],
        ),
        YEAR,
    )
    assert rows(out["reviews"], "CHILD", "REVIEW") == [("A", D(2024, 4, 1)), ("A", D(2025, 3, 31))]


def test_a_missing_episode_running_over_1_april_is_kept_and_one_running_on_31_march_is_open():
    out = extract_return(
        record(
            header=header("A"),
            episodes=[episode("A", D(2023, 1, 1))],
            missing=[
                {
                    "CHILD": "A",
                    "MISSING": "M",
                    "MIS_START": D(2024, 3, 1),
                    "MIS_END": D(2024, 3, 2),
                },
                {
                    "CHILD": "A",
                    "MISSING": "M",
                    "MIS_START": D(2024, 3, 30),
                    "MIS_END": D(2024, 4, 2),
                },
                {
                    "CHILD": "A",
                    "MISSING": "A",
                    "MIS_START": D(2025, 3, 30),
                    "MIS_END": D(2025, 4, 2),
                },
                {"CHILD": "A", "MISSING": "A", "MIS_START": D(2025, 4, 3), "MIS_END": None},
            ],
        ),
        YEAR,
    )
    assert rows(out["missing"], "MISSING", "MIS_START", "MIS_END") == [
        ("M", D(2024, 3, 30), D(2024, 4, 2)),
        ("A", D(2025, 3, 30), None),
    ]


# UASC ------------------------------------------------------------------------------------


def test_uasc_rows_are_for_children_looked_after_who_were_still_uasc_in_the_year():
    out = extract_return(
        record(
            header=header("still", "ceased before", "turns 18 after", "care leaver"),
            episodes=[
                episode("still", D(2024, 5, 1)),
                episode("ceased before", D(2023, 5, 1)),
                episode("turns 18 after", D(2023, 5, 1)),
            ],
            uasc=[
                {"CHILD": "still", "DUC": None},
                {"CHILD": "ceased before", "DUC": D(2024, 3, 1)},
                {"CHILD": "turns 18 after", "DUC": D(2025, 6, 1)},
                {"CHILD": "care leaver", "DUC": D(2024, 5, 1)},
            ],
            oc3=[{"CHILD": "care leaver", "YEAR": "2024-25"}],
        ),
        YEAR,
    )
    assert rows(out["uasc"], "CHILD", "DUC") == [("still", None), ("turns 18 after", D(2025, 6, 1))]


# Adoption --------------------------------------------------------------------------------


def test_ad1_holds_the_children_adopted_in_the_year():
    out = extract_return(
        record(
            header=header("this year", "next year", "last year"),
            episodes=[
                episode("this year", D(2023, 1, 1), D(2024, 11, 1), REC="E11", PLACE="A5"),
                episode("next year", D(2023, 1, 1), D(2025, 4, 15), REC="E12", PLACE="A5"),
                episode("last year", D(2023, 1, 1), D(2024, 2, 1), REC="E11", PLACE="A5"),
            ],
            ad1=[
                {"CHILD": "this year", "DATE_MATCH": D(2023, 6, 1)},
                {"CHILD": "next year", "DATE_MATCH": D(2024, 6, 1)},
                {"CHILD": "last year", "DATE_MATCH": D(2023, 6, 1)},
            ],
        ),
        YEAR,
    )
    assert rows(out["ad1"], "CHILD", "DATE_MATCH") == [("this year", D(2023, 6, 1))]


def test_placement_for_adoption_decisions_in_force_during_the_year_are_kept():
    out = extract_return(
        record(
            header=header("A"),
            episodes=[episode("A", D(2022, 1, 1))],
            placed_for_adoption=[
                {
                    "CHILD": "A",
                    "DATE_PLACED": D(2022, 6, 1),
                    "DATE_PLACED_CEASED": D(2023, 1, 1),
                    "REASON_PLACED_CEASED": "RD1",
                },  # reversed before the year
                {
                    "CHILD": "A",
                    "DATE_PLACED": D(2023, 6, 1),
                    "DATE_PLACED_CEASED": D(2025, 5, 1),
                    "REASON_PLACED_CEASED": "RD4",
                },  # reversed after 31 March
                {"CHILD": "A", "DATE_PLACED": D(2025, 6, 1)},  # made after the year
            ],
        ),
        YEAR,
    )
    assert rows(
        out["placed_for_adoption"], "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"
    ) == [(D(2023, 6, 1), None, None)]


def test_previous_permanence_is_returned_for_children_who_started_care_in_the_year():
    out = extract_return(
        record(
            header=header("new", "returning", "long stay"),
            episodes=[
                episode("new", D(2024, 7, 1), RNE="S"),
                episode("returning", D(2021, 1, 1), D(2022, 1, 1), RNE="S", REC="E4A"),
                episode("returning", D(2025, 1, 5), RNE="S"),
                episode("long stay", D(2023, 1, 1), D(2024, 7, 1), RNE="S", REC="X1"),
                episode("long stay", D(2024, 7, 1), RNE="P"),
            ],
            previous_permanence=[
                {"CHILD": "new", "PREV_PERM": "Z1"},
                {
                    "CHILD": "returning",
                    "PREV_PERM": "P1",
                    "LA_PERM": "352",
                    "DATE_PERM": "zz/zz/2019",
                },
                {"CHILD": "long stay", "PREV_PERM": "Z1"},
            ],
        ),
        YEAR,
    )
    assert rows(out["previous_permanence"], "CHILD", "PREV_PERM") == [
        ("new", "Z1"),
        ("returning", "P1"),
    ]


# Social worker episodes ------------------------------------------------------------------


def test_social_worker_episodes_of_the_year_are_returned_for_children_looked_after_on_31_march():
    out = extract_return(
        record(
            header=header("in care", "left", "short breaks"),
            episodes=[
                episode("in care", D(2024, 9, 1)),
                episode("left", D(2023, 1, 1), D(2024, 12, 1), REC="E4A"),
                episode("short breaks", D(2025, 3, 1), LS="V3"),
            ],
            sw_episodes=[
                {
                    "CHILD": "in care",
                    "SW_ID": "old",
                    "SW_DECOM": D(2023, 1, 1),
                    "SW_DEC": D(2024, 3, 1),
                    "SW_REASON": "MANAGE",
                },  # before the year
                {
                    "CHILD": "in care",
                    "SW_ID": "before care",
                    "SW_DECOM": D(2024, 3, 1),
                    "SW_DEC": D(2024, 10, 1),
                    "SW_REASON": "FCONTA",
                },  # child not yet in care
                {
                    "CHILD": "in care",
                    "SW_ID": "now",
                    "SW_DECOM": D(2024, 10, 1),
                    "SW_DEC": D(2025, 6, 1),
                    "SW_REASON": "LEFTRL",
                },  # runs past 31 March
                {"CHILD": "left", "SW_ID": "x", "SW_DECOM": D(2024, 1, 1), "SW_REASON": "OTHERS"},
                {
                    "CHILD": "short breaks",
                    "SW_ID": "y",
                    "SW_DECOM": D(2025, 3, 1),
                    "SW_REASON": "OTHERS",
                },
            ],
        ),
        YEAR,
    )
    assert rows(out["sw_episodes"], "CHILD", "SW_ID", "SW_DEC", "SW_REASON") == [
        ("in care", "before care", D(2024, 10, 1), "FCONTA"),
        ("in care", "now", None, "LEFTRL"),
    ]


# Deprivation of liberty orders -----------------------------------------------------------


def test_deprivation_of_liberty_orders_in_force_in_the_year_are_returned_from_2026_27():
    year = CollectionYear.parse("2026-27")
    tables = record(
        header=header("A", "B"),
        episodes=[episode("A", D(2025, 1, 1))],
        dolo=[
            {"CHILD": "A", "DOLO_START": D(2026, 1, 1), "DOLO_END": D(2026, 2, 1)},  # last year
            {"CHILD": "A", "DOLO_START": D(2026, 3, 1), "DOLO_END": D(2026, 6, 1)},
            {"CHILD": "A", "DOLO_START": D(2027, 2, 1), "DOLO_END": D(2027, 5, 1)},
            {"CHILD": "B", "DOLO_START": D(2026, 5, 1)},  # not looked after
        ],
    )
    out = extract_return(tables, year)
    assert rows(out["dolo"], "DOLO_START", "DOLO_END") == [
        (D(2026, 3, 1), D(2026, 6, 1)),
        (D(2027, 2, 1), None),
    ]


# A whole return --------------------------------------------------------------------------


@pytest.mark.parametrize("year", SUPPORTED_YEARS, ids=str)
def test_a_sample_return_read_as_a_record_cuts_back_to_a_sensible_return(year):
    sample = sample_return(150, year, seed=7)
    out = extract_return(record_tables(sample, year), year)
    # Every sample child's last episode is still open on 31 March, so all are in.
    assert out["header"].equals(sample["header"])
    for name in ("oc2", "oc3", "uasc", "placed_for_adoption"):
        assert out[name].equals(sample[name]), name
    # Other tables keep only what falls in the year, and never change a row.
    for name, frame in out.items():
        assert frame.columns == sample[name].columns
        assert frame.join(sample[name], on=frame.columns, how="anti", nulls_equal=True).is_empty()
    episodes = out["episodes"]
    assert (episodes.get_column("DECOM") <= year.end).all()
    assert episodes.filter(pl.col("DEC") < year.start).is_empty()
    assert out["reviews"].get_column("REVIEW").is_between(year.start, year.end).all()
    # A return cut from a record, kept as a record again, cuts to itself.
    again = extract_return(record_tables(out, year), year)
    for name, frame in out.items():
        assert again[name].equals(frame), name


@pytest.mark.parametrize("year", SUPPORTED_YEARS, ids=str)
@pytest.mark.parametrize("form", list(Format))
def test_the_cut_return_writes_and_reads_back_in_both_forms_in_every_year(year, form, tmp_path):
    out = extract_return(record_tables(sample_return(80, year, seed=11), year), year)
    path = tmp_path / ("return.xml" if form is Format.XML else "return")
    write_return(out, year, form, path)
    back = read_return(path, year)
    assert back.problems == []
    for name, frame in out.items():
        assert back.tables.get(name, frame.clear()).equals(frame), name


def test_a_record_spanning_years_cuts_to_a_return_that_writes_as_xml(tmp_path: Path):
    tables = record(
        header=header("A", "B"),
        episodes=[
            episode(
                "A",
                D(2023, 1, 1),
                D(2024, 6, 1),
                RNE="S",
                PLACE="U1",
                REC="X1",
                REASON_PLACE_CHANGE="CARPL",
                CIN="N1",
            ),
            episode(
                "A",
                D(2024, 6, 1),
                D(2025, 7, 1),
                RNE="P",
                PLACE="U2",
                REC="X1",
                REASON_PLACE_CHANGE="CARPL",
                CIN="N1",
            ),
            episode("B", D(2024, 4, 2), None, RNE="S", PLACE="U1", CIN="N1"),
        ],
        reviews=[
            {"CHILD": "A", "DOB": D(2001, 1, 1), "REVIEW": D(2024, 9, 1), "REVIEW_CODE": "PN1"}
        ],
        oc3=[{"CHILD": "C", "DOB": D(2006, 5, 5), "IN_TOUCH": "YES", "YEAR": "2024-25"}],
    )
    out = extract_return(tables, YEAR)
    write_return(out, YEAR, Format.XML, tmp_path / "return.xml")
    back = read_return(tmp_path / "return.xml", YEAR)
    assert back.problems == []
    assert back.tables["episodes"].equals(out["episodes"])
    assert rows(out["header"], "CHILD", "DOB") == [
        ("A", D(2010, 1, 1)),
        ("B", D(2010, 1, 1)),
        ("C", D(2006, 5, 5)),
    ]


def test_sex_is_written_in_the_coding_of_the_year():
    header = pl.DataFrame(
        {"CHILD": ["A", "B"], "SEX": ["M", "F"], "DOB": [date(2010, 1, 1), date(2011, 1, 1)]}
    )
    episodes = pl.DataFrame(
        {
            "CHILD": ["A", "B"],
            "DECOM": [date(2022, 5, 1), date(2022, 5, 1)],
            "RNE": ["S", "S"],
        }
    )
    for label, expected in (("2023-24", ["1", "2"]), ("2024-25", ["M", "F"])):
        year = CollectionYear.parse(label)
        cut = extract_return({"header": header, "episodes": episodes}, year)
        assert cut["header"].get_column("SEX").to_list() == expected, label


def test_motherhood_is_as_on_31_march_and_only_for_children_looked_after():
    girls = [
        {"CHILD": "mother", "SEX": "F", "MOTHER": "1", "MC_DOB": D(2024, 9, 1)},
        {"CHILD": "mother later", "SEX": "F", "MOTHER": "1", "MC_DOB": D(2025, 6, 1)},
        {"CHILD": "care leaver", "SEX": "F", "MOTHER": "0"},
    ]
    out = extract_return(
        record(
            header=girls,
            episodes=[episode("mother", D(2024, 5, 1)), episode("mother later", D(2024, 5, 1))],
            oc3=[{"CHILD": "care leaver", "YEAR": "2024-25"}],
        ),
        YEAR,
    )
    assert rows(out["header"], "CHILD", "MOTHER", "MC_DOB") == [
        ("mother", "1", D(2024, 9, 1)),
        ("mother later", "0", None),
        ("care leaver", None, None),
    ]
