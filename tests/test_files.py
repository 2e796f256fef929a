"""Outputs appear whole or not at all."""

import pytest

from carematters.files import NotOursError, write_directory_atomically, write_file_atomically


def test_a_directory_that_fails_part_way_leaves_the_old_one_and_no_litter(tmp_path):
    target = tmp_path / "out"
    write_directory_atomically(target, {"a.csv": b"old"})
    with pytest.raises(FileNotFoundError):
        write_directory_atomically(target, {"a.csv": b"new", "missing/b.csv": b"x"})
    assert (target / "a.csv").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_directory_is_replaced_whole(tmp_path):
    target = tmp_path / "out"
    write_directory_atomically(target, {"a.csv": b"1", "b.csv": b"2"})
    write_directory_atomically(target, {"c.csv": b"3"})
    assert sorted(p.name for p in target.iterdir()) == ["c.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_file_is_replaced_whole(tmp_path):
    target = tmp_path / "return.xml"
    write_file_atomically(target, b"<a/>")
    write_file_atomically(target, b"<b/>")
    assert target.read_bytes() == b"<b/>"
    assert [p.name for p in tmp_path.iterdir()] == ["return.xml"]


def test_a_folder_holding_other_things_is_never_replaced(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "letters").mkdir()
    (home / "notes.txt").write_text("keep me")
    with pytest.raises(NotOursError, match="already holds other things"):
        write_directory_atomically(home, {"header.csv": b"CHILD\n"})
    assert (home / "notes.txt").read_text() == "keep me"


def test_a_file_is_never_replaced_by_a_folder(tmp_path):
    target = tmp_path / "important.csv"
    target.write_text("keep me")
    with pytest.raises(NotOursError, match="is not a folder"):
        write_directory_atomically(target, {"header.csv": b"CHILD\n"})
    assert target.read_text() == "keep me"
