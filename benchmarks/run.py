"""`make bench`: how fast the SSDA903 data layer reads and writes returns.

Times are the best of several runs (the least disturbed by anything else on the
machine), measured on made-up returns from `carematters.ssda903.sample`. The
national-sized return has 85,000 children, about England's number in care.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from carematters.ssda903.formats import Format, read_return, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")
SIZES = {"3,000-child return": (3_000, 7), "national-sized return (85,000)": (85_000, 2)}


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """The shortest of `repeats` timed runs, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_memory_of_read(path: Path) -> float:
    """Peak resident memory, in MiB, of a fresh process that reads `path`."""
    code = (
        "import sys, resource; from pathlib import Path;"
        "from carematters.ssda903.formats import read_return;"
        "from carematters.ssda903.years import CollectionYear;"
        "read_return(Path(sys.argv[1]), CollectionYear.parse('2024-25'));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return int(run.stdout.strip()) / 1024


def measure(label: str, children: int, repeats: int, folder: Path) -> None:
    tables = sample_return(children, YEAR, seed=1)
    rows = sum(frame.height for frame in tables.values())
    print(f"{label}: {children:,} children, {rows:,} rows in all tables")
    for form in Format:
        out = folder / f"{children}.{form.value}"
        written = best_of(repeats, partial(write_return, tables, YEAR, form, out))
        result = read_return(out, YEAR)
        if result.problems:
            raise SystemExit(f"the benchmark return did not read cleanly: {result.problems[:3]}")
        read = best_of(repeats, partial(read_return, out, YEAR))
        memory = peak_memory_of_read(out)
        print(
            f"  {form.value.upper():3s}  read {read:7.3f} s   write {written:7.3f} s   "
            f"peak memory reading {memory:6.0f} MiB"
        )


def main() -> None:
    print(f"carematters SSDA903 benchmarks ({YEAR} layout), best of several runs")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        for label, (children, repeats) in SIZES.items():
            measure(label, children, repeats, Path(folder))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"benchmark process peak memory {after / 1024:.0f} MiB (started at {before / 1024:.0f})")


if __name__ == "__main__":
    main()
