"""The `carematters` command as a performance officer runs it: in a process of its own,
reading its exit code, what it prints and the files it writes."""

import subprocess
import sys


def carematters(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `carematters ARGS...` as `python -m carematters`, capturing what it says."""
    return subprocess.run(
        [sys.executable, "-m", "carematters", *args], capture_output=True, text=True, check=False
    )
