"""Guardrails on the shape of the package (ARCHITECTURE.md): what importing a part of it
brings in, checked in a fresh interpreter so nothing else in the test run hides it."""

import os
import pkgutil
import subprocess
import sys
import textwrap

import pytest

import carematters.services
from carematters.ssda903.sample import sample_return
from carematters.ssda903.write_csv import return_files
from carematters.ssda903.write_xml import xml_bytes
from carematters.ssda903.years import CollectionYear

HEAVY = ("polars", "numpy", "xlsxwriter")
"""What the command line must not load just to start: each takes a noticeable time."""
CORE = (
    "carematters.records",
    "carematters.records.record",
    "carematters.records.directory",
    "carematters.duties.engine",
    "carematters.indicators.report",
    "carematters.validation.engine",
    "carematters.synth.authority",
    *(
        f"carematters.services.{m.name}"
        for m in pkgutil.iter_modules(carematters.services.__path__)
    ),
)


def loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level modules a fresh interpreter holds after running `code`."""
    script = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split())


def test_the_command_line_loads_no_heavy_library_to_start():
    loaded = loaded_after("import carematters.cli")
    assert "carematters" in loaded
    assert not loaded & set(HEAVY)


@pytest.mark.parametrize("args", [["--help"], ["903", "--help"]])
def test_help_loads_no_heavy_library(args):
    loaded = loaded_after(
        textwrap.dedent(f"""
            import sys
            import carematters.cli
            sys.argv = ["carematters", *{args!r}]
            try:
                carematters.cli.main()
            except SystemExit as done:
                assert done.code == 0, done.code
        """)
    )
    assert "typer" in loaded
    assert not loaded & set(HEAVY)


def test_the_core_and_its_services_import_without_django(tmp_path):
    # A stand-in Django on the path: an import of it anywhere in the core would succeed
    # and show, even where a real Django is not installed (or is imported only if found).
    (tmp_path / "django").mkdir()
    (tmp_path / "django" / "__init__.py").write_text("")
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    assert "carematters.services.caseload" in CORE
    loaded = loaded_after(
        "\n".join(f"import {module}" for module in CORE), {**os.environ, "PYTHONPATH": path}
    )
    assert {"carematters", "polars"} <= loaded
    assert "django" not in loaded


def test_reading_a_return_loads_no_numpy(tmp_path):
    # numpy takes a tenth of a second to import: a return read without problems, as CSV
    # files or as XML, needs none of it (only the synthetic data and the places of a
    # broken XML file's problems do)
    year = CollectionYear.parse("2024-25")
    tables = sample_return(20, year, seed=1)
    (tmp_path / "return.xml").write_bytes(xml_bytes(tables, year))
    (tmp_path / "csv").mkdir()
    for name, (_, content) in return_files(tables, year).items():
        (tmp_path / "csv" / name).write_bytes(content)
    loaded = loaded_after(
        textwrap.dedent(f"""
            from pathlib import Path
            from carematters.ssda903.formats import read_return
            from carematters.ssda903.years import CollectionYear
            for source in ("return.xml", "csv"):
                read = read_return(Path({str(tmp_path)!r}) / source, CollectionYear.parse("{year}"))
                assert read.problems == [] and read.tables["header"].height == 20, read.problems
        """)
    )
    assert "polars" in loaded
    assert "numpy" not in loaded
