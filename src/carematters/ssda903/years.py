"""Collection years of the SSDA903 return.

A collection year runs from 1 April to 31 March and is written as DfE writes it,
"2024-25". Code lists and table layouts change between years, so almost every
function in this package takes the year it is reading or writing for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

_YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class UnknownYearError(ValueError):
    """Raised for a collection year that is malformed or not supported."""


@total_ordering
@dataclass(frozen=True)
class CollectionYear:
    """One SSDA903 collection year, identified by the calendar year it starts in."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> CollectionYear:
        """Read "2024-25"; refuse anything else, saying which years are supported."""
        year = year_from_label(text.strip())
        if year not in SUPPORTED_YEARS:
            raise UnknownYearError(
                f"collection year {year} is not supported; supported years are "
                f"{', '.join(str(y) for y in SUPPORTED_YEARS)}"
            )
        return year

    @property
    def start(self) -> date:
        """1 April at the start of the year."""
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        """31 March at the end of the year: the date the return describes."""
        return date(self.start_year + 1, 3, 31)

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, CollectionYear):
            return NotImplemented
        return self.start_year < other.start_year


SUPPORTED_YEARS: tuple[CollectionYear, ...] = tuple(
    CollectionYear(start) for start in range(2022, 2027)
)
FIRST_YEAR = SUPPORTED_YEARS[0]
LATEST_YEAR = SUPPORTED_YEARS[-1]


def year_from_label(text: str) -> CollectionYear:
    """Read any well-formed year label, supported or not (package data may name others)."""
    match = _YEAR_PATTERN.match(text)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise UnknownYearError(
            f"'{text}' is not a collection year: write it as DfE does, for example 2024-25"
        )
    return CollectionYear(int(match.group(1)))
