"""What a reading problem shows of the file: where, and at most a short cut of one value.

A row that cannot be split, or a file that is no SSDA903 table, may hold anything (a case
note, a contact list, a whole file's worth of text on one line): the message names the
file, row and counts, never the row itself.
"""

from pathlib import Path

import pytest

from carematters.ssda903.formats import read_return
from carematters.ssda903.problems import Problem, cut
from carematters.ssda903.years import CollectionYear

from ..cli import carematters

YEAR = CollectionYear.parse("2024-25")
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
GOOD = "C1,F,01/02/2012,WBRI,UN1,,"
NOTE = "Made-up note: seen at home, said she is unhappy at school"


def _problems(folder: Path, files: dict[str, str]) -> list[str]:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [p.describe() for p in read_return(folder, YEAR).problems]


@pytest.mark.parametrize(
    ("row", "counted"),
    [
        (f"C2,F,01/02/2012,WBRI,UN2,,,{NOTE.replace(',', ';')}", 8),
        (f'C2,F,01/02/2012,WBRI,UN2,,,"{NOTE}"', 8),
        (f"C2,F,01/02/2012,WBRI,UN2,,,{NOTE.replace(',', ';')},and more", 9),
        ("C2,F,01/02/2012", 3),
        (f"C2,F,{NOTE.replace(',', ';')}", 3),
    ],
    ids=["extra-column", "quoted-extra-column", "two-extra-columns", "too-few", "note-too-few"],
)
def test_a_row_that_cannot_be_split_is_counted_never_shown(tmp_path, row, counted):
    problems = _problems(tmp_path / "ret", {"header.csv": f"{HEADER}\n{GOOD}\n{row}\n"})
    assert problems == [
        f"header.csv, row 3: this row has {counted} values where the header row has 7 "
        "columns; the row was not read"
    ]


def test_a_hundred_thousand_character_row_gives_a_short_message(tmp_path):
    huge = "x" * 100_000
    for text in (f"{HEADER}\n{GOOD}\nC2,{huge},,\n", f'{HEADER}\n{GOOD}\n"C2",{huge},,\n'):
        (problem,) = _problems(tmp_path / "ret", {"header.csv": text})
        assert problem == (
            "header.csv, row 3: this row has 4 values where the header row has 7 columns; "
            "the row was not read"
        )


def test_an_unrelated_file_is_named_by_its_columns_never_its_rows(tmp_path):
    contacts = "NAME,PHONE,EMAIL,ADDRESS\nMade-up Person,07700900123,a@example.org,1 Road\n"
    problems = _problems(
        tmp_path / "ret", {"header.csv": f"{HEADER}\n{GOOD}\n", "contacts.csv": contacts}
    )
    assert problems == [
        "contacts.csv, row 1: the header row (4 columns, none of them an SSDA903 column name) "
        "does not match any SSDA903 table; the file was not read"
    ]
    assert not any("Made-up" in p or "07700" in p for p in problems)


@pytest.mark.parametrize(
    ("first_line", "shown"),
    [
        ("NOTES", "1 column, none of them an SSDA903 column name"),
        ("A,B", "2 columns, none of them an SSDA903 column name"),
        ("name,phone,email,address", "4 columns, none of them an SSDA903 column name"),
        ("Made-up Person,07700900123", "2 columns, none of them an SSDA903 column name"),
        ("NAME,07700900123", "2 columns, none of them an SSDA903 column name"),
        ("X" * 31, "1 column, none of them an SSDA903 column name"),
        # A row of someone's data looks like column names as much as any.
        (
            "Smith,Jane,QQ123456C,Stepfather,Reported",
            "5 columns, none of them an SSDA903 column name",
        ),
        ("SMITH,JANE,QQ123456C", "3 columns, none of them an SSDA903 column name"),
        # Names of the return are shown, the others never: at most three.
        ("child,name,dob,phone", "4 columns, among them the SSDA903 names CHILD, DOB"),
        (
            "CHILD,Jane Smith,DECOM,RNE,LS,07700900123",
            "6 columns, among them the SSDA903 names CHILD, DECOM, RNE, ...",
        ),
    ],
)
def test_an_unrelated_file_shows_only_the_ssda903_names_of_its_header(tmp_path, first_line, shown):
    text = f"{first_line}\nmade-up secret,1\n"
    problems = _problems(tmp_path / "ret", {"header.csv": f"{HEADER}\n{GOOD}\n", "z.csv": text})
    assert problems == [
        f"z.csv, row 1: the header row ({shown}) does not match any SSDA903 table; "
        "the file was not read"
    ]


def test_a_long_value_is_cut_to_its_first_forty_characters(tmp_path):
    long_date = "1" * 30 + "/" + "2" * 30
    problems = _problems(
        tmp_path / "ret", {"header.csv": f"{HEADER}\nC1,F,{long_date},WBRI,UN1,,\n"}
    )
    assert problems == [
        f"header.csv, row 2, column DOB: value '{'1' * 30}/{'2' * 9}…': is not a date written "
        "dd/mm/yyyy; the value was not read"
    ]


def test_cutting_keeps_short_values_whole_and_marks_a_cut():
    assert cut("WBRI") == "WBRI"
    assert cut("x" * 40) == "x" * 40
    assert cut("x" * 41) == "x" * 40 + "…"
    problem = Problem(file="f.csv", row=2, column="C", value="y" * 500, kind="k", message="m")
    assert problem.describe() == f"f.csv, row 2, column C: value '{'y' * 40}…': m"


def test_a_long_unknown_column_name_is_cut(tmp_path):
    name = "NOTE_" + "N" * 60
    problems = _problems(
        tmp_path / "ret", {"header.csv": f"{HEADER},{name}\n{GOOD},made-up note\n"}
    )
    assert problems == [
        f"header.csv, row 1, column {name[:40]}…: {name[:40]}… is not a column of the Header "
        "table in 2024-25; its values were not read"
    ]


@pytest.mark.parametrize(
    ("first", "rows"),
    [("sep=,\n", "\n"), ("sep=,\r\n", "\r\n"), ("SEP=,\n", "\n")],
    ids=["lf", "crlf", "upper"],
)
def test_excels_separator_line_is_passed_over_and_rows_keep_their_numbers(tmp_path, first, rows):
    text = first + rows.join([HEADER, GOOD, "C2,F,30/02/2012,WBRI,UN2,,", "C3,F"]) + rows
    folder = tmp_path / "ret"
    problems = _problems(folder, {"header.csv": text})
    assert problems == [
        "header.csv, row 4, column DOB: value '30/02/2012': is not a real calendar date; "
        "the value was not read",
        "header.csv, row 5: this row has 2 values where the header row has 7 columns; "
        "the row was not read",
    ]
    assert read_return(folder, YEAR).tables["header"].get_column("CHILD").to_list() == [
        "C1",
        "C2",
    ]


@pytest.mark.parametrize(
    ("line", "named"), [("sep=;", "semicolons"), ("sep=\t", "tabs"), ("sep=#", "'#'")]
)
def test_excels_separator_line_naming_another_separator_says_so(tmp_path, line, named):
    problems = _problems(tmp_path / "ret", {"header.csv": f"{line}\n{HEADER}\n{GOOD}\n"})
    assert problems[0] == (
        f"header.csv, row 1: values are separated by {named}, but SSDA903 CSV files "
        "separate values with commas; export the file again as comma-separated"
    )


def test_the_command_prints_neither_the_note_nor_the_contacts(tmp_path):
    folder = tmp_path / "ret"
    folder.mkdir()
    (folder / "header.csv").write_text(
        f"{HEADER}\n{GOOD}\nC2,F,01/02/2012,WBRI,UN2,,,secret-note\n"
    )
    (folder / "contacts.csv").write_text("made-up-secret-name,07700900999\n")
    run = carematters("903", "read", str(folder), "--year", "2024-25", "--out", str(tmp_path / "r"))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert (
        "header.csv, row 3: this row has 8 values where the header row has 7 columns" in run.stderr
    )
    assert "contacts.csv, row 1: the header row (2 columns, none of them" in run.stderr
    for secret in ("secret-note", "07700900999"):
        assert secret not in run.stderr + run.stdout


def test_a_code_list_named_with_a_vowel_reads_as_english(tmp_path):
    said = _problems(tmp_path / "r", {"header.csv": f"{HEADER}\nC1,F,01/02/2012,WBRX,UN1,,\n"})
    assert "header.csv, row 2, column ETHNIC: value 'WBRX': is not an ethnicity code" in said[0]
