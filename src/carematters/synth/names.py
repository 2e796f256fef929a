"""What the simulated children are called: obviously fictional names for the `people` table.

SSDA903 holds no names, but a social worker's caseload does. Given names are ordinary
first names heard in English schools; family names are made by joining two halves from
lists of whimsical words ("Bramble" + "wick"), so that no simulated child shares a real
person's full name. Everything is drawn for the whole population at once.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from carematters.ssda903.codelists import code_group

GIRLS = (
    "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow",
    "Rosie", "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily",
    "Ruby", "Evie", "Harper", "Matilda", "Phoebe", "Aisha", "Amira", "Zara", "Maryam",
    "Chloe", "Jessica", "Katherine", "Elizabeth", "Megan", "Niamh", "Abigail", "Tia",
)  # fmt: skip
BOYS = (
    "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie",
    "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Finley", "Alfie", "Thomas", "Jacob",
    "Samuel", "Daniel", "William", "Alexander", "Joshua", "Kai", "Yusuf", "Ibrahim",
    "Kwame", "Tyler", "Callum", "Reuben", "Ethan", "Lewis", "Dylan", "Rhys", "Owen", "Joseph",
)  # fmt: skip
EITHER = (
    "Alex", "Sam", "Jordan", "Charlie", "Riley", "Robin", "Jamie", "Morgan", "Taylor",
    "Rowan", "Ellis", "Frankie",
)  # fmt: skip
"""For a child whose sex is neither male nor female, or not recorded."""

SHORT_FORMS = {
    "Alexander": "Alex",
    "Abigail": "Abi",
    "Daniel": "Dan",
    "Elizabeth": "Lizzie",
    "Florence": "Flo",
    "Isabella": "Bella",
    "Jessica": "Jess",
    "Joseph": "Joe",
    "Joshua": "Josh",
    "Katherine": "Kate",
    "Matilda": "Tilly",
    "Olivia": "Liv",
    "Samuel": "Sam",
    "Theodore": "Theo",
    "Thomas": "Tom",
    "William": "Will",
}
"""The names a child may prefer to be called by instead of their given name."""
PREFERS_SHORT_FORM = 0.4
"""Share of children with a short form of their name who go by it."""

FIRST_HALVES = (
    "Bramble", "Quill", "Thimble", "Nettle", "Bumble", "Puddle", "Tangle", "Crumble",
    "Drizzle", "Fiddle", "Wobble", "Pickle", "Marrow", "Clover", "Sprocket", "Muddle",
    "Jingle", "Noodle", "Sorrel", "Teasel", "Wimble", "Pebble", "Dapple", "Snickle",
)  # fmt: skip
SECOND_HALVES = (
    "wick", "feather", "whistle", "sprout", "doodle", "crumb", "pocket", "dabble",
    "thatch", "wump", "snout", "kettle", "hopper", "flint", "sock", "wiggle",
)  # fmt: skip
"""Halves of family names. Neither list holds an ending that makes real English surnames
(-ton, -ley, -wood, -field, -worth, -by), so that every join is plainly invented."""

SEX_MALE = code_group("sex", "male")
SEX_FEMALE = code_group("sex", "female")
"""Header SEX codes for male and female, of every year: 1/2 until 2023-24, M/F from 2024-25."""


def _drawn(rng: np.random.Generator, names: tuple[str, ...], size: int) -> pl.Series:
    return pl.Series(np.array(names)[rng.integers(0, len(names), size)], dtype=pl.String)


def people(rng: np.random.Generator, header: pl.DataFrame) -> pl.DataFrame:
    """One row of names per Header row (CHILD, SEX): CHILD, GIVEN_NAME (from GIRLS or BOYS
    by SEX, EITHER otherwise), FAMILY_NAME (two invented halves joined), PREFERRED_NAME
    (the short form of the given name for some, blank when they go by their given name)."""
    size = header.height
    sex = header.get_column("SEX")
    given = (
        pl.select(
            pl.when(sex.is_in(SEX_FEMALE))
            .then(_drawn(rng, GIRLS, size))
            .when(sex.is_in(SEX_MALE))
            .then(_drawn(rng, BOYS, size))
            .otherwise(_drawn(rng, EITHER, size))
        )
        .to_series()
        .alias("GIVEN_NAME")
    )
    family = (_drawn(rng, FIRST_HALVES, size) + _drawn(rng, SECOND_HALVES, size)).alias(
        "FAMILY_NAME"
    )
    short = given.replace_strict(SHORT_FORMS, default=None, return_dtype=pl.String)
    prefers = pl.Series(rng.random(size) < PREFERS_SHORT_FORM)
    preferred = short.zip_with(prefers, pl.Series([None] * size, dtype=pl.String))
    return pl.DataFrame(
        [header.get_column("CHILD"), given, family, preferred.alias("PREFERRED_NAME")]
    )
