"""Whatever bytes arrive, readers answer with problems, never with an exception."""

from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from carematters.ssda903.formats import read_return
from carematters.ssda903.problems import Problem
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")
HEADERS = [
    b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n",
    b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n",
    b"CHILD,DOB,REVIEW,REVIEW_CODE\n",
    b"",
]
XML_STARTS = [b"<EXPSSDA903><CHILD><HEADER>", b"<?xml version='1.0'?>", b""]


def _check(result) -> None:
    assert all(isinstance(p, Problem) and p.describe() for p in result.problems)


@given(start=st.sampled_from(HEADERS), body=st.binary(max_size=400))
def test_any_bytes_in_a_csv_file_are_read_or_reported(start, body, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    (folder / "table.csv").write_bytes(start + body)
    _check(read_return(folder, YEAR))


@given(
    start=st.sampled_from(HEADERS),
    lines=st.lists(st.lists(st.text(max_size=6), max_size=16).map(",".join), max_size=6),
)
def test_any_rows_under_a_real_header_are_read_or_reported(start, lines, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    (folder / "table.csv").write_bytes(start + "\n".join(lines).encode("utf-8", "surrogatepass"))
    _check(read_return(folder, YEAR))


@given(start=st.sampled_from(XML_STARTS), body=st.binary(max_size=400))
def test_any_bytes_in_an_xml_file_are_read_or_reported(start, body, tmp_path_factory):
    path = tmp_path_factory.mktemp("xml") / "return.xml"
    path.write_bytes(start + body)
    _check(read_return(path, YEAR))


@given(
    elements=st.lists(
        st.sampled_from(
            ["CHILD", "HEADER", "EPISODE", "AREVIEW", "OC3", "DECOM", "CHILDID", "DOB", "UASC", "X"]
        ),
        max_size=8,
    ),
    text=st.text(max_size=10),
)
def test_any_nesting_of_return_elements_is_read_or_reported(elements, text, tmp_path_factory):
    opening = "".join(f"<{e}>" for e in elements)
    closing = "".join(f"</{e}>" for e in reversed(elements))
    document = f"<EXPSSDA903>{opening}{escape(text)}{closing}</EXPSSDA903>"
    path = tmp_path_factory.mktemp("xml") / "return.xml"
    path.write_bytes(document.encode("utf-8", "surrogatepass"))
    _check(read_return(path, YEAR))


def test_a_missing_path_is_a_problem_not_an_exception(tmp_path: Path):
    result = read_return(tmp_path / "nowhere", YEAR)
    assert [p.describe() for p in result.problems] == [
        f"{tmp_path / 'nowhere'}: this does not exist"
    ]


def test_a_file_that_cannot_be_opened_is_a_problem(tmp_path, monkeypatch):
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = read_return(tmp_path, YEAR)
    assert result.problems[0].describe() == (
        "header.csv: the file could not be opened (Permission denied); it was not read"
    )
