"""Files as case systems and Excel really export them read as a person expects: empty
columns from a spreadsheet's used range are passed over, and a very wide header is read
in moments, not minutes."""

import time

import pytest

from carematters.ssda903.csv_text import read_csv_rows
from carematters.ssda903.formats import read_return
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
ROWS = ["C1,F,01/02/2012,WBRI,UN1,,", "C2,M,03/04/2013,WBRI,UN2,,"]


def _read(tmp_path, text: str):
    folder = tmp_path / "ret"
    folder.mkdir(exist_ok=True)
    (folder / "header.csv").write_text(text)
    return read_return(folder, YEAR)


@pytest.mark.parametrize("empty", [1, 2, 5])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_empty_unnamed_columns_are_passed_over_in_one_line(tmp_path, empty, ending, quoted):
    commas = "," * empty
    rows = [f'"{row}'.replace(",", '",', 1) if quoted else row for row in ROWS]
    text = ending.join([HEADER + commas, *(row + commas for row in rows)]) + ending
    result = _read(tmp_path, text)
    said = {
        1: "column 8, which is empty; it was ignored",
        2: "columns 8, 9, which are empty; they were ignored",
        5: "columns 8, 9, 10, 11, 12, which are empty; they were ignored",
    }
    assert [p.describe() for p in result.problems] == [
        f"header.csv, row 1: the header row has no name for {said[empty]}"
    ]
    assert not result.problems[0].lost_something
    header = result.tables["header"]
    assert header.get_column("CHILD").to_list() == ["C1", "C2"]
    assert header.columns == HEADER.split(",")


def test_many_empty_columns_are_named_by_the_first_five(tmp_path):
    commas = "," * 40
    result = _read(tmp_path, "\n".join([HEADER + commas, *(r + commas for r in ROWS)]))
    assert [p.describe() for p in result.problems] == [
        "header.csv, row 1: the header row has no name for columns 8, 9, 10, 11, 12 and 35 "
        "more, which are empty; they were ignored"
    ]
    assert result.tables["header"].height == 2


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_values_under_an_unnamed_column_are_counted_once_and_not_shown(tmp_path, quoted):
    note = '"a made-up, private note"' if quoted else "a made-up private note"
    lines = [f"{HEADER},,", f"{ROWS[0]},{note},", f"{ROWS[1]},,x"]
    result = _read(tmp_path, "\n".join(lines) + "\n")
    described = [p.describe() for p in result.problems]
    assert described == [
        "header.csv, row 1: the header row has no name for columns 8, 9, which hold 2 "
        "values; they were not read"
    ]
    assert result.problems[0].lost_something
    assert result.tables["header"].get_column("CHILD").to_list() == ["C1", "C2"]


def test_an_unnamed_column_in_the_middle_is_dropped_and_the_rest_read(tmp_path):
    result = _read(
        tmp_path, "CHILD,SEX,,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,F,,01/02/2012,WBRI,UN1,,\n"
    )
    assert [p.describe() for p in result.problems] == [
        "header.csv, row 1: the header row has no name for column 3, which is empty; it was ignored"
    ]
    header = result.tables["header"]
    assert header.columns == HEADER.split(",")
    assert [header.item(0, "CHILD"), header.item(0, "SEX"), str(header.item(0, "DOB"))] == [
        "C1",
        "F",
        "2012-02-01",
    ]


def test_a_name_given_twice_is_still_refused_but_blank_names_are_not_duplicates(tmp_path):
    result = _read(tmp_path, f"{HEADER},DOB,,\n{ROWS[0]},x,,\n")
    assert result.problems[0].describe() == (
        "header.csv, row 1, column DOB: the header row names DOB twice; the file was not read"
    )


def test_a_header_of_two_hundred_thousand_columns_is_read_in_seconds():
    names = [f"X{i}" for i in range(200_000)]
    text = ",".join([*HEADER.split(","), *names, "X7"]) + "\n"
    started = time.perf_counter()
    rows, problems = read_csv_rows(text.encode(), "wide.csv")
    assert time.perf_counter() - started < 5
    assert rows is None
    assert [p.describe() for p in problems] == [
        "wide.csv, row 1, column X7: the header row names X7 twice; the file was not read"
    ]


def test_a_wide_header_of_distinct_names_is_read_in_seconds(tmp_path):
    names = ",".join(f"X{i}" for i in range(200_000))
    started = time.perf_counter()
    result = _read(tmp_path, f"{HEADER},{names}\n{ROWS[0]}{',' * 200_000}\n")
    assert time.perf_counter() - started < 30
    assert result.tables["header"].get_column("CHILD").to_list() == ["C1"]
    assert len(result.problems) == 200_000
    assert result.problems[0].describe() == (
        "header.csv, row 1, column X0: X0 is not a column of the Header table in 2024-25; "
        "its values were not read"
    )


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_two_hundred_thousand_empty_columns_are_passed_over_in_seconds(quoted):
    commas = "," * 200_000
    first = '"C1"' if quoted else "C1"
    text = f"{HEADER}{commas}\n{first}{ROWS[0].removeprefix('C1')}{commas}\n"
    started = time.perf_counter()
    rows, problems = read_csv_rows(text.encode(), "wide.csv")
    assert time.perf_counter() - started < 30
    assert [p.describe() for p in problems] == [
        "wide.csv, row 1: the header row has no name for columns 8, 9, 10, 11, 12 and 199995 "
        "more, which are empty; they were ignored"
    ]
    assert rows is not None
    assert rows.header == HEADER.split(",")
    assert rows.values.get_column("CHILD").to_list() == ["C1"]
