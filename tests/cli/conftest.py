"""One small synthetic authority, made once for every command test that reads a record."""

from pathlib import Path

import pytest

from tests.cli import carematters


@pytest.fixture(scope="session")
def small_authority(tmp_path_factory) -> Path:
    """A synthetic record of about 100 children in care, made by `carematters synth`."""
    folder = tmp_path_factory.mktemp("authority") / "record"
    made = carematters(
        "synth",
        "--children-in-care",
        "100",
        "--years",
        "2023-2025",
        "--seed",
        "3",
        "--out",
        str(folder),
    )
    assert made.returncode == 0, made.stderr
    return folder
