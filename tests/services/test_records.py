"""Import and export through the services, as the command line and the web use them."""

from carematters.files import MARKER
from carematters.records import directory
from carematters.services.records import export_return, extract, import_return, write_sample
from carematters.ssda903.formats import Format, read_return
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")


def test_a_return_imported_then_exported_is_the_same_return(tmp_path):
    write_sample(40, YEAR, 5, Format.CSV, tmp_path / "given")
    read = import_return(tmp_path / "given", YEAR, tmp_path / "record")
    assert read.problems == []
    assert read.tables["header"].height == 40
    export_return(directory.load(tmp_path / "record").record, YEAR, Format.CSV, tmp_path / "out")
    given = sorted(p.name for p in (tmp_path / "given").iterdir())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == given
    for name in given:
        if name != MARKER:  # which says when each file was written
            assert (tmp_path / "out" / name).read_bytes() == (
                tmp_path / "given" / name
            ).read_bytes()


def test_nothing_is_saved_from_a_return_that_is_not_there(tmp_path):
    read = import_return(tmp_path / "nowhere", YEAR, tmp_path / "record")
    assert [p.kind for p in read.problems] == ["no-return"]
    assert not (tmp_path / "record").exists()


def test_the_tables_cut_are_the_tables_written(tmp_path):
    write_sample(25, YEAR, 1, Format.CSV, tmp_path / "given")
    import_return(tmp_path / "given", YEAR, tmp_path / "record")
    record = directory.load(tmp_path / "record").record
    cut = extract(record, YEAR, Format.XML, tmp_path / "return.xml")
    back = read_return(tmp_path / "return.xml", YEAR)
    assert cut["header"].height == 25
    assert {name: frame.height for name, frame in back.tables.items() if frame.height} == {
        name: frame.height for name, frame in cut.items() if frame.height
    }


def test_a_row_of_which_nothing_could_be_read_is_left_out_and_named(tmp_path):
    given = tmp_path / "given"
    given.mkdir()
    (given / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,1,01/02/2012,WBRI,A123456789012,,\n"
    )
    (given / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n,31/02/2024,,,,,,,,,,,\nC1,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n"
    )
    read = import_return(given, YEAR, tmp_path / "record")
    left_out = [p for p in read.problems if p.kind == "nothing-read"]
    assert [(p.file, p.row, p.table) for p in left_out] == [("episodes.csv", 2, "episodes")]
    assert left_out[0].lost_something
    kept = directory.load(tmp_path / "record").record.episodes
    assert kept["CHILD"].to_list() == ["C1"]
    assert read.tables["episodes"].height == 1, "what is counted is what was kept"
