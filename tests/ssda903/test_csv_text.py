"""The quick column-wise split and the full CSV parser must read files identically."""

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
