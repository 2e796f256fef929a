"""A corpus of broken returns, each with the exact problems a person must be shown.

Each folder under malformed/ holds the input (a `return/` folder of CSV files or a
`return.xml`) and `case.yaml`: why the input is broken, the collection year, and the
problem lines expected, in order. `{source}` stands for the path that was read.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from carematters.ssda903.formats import read_return
from carematters.ssda903.years import CollectionYear

CORPUS = Path(__file__).parent / "malformed"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def _case(folder: Path) -> tuple[Path, dict]:
    spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    source = folder / "return" if (folder / "return").is_dir() else folder / "return.xml"
    return source, spec


def _expected(spec: dict, source: Path) -> list[str]:
    return [line.replace("{source}", str(source)) for line in spec["problems"]]


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_each_broken_return_gets_exactly_its_located_problems(folder):
    source, spec = _case(folder)
    assert spec["why"] and spec["problems"]
    result = read_return(source, CollectionYear.parse(spec["year"]))
    assert [p.describe() for p in result.problems] == _expected(spec, source)


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_the_command_prints_the_problems_without_a_traceback_and_exits_by_what_was_lost(
    folder, tmp_path
):
    source, spec = _case(folder)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "carematters",
            "903",
            "read",
            str(source),
            "--year",
            spec["year"],
            "--out",
            str(tmp_path / "record"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    read = read_return(source, CollectionYear.parse(spec["year"]))
    lost = any(p.lost_something for p in read.problems)
    assert run.returncode == (2 if not read.tables else 1 if lost else 0)
    assert "Traceback" not in run.stderr
    for line in _expected(spec, source):
        assert line in run.stderr
