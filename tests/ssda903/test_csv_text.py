"""The quick column-wise split and the full CSV parser must read files identically."""

from hypothesis import assume, given
from hypothesis import strategies as st

from carematters.ssda903.csv_text import _parsed_rows, _plain_rows, read_csv_rows

CELLS = st.text(st.sampled_from("AB1 \t,\r\xa0x"), max_size=5)
HEADERS = st.sampled_from(["CHILD,DOB,REVIEW,REVIEW_CODE", "A,B", "X"])
ENDINGS = st.sampled_from(["\n", "\r\n"])


def _described(result):
    rows, problems = result
    values = None if rows is None else (rows.header, rows.values.rows())
    return values, [p.describe() for p in problems]


@given(
    header=HEADERS,
    lines=st.lists(st.one_of(CELLS, HEADERS, st.just("")), max_size=8),
    ending=ENDINGS,
    final=st.booleans(),
)
def test_both_ways_of_splitting_give_the_same_rows_and_problems(header, lines, ending, final):
    text = ending.join([header, *lines]) + (ending if final else "")
    plain = _plain_rows(text, "f.csv")
    assume(plain is not None)
    assert _described(plain) == _described(_parsed_rows(text, "f.csv"))


def test_a_file_of_only_commas_is_reported_empty_either_way():
    for text in (",,,\n,,\n", '"",""\n'):
        rows, problems = read_csv_rows(text.encode(), "f.csv")
        assert rows is None
        assert [p.describe() for p in problems][-1] == "f.csv: the file is empty"
