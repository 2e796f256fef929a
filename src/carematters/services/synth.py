"""A synthetic authority: a fictional authority's whole care record, simulated from a
seed and saved as a record directory, spoiled with known errors when asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from carematters.files import write_file_atomically
from carematters.records import directory
from carematters.records.periods import looked_after_on
from carematters.records.record import Record
from carematters.synth.authority import simulate
from carematters.synth.errors import inject_errors

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Spoiling:
    """Known errors to put in the record: about `rate` of its values, each listed in the
    CSV file `listing` so a validator's findings can be checked against them."""

    rate: float
    listing: Path


@dataclass(frozen=True)
class Authority:
    """The synthetic authority as saved: its record, the day it ends (the last 31 March
    simulated), how many children are looked after that day, and how many errors were
    put in (0 when not spoiled)."""

    record: Record
    end: date
    in_care_at_end: int
    injected: int


def make_authority(
    out: Path,
    *,
    children_in_care: int,
    first_year: int,
    last_year: int,
    seed: int,
    spoiling: Spoiling | None = None,
    until: date | None = None,
) -> Authority:
    """Simulate about `children_in_care` children in care on each 31 March, from 1 April
    `first_year` to 31 March `last_year + 1` (or to `until`, if sooner: a live record as it
    stands that day), and save the whole record as the record directory `out` (the same
    seed and days always give the same record)."""
    tables = simulate(children_in_care, first_year, last_year, seed, until=until)
    injected = 0
    if spoiling is not None:
        tables, errors = inject_errors(tables, spoiling.rate, seed)
        write_file_atomically(spoiling.listing, errors.write_csv().encode("utf-8"))
        injected = errors.height
    directory.save(tables, out)
    record = Record.of(tables)
    end = min(date(last_year + 1, 3, 31), until or date.max)
    # Children, not episodes: a spoiled record may have two episodes open at once.
    in_care = looked_after_on(record.episodes, end)["CHILD"].n_unique()
    return Authority(record, end, in_care, injected)
