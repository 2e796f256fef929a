"""How many children live in each authority's area, for the rate per 10,000.

DfE divides the children looked after on 31 March by the ONS mid-year estimate of
children under 18 living in the area. Those estimates are open data but are not shipped
for real authorities yet; a performance officer gives them in a small CSV file:

    LA_CODE,YEAR,CHILDREN
    E09000027,2023-24,38210
    E09000027,2024-25,37960

YEAR is the collection year the estimate is used for (DfE uses the mid-year estimate of
the summer before its 31 March). LA_CODE may be left out when the file is for one
authority. Every value that cannot be used is reported with its row, never skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from carematters.ssda903.problems import Problem
from carematters.ssda903.years import CollectionYear

Populations = dict[str, dict[str, int]]
"""Children under 18 in the area, by authority, then by collection year label."""
ANY_AUTHORITY = ""
"""The authority of rows in a file without LA_CODE: whichever the report is for."""
REQUIRED = ("YEAR", "CHILDREN")


def _problem(path: Path, row: int, column: str, value: str, message: str) -> Problem:
    return Problem(
        file=path.name, row=row, column=column, value=value, kind="bad-population", message=message
    )


def _year(text: str) -> str | None:
    """The year as the report labels it, for any year (not only those with a return
    specification): populations are wanted for the years before as well."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{2})\s*", text)
    if found is None or (int(found[1]) + 1) % 100 != int(found[2]):
        return None
    return str(CollectionYear(int(found[1])))


def read_populations(path: Path) -> tuple[Populations, list[Problem]]:
    """Every authority's child population by year, and whatever in the file could not be read."""
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as error:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        return {}, [Problem(file=path.name, kind="no-population", message=reason)]
    missing = [column for column in REQUIRED if column not in frame.columns]
    if missing:
        message = f"the file needs the columns {', '.join(REQUIRED)} (and may have LA_CODE)"
        return {}, [Problem(file=path.name, kind="bad-population", message=message)]
    found: Populations = {}
    problems: list[Problem] = []
    codes = frame["LA_CODE"] if "LA_CODE" in frame.columns else [None] * frame.height
    for index, (code, year_text, children) in enumerate(
        zip(codes, frame["YEAR"], frame["CHILDREN"], strict=True)
    ):
        row = index + 2
        year = _year(year_text or "")
        count = (children or "").replace(",", "").strip()
        authority = (code or "").strip() or ANY_AUTHORITY
        if year is None:
            message = "this is not a collection year such as 2024-25"
            problems.append(_problem(path, row, "YEAR", year_text or "", message))
        elif not count.isdigit() or int(count) == 0:
            message = "this is not a number of children greater than 0"
            problems.append(_problem(path, row, "CHILDREN", children or "", message))
        elif year in found.get(authority, {}):
            message = "this authority already has a population for this year, in an earlier row"
            problems.append(_problem(path, row, "YEAR", year, message))
        else:
            found.setdefault(authority, {})[year] = int(count)
    return found, problems


def population_for(populations: Populations, authority: str) -> dict[str, int]:
    """One authority's populations by year: its own rows, or rows naming no authority."""
    return populations.get(ANY_AUTHORITY, {}) | populations.get(authority, {})
