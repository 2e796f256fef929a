"""SSDA903 code lists, each code with DfE's description and the years it is valid.

The lists ship as YAML, one file per list: DfE's lists in `ssda903/codes/`, the
care record's own lists (for its extension tables) in `records/codes/`. A retired code is never
deleted: it keeps the last year it was valid (`until`), so last year's return
still reads against last year's codes while this year's refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from carematters.ssda903.years import FIRST_YEAR, CollectionYear, year_from_label


@dataclass(frozen=True)
class Code:
    """One code, the description DfE gives it, and the years it may be used."""

    code: str
    description: str
    first_year: CollectionYear
    last_year: CollectionYear | None
    short: str | None = None
    """A few plain words for a list or a table on a page, where DfE's description is
    a paragraph; None where the description is short enough already."""

    @property
    def label(self) -> str:
        """The code's meaning as a page shows it: the short form, else DfE's description."""
        return self.short or self.description

    def valid_in(self, year: CollectionYear) -> bool:
        """Whether a return for `year` may use this code."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def years_text(self) -> str:
        """When the code is valid, in words, for error messages."""
        if self.last_year is None:
            return f"valid from {self.first_year}"
        return f"valid from {self.first_year} to {self.last_year}"


@dataclass(frozen=True)
class Group:
    """Codes that mean one thing together (the foster placements, the short breaks), so
    every part of carematters asks for the group by name instead of listing its codes."""

    name: str
    description: str
    codes: tuple[str, ...]
    first_year: CollectionYear
    last_year: CollectionYear | None


@dataclass(frozen=True)
class CodeList:
    """A named list of codes, such as the placement types, and its groups."""

    name: str
    title: str
    codes: tuple[Code, ...]
    groups: tuple[Group, ...] = ()

    def valid_codes(self, year: CollectionYear | None) -> frozenset[str]:
        """The codes a return for `year` may use; with no year, every code ever defined."""
        return frozenset(c.code for c in self.codes if year is None or c.valid_in(year))

    def find(self, code: str) -> Code | None:
        """The code's entry in any year, or None if DfE never defined it."""
        return next((c for c in self.codes if c.code == code), None)

    def group(self, name: str, year: CollectionYear | None = None) -> tuple[str, ...]:
        """The codes of the group `name` (of those valid in `year`, if given: none if the
        group itself is not used that year). Raises KeyError for an unknown group."""
        found = next((g for g in self.groups if g.name == name), None)
        if found is None:
            raise KeyError(f"the code list {self.name} has no group called {name}")
        if year is None:
            return found.codes
        if year < found.first_year or (found.last_year is not None and year > found.last_year):
            return ()
        valid = self.valid_codes(year)
        return tuple(code for code in found.codes if code in valid)


def _read_code(code: str, entry: dict[str, Any]) -> Code:
    until = entry.get("until")
    return Code(
        code=code,
        description=str(entry["description"]),
        first_year=year_from_label(str(entry["from"])) if "from" in entry else FIRST_YEAR,
        last_year=year_from_label(str(until)) if until is not None else None,
        short=str(entry["short"]) if "short" in entry else None,
    )


_FOLDERS = ("carematters.ssda903", "carematters.records")


@cache
def _files() -> dict[str, Traversable]:
    """Every shipped code list file, by list name."""
    found: dict[str, Traversable] = {}
    for package in _FOLDERS:
        for entry in resources.files(package).joinpath("codes").iterdir():
            if entry.name.endswith(".yaml"):
                found[entry.name.removesuffix(".yaml")] = entry
    return found


def _read_group(name: str, entry: dict[str, Any], defined: set[str], list_name: str) -> Group:
    codes = tuple(str(code) for code in entry["codes"])
    unknown = sorted(set(codes) - defined)
    if unknown:
        raise ValueError(f"group {name} of {list_name} names codes it lacks: {unknown}")
    until = entry.get("until")
    return Group(
        name=name,
        description=str(entry["description"]),
        codes=codes,
        first_year=year_from_label(str(entry["from"])) if "from" in entry else FIRST_YEAR,
        last_year=year_from_label(str(until)) if until is not None else None,
    )


@cache
def code_list(name: str) -> CodeList:
    """The code list shipped as `codes/<name>.yaml`, with its groups."""
    # libyaml's loader (as safe as the Python one) reads these ten times quicker,
    # which a command pays for every time it starts.
    data = yaml.load(_files()[name].read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    codes = tuple(_read_code(str(code), entry) for code, entry in data["codes"].items())
    defined = {c.code for c in codes}
    groups = tuple(
        _read_group(str(group), entry, defined, name)
        for group, entry in (data.get("groups") or {}).items()
    )
    return CodeList(name=name, title=str(data["title"]), codes=codes, groups=groups)


@cache
def valid_codes(name: str, year: CollectionYear | None) -> frozenset[str]:
    """The codes of the list `name` a return for `year` may use (`CodeList.valid_codes`),
    worked out once: the readers and the rules ask for the same few lists many times."""
    return code_list(name).valid_codes(year)


@cache
def code_group(list_name: str, group: str, year: CollectionYear | None = None) -> tuple[str, ...]:
    """The codes of a named group: `code_group("legal_status", "short_breaks")` is V3, V4."""
    return code_list(list_name).group(group, year)


def code_list_names() -> list[str]:
    """Every code list that ships with the package."""
    return sorted(_files())
