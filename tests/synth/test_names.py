"""Children's names: every simulated child has a plainly invented one, fitting their
recorded sex, the same for the same seed; the return never carries them."""

import numpy as np
import polars as pl
from polars.testing import assert_frame_equal

from carematters.records.extract import extract_return
from carematters.ssda903.years import CollectionYear
from carematters.synth import names
from carematters.synth.authority import simulate

HEADER = pl.DataFrame(
    {
        "CHILD": [f"C{n}" for n in range(6000)],
        "SEX": ["F", "M", "2", "1", "U", None] * 1000,
    }
)


def _people(seed: int) -> pl.DataFrame:
    return names.people(np.random.default_rng(seed), HEADER)


def test_the_same_seed_gives_the_same_names_and_another_seed_others():
    assert_frame_equal(_people(3), _people(3))
    assert not _people(3).equals(_people(4))


def test_every_child_has_one_row_in_the_header_s_order():
    people = _people(1)
    assert people.columns == ["CHILD", "GIVEN_NAME", "FAMILY_NAME", "PREFERRED_NAME"]
    assert people["CHILD"].to_list() == HEADER["CHILD"].to_list()
    assert people["GIVEN_NAME"].null_count() == people["FAMILY_NAME"].null_count() == 0


def test_given_names_fit_the_recorded_sex_in_either_coding():
    people = _people(1).with_columns(HEADER["SEX"])
    for sexes, listed in (
        (["F", "2"], names.GIRLS),
        (["M", "1"], names.BOYS),
        (["U", None], names.EITHER),
    ):
        given = people.filter(pl.col("SEX").is_in(sexes, nulls_equal=True))["GIVEN_NAME"]
        assert given.len() == 2000
        assert set(given) <= set(listed), sexes
        assert given.n_unique() > len(listed) // 2


def test_family_names_are_two_invented_halves_never_a_common_surname_s_shape():
    family = _people(1)["FAMILY_NAME"]
    first = family.str.extract(f"^({'|'.join(names.FIRST_HALVES)})")
    second = family.str.extract(f"({'|'.join(names.SECOND_HALVES)})$")
    assert (first.str.len_chars() + second.str.len_chars() == family.str.len_chars()).all()
    assert family.n_unique() > 300
    english = ("ton", "ley", "wood", "field", "worth", "by", "son", "ford", "ham", "well")
    assert not family.str.contains(f"({'|'.join(english)})$").any()
    assert not family.is_in(["Smith", "Jones", "Taylor", "Brown", "Williams"]).any()


def test_some_children_go_by_the_short_form_of_their_name():
    people = _people(1)
    short = people["GIVEN_NAME"].replace_strict(names.SHORT_FORMS, default=None)
    preferring = people.filter(pl.col("PREFERRED_NAME").is_not_null())
    assert (
        preferring["PREFERRED_NAME"] == short.filter(people["PREFERRED_NAME"].is_not_null())
    ).all()
    share = preferring.height / short.drop_nulls().len()
    assert 0.35 < share < 0.45


def test_the_simulated_authority_names_every_child_and_its_return_has_no_names():
    record = simulate(30, 2023, 2024, seed=2)
    assert record["people"]["CHILD"].to_list() == record["header"]["CHILD"].to_list()
    year = CollectionYear(2024)
    without = {name: frame for name, frame in record.items() if name != "people"}
    cut = extract_return(record, year)
    assert "people" not in cut
    for name, frame in extract_return(without, year).items():
        assert_frame_equal(cut[name], frame)
