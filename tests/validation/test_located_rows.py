"""Every failing row and every value that could not be read is held against the row it is
in, and shown where a person finds it: an XML return exported on one line (every row on
line 1) and a record directory (cut to the year's return) included."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from carematters.records import directory
from carematters.services.validation import check, read_inputs
from carematters.ssda903.formats import Format, write_return
from carematters.ssda903.sample import sample_return
from carematters.ssda903.years import CollectionYear
from carematters.synth.authority import simulate
from carematters.validation.inputs import read_for_validation

YEAR = CollectionYear.parse("2024-25")


def _findings(source: Path, out: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """errors.csv and problems.csv of validating `source`, as written."""
    check(read_inputs(source, YEAR, None, {}), None, str(source), out)
    errors = pl.read_csv(out / "errors.csv", infer_schema=False)
    problems = pl.read_csv(out / "problems.csv", infer_schema=False)
    return errors, problems


@pytest.fixture(scope="module")
def xml_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 40-child return as XML, one element a line, as the writer lays it out."""
    folder = tmp_path_factory.mktemp("xml")
    write_return(sample_return(40, YEAR, seed=3), YEAR, Format.XML, folder / "r.xml")
    return (folder / "r.xml").read_text("utf-8")


def _one_line(text: str) -> str:
    return re.sub(r">\s+<", "><", text)


def _careful(text: str) -> str:
    """The same return with a comment inside the root: read element by element, not in
    bulk (`read_xml._read_plain` leaves a comment to the careful reading)."""
    return text.replace("<CHILD>", "<!-- exported --><CHILD>", 1)


def _spoil_dob(text: str, nth: int) -> tuple[str, str]:
    """`text` with the `nth` child's date of birth made 31 February; and that child."""
    children = list(re.finditer(r"<CHILDID>([^<]*)</CHILDID>", text))
    child = children[nth].group(1)
    dob = re.compile(r"<DOB>[^<]*</DOB>")
    at = dob.search(text, children[nth].end())
    assert at is not None
    return text[: at.start()] + "<DOB>31/02/2007</DOB>" + text[at.end() :], child


LAYOUTS = {
    "lines": lambda text: text,
    "one line": _one_line,
    "one line, read carefully": lambda text: _careful(_one_line(text)),
    "lines, read carefully": _careful,
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("nth", [0, 17, 39])
def test_an_unreadable_date_fails_its_own_child_only(
    xml_text: str, tmp_path: Path, layout: str, nth: int
) -> None:
    spoiled, child = _spoil_dob(LAYOUTS[layout](xml_text), nth)
    (tmp_path / "r.xml").write_text(spoiled, "utf-8")
    errors, problems = _findings(tmp_path / "r.xml", tmp_path / "v")
    (problem,) = problems.filter(pl.col("KIND") == "bad-date").iter_rows(named=True)
    assert problem["CHILD"] == child
    found = errors.filter(pl.col("CODE") == "102")
    # The character within the line is given where rows share a line; the line is
    # enough where each row starts on a line of its own.
    shared = layout.startswith("one line")
    character = problem["CHARACTER"] if shared else None
    assert found.select("CHILD", "TABLE", "ROW", "CHARACTER").rows() == [
        (child, "header", problem["ROW"], character)
    ]
    if shared:
        assert problem["ROW"] == "1"
        assert problem["CHARACTER"] is not None


@pytest.mark.parametrize("layout", ["one line", "one line, read carefully"])
def test_a_return_on_one_line_finds_what_it_finds_on_many(
    xml_text: str, tmp_path: Path, layout: str
) -> None:
    """Rows on one line are still told apart: two of a child's episodes failing one rule
    are two findings, as when each is on a line of its own."""
    spoiled = xml_text.replace("<DECOM>", "<DECOM>3", 5)  # five episodes' dates unreadable
    (tmp_path / "lines.xml").write_text(spoiled, "utf-8")
    (tmp_path / "one.xml").write_text(LAYOUTS[layout](spoiled), "utf-8")
    lines, _ = _findings(tmp_path / "lines.xml", tmp_path / "v1")
    one, _ = _findings(tmp_path / "one.xml", tmp_path / "v2")
    assert lines.height > 5
    assert sorted(one.select("CHILD", "TABLE", "CODE").rows()) == sorted(
        lines.select("CHILD", "TABLE", "CODE").rows()
    )
    assert set(one["ROW"]) == {"1"}
    assert one["CHARACTER"].null_count() == 0
    # Each row its own place on the line: no two findings of one rule at one place.
    assert one.select("TABLE", "CHARACTER", "CODE").is_duplicated().sum() == 0
    assert lines["CHARACTER"].null_count() == lines.height  # a line each: the line is enough


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("record") / "record"
    directory.save(simulate(120, 2021, 2024, seed=11), folder)
    return folder


def _copy(record: Path, to: Path) -> Path:
    to.mkdir()
    for each in record.iterdir():
        if each.suffix == ".csv":
            (to / each.name).write_bytes(each.read_bytes())
    return to


def _file(path: Path) -> pl.DataFrame:
    """A record file as strings, with ROW as a spreadsheet numbers it (header = 1)."""
    frame = pl.read_csv(path, infer_schema=False)
    return frame.with_row_index("ROW", offset=2).with_columns(pl.col("ROW").cast(pl.Int64))


def test_a_record_cut_to_the_year_names_each_row_by_the_records_own(
    record: Path, tmp_path: Path
) -> None:
    """Every row of the year's return is named by the row of the record's file it came
    from: that row is the same child's, with the same values where the cut keeps them."""
    given = read_for_validation(_copy(record, tmp_path / "rec"), YEAR)
    checked = 0
    for name, frame in given.tables.items():
        rows = given.rows[name]
        assert rows.len() == frame.height
        assert rows.null_count() == 0, name  # a whole record: every row is the record's
        assert rows.n_unique() == rows.len(), name
        source = _file(record / f"{name}.csv")
        matched = pl.DataFrame({"ROW": rows, "CHILD": frame["CHILD"]}).join(
            source.select("ROW", pl.col("CHILD").alias("RECORD_CHILD")), on="ROW", how="left"
        )
        assert (matched["CHILD"] == matched["RECORD_CHILD"]).all(), name
        checked += frame.height
    assert checked > 500


@pytest.mark.parametrize("at", [2, 40, 151])
def test_an_unreadable_value_in_a_record_fails_its_own_child_at_its_own_row(
    record: Path, tmp_path: Path, at: int
) -> None:
    copied = _copy(record, tmp_path / "rec")
    header = _file(copied / "header.csv")
    if at > header.height + 1:
        pytest.skip("the record has fewer children")
    child = header.filter(pl.col("ROW") == at)["CHILD"][0]
    lines = (copied / "header.csv").read_text("utf-8").split("\n")
    cells = lines[at - 1].split(",")
    dob = header.columns.index("DOB") - 1  # ROW was put first
    cells[dob] = "31/02/2007"
    lines[at - 1] = ",".join(cells)
    (copied / "header.csv").write_text("\n".join(lines), "utf-8")
    errors, problems = _findings(copied, tmp_path / "v")
    assert problems.select("ROW", "COLUMN").rows() == [(str(at), "DOB")]
    in_year = read_for_validation(copied, YEAR).tables["header"]["CHILD"].to_list()
    found = errors.filter(pl.col("CODE") == "102").select("CHILD", "ROW").rows()
    assert found == ([(child, str(at))] if child in in_year else [])
