"""Writing outputs: whole or not at all, and never over anything carematters did not write.

A return or a record directory half-written by a crash would look complete to the
next reader and silently lose children's data, so every writer here first writes
beside the target and then renames into place, which POSIX makes atomic.

A slip of the keyboard must not destroy data either (`903 validate ret/ --out ret/`
once deleted the return it was checking), so carematters marks what it writes and
replaces only that:

- a folder it writes holds a marker file (`MARKER`) naming the kind of output and the
  files in it, each with its size and modification time; a folder is replaced only if
  it is missing, empty, or holds that marker, of the same kind, and nothing but the
  files the marker lists, each unchanged since (a person's edits are theirs to keep);
- a single file it writes is listed, with its size and modification time, in a hidden
  manifest beside it (`MANIFEST`); an existing file is replaced only if it is listed
  there and unchanged since;
- a command names its inputs to `guard_outputs` before doing any work, which refuses
  an output that is an input, lies inside one or holds one.

Every refusal is an `OutputRefusedError` whose message names the path and says why.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from carematters import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

MARKER = ".carematters-output"
"""The file in every folder carematters writes that says so (JSON: kind, files, version).
Not a .csv, so no reader of records or returns takes it for a table."""
MANIFEST = ".carematters-outputs.json"
"""The file beside single-file outputs listing each with its size and mtime_ns."""
STAGES = ("new", "old")
"""A folder being written is staged as `.NAME.new.PID.TOKEN` beside its target, and the
one it replaces retired as `.NAME.old.PID.TOKEN` until the swap is done."""


PART = "part"
"""A single file being written is written first as `.NAME.part.PID.TOKEN` beside it."""


class OutputKind(StrEnum):
    """What a folder carematters writes holds: one kind is never replaced by another."""

    RECORD = "record"
    RETURN = "return"
    FINDINGS = "findings"
    INDICATORS = "indicators"


class OutputRefusedError(Exception):
    """An output would destroy something carematters did not write, or something the
    command reads; nothing was written. The message names the path and why."""


class NotOursError(OutputRefusedError):
    """The target holds things a writer did not put there, so it must not be replaced."""


def resolved(path: Path) -> Path:
    """`path` made absolute with every symbolic link followed.

    Raises OutputRefusedError when it cannot be followed (a link that leads back to
    itself, or a folder on the way that cannot be looked into)."""
    try:
        return path.resolve()
    except RuntimeError as error:  # Python 3.11 reports a symlink loop this way
        raise OutputRefusedError(
            f"{path} is a symbolic link that leads back to itself; choose another place"
        ) from error
    except OSError as error:
        why = "leads back to itself" if error.errno == errno.ELOOP else error.strerror
        raise OutputRefusedError(
            f"{path} cannot be followed ({why}); choose another place"
        ) from error


def guard_outputs(
    *,
    inputs: Iterable[Path | None] = (),
    folders: Mapping[Path, OutputKind] | None = None,
    files: Iterable[Path | None] = (),
) -> None:
    """Refuse, before a command does any work, outputs it must not write: any output
    (`folders` to write whole, of the kind given; single `files`) that is one of the
    `inputs`, lies inside one or holds one (compared after following links, and as the
    same file on disk, so a hard link to an input is caught too); two outputs of which
    one is or holds the other; and a folder or file that could not be replaced (see
    `write_directory_atomically`, `write_file_atomically`), or that this user may not
    write (`_check_writable`): so that a command refused one of its outputs has
    written none of them. None entries are options not given. Raises
    OutputRefusedError."""
    outputs: list[tuple[Path, OutputKind | None]] = list((folders or {}).items())
    outputs += [(path, None) for path in files if path is not None]
    read = [(path, _followed(path)) for path in inputs if path is not None]
    seen: list[tuple[Path, Path]] = []
    for given, kind in outputs:
        target = resolved(given)
        for source, place in read:
            _refuse_overlap(given, target, source, place, "which this command reads")
        for other, place in seen:
            _refuse_overlap(given, target, other, place, "another output of this command")
        seen.append((given, target))
        if kind is None:
            _check_file(target)
        else:
            _check_folder(target, kind)
        _check_writable(target, folder=kind is not None)


def write_file_atomically(target: Path, content: bytes) -> None:
    """Replace `target` with `content` in one step, never leaving a partial file, and
    note it in the folder's manifest as carematters' own.

    Raises NotOursError (writing nothing) when `target` is a folder, or a file that
    carematters did not write or that has changed since it did; OutputRefusedError when
    `target` cannot be followed."""
    target = resolved(target)
    _check_file(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_parts(target)
    _clear_parts(target.parent / MANIFEST)
    _replace(target, content)
    _remember(target)


def write_directory_atomically(target: Path, files: Mapping[str, bytes], kind: OutputKind) -> None:
    """Write `files` (name to content) as a whole directory of `kind`, swapped in for
    `target` at once, with the marker that says carematters wrote it.

    The old directory, if any, is kept until the new one is complete, so a failure
    part-way leaves what was there before untouched. Folders left beside `target` by a
    run that was killed are removed first, and the old output put back if the kill
    came mid-swap. Raises NotOursError (writing nothing) when `target` is not
    replaceable: a file, or a folder holding anything carematters did not write there
    or another kind of output; OutputRefusedError when `target` cannot be followed."""
    target = resolved(target)
    if MARKER in files:
        raise ValueError(f"{MARKER} is carematters' own marker, not an output file")
    _clear_leftovers(target)
    _check_folder(target, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _beside(target, "new")
    staging.mkdir()
    retired = _beside(target, "old")
    try:
        # The marker goes in first, so a staging folder left by a killed run is known
        # as carematters' own (and cleared); a folder is only ever swapped in whole.
        _write_marker(staging, kind, dict.fromkeys(files))
        for name, content in files.items():
            (staging / name).write_bytes(content)
        _write_marker(staging, kind, {name: _fingerprint(staging / name) for name in files})
        if target.exists():
            _check_folder(target, kind)  # again: a person may have used it meanwhile
            os.rename(target, retired)
            os.rename(staging, target)
            shutil.rmtree(retired)
        else:
            os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        # Stopped mid-swap: put the old output back, or finish removing it if the new
        # one is already in place.
        if retired.exists() and not target.exists():
            os.rename(retired, target)
        shutil.rmtree(retired, ignore_errors=True)
        raise


def _followed(path: Path) -> Path:
    """An input's place on disk; as given (made absolute) if it cannot be followed,
    which its reader then reports."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(path))


def _refuse_overlap(given: Path, target: Path, other: Path, place: Path, what: str) -> None:
    """Refuse the output `given` (at `target`) if it is, lies inside or holds `other`
    (at `place`), which is `what`."""
    same = target == place
    if not same and target.exists() and place.exists():
        same = os.path.samefile(target, place)
    if same:
        why = f"is {other}, {what}"
    elif place in target.parents:
        why = f"is inside {other}, {what}"
    elif target in place.parents:
        why = f"holds {other}, {what}"
    else:
        return
    raise OutputRefusedError(f"will not write to {given}: it {why}; choose another place")


def _check_file(target: Path) -> None:
    """Refuse a single-file output at `target` unless it is new or carematters' own,
    unchanged since it was written."""
    if target.name in (MARKER, MANIFEST):
        raise NotOursError(f"{target} is carematters' own bookkeeping; choose another name")
    _check_way_to(target)
    if not os.path.lexists(target):
        return
    if target.is_dir():
        raise NotOursError(f"{target} is a folder, not a file; choose a file name")
    noted = _read_json(target.parent / MANIFEST).get(target.name)
    if noted is None:
        raise NotOursError(
            f"{target} already exists and carematters did not write it; "
            "choose another name or move it away first"
        )
    if noted != _fingerprint(target):
        raise NotOursError(
            f"{target} has changed since carematters wrote it; "
            "choose another name or move it away first"
        )


def _check_folder(target: Path, kind: OutputKind) -> None:
    """Refuse to replace `target` unless it is missing, empty, or an earlier output of
    `kind` holding nothing but what carematters put there."""
    _check_way_to(target)
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise NotOursError(f"{target} exists and is not a folder; choose another place")
    entries = sorted(target.iterdir())
    if not entries:
        return
    marker = _read_json(target / MARKER)
    if not marker:
        raise NotOursError(
            f"{target} already holds other things ({_some(p.name for p in entries)}), "
            "which carematters did not write; choose a new folder or empty this one"
        )
    if marker.get("kind") != kind:
        raise NotOursError(
            f"{target} holds a carematters {marker.get('kind')} folder, not a {kind} folder; "
            "choose another folder"
        )
    strangers = _strangers(target, marker)
    if strangers:
        raise NotOursError(
            f"{target} holds things carematters did not put there ({_some(strangers)}); "
            "move them out or choose another folder"
        )
    changed = _changed(target, marker)
    if changed:
        raise NotOursError(
            f"{target} holds files changed since carematters wrote them ({_some(changed)}); "
            "move them out or choose another folder"
        )


def _check_writable(target: Path, *, folder: bool) -> None:
    """Refuse a place this user cannot write: an output is written beside its target and
    renamed into place, so the folder that holds it (or the nearest one that exists, in
    which the others are made) must let files be made in it; and a folder output that
    is there already must let its files be removed when it is replaced."""
    holder = next((p for p in target.parents if os.path.lexists(p)), None)
    places = [] if holder is None else [holder]
    if folder and target.is_dir() and any(target.iterdir()):
        places.append(target)
    for place in places:
        if not os.access(place, os.W_OK | os.X_OK):
            raise OutputRefusedError(
                f"cannot write to {target}: {place} does not let you make or remove files "
                "in it; choose another place"
            )


def _listed(marker: dict[str, object]) -> dict[str, object]:
    """The files a marker lists, each with its fingerprint (None while being written)."""
    listed = marker.get("files")
    return listed if isinstance(listed, dict) else {}


def _check_way_to(target: Path) -> None:
    """Refuse a place whose way there passes through a file (`afile/problems.csv`):
    the folders on the way would have to be made where a file already is."""
    for folder in target.parents:
        if os.path.lexists(folder):
            if not folder.is_dir():
                raise NotOursError(
                    f"{target} cannot be written: {folder} is a file, not a folder; "
                    "choose another place"
                )
            return


def _strangers(folder: Path, marker: dict[str, object]) -> list[str]:
    """What in `folder` its marker does not list as a file carematters wrote there."""
    ours = _listed(marker)
    return [
        p.name
        for p in sorted(folder.iterdir())
        if p.name != MARKER and not (p.name in ours and p.is_file() and not p.is_symlink())
    ]


def _changed(folder: Path, marker: dict[str, object]) -> list[str]:
    """The files of `folder` its marker lists that are not as carematters left them."""
    return [
        name
        for name, noted in _listed(marker).items()
        if (folder / name).exists() and noted != _fingerprint(folder / name)
    ]


def _some(names: Iterable[str]) -> str:
    """The first few names, to show in a message."""
    names = list(names)
    shown = ", ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"


def _beside(target: Path, stage: str) -> Path:
    """A new hidden name beside `target` for a folder (or file) at `stage` of being written,
    naming this process so a later run can tell whether the writer is still alive."""
    return target.parent / f".{target.name}.{stage}.{os.getpid()}.{secrets.token_hex(4)}"


def _clear_leftovers(target: Path) -> None:
    """Remove staging and retired folders of `target` left by runs that are no longer
    alive, each only if it holds carematters' marker and nothing else; first, if
    `target` is missing because a run was killed mid-swap, put back the output it had
    retired (the newest, if several)."""
    if not target.parent.is_dir():
        return
    stale = []
    for path in target.parent.iterdir():
        stage, pid = _leftover(target, path)
        if stage and not _alive(pid) and _holds_only_ours(path):
            stale.append((stage, path))
    retired = sorted((p for stage, p in stale if stage == "old"), key=lambda p: p.stat().st_mtime)
    if retired and not os.path.lexists(target):
        os.rename(retired[-1], target)
        stale.remove(("old", retired[-1]))
    for _, path in stale:
        shutil.rmtree(path)


def _clear_parts(target: Path) -> None:
    """Remove the partly written files of `target` (`_replace`) left beside it by runs
    that are no longer alive: only regular files named as this writer names them for
    `target`, never anything else."""
    for path in target.parent.iterdir():
        stage, pid = _leftover(target, path, (PART,))
        if stage and not _alive(pid) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


def _leftover(target: Path, path: Path, stages: tuple[str, ...] = STAGES) -> tuple[str | None, int]:
    """The stage and writer's process id if `path` is named as a folder staged or retired
    for `target` (`STAGES`, see `_beside`), or, asked for `PART`, a file being written
    for it; else (None, 0)."""
    named = re.fullmatch(
        rf"\.{re.escape(target.name)}\.({'|'.join(stages)})\.(\d+)\.[0-9a-f]+", path.name
    )
    return (named[1], int(named[2])) if named else (None, 0)


def _alive(pid: int) -> bool:
    """Whether a process with this id is running (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holds_only_ours(folder: Path) -> bool:
    """Whether `folder` is a real folder holding carematters' marker and nothing but the
    files it lists."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = _read_json(folder / MARKER)
    return bool(marker) and not _strangers(folder, marker)


def _write_marker(
    folder: Path, kind: OutputKind, files: Mapping[str, dict[str, int] | None]
) -> None:
    """Mark `folder` as an output of `kind` holding `files`, each with its fingerprint
    (None while the files are still being written)."""
    marker = {
        "written_by": "carematters",
        "version": __version__,
        "kind": kind,
        "files": dict(sorted(files.items())),
    }
    (folder / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")


def _read_json(path: Path) -> dict[str, object]:
    """The JSON object in `path`; empty if there is none, or it is not one (so a file
    that is not carematters' own bookkeeping marks nothing as ours)."""
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _fingerprint(path: Path) -> dict[str, int]:
    """What the manifest notes of a file to tell whether it has changed since."""
    status = path.stat()
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns}


def _remember(target: Path) -> None:
    """Note `target` in its folder's manifest as carematters' own, as it is now,
    forgetting files no longer there."""
    manifest = target.parent / MANIFEST
    noted = _read_json(manifest)
    kept = {name: value for name, value in noted.items() if (target.parent / name).is_file()}
    kept[target.name] = _fingerprint(target)
    _replace(manifest, (json.dumps(kept, indent=1, sort_keys=True) + "\n").encode("ascii"))


def _replace(target: Path, content: bytes) -> None:
    """Write `content` beside `target` (as `.NAME.part.PID.TOKEN`, naming this process
    so that a later run can tell a file left by a killed one: `_clear_parts`) and rename
    it into place."""
    temp_name = _beside(target, PART)
    fd = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
