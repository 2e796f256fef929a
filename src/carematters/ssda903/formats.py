"""Reading and writing a return in whichever of DfE's two forms it comes in."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import polars as pl

from carematters.ssda903.problems import Problem
from carematters.ssda903.read_csv import read_csv_return
from carematters.ssda903.returns import ReadResult
from carematters.ssda903.write_csv import write_csv_return
from carematters.ssda903.years import CollectionYear

# The XML reader and writer (and lxml with them) are imported only for an XML return:
# a command reading CSV files, as most do, need not wait for them at every start.


class Format(StrEnum):
    """The two forms DfE accepts a return in."""

    CSV = "csv"
    XML = "xml"


def read_return(path: Path, year: CollectionYear) -> ReadResult:
    """Read a return: a folder of CSV files, or one XML file."""
    if path.is_dir():
        return read_csv_return(path, year)
    if path.is_file() and path.suffix.lower() == ".xml":
        from carematters.ssda903.read_xml import read_xml_return  # noqa: PLC0415 (see above)

        return read_xml_return(path, year)
    result = ReadResult(year=year)
    why = (
        "does not exist"
        if not path.exists()
        else "is neither a folder of CSV files nor an .xml file"
    )
    result.problems.append(Problem(file=str(path), kind="no-return", message=f"this {why}"))
    return result


def write_return(
    tables: dict[str, pl.DataFrame], year: CollectionYear, form: Format, out: Path
) -> None:
    """Write a return in DfE's layout for `year`: a CSV folder or an XML file."""
    if form is Format.CSV:
        write_csv_return(tables, year, out)
    else:
        from carematters.ssda903.write_xml import write_xml_return  # noqa: PLC0415 (see above)

        write_xml_return(tables, year, out)
