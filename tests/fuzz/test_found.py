"""Each fault the fuzz run found, kept as the smallest input that showed it, with variants.

A fault still open when this was written is marked xfail(strict=True) with its name, so
the test turns red the day it is fixed, and the mark is then taken off.
"""

import pytest

from tests.fuzz.promises import promises_broken_by_both

HEADER_ROW = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES_ROW = (
    b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    b"PL_POST,URN\n"
)
A_CHILD = HEADER_ROW + b"C1,F,01/02/2012,WBRI,UN1,,\n"

READ_WRITES_AND_EXITS_2 = {
    "a date of birth not on the calendar": {
        "header.csv": HEADER_ROW + b"C1,F,31/02/2012,WBRI,UN1,,\n"
    },
    "an XML return with no children": b"<EXPSSDA903></EXPSSDA903>\n",
    "a row with too few values": {"header.csv": HEADER_ROW + b"C1,F\n"},
}

VALIDATE_CALLS_UNREAD_CLEAN = {
    "a lower-case header taken for another table": {
        "header.csv": b"child,sex,_dob\nC1,F,2012-02-01,WBRI,UN1,,\n"
    },
    "a header row and nothing under it": {"header.csv": HEADER_ROW},
}


# A row whose every value was unreadable or blank, so nothing of it was read: saving the
# record then refused the row with a traceback (WriteRefusedError).
ROW_LEFT_WITH_NO_VALUES = {
    "an XML episode of a child without an id": (
        b"<EXPSSDA903><CHILD><HEADER><SEX>F</SEX></HEADER><EPISODE/></CHILD></EXPSSDA903>"
    ),
    "an XML review of a child without an id": (
        b"<EXPSSDA903><CHILD><HEADER><SEX>F</SEX><AREVIEW/></HEADER></CHILD></EXPSSDA903>"
    ),
    "an XML social worker episode with lower-case tags": (
        b"<EXPSSDA903><CHILD><HEADER><childid>C1</childid><SEX>F</SEX>"
        b"<SW_EPISODE><sw_id>SW1</sw_id></SW_EPISODE></HEADER></CHILD></EXPSSDA903>"
    ),
    "a CSV episode of no child starting on 31 February": {
        "header.csv": A_CHILD,
        "episodes.csv": EPISODES_ROW + b",31/02/2012,,,,,,,,,,,\n",
    },
    "a CSV episode of no child starting on an ISO date": {
        "header.csv": A_CHILD,
        "episodes.csv": EPISODES_ROW + b",2024-04-01,,,,,,,,,,,\n",
    },
    "a CSV episode whose child id is not UTF-8": {
        "header.csv": A_CHILD,
        "episodes.csv": EPISODES_ROW + b"\xff,,,,,,,,,,,,\n",
    },
}


def broken(source: dict[str, bytes] | bytes, promise: str) -> list[str]:
    """The promises broken on `source` that start with `promise`, so that one fault's test
    is not made to fail by another."""
    return [b for b in promises_broken_by_both(source)[0] if b.startswith(promise)]


@pytest.mark.parametrize(
    "source", READ_WRITES_AND_EXITS_2.values(), ids=READ_WRITES_AND_EXITS_2.keys()
)
def test_read_exits_2_only_when_it_wrote_nothing(source):
    assert broken(source, "read exited 2 but left") == []


@pytest.mark.parametrize(
    "source", VALIDATE_CALLS_UNREAD_CLEAN.values(), ids=VALIDATE_CALLS_UNREAD_CLEAN.keys()
)
def test_validate_never_calls_clean_a_return_it_could_not_read(source):
    assert broken(source, "validate exited 0") == []


@pytest.mark.parametrize(
    "source", ROW_LEFT_WITH_NO_VALUES.values(), ids=ROW_LEFT_WITH_NO_VALUES.keys()
)
def test_a_row_left_with_no_values_is_a_problem_not_a_traceback(source):
    assert broken(source, "read") == []


def test_an_xml_episode_with_an_element_it_does_not_know_is_read():
    source = (
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID><SEX>F</SEX><DOB>01/02/2012</DOB>"
        b"<ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN></HEADER><EPISODE><DECOM>01/04/2024</DECOM>"
        b"<RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL></EPISODE></CHILD></EXPSSDA903>"
    )
    assert broken(source, "read") == []


# A return whose name is not UTF-8 (bytes \xfe or a Latin-1 é, as Linux gives them):
# validating it wrote its name into the page, and a traceback (UnicodeEncodeError) ended
# the run; an XML file's name reached the problems as it stood, with the same end.
NAMED_NOT_IN_UTF8 = {
    "a CSV folder named r\\xfe": ({"header.csv": A_CHILD}, "r\udcfe"),
    "an XML file named z\\xfe": (
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID><SEX>F</SEX><DOB>31/02/2012</DOB>"
        b"</HEADER></CHILD></EXPSSDA903>",
        "z\udcfe",
    ),
    "a CSV folder named with a Latin-1 e-acute": (
        {"header.csv": HEADER_ROW + b"C1,F,31/02/2012,WBRI,UN1,,\n"},
        "r\udce9turn",
    ),
    "an empty XML file named not in UTF-8": (b"", "\udcff\udcfe"),
}


@pytest.mark.parametrize(
    ("source", "name"), NAMED_NOT_IN_UTF8.values(), ids=NAMED_NOT_IN_UTF8.keys()
)
def test_a_return_named_in_bytes_that_are_not_utf8_is_read_and_validated(source, name):
    assert promises_broken_by_both(source, name)[0] == []
