"""Outputs appear whole or not at all."""

import pytest

from carematters.files import write_directory_atomically, write_file_atomically


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
