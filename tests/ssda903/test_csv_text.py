"""The quick column-wise split and the full CSV parser must read files identically."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from carematters.ssda903.csv_text import (
    _parsed_rows,
    _plain_rows,
    _without_separator_line,
    read_csv_rows,
)

CELLS = st.text(st.sampled_from("AB1 \t,\r\xa0x"), max_size=5)
HEADERS = st.sampled_from(["CHILD,DOB,REVIEW,REVIEW_CODE", "A,B", "X", "A,,B,", "A,B,,"])
LEADS = st.sampled_from(["", "\n", "\r\n\r\n", " \n", ",,\n", "sep=,\n"])
ENDINGS = st.sampled_from(["\n", "\r\n"])


def _described(result):
    rows, problems = result
    values = None if rows is None else (rows.header, rows.values.rows())
    return values, [p.describe() for p in problems]


@given(
    lead=LEADS,
    header=HEADERS,
    lines=st.lists(st.one_of(CELLS, HEADERS, st.just("")), max_size=8),
    ending=ENDINGS,
    final=st.booleans(),
)
def test_both_ways_of_splitting_give_the_same_rows_and_problems(lead, header, lines, ending, final):
    text = _without_separator_line(
        lead + ending.join([header, *lines]) + (ending if final else ""), "f.csv"
    )
    assert isinstance(text, str)
    plain = _plain_rows(text, "f.csv")
    assume(plain is not None)
    assert _described(plain) == _described(_parsed_rows(text, "f.csv"))


def test_the_quick_split_is_taken_for_unquoted_files_and_the_full_parser_otherwise():
    assert _plain_rows("A,B\n1,2\n", "f.csv") is not None
    for text in ('A,B\n"1",2\n', "A,B\n1\r2,3\n", "A,B\n1\x00,2\n", "A,B\n\udcff,2\n"):
        assert _plain_rows(text, "f.csv") is None, text


def test_a_file_of_only_commas_is_reported_empty_either_way():
    for text in (",,,\n,,\n", '"",""\n'):
        rows, problems = read_csv_rows(text.encode(), "f.csv")
        assert rows is None
        assert [p.describe() for p in problems][-1] == "f.csv: the file is empty"


# One long value (a case note pasted into a cell) is read as a value, or makes its own row
# a problem: it no longer stops the rest of the file being read.
LONG_CASES = {
    "a quoted note of 200,000 characters": ('A,"{note}",C', 200_000, []),
    "a quoted note of 5 MB": ('A,"{note}",C', 5_000_000, []),
    "a note of 5 MB, not quoted": ("A,{note},C", 5_000_000, []),
    "a quoted note in a row one value too wide": (
        'A,"{note}",C,D',
        5_000_000,
        [
            "f.csv, row 3: this row has 4 values where the header row has 3 columns; "
            "the row was not read"
        ],
    ),
}


@pytest.mark.parametrize(("row", "size", "said"), LONG_CASES.values(), ids=LONG_CASES.keys())
def test_a_long_value_makes_at_most_its_own_row_a_problem(row, size, said):
    # The quoted "a, b" makes the file one for Python's CSV parser, value by value.
    text = f'X,Y,Z\nA,"a, b",C\n{row.format(note="x" * size)}\nlast,row,read\n'
    rows, problems = read_csv_rows(text.encode(), "f.csv")
    assert rows is not None
    assert [p.describe() for p in problems] == said
    read = rows.values.rows()
    assert read[0] == ("A", "a, b", "C", 2)
    assert read[-1] == ("last", "row", "read", 4)
    assert len(read) == (2 if said else 3)
    if not said:
        assert len(read[1][1]) == size
