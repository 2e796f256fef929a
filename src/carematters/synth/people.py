"""Who the children are: sex, ethnicity, pupil number, and whether they are mothers."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from carematters.geography import HOME_LA
from carematters.synth.dates import Days, age_in_years, birthdays, text_where, to_dates
from carematters.synth.draws import choice

ETHNICITY = {
    "WBRI": 0.655,
    "WIRI": 0.005,
    "WIRT": 0.004,
    "WOTH": 0.040,
    "WROM": 0.008,
    "MWBC": 0.040,
    "MWBA": 0.016,
    "MWAS": 0.013,
    "MOTH": 0.046,
    "AIND": 0.008,
    "APKN": 0.012,
    "ABAN": 0.006,
    "AOTH": 0.008,
    "CHNE": 0.002,
    "BCRB": 0.016,
    "BAFR": 0.032,
    "BOTH": 0.012,
    "OOTH": 0.016,
    "REFU": 0.004,
    "NOBT": 0.008,
}
"""Children who are not UASC; with UASC this gives DfE's 71% White, 11% Mixed, 5%
Asian, 8% Black, 4% other and 1% not known at 31 March."""
UASC_ETHNICITY = {"AOTH": 0.33, "BAFR": 0.32, "OOTH": 0.25, "BOTH": 0.05, "WOTH": 0.05}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
FICTIONAL_LA = HOME_LA
"""Pupil numbers use the fictional authority's number, 999, which no authority has."""
PUPIL_FROM_AGE = 5
"""Not law: a child under this age on the record's last day has no pupil number yet (UN1,
too young for school); DfE's rule 209 asks for one from 4 on the 31 August before the
year."""
MOTHERS_FROM_AGE = 14
"""Not law: the youngest a simulated girl in care becomes a mother (calibration; DfE's
rule 620 doubts a mother under 11)."""


def ethnicities(rng: np.random.Generator, uasc: npt.NDArray[np.bool_]) -> npt.NDArray[np.str_]:
    return np.where(
        uasc,
        choice(rng, (tuple(UASC_ETHNICITY), tuple(UASC_ETHNICITY.values())), len(uasc)),
        choice(rng, (tuple(ETHNICITY), tuple(ETHNICITY.values())), len(uasc)),
    )


def pupil_numbers(
    rng: np.random.Generator, dob: Days, uasc: npt.NDArray[np.bool_], on: int
) -> list[str]:
    """A well-formed UPN (check letter first) for school-age children; UN codes otherwise.

    UN1: under school age and never attended; UN2: never attended school in England.
    """
    size = len(dob)
    school = rng.integers(1000, 10000, size)
    entry_year = (to_dates("DOB", dob).dt.year().to_numpy() + 5) % 100
    serial = rng.integers(0, 1000, size)
    digits = [
        f"{FICTIONAL_LA}{s:04d}{y:02d}{n:03d}"
        for s, y, n in zip(school, entry_year, serial, strict=True)
    ]
    weights = range(2, 14)
    letters = [
        UPN_LETTERS[sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 23]
        for number in digits
    ]
    upn = np.array(
        [letter + number for letter, number in zip(letters, digits, strict=True)], dtype=object
    )
    too_young = age_in_years(dob, np.full(size, on)) < PUPIL_FROM_AGE
    return list(np.where(uasc, "UN2", np.where(too_young, "UN1", upn)))


def mothers(
    rng: np.random.Generator,
    male: npt.NDArray[np.bool_],
    dob: Days,
    first_start: Days,
    last_end: Days,
) -> tuple[pl.Series, pl.Series]:
    """MOTHER (0 or 1 for every girl: validator rules 165, 393) and MC_DOB, her child's
    date of birth, for the few who become mothers in care."""
    size = len(dob)
    from_age = np.maximum(birthdays(dob, MOTHERS_FROM_AGE), first_start)
    mother = (~male) & (rng.random(size) < 0.02) & (from_age < last_end)
    born = from_age + (rng.random(size) * np.maximum(last_end - from_age, 1)).astype(np.int64)
    flag = text_where("MOTHER", ~male, np.where(mother, "1", "0"))
    child_dob = pl.select(pl.when(pl.Series(mother)).then(to_dates("MC_DOB", born))).to_series()
    return flag, child_dob.alias("MC_DOB")
