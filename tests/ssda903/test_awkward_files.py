"""Files no reader can use as they stand each give a located problem, never a traceback:
a Header row left blank, a header with no rows, text that is not UTF-8, a file name that
is not UTF-8, a folder where a file should be and a file where a folder should be, a file
or folder that cannot be opened."""

import os
from pathlib import Path

import pytest

from carematters.records import directory
from carematters.ssda903.formats import read_return
from carematters.ssda903.problems import problems_frame
from carematters.ssda903.years import CollectionYear

from ..cli import carematters

YEAR = CollectionYear.parse("2024-25")
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
GOOD = "C1,F,01/02/2012,WBRI,UN1,,"


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "ret"
    folder.mkdir(parents=True)
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def _described(folder: Path) -> list[str]:
    return [p.describe() for p in read_return(folder, YEAR).problems]


def _read_command(source: Path, tmp_path: Path, *more: str):
    run = carematters(
        "903", "read", str(source), "--year", "2024-25", "--out", str(tmp_path / "record"), *more
    )
    assert "Traceback" not in run.stderr
    return run


@pytest.mark.parametrize("blank", [",,,,,,", " , , , , , , ", '"","","","","","",""'])
def test_a_header_row_left_blank_is_said_and_the_return_holds_no_children(tmp_path, blank):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{blank}\n"})
    assert _described(folder) == [
        "header.csv, row 2: this row has no values, only commas; it was not read",
        "header.csv: the Header table has no rows, so the return holds no children",
    ]
    assert _read_command(folder, tmp_path).returncode == 1


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "\n\n\n"])
def test_a_header_with_no_rows_is_a_return_with_no_children(tmp_path, ending):
    folder = _folder(tmp_path, {"header.csv": HEADER + ending})
    assert _described(folder) == [
        "header.csv: the Header table has no rows, so the return holds no children"
    ]
    run = carematters(
        "903", "validate", str(folder), "--year", "2024-25", "--out", str(tmp_path / "e")
    )
    assert "Traceback" not in run.stderr
    assert run.returncode == 2


def test_a_file_saved_in_windows_1252_has_each_value_located(tmp_path):
    text = f"{HEADER}\nC1,F,01/02/2012,WBRI,UN1,,\nCaf\xe9,F,01/02/2012,WBRI,UN\xe92,,\n"
    folder = _folder(tmp_path, {"header.csv": text.encode("cp1252")})
    assert _described(folder) == [
        "header.csv, row 3, column CHILD: value 'Caf\\xe9': contains bytes that are not UTF-8 "
        "text; the value was not read: save the file as UTF-8 and read it again",
        "header.csv, row 3, column UPN: value 'UN\\xe92': contains bytes that are not UTF-8 "
        "text; the value was not read: save the file as UTF-8 and read it again",
    ]


def test_a_header_row_that_is_not_utf8_is_refused_with_its_place(tmp_path):
    folder = _folder(tmp_path, {"header.csv": f"CHILD,S\xc9X\n{GOOD}\n".encode("cp1252")})
    assert _described(folder)[0] == (
        "header.csv, row 1: value 'S\\xc9X': the header row contains bytes that are not "
        "UTF-8 text; save the file as UTF-8"
    )


@pytest.mark.parametrize("name", [b"\xff.csv", b"caf\xe9.csv", b"episodes\x80\x81.csv"])
def test_a_file_name_that_is_not_utf8_is_shown_printable(tmp_path, name):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n"})
    with open(os.path.join(os.fsencode(folder), name), "wb") as file:
        file.write(b"A,B\n1,2\n")
    shown = "".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in name)
    problems = read_return(folder, YEAR).problems
    assert [p.describe() for p in problems] == [
        f"{shown}, row 1: the header row (2 columns, none of them an SSDA903 column name) "
        "does not match any SSDA903 table; the file was not read"
    ]
    problems_frame(problems).write_csv(tmp_path / "problems.csv")
    assert shown in (tmp_path / "problems.csv").read_text(encoding="utf-8")
    run = _read_command(folder, tmp_path, "--problems", str(tmp_path / "p.csv"))
    assert run.returncode == 1
    assert shown in run.stderr


def test_a_folder_named_like_a_csv_file_is_said_in_a_return_and_a_record(tmp_path):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n"})
    (folder / "episodes.csv").mkdir()
    assert _described(folder) == ["episodes.csv: this is a folder, not a CSV file; it was not read"]
    record = tmp_path / "record"
    (record / "visits.csv").mkdir(parents=True)
    assert [p.describe() for p in directory.load(record).problems] == [
        "visits.csv: this is a folder, not a CSV file; it was not read"
    ]


def test_a_link_to_nothing_or_a_pipe_named_like_a_csv_file_is_said(tmp_path):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n"})
    (folder / "episodes.csv").symlink_to(tmp_path / "gone.csv")
    os.mkfifo(folder / "reviews.csv")
    said = "this is not a file that can be read (a link to nothing, a pipe or a device)"
    assert _described(folder) == [
        f"episodes.csv: {said}; it was not read",
        f"reviews.csv: {said}; it was not read",
    ]


def test_a_file_where_a_folder_should_be_and_a_folder_where_a_file_should_be(tmp_path):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n"})
    file = folder / "header.csv"
    assert [p.describe() for p in directory.load(file).problems] == [
        f"{file}: this is not a folder"
    ]
    run = _read_command(file, tmp_path)
    assert run.returncode == 2
    assert f"{file}: this is neither a folder of CSV files nor an .xml file" in run.stderr
    assert _read_command(tmp_path / "nowhere", tmp_path).returncode == 2


def test_a_file_or_folder_that_cannot_be_opened_is_said(tmp_path, monkeypatch):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n"})

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    assert _described(folder) == [
        f"{folder}: the folder could not be opened (Permission denied); it was not read"
    ]
    assert [p.describe() for p in directory.load(folder).problems] == [
        f"{folder}: the folder could not be opened (Permission denied); it was not read"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can open any file")
def test_a_file_with_no_read_permission_is_said_by_the_command(tmp_path):
    folder = _folder(tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n", "episodes.csv": "x\n"})
    (folder / "episodes.csv").chmod(0)
    try:
        run = _read_command(folder, tmp_path)
    finally:
        (folder / "episodes.csv").chmod(0o600)
    assert run.returncode == 1
    assert "episodes.csv: the file could not be opened (Permission denied)" in run.stderr


@pytest.mark.parametrize("name", ["*", "^CHILD$", "^.*$", "(column 1)"])
def test_a_column_name_polars_could_take_for_a_pattern_is_only_a_name(tmp_path, name):
    folder = _folder(
        tmp_path, {"header.csv": f"{HEADER}\n{GOOD}\n", "z.csv": f"{name},B\n1,2\n{name},B\n"}
    )
    assert _described(folder) == [
        "z.csv, row 1: the header row (2 columns, none of them an SSDA903 column name) "
        "does not match any SSDA903 table; the file was not read"
    ]
    unnamed = _folder(tmp_path / "u", {"header.csv": f"{name},{HEADER}\nx,{GOOD}\nx,{GOOD}\n"})
    described = _described(unnamed)
    assert described[0].startswith(f"header.csv, row 1, column {name.upper()}: ")
    assert read_return(unnamed, YEAR).tables["header"].height == 2
