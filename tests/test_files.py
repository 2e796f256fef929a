"""Outputs appear whole or not at all, and never over anything carematters did not write."""

import json
import os
import subprocess
import sys

import pytest

from carematters.files import (
    MANIFEST,
    MARKER,
    NotOursError,
    OutputKind,
    OutputRefusedError,
    guard_outputs,
    write_directory_atomically,
    write_file_atomically,
)

RETURN = OutputKind.RETURN


def names(folder):
    """What a folder holds, hidden files too, sorted."""
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def dead_pid():
    """The id of a process that has finished."""
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(finished.stdout)


def leave_behind(target, stage, pid, files):
    """A folder a run with process id `pid` left beside `target` at `stage`, as
    `write_directory_atomically` makes it (marker first, then the files)."""
    left = target.parent / f".{target.name}.{stage}.{pid}.0badcafe"
    left.mkdir()
    (left / MARKER).write_text(json.dumps({"kind": "return", "files": dict.fromkeys(files)}))
    for name, content in files.items():
        (left / name).write_bytes(content)
    return left


# Whole or not at all


def test_a_directory_that_fails_part_way_leaves_the_old_one_and_no_litter(tmp_path):
    target = tmp_path / "out"
    write_directory_atomically(target, {"a.csv": b"old"}, RETURN)
    with pytest.raises(FileNotFoundError):
        write_directory_atomically(target, {"a.csv": b"new", "missing/b.csv": b"x"}, RETURN)
    assert (target / "a.csv").read_bytes() == b"old"
    assert names(tmp_path) == ["out"]


def test_a_swap_that_fails_half_way_puts_the_old_output_back(tmp_path, monkeypatch):
    target = tmp_path / "out"
    write_directory_atomically(target, {"a.csv": b"old"}, RETURN)
    rename = os.rename

    def cannot_move_the_new_one_in(source, destination):
        if ".out.new." in str(source):
            raise OSError("the disk went away")
        rename(source, destination)

    monkeypatch.setattr(os, "rename", cannot_move_the_new_one_in)
    with pytest.raises(OSError, match="the disk went away"):
        write_directory_atomically(target, {"a.csv": b"new"}, RETURN)
    assert (target / "a.csv").read_bytes() == b"old"
    assert names(tmp_path) == ["out"]


def test_a_directory_is_replaced_whole_with_its_marker(tmp_path):
    target = tmp_path / "out"
    write_directory_atomically(target, {"a.csv": b"1", "b.csv": b"2"}, RETURN)
    write_directory_atomically(target, {"c.csv": b"3"}, RETURN)
    assert names(target) == [MARKER, "c.csv"]
    marker = json.loads((target / MARKER).read_text())
    assert (marker["kind"], list(marker["files"])) == ("return", ["c.csv"])
    assert marker["files"]["c.csv"]["size"] == 1
    assert names(tmp_path) == ["out"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda path: path.write_bytes(path.read_bytes() + b"C9,note by a person\n"),
        lambda path: path.write_bytes(b""),
        lambda path: os.utime(path, ns=(0, 0)),
    ],
    ids=["row added", "emptied", "saved again unchanged"],
)
def test_a_folder_whose_files_a_person_changed_is_not_replaced(tmp_path, edit):
    target = tmp_path / "out"
    write_directory_atomically(target, {"a.csv": b"CHILD\n1\n"}, RETURN)
    edit(target / "a.csv")
    kept = (target / "a.csv").read_bytes()
    with pytest.raises(NotOursError, match=r"changed since carematters wrote them \(a.csv\)"):
        write_directory_atomically(target, {"a.csv": b"CHILD\n2\n"}, RETURN)
    assert (target / "a.csv").read_bytes() == kept


def test_a_file_is_replaced_whole_and_noted_as_ours(tmp_path):
    target = tmp_path / "return.xml"
    write_file_atomically(target, b"<a/>")
    write_file_atomically(target, b"<b/>")
    assert target.read_bytes() == b"<b/>"
    assert names(tmp_path) == [MANIFEST, "return.xml"]
    noted = json.loads((tmp_path / MANIFEST).read_text())
    assert noted == {"return.xml": {"size": 4, "mtime_ns": target.stat().st_mtime_ns}}


# Folders: only our own, of the same kind, with nothing added


def test_an_empty_folder_may_be_written_into(tmp_path):
    (tmp_path / "out").mkdir()
    write_directory_atomically(tmp_path / "out", {"a.csv": b"1"}, RETURN)
    assert (tmp_path / "out" / "a.csv").read_bytes() == b"1"


def test_a_folder_holding_other_things_is_never_replaced(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "letters").mkdir()
    (home / "notes.txt").write_text("keep me")
    with pytest.raises(NotOursError, match=r"already holds other things \(letters, notes.txt\)"):
        write_directory_atomically(home, {"header.csv": b"CHILD\n"}, RETURN)
    assert (home / "notes.txt").read_text() == "keep me"


def test_a_folder_carematters_did_not_write_is_refused_even_if_it_holds_only_csv(tmp_path):
    theirs = tmp_path / "return"
    theirs.mkdir()
    (theirs / "header.csv").write_text("CHILD\n1\n")
    with pytest.raises(NotOursError, match="which carematters did not write"):
        write_directory_atomically(theirs, {"header.csv": b"CHILD\n"}, RETURN)
    assert (theirs / "header.csv").read_text() == "CHILD\n1\n"


def test_a_file_added_to_our_folder_stops_it_being_replaced(tmp_path):
    out = tmp_path / "out"
    write_directory_atomically(out, {"errors.csv": b"1"}, OutputKind.FINDINGS)
    (out / "payroll.csv").write_text("NAME,PAY\nA,1\n")
    with pytest.raises(NotOursError, match=r"did not put there \(payroll.csv\)"):
        write_directory_atomically(out, {"errors.csv": b"2"}, OutputKind.FINDINGS)
    assert (out / "payroll.csv").read_text() == "NAME,PAY\nA,1\n"
    assert (out / "errors.csv").read_bytes() == b"1"


def test_one_kind_of_output_never_replaces_another(tmp_path):
    record = tmp_path / "record"
    write_directory_atomically(record, {"header.csv": b"history"}, OutputKind.RECORD)
    with pytest.raises(NotOursError, match="holds a carematters record folder, not a return"):
        write_directory_atomically(record, {"header.csv": b"one year"}, RETURN)
    assert (record / "header.csv").read_bytes() == b"history"


def test_a_marker_that_is_not_ours_marks_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("not json")
    (out / "a.csv").write_text("keep")
    with pytest.raises(NotOursError, match="which carematters did not write"):
        write_directory_atomically(out, {"a.csv": b"new"}, RETURN)
    assert (out / "a.csv").read_text() == "keep"


def test_a_file_is_never_replaced_by_a_folder(tmp_path):
    target = tmp_path / "important.csv"
    target.write_text("keep me")
    with pytest.raises(NotOursError, match="is not a folder"):
        write_directory_atomically(target, {"header.csv": b"CHILD\n"}, RETURN)
    assert target.read_text() == "keep me"


# Single files: only our own, unchanged since


def test_a_file_carematters_did_not_write_is_never_replaced(tmp_path):
    theirs = tmp_path / "problems.csv"
    theirs.write_text("someone's list")
    with pytest.raises(NotOursError, match="already exists and carematters did not write it"):
        write_file_atomically(theirs, b"ours")
    assert theirs.read_text() == "someone's list"


def test_our_file_changed_since_is_never_replaced(tmp_path):
    ours = tmp_path / "duties.csv"
    write_file_atomically(ours, b"CHILD\n1\n")
    with ours.open("a") as edited:
        edited.write("a note typed in by hand\n")
    with pytest.raises(NotOursError, match="has changed since carematters wrote it"):
        write_file_atomically(ours, b"CHILD\n2\n")
    assert ours.read_text().endswith("a note typed in by hand\n")


def test_a_folder_is_never_replaced_by_a_file(tmp_path):
    (tmp_path / "return.xml").mkdir()
    with pytest.raises(NotOursError, match="is a folder, not a file"):
        write_file_atomically(tmp_path / "return.xml", b"<a/>")


def test_the_manifest_itself_is_never_an_output(tmp_path):
    with pytest.raises(NotOursError, match="carematters' own bookkeeping"):
        write_file_atomically(tmp_path / MANIFEST, b"{}")


def test_a_symbolic_link_loop_is_refused_by_name(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OutputRefusedError, match="loop is a symbolic link that leads back"):
        write_directory_atomically(loop, {"a.csv": b"1"}, RETURN)
    with pytest.raises(OutputRefusedError, match="loop is a symbolic link that leads back"):
        write_file_atomically(loop, b"1")


# Never an input


@pytest.fixture
def given(tmp_path):
    """A return folder and a list file, as a command's inputs."""
    ret = tmp_path / "ret"
    ret.mkdir()
    (ret / "header.csv").write_text("CHILD\n1\n")
    (tmp_path / "postcodes.csv").write_text("POSTCODE\n")
    return ret, tmp_path / "postcodes.csv"


@pytest.mark.parametrize(
    ("out", "why"),
    [
        ("ret", "it is .*ret, which this command reads"),
        ("ret/findings", "it is inside .*ret, which this command reads"),
        (".", "it holds .*ret, which this command reads"),
        ("postcodes.csv", "it is .*postcodes.csv, which this command reads"),
    ],
)
def test_an_output_that_is_in_or_around_an_input_is_refused(tmp_path, given, out, why):
    with pytest.raises(OutputRefusedError, match=why):
        guard_outputs(inputs=[*given, None], folders={tmp_path / out: OutputKind.FINDINGS})


def test_an_output_reached_by_a_symbolic_link_to_an_input_is_refused(tmp_path, given):
    (tmp_path / "link").symlink_to(given[0])
    with pytest.raises(OutputRefusedError, match=r"link: it is .*ret"):
        guard_outputs(inputs=given, folders={tmp_path / "link": OutputKind.FINDINGS})


def test_a_hard_link_to_an_input_is_refused(tmp_path, given):
    os.link(given[1], tmp_path / "problems.csv")
    with pytest.raises(OutputRefusedError, match=r"problems\.csv: it is .*postcodes\.csv"):
        guard_outputs(inputs=given, files=[tmp_path / "problems.csv"])


def test_two_outputs_of_one_command_may_not_overlap(tmp_path):
    with pytest.raises(OutputRefusedError, match="another output of this command"):
        guard_outputs(
            folders={tmp_path / "record": OutputKind.RECORD},
            files=[tmp_path / "record" / "injected.csv"],
        )


def test_outputs_apart_from_the_inputs_pass(tmp_path, given):
    guard_outputs(
        inputs=given,
        folders={tmp_path / "out": OutputKind.FINDINGS},
        files=[tmp_path / "p.csv", None],
    )
    assert names(tmp_path) == ["postcodes.csv", "ret"]


def test_the_guard_also_refuses_what_the_writer_would(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "payroll.csv").write_text("keep")
    with pytest.raises(NotOursError, match=r"payroll\.csv"):
        guard_outputs(folders={tmp_path / "out": OutputKind.FINDINGS})


# Leftovers of a killed run


def test_a_dead_runs_staging_folder_is_removed(tmp_path, dead_pid):
    target = tmp_path / "ret"
    leave_behind(target, "new", dead_pid, {"header.csv": b"half"})
    write_directory_atomically(target, {"header.csv": b"whole"}, RETURN)
    assert names(tmp_path) == ["ret"]


def test_a_dead_runs_retired_folder_is_removed_when_the_target_is_there(tmp_path, dead_pid):
    target = tmp_path / "ret"
    write_directory_atomically(target, {"header.csv": b"1"}, RETURN)
    leave_behind(target, "old", dead_pid, {"header.csv": b"0"})
    write_directory_atomically(target, {"header.csv": b"2"}, RETURN)
    assert names(tmp_path) == ["ret"]
    assert (target / "header.csv").read_bytes() == b"2"


def test_a_living_runs_folders_are_kept(tmp_path):
    target = tmp_path / "ret"
    staging = leave_behind(target, "new", os.getppid(), {"header.csv": b"being written"})
    write_directory_atomically(target, {"header.csv": b"1"}, RETURN)
    assert names(tmp_path) == [staging.name, "ret"]


def test_a_leftover_not_marked_as_ours_is_kept(tmp_path, dead_pid):
    target = tmp_path / "ret"
    theirs = tmp_path / f".ret.new.{dead_pid}.0badcafe"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep")
    write_directory_atomically(target, {"header.csv": b"1"}, RETURN)
    assert (theirs / "notes.txt").read_text() == "keep"


def test_a_leftover_with_something_added_is_kept(tmp_path, dead_pid):
    target = tmp_path / "ret"
    left = leave_behind(target, "old", dead_pid, {"header.csv": b"0"})
    (left / "payroll.csv").write_text("keep")
    write_directory_atomically(target, {"header.csv": b"1"}, RETURN)
    assert (left / "payroll.csv").read_text() == "keep"


def test_a_target_lost_mid_swap_is_put_back_before_writing(tmp_path, dead_pid):
    # Killed between retiring the old output and moving the new one in: the target
    # is missing, the old one waits in .old and the new one in .new.
    target = tmp_path / "ret"
    leave_behind(target, "old", dead_pid, {"header.csv": b"previous", "episodes.csv": b"e"})
    leave_behind(target, "new", dead_pid, {"header.csv": b"half"})
    with pytest.raises(NotOursError, match="return folder, not a record folder"):
        write_directory_atomically(target, {"header.csv": b"next"}, OutputKind.RECORD)
    assert names(tmp_path) == ["ret"]
    assert names(target) == [MARKER, "episodes.csv", "header.csv"]
    assert (target / "header.csv").read_bytes() == b"previous"


def test_a_run_stopped_by_sigterm_leaves_no_staging_folder(tmp_path):
    # The command is stopped (SIGTERM, as a scheduler or `kill` sends) just after its
    # staging folder is made: it exits 143 and clears what it staged.
    stop_mid_write = f"""
import os, signal, sys
import carematters.files as files
from carematters.cli import main

marked = files._write_marker
def then_stopped(*args):
    marked(*args)
    os.kill(os.getpid(), signal.SIGTERM)
files._write_marker = then_stopped
sys.argv = ["carematters", "903", "sample", "--year", "2024-25", "--children", "3",
            "--out", {str(tmp_path / "ret")!r}]
main()
"""
    run = subprocess.run(
        [sys.executable, "-c", stop_mid_write], capture_output=True, text=True, check=False
    )
    assert run.returncode == 143, run.stderr
    assert "Traceback" not in run.stderr
    assert names(tmp_path) == []


@pytest.mark.parametrize("under", ["a-file/problems.csv", "a-file/deeper/problems.csv"])
def test_an_output_whose_way_passes_through_a_file_is_refused_up_front(tmp_path, under):
    (tmp_path / "a-file").write_text("kept")
    with pytest.raises(NotOursError, match=r"a-file is a file, not a folder"):
        guard_outputs(files=[tmp_path / under])
    with pytest.raises(NotOursError, match=r"a-file is a file, not a folder"):
        guard_outputs(folders={tmp_path / under: RETURN})
    assert (tmp_path / "a-file").read_text() == "kept"


# A single file killed part-way: its partly written copy beside it (37 MB of a return, once)
# is removed by the next write to the same file, and nothing else is.


def test_a_file_being_written_is_written_beside_it_under_a_name_naming_the_writer(
    tmp_path, monkeypatch
):
    seen = []
    real = os.replace

    def noting(source, destination):
        seen.append(os.path.basename(source))
        real(source, destination)

    monkeypatch.setattr(os, "replace", noting)
    write_file_atomically(tmp_path / "r.xml", b"<x/>")
    assert seen[0].startswith(f".r.xml.part.{os.getpid()}.")


def test_a_file_killed_part_way_is_cleared_by_the_next_write(tmp_path, dead_pid):
    left = tmp_path / f".r.xml.part.{dead_pid}.0badcafe"
    left.write_bytes(b"<EXPSSDA903><CHILD>" * 1000)
    manifest_left = tmp_path / f".{MANIFEST}.part.{dead_pid}.beef"
    manifest_left.write_bytes(b"{")
    write_file_atomically(tmp_path / "r.xml", b"<x/>")
    assert names(tmp_path) == [MANIFEST, "r.xml"]


@pytest.mark.parametrize(
    "other",
    [
        "alive",  # a writer still running
        "another output",  # .q.xml's, not .r.xml's
        "not our pattern",  # a person's file with a name like ours
        "not hex",
        "a folder",
        "a link",
    ],
)
def test_only_our_own_dead_writers_partial_files_are_cleared(tmp_path, dead_pid, other):
    name = {
        "alive": f".r.xml.part.{os.getpid()}.0badcafe",
        "another output": f".q.xml.part.{dead_pid}.0badcafe",
        "not our pattern": ".r.xml.backup",
        "not hex": f".r.xml.part.{dead_pid}.mine",
        "a folder": f".r.xml.part.{dead_pid}.0badcafe",
        "a link": f".r.xml.part.{dead_pid}.0badcafe",
    }[other]
    kept = tmp_path / name
    if other == "a folder":
        kept.mkdir()
    elif other == "a link":
        (tmp_path / "precious").write_bytes(b"keep")
        kept.symlink_to(tmp_path / "precious")
    else:
        kept.write_bytes(b"keep")
    write_file_atomically(tmp_path / "r.xml", b"<x/>")
    assert os.path.lexists(kept)
    assert (tmp_path / "r.xml").read_bytes() == b"<x/>"


# An output this user may not write is refused by the guard, before any is written.


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_in_a_folder_that_may_not_be_written_is_refused(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o555)
    try:
        with pytest.raises(OutputRefusedError, match="does not let you make or remove files"):
            guard_outputs(folders={tmp_path / "rec": RETURN}, files=[locked / "p.csv"])
    finally:
        locked.chmod(0o755)
    assert names(tmp_path) == ["ro"]
