"""DfE's figures for one collection year, measured on a record as DfE measures England's.

Each figure is computed from the care record (`carematters.records.record.Record`) the
way the national statistics define it ("Children looked after in England including
adoptions"), grouped as `national.yaml` groups England's own figures, so the two can
stand side by side: in the indicators report, and when calibrating the synthetic
authority. Periods of care and who is looked after on a day are the package's own
(`carematters.records.periods`); codes that mean one thing together are asked for by
their group in the code lists (`code_group`).

Where placements are (which authority's area, how far from home) is not in the record:
it needs a list of postcodes and the authority's code (`carematters.geography.Places`).
Without them those figures are `NotComputed`, with the reason, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from carematters.calendar.birthdays import age_on
from carematters.cohorts import looked_after_a_year
from carematters.geography import Places, placed
from carematters.records.allocations import social_workers_between
from carematters.records.periods import looked_after_on, periods_of_care
from carematters.records.record import Record
from carematters.ssda903.codelists import code_group
from carematters.ssda903.years import CollectionYear


@dataclass(frozen=True)
class NotComputed:
    """A figure the report could not work out from what it was given, and why, in words
    that name what it needs ("needs a list of postcodes (--postcodes)"): shown as not
    measured, never as a zero or a share that would read as a result."""

    reason: str


Figure = float | dict[str, float] | NotComputed
Figures = dict[str, dict[str, Figure]]
"""Sections and figures as `indicators/national.yaml` names them; a share is a dict of
groups, and a figure the report could not work out is `NotComputed`."""

# The groupings below are DfE's publication's categories (the groups of national.yaml);
# where a code list's group is exactly one of them, it is taken from the list.
AGE_BANDS = (
    (0, 1, "under_1"),
    (1, 5, "1_4"),
    (5, 10, "5_9"),
    (10, 16, "10_15"),
    (16, 99, "16_plus"),
)
ETHNIC_GROUPS = {
    "W": "white",
    "M": "mixed",
    "A": "asian",
    "C": "asian",
    "B": "black",
    "O": "other",
    "R": "not_known",
    "N": "not_known",
}
LEGAL_GROUPS = {
    "C1": "interim_care_order",
    "C2": "full_care_order",
    "E1": "placement_order",
    "D1": "placement_order",
    "V2": "section_20",
    "J1": "youth_justice",
    "J2": "youth_justice",
    "J3": "youth_justice",
    "L1": "police_protection",
    "L2": "emergency_protection",
    "L3": "other",
}
PLACEMENT_GROUPS = {
    **dict.fromkeys(code_group("placement_type", "foster"), "foster"),
    **dict.fromkeys(("K1", "K2"), "homes"),
    **dict.fromkeys(("H5", "P2", "K3"), "independent_supported"),
    "P1": "with_parents",
    **dict.fromkeys(code_group("placement_type", "placed_for_adoption"), "placed_for_adoption"),
    **dict.fromkeys(("R1", "R2", "R3", "R5", "S1"), "other_residential"),
}
PROVIDER_GROUPS = {
    "PR1": "own_la",
    "PR4": "private",
    "PR5": "voluntary",
    "PR2": "other_public",
    "PR3": "other_public",
    "PR0": "parents",
}
CEASED_GROUPS = {
    **dict.fromkeys(code_group("reason_episode_ceased", "returned_home"), "returned_home"),
    "E13": "relatives_no_pr",
    **dict.fromkeys(code_group("reason_episode_ceased", "adopted"), "adopted"),
    **dict.fromkeys(
        code_group("reason_episode_ceased", "special_guardianship"), "special_guardianship"
    ),
    "E41": "child_arrangements",
    "E5": "independent_living",
    "E6": "independent_living",
    "E17": "stayed_with_carers_18",
    "E7": "adult_social_care",
    "E9": "custody",
    "E3": "transferred",
}
EET = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")
NEET = ("G4", "G5", "G6")
"""Not in education, employment or training: through illness or disability, as a young
parent, or for other reasons."""
SDQ_CONCERN = 17
"""The SDQ total at which DfE counts a child's emotional and behavioural health as a
cause for concern (scores run 0 to 40)."""


NOBODY = float("nan")
"""A figure with nobody to count (no child adopted this year, say): not a zero, which
would read as a result, but a gap, which the report shows blank."""
MILES_FROM_HOME = 20
"""DfE counts children placed more than this many miles from home (PL_DISTANCE)."""
POSTCODE_LIST = "a list of postcodes (--postcodes)"
LA_CODE = "the authority's code (--la-code)"


def _ratio(part: object, whole: int) -> float:
    return float(part) / whole if whole else NOBODY  # type: ignore[arg-type]


def _percent(part: object, whole: int) -> float:
    """`part` as a percentage of `whole`."""
    return 100.0 * _ratio(part, whole)


def _known(value: object) -> float:
    """A mean Polars gives as None when there was nothing to average."""
    return NOBODY if value is None else float(value)  # type: ignore[arg-type]


def _shares(values: pl.Series, groups: dict[str, str] | None = None) -> dict[str, float]:
    named = values.replace_strict(groups, default="other") if groups is not None else values
    counts = named.value_counts()
    total = max(int(counts["count"].sum()), 1)
    return {str(k): 100.0 * int(v) / total for k, v in counts.iter_rows()}


def _band(age: pl.Expr) -> pl.Expr:
    expr = pl.lit("16_plus")
    for low, high, name in reversed(AGE_BANDS[:-1]):
        expr = pl.when((age >= low) & (age < high)).then(pl.lit(name)).otherwise(expr)
    return expr


def where_placed(now: pl.DataFrame, places: Places | None) -> dict[str, Figure]:
    """Of the children in `now` (one episode each, with HOME_POST and PL_POST), the
    percentage placed outside the authority's area (see `_outside`) and more than 20
    miles from home (DfE's PL_DISTANCE, see `carematters.geography.placed`). A child
    whose postcode is blank or not in the list (an unaccompanied child has no home
    postcode) counts in neither, as DfE's "not known" does; without the list or the
    code, the figure needing it is not computed."""
    if places is None:
        return {
            "outside_la_boundary": NotComputed(f"needs {POSTCODE_LIST} and {LA_CODE}"),
            "more_than_20_miles": NotComputed(f"needs {POSTCODE_LIST}"),
        }
    located = placed(now, places.postcodes)
    far = (located["PL_DISTANCE"] > MILES_FROM_HOME).sum()
    return {
        "outside_la_boundary": _outside(located, places),
        "more_than_20_miles": _percent(far, now.height),
    }


def _outside(located: pl.DataFrame, places: Places) -> Figure:
    """The percentage of `located` (`placed` episodes) whose placement postcode's LA is
    known and is not the authority's code."""
    if places.la_code is None:
        return NotComputed(f"needs {LA_CODE}")
    code = places.la_code.strip()
    if not (places.postcodes["LA"].cast(pl.String).str.strip_chars() == code).any():
        # The code in another form than the list's (DfE's 202 beside ONS's E09000007)
        # would put every child outside the authority.
        return NotComputed(
            f"needs {LA_CODE} as the list of postcodes writes it: no postcode in the list "
            f"is in {code}"
        )
    away = located["PL_LA"].str.strip_chars() != code
    return _percent(away.sum(), located.height)


def at_31_march(record: Record, year: CollectionYear, places: Places | None = None) -> Figures:
    """Who is in care on 31 March, and where, by DfE's groupings."""
    end = year.end
    now = looked_after_on(record.episodes, end).join(record.header, on="CHILD", how="left")
    age = _band(age_on(pl.col("DOB"), end))
    foster = now.filter(pl.col("PLACE").is_in(code_group("placement_type", "foster")))
    uasc = record.uasc.filter(pl.col("DUC").is_null() | (pl.col("DUC") > end))
    count = now.height
    return {
        "at_31_march": {
            "in_care": float(now.height),
            "sex": _shares(now["SEX"], {"M": "male", "1": "male", "F": "female", "2": "female"}),
            "age": _shares(now.select(age).to_series()),
            "ethnicity": _shares(now["ETHNIC"].str.slice(0, 1), ETHNIC_GROUPS),
            "category_of_need": _shares(now["CIN"]),
            "legal_status": _shares(now["LS"], LEGAL_GROUPS),
            "placement": _shares(now["PLACE"], PLACEMENT_GROUPS),
            "kinship_share_of_foster": _percent(
                foster["PLACE"]
                .is_in(code_group("placement_type", "foster_with_connected_persons"))
                .sum(),
                foster.height,
            ),
            "provider": _shares(now["PLACE_PROVIDER"], PROVIDER_GROUPS),
            **where_placed(now, places),
            "uasc_share": _percent(now["CHILD"].is_in(uasc["CHILD"].implode()).sum(), count),
        }
    }


def _in_year(column: str, year: CollectionYear) -> pl.Expr:
    return (pl.col(column) >= year.start) & (pl.col(column) <= year.end)


def flows(record: Record, year: CollectionYear) -> Figures:
    """Who started and who left care during the year: a child starts with the first
    episode of a period of care (`periods_of_care`), and leaves with an episode that
    ceased for any reason but still being looked after."""
    episodes = periods_of_care(record.episodes).join(record.header, on="CHILD", how="left")
    started = episodes.filter((pl.col("PERIOD_START") == pl.col("DECOM")) & _in_year("DECOM", year))
    still = code_group("reason_episode_ceased", "still_looked_after")
    ceased = episodes.filter(
        pl.col("REC").is_not_null() & ~pl.col("REC").is_in(still) & _in_year("DEC", year)
    )
    uasc = record.uasc["CHILD"].implode()
    stock = looked_after_on(record.episodes, year.end).height
    ages_at_ceasing = ceased.select(age_on(pl.col("DOB"), pl.col("DEC"))).to_series()
    return {
        "flows": {
            "started_per_child_at_31_march": _ratio(started.height, stock),
            "ceased_per_child_at_31_march": _ratio(ceased.height, stock),
        },
        "started_in_year": {
            "age": _shares(
                started.select(_band(age_on(pl.col("DOB"), pl.col("DECOM")))).to_series()
            ),
            "category_of_need": _shares(started["CIN"]),
            "legal_status": _shares(started["LS"], LEGAL_GROUPS),
            "uasc_share": _percent(started["CHILD"].is_in(uasc).sum(), started.height),
        },
        "ceased_in_year": {
            "reason": _shares(ceased["REC"], CEASED_GROUPS),
            "aged_18_plus": _percent((ages_at_ceasing >= 18).sum(), ceased.height),
        },
    }


def stability(record: Record, year: CollectionYear) -> Figures:
    """Placement moves, long-term stability and social worker changes in the year."""
    episodes = record.episodes
    during = episodes.filter(
        (pl.col("DECOM") <= year.end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= year.start))
    )
    # The placement a child was in on 1 April counts, whatever began its episode.
    placements = during.filter(
        pl.col("RNE").is_in(code_group("reason_new_episode", "new_placement"))
        | (pl.col("DECOM") < year.start)
    )
    counted = placements.group_by("CHILD").len()
    looked_after = during["CHILD"].n_unique()
    now = looked_after_on(episodes, year.end).join(record.header, on="CHILD", how="left")
    long_stay = now.filter(
        (age_on(pl.col("DOB"), year.end) < 16)
        & (pl.col("PERIOD_START") <= year.end - timedelta(days=int(2.5 * 365.25)))
    )
    stable = long_stay.filter(
        (pl.col("PLACEMENT_START") <= year.end - timedelta(days=2 * 365))
        | pl.col("PLACE").is_in(code_group("placement_type", "placed_for_adoption"))
    )
    per_child = social_workers_between(record.sw_episodes, year.start, year.end).filter(
        pl.col("CHILD").is_in(now["CHILD"].implode())
    )
    return {
        "stability": {
            "three_or_more_placements_in_year": _percent((counted["len"] >= 3).sum(), looked_after),
            "exactly_one_placement_in_year": _percent((counted["len"] == 1).sum(), looked_after),
            "long_term_stability": _percent(stable.height, long_stay.height),
            "three_or_more_social_workers_in_year": _percent(
                (per_child["SOCIAL_WORKERS"] >= 3).sum(), now.height
            ),
        }
    }


def missing(record: Record, year: CollectionYear) -> Figures:
    """Children who went missing in the year, and how often."""
    during = record.episodes.filter(
        (pl.col("DECOM") <= year.end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= year.start))
    )
    incidents = record.missing.filter(_in_year("MIS_START", year))
    children = incidents["CHILD"].n_unique()
    return {
        "missing": {
            "share_of_children_looked_after_in_year": _percent(
                children, during["CHILD"].n_unique()
            ),
            "incidents_per_child_who_went_missing": _ratio(incidents.height, children),
        }
    }


def continuously_looked_after(record: Record, year: CollectionYear) -> pl.DataFrame:
    """DfE's OC2 cohort (`carematters.cohorts`), with each child's OC2 row for the year
    joined on; a child of the cohort without one counts as not up to date, since that is
    how their record would read to an inspector."""
    cohort = looked_after_a_year(record.episodes, year)
    rows = record.oc2.filter(pl.col("YEAR") == str(year)).unique("CHILD", keep="first")
    return (
        cohort.join(record.header.select("CHILD", "DOB"), on="CHILD", how="left")
        .join(rows, on="CHILD", how="left")
        .with_columns(AGE=age_on(pl.col("DOB"), year.end))
    )


def _share(frame: pl.DataFrame, expr: pl.Expr) -> float:
    """The percentage of `frame`'s rows for which `expr` holds."""
    return _percent(frame.select(expr.sum()).item(), frame.height)


def oc2(record: Record, year: CollectionYear) -> Figures:
    """Health, wellbeing and offending of children looked after for a year or more."""
    cohort = continuously_looked_after(record, year)
    sdq_age = cohort.filter(pl.col("AGE").is_between(5, 16))
    scored = cohort.filter(pl.col("SDQ_SCORE").is_not_null())
    return {
        "oc2": {
            "health_assessment_up_to_date": _share(cohort, pl.col("HEALTH_ASSESSMENT") == "1"),
            "immunisations": _share(cohort, pl.col("IMMUNISATIONS") == "1"),
            "dental_check": _share(cohort, pl.col("TEETH_CHECK") == "1"),
            "development_assessment_under_5": _share(
                cohort.filter(pl.col("AGE") < 5), pl.col("HEALTH_CHECK") == "1"
            ),
            "sdq_received_5_16": _share(sdq_age, pl.col("SDQ_SCORE").is_not_null()),
            "sdq_average": _known(scored.select(pl.col("SDQ_SCORE").mean()).item()),
            "sdq_score_of_concern": _share(scored, pl.col("SDQ_SCORE") >= SDQ_CONCERN),
            "convicted_10_to_17": _share(
                cohort.filter(pl.col("AGE").is_between(10, 17)), pl.col("CONVICTED") == "1"
            ),
            "substance_misuse": _share(cohort, pl.col("SUBSTANCE_MISUSE") == "1"),
        }
    }


def care_leavers(record: Record, year: CollectionYear) -> Figures:
    """How care leavers are doing around their birthdays in the year (OC3), and whether
    those leaving foster care at 18 stayed on with their carers (Staying Put)."""
    oc3 = (
        record.oc3.filter(pl.col("YEAR") == str(year))
        .join(record.header, on="CHILD", how="left")
        .with_columns(AGE=age_on(pl.col("DOB"), year.end))
    )
    young = oc3.filter(pl.col("AGE") <= 18)
    old = oc3.filter(pl.col("AGE") >= 19)

    def suitable(frame: pl.DataFrame) -> float:
        known = frame.filter(pl.col("ACCOM").is_not_null() & (pl.col("ACCOM") != "0"))
        return _share(known, pl.col("ACCOM").str.ends_with("1"))

    studying = pl.col("ACTIV").is_in(code_group("oc3_activity", "higher_education"))
    return {
        "care_leavers": {
            "in_touch_17_18": _share(young, pl.col("IN_TOUCH") == "YES"),
            "in_touch_19_21": _share(old, pl.col("IN_TOUCH") == "YES"),
            "eet_17_18": _share(young, pl.col("ACTIV").is_in(EET)),
            "eet_19_21": _share(old, pl.col("ACTIV").is_in(EET)),
            "neet_17_18": _share(young, pl.col("ACTIV").is_in(NEET)),
            "neet_19_21": _share(old, pl.col("ACTIV").is_in(NEET)),
            "higher_education_19_21": _share(old, studying),
            "suitable_accommodation_17_18": suitable(young),
            "suitable_accommodation_19_21": suitable(old),
            "staying_put_18": staying_put(record, year),
        },
    }


def staying_put(record: Record, year: CollectionYear) -> float:
    """Of young people whose care ended in the year at 18 while in foster care, the
    share who stayed on with their foster carers (ceased with reason E17)."""
    left_at_18 = (
        record.episodes.filter(
            _in_year("DEC", year) & pl.col("PLACE").is_in(code_group("placement_type", "foster"))
        )
        .join(record.header.select("CHILD", "DOB"), on="CHILD", how="left")
        .filter(age_on(pl.col("DOB"), pl.col("DEC")) == 18)
    )
    return _share(
        left_at_18, pl.col("REC").is_in(code_group("reason_episode_ceased", "staying_put"))
    )


def adoption(record: Record, year: CollectionYear) -> Figures:
    """Children adopted or leaving care on a special guardianship order in the year, and
    how long it took from coming into care to each step towards adoption."""
    episodes = periods_of_care(record.episodes)
    guardianship = code_group("reason_episode_ceased", "special_guardianship")
    orders = episodes.filter(pl.col("REC").is_in(guardianship) & _in_year("DEC", year)).height
    adopted = episodes.filter(
        pl.col("REC").is_in(code_group("reason_episode_ceased", "adopted")) & _in_year("DEC", year)
    ).join(record.header, on="CHILD", how="left")
    with_adopters = (
        episodes.filter(pl.col("PLACE").is_in(code_group("placement_type", "placed_for_adoption")))
        .group_by("CHILD")
        .agg(pl.col("DECOM").min().alias("PLACED"))
    )
    adopted = adopted.join(with_adopters, on="CHILD", how="left")
    days = (pl.col("DEC") - pl.col("PERIOD_START")).dt.total_days()
    return {
        "adoption": {
            "adopted": float(adopted.height),
            "special_guardianship_orders": float(orders),
            "average_age_years": _known(
                adopted.select(
                    ((pl.col("DEC") - pl.col("DOB")).dt.total_days() / 365.25).mean()
                ).item()
            ),
            "entry_to_adoption_days": _known(adopted.select(days.mean()).item()),
            "entry_to_placed_for_adoption_days": _known(
                adopted.select(
                    (pl.col("PLACED") - pl.col("PERIOD_START")).dt.total_days().mean()
                ).item()
            ),
            "placed_to_adopted_days": _known(
                adopted.select((pl.col("DEC") - pl.col("PLACED")).dt.total_days().mean()).item()
            ),
        }
    }


def figures_for(record: Record, year: CollectionYear, places: Places | None = None) -> Figures:
    """Every calibration figure for one collection year; where placements are only with
    `places` (see `where_placed`)."""
    return (
        at_31_march(record, year, places)
        | flows(record, year)
        | stability(record, year)
        | missing(record, year)
        | oc2(record, year)
        | care_leavers(record, year)
        | adoption(record, year)
    )
