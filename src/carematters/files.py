"""Atomic writes: an output is either wholly there or not there at all.

A return or a record directory half-written by a crash would look complete to the
next reader and silently lose children's data, so every writer here first writes
beside the target and then renames into place, which POSIX makes atomic.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_file_atomically(target: Path, content: bytes) -> None:
    """Replace `target` with `content` in one step, never leaving a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class NotOursError(FileExistsError):
    """The target holds things a writer did not put there, so it must not be replaced."""


def _check_replaceable(target: Path, files: Mapping[str, bytes]) -> None:
    """Refuse to replace anything but an earlier output of the same kind.

    Replacing a folder swaps out everything in it, so a slip such as `--out ~` must
    fail rather than remove a person's files: only a folder holding nothing but
    files of the kinds being written (an earlier record or return) is replaced.
    """
    if not target.exists():
        return
    if not target.is_dir():
        raise NotOursError(f"{target} exists and is not a folder; choose another place")
    kinds = {Path(name).suffix for name in files}
    strangers = [p.name for p in target.iterdir() if not (p.is_file() and p.suffix in kinds)]
    if strangers:
        raise NotOursError(
            f"{target} already holds other things ({', '.join(sorted(strangers)[:3])}); "
            "choose a new folder or empty this one"
        )


def write_directory_atomically(target: Path, files: Mapping[str, bytes]) -> None:
    """Write `files` (name to content) as a whole directory, swapped in for `target` at once.

    The old directory, if any, is kept until the new one is complete, so a failure
    part-way leaves what was there before untouched.
    """
    target = target.resolve()
    _check_replaceable(target, files)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=target.parent))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
