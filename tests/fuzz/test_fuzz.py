"""Whatever return arrives, `903 read` and `903 validate` answer as the issue promises.

For every generated input (a seed of the corpus, spoiled: see tests.fuzz.mutations) each
command is run in this process, as a performance officer would run it, and must:

- end with no traceback and an exit code of 0, 1 or 2;
- write nothing at all when it exits 2, and leave no half-written folder beside OUT;
- leave the input byte for byte as it was;
- print no control character (a value's ESC sequence must not reach the terminal) and no
  line of over a thousand characters (a value in a message is cut short), and no words of
  a case note from an extra column or an unrelated file;
- write findings that cannot run when opened (no formula in a CSV cell or a sheet, no
  value as markup in the page);
- have no validation rule crash (summary.csv's status "crashed");
- never exit 0 after saying a value was not read, and never call clean (validate exit 0)
  a return that `903 read` could not read cleanly;
- pointed by a slip at the input, a folder or file of someone else's, a link, or its own
  earlier output, destroy nothing it did not write;
- given a spoiled last year's return (`--previous`) beside a well-formed one, keep all the
  above and list last year's reading problems in problems.csv.

`make test` runs one brief batch of each; `make fuzz` repeats batches until
CAREMATTERS_FUZZ_SECONDS is spent (see tests/fuzz/conftest.py).
"""

import os
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.corpus import LAST_YEAR, CsvSeed, csv_seeds
from tests.fuzz.mutations import csv_returns, xml_returns
from tests.fuzz.promises import (
    COMMANDS,
    NAMES,
    PLACES,
    check_both_commands,
    promises_broken_comparing,
    promises_broken_writing,
)

FUZZ = settings.get_profile("fuzz")


@FUZZ
@given(source=csv_returns(), name=st.sampled_from(NAMES))
def fuzz_a_csv_folder(source: CsvSeed, name: str) -> None:
    check_both_commands(source, name)


@FUZZ
@given(source=xml_returns(), name=st.sampled_from(NAMES))
def fuzz_an_xml_file(source: bytes, name: str) -> None:
    check_both_commands(source, name)


@FUZZ
@given(previous=csv_returns(LAST_YEAR) | xml_returns(LAST_YEAR))
def fuzz_last_years_return(previous: CsvSeed | bytes) -> None:
    well_formed = csv_seeds()[-1]
    broken = promises_broken_comparing(well_formed, previous)
    assert not broken, broken


@FUZZ
@given(
    source=csv_returns() | xml_returns(),
    command=st.sampled_from(COMMANDS),
    place_name=st.sampled_from(PLACES),
)
def fuzz_where_the_output_goes(source: CsvSeed | bytes, command: str, place_name: str) -> None:
    broken = promises_broken_writing(source, command, place_name)
    assert not broken, broken


def for_the_budget(batch: Callable[[], None], share: float) -> None:
    """Run one batch, then more while this target's share of the fuzz budget lasts."""
    ends = time.monotonic() + share * float(os.environ.get("CAREMATTERS_FUZZ_SECONDS", "0"))
    batch()
    while time.monotonic() < ends:
        batch()


TARGETS = {
    "csv folder": fuzz_a_csv_folder,
    "xml file": fuzz_an_xml_file,
    "last year's return": fuzz_last_years_return,
    "where the output goes": fuzz_where_the_output_goes,
}


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_any_spoiled_return_is_read_and_validated_safely(target):
    for_the_budget(target, 1 / len(TARGETS))
