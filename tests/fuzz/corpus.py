"""The seeds the fuzzer mutates: every broken return of tests/ssda903/malformed/, and a few
small made-up well-formed returns written by `write_return` in both of DfE's forms.

A seed is held in memory: a CSV return as {path inside the folder: bytes}, an XML return
as bytes.
"""

from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")
LAST_YEAR = CollectionYear.parse("2023-24")
"""The year before YEAR: the year of the return given as `--previous`."""
MALFORMED = Path(__file__).parent.parent / "ssda903" / "malformed"
# Small enough that a validation of a seed takes a fraction of a second, big enough that
# each child table has rows to spoil.
SAMPLE_CHILDREN = (1, 4, 12)

CsvSeed = dict[str, bytes]


def files_under(folder: Path) -> CsvSeed:
    """Every file under `folder`, by its path inside it (a case may hold a subfolder)."""
    return {
        str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }


@cache
def csv_seeds(year: CollectionYear = YEAR) -> tuple[CsvSeed, ...]:
    """Each CSV return of the corpus, then made-up ones for `year`."""
    broken = [
        files_under(case / "return")
        for case in sorted(MALFORMED.iterdir())
        if (case / "return").is_dir()
    ]
    with TemporaryDirectory() as scratch:
        made = []
        for children in SAMPLE_CHILDREN:
            folder = Path(scratch) / f"csv{children}"
            write_return(sample_return(children, year, seed=children), year, Format.CSV, folder)
            made.append(files_under(folder))
    return (*broken, *made)


@cache
def xml_seeds(year: CollectionYear = YEAR) -> tuple[bytes, ...]:
    """Each XML return of the corpus, then made-up ones for `year`."""
    broken = [
        (case / "return.xml").read_bytes()
        for case in sorted(MALFORMED.iterdir())
        if (case / "return.xml").is_file()
    ]
    with TemporaryDirectory() as scratch:
        made = []
        for children in SAMPLE_CHILDREN:
            path = Path(scratch) / f"return{children}.xml"
            write_return(sample_return(children, year, seed=children), year, Format.XML, path)
            made.append(path.read_bytes())
    return (*broken, *made)
