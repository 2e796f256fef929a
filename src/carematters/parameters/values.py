"""Reading the parameter files, and a parameter's value on a day.

A parameter file (YAML) holds:

    label: First review                  # a few words, shown beside the value
    description: ...                     # one sentence: what the number is for
    unit: working day                    # see UNITS
    policy: true                         # optional: a choice carematters makes, not law
    reference:                           # the law or guidance, with a link
      - {title: "...", href: "https://www.legislation.gov.uk/..."}
    values:
      2011-04-01: 20                     # from this day on
      2018-04-01: {value: 25, reference: {title: ..., href: ...}}   # a later change
      2030-01-01: null                   # repealed: no value from this day

A value with its own reference says which law made that change; the file's reference
covers the rest. Before the first date the parameter is not in force, and neither is
any duty that needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

UNITS = {
    "working day": ("working day", "working days"),
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years"),
    "hour": ("hour", "hours"),
    "age": ("", ""),
    "pounds": ("", ""),
    "rule": ("", ""),
}
"""Units a parameter may be in, with how a value of it is written (one, several).
`age` is an age in whole years (16 is "16"); `rule` is a choice written in words."""

Value = int | str | tuple[str, ...]


class NotInForceError(LookupError):
    """A parameter asked for on a day before it was set, or after it was repealed."""


@dataclass(frozen=True)
class Reference:
    """Where a value comes from: the title of the law or guidance, and a link to it."""

    title: str
    href: str


@dataclass(frozen=True)
class Quantity:
    """A parameter's value on one day, with its unit and where it comes from."""

    name: str
    value: Value
    unit: str
    label: str
    reference: tuple[Reference, ...]

    @property
    def number(self) -> int:
        """The value as a whole number; raises TypeError for a rule or a list."""
        if not isinstance(self.value, int):
            raise TypeError(f"the parameter {self.name} is not a number: {self.value!r}")
        return self.value

    def __str__(self) -> str:
        """The value as a sentence says it: "20 working days", "£2,000", "21"."""
        if isinstance(self.value, tuple):  # one of several: "10 or 11"; or just "K3"
            *others, last = self.value
            return f"{', '.join(others)} or {last}" if others else str(last)
        if self.unit == "pounds":
            return f"£{self.number:,}"
        if self.unit in ("age", "rule") or not isinstance(self.value, int):
            return str(self.value)
        one, several = UNITS[self.unit]
        return f"{self.value} {one if self.value == 1 else several}"

    def __format__(self, spec: str) -> str:
        """`{q}` is the value in words; `{q:n}` the bare number; `{q:every}` how often,
        as people say it ("every week", "every 6 weeks")."""
        if spec == "n":
            return str(self.number)
        if spec == "every":
            one, _ = UNITS[self.unit]
            return f"every {one}" if self.value == 1 else f"every {self}"
        return str(self)


@dataclass(frozen=True)
class Parameter:
    """One parameter file: its values by the date each applies from."""

    name: str
    label: str
    description: str
    unit: str
    policy: bool
    reference: tuple[Reference, ...]
    values: tuple[tuple[date, Value | None, tuple[Reference, ...]], ...]
    """(from, value or None if repealed, the change's own references), in date order."""

    def on(self, day: date) -> Quantity | None:
        """The value in force on `day`, or None if there is none."""
        current = [entry for entry in self.values if entry[0] <= day]
        if not current:
            return None
        _, value, own = current[-1]
        if value is None:
            return None
        return Quantity(self.name, value, self.unit, self.label, own + self.reference)

    @property
    def first_day(self) -> date:
        """The day the parameter was first set."""
        return self.values[0][0]

    def only(self) -> Quantity:
        """The value of a parameter that has only ever had one (rules of interpretation,
        such as when a 29 February birthday falls)."""
        if len(self.values) != 1:
            raise ValueError(f"the parameter {self.name} has changed over time; ask for a day")
        _, value, own = self.values[0]
        if value is None:
            raise ValueError(f"the parameter {self.name} has no value")
        return Quantity(self.name, value, self.unit, self.label, own + self.reference)


class Parameters:
    """Every parameter's value on one day: `parameters(day)["reviews.first"]`."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __getitem__(self, name: str) -> Quantity:
        quantity = parameter(name).on(self.day)
        if quantity is None:
            raise NotInForceError(
                f"the parameter {name} ({parameter(name).label}) is not in force on "
                f"{self.day:%d/%m/%Y}"
            )
        return quantity

    def get(self, name: str) -> Quantity | None:
        """The value on the day, or None if the parameter is not in force then."""
        return parameter(name).on(self.day)

    def in_force(self, names: tuple[str, ...]) -> bool:
        """Whether every one of the named parameters has a value on the day."""
        return all(self.get(name) is not None for name in names)

    def text(self, template: str) -> str:
        """`template` with each `{area.name}` (or `{area.name:n}`) replaced by the value
        on the day; other braces, such as `{basis}`, are left for the caller."""

        def fill(match: re.Match[str]) -> str:
            return format(self[match[1]], match[2] or "")

        return PLACEHOLDER.sub(fill, template)


PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_]+)+)(?::(n|every))?\}")
"""A parameter named in a sentence: `{reviews.first}`, `{leaving_care.until:n}` or
`{visits.interval:every}`."""


def parameters(day: date) -> Parameters:
    """Every parameter as it stood on `day`."""
    return Parameters(day)


@cache
def parameter(name: str) -> Parameter:
    """The parameter `name` (dotted: `reviews.first`); KeyError if there is none."""
    files = _files()
    if name not in files:
        raise KeyError(f"there is no parameter called {name}")
    return _read(name, files[name])


def all_parameters() -> tuple[Parameter, ...]:
    """Every parameter, by name."""
    return tuple(parameter(name) for name in sorted(_files()))


@cache
def _files() -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.name.startswith("_"):
                walk(entry, f"{prefix}{entry.name}.")
            elif entry.name.endswith(".yaml"):
                found[prefix + entry.name.removesuffix(".yaml")] = entry

    walk(resources.files("carematters.parameters"), "")
    return found


def _references(given: Any) -> tuple[Reference, ...]:
    entries = given if isinstance(given, list) else [given] if given else []
    return tuple(Reference(str(r["title"]), str(r["href"])) for r in entries)


def _value(raw: Any) -> Value:
    return tuple(str(v) for v in raw) if isinstance(raw, list) else raw


def _read(name: str, file: Traversable) -> Parameter:
    # libyaml's loader (as safe as the Python one) reads these ten times quicker,
    # which a command pays for every time it starts.
    data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    if data.get("unit") not in UNITS:
        raise ValueError(f"the parameter {name} has no unit, or one of {sorted(UNITS)}")
    values = []
    for day, entry in sorted(data["values"].items()):
        own = entry if isinstance(entry, dict) else {"value": entry}
        raw = own["value"]
        values.append(
            (day, None if raw is None else _value(raw), _references(own.get("reference")))
        )
    return Parameter(
        name=name,
        label=str(data["label"]),
        description=str(data["description"]),
        unit=str(data["unit"]),
        policy=bool(data.get("policy", False)),
        reference=_references(data.get("reference")),
        values=tuple(values),
    )
