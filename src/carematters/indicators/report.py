"""The indicators as a table a person can read: each figure, this year and the years
before it, England's value beside it, and what it counts in plain words; a figure the
report could not work out says why instead of giving a number.

The figures come from `figures.py`; this module only lays them out, so the numbers a
director reads are the very numbers the synthetic authority is calibrated against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from carematters.geography import Places
from carematters.indicators.figures import Figures, NotComputed, figures_for
from carematters.indicators.national import england_by_year, national_figures
from carematters.records.record import Record
from carematters.ssda903.years import CollectionYear

YEARS_BACK = 4
"""How many earlier years a report shows beside the one asked for (DfE shows five)."""


@dataclass(frozen=True)
class Definition:
    """What one figure counts, said so a Lead Member can follow it: a heading, then the
    cohort rule (who is counted) in a sentence."""

    title: str
    words: str
    unit: str
    source: str


CLA = "DfE, Children looked after in England including adoptions"
OUTCOMES = "DfE, Outcomes for children in need, including children looked after"
DEFINITIONS: dict[str, Definition] = {
    "at_31_march.in_care": Definition(
        "Children looked after", "Children looked after on 31 March.", "children", CLA
    ),
    "at_31_march.rate_per_10000": Definition(
        "Rate of children looked after",
        "Children looked after on 31 March for every 10,000 children under 18 living in the "
        "authority's area, using the child population the report was given.",
        "per 10,000 children",
        CLA,
    ),
    "at_31_march.sex": Definition(
        "Sex", "Children looked after on 31 March, by sex.", "% of children", CLA
    ),
    "at_31_march.age": Definition(
        "Age", "Children looked after on 31 March, by age on that day.", "% of children", CLA
    ),
    "at_31_march.ethnicity": Definition(
        "Ethnic group", "Children looked after on 31 March, by ethnic group.", "% of children", CLA
    ),
    "at_31_march.category_of_need": Definition(
        "Why they came into care",
        "Children looked after on 31 March, by the main reason they came into care.",
        "% of children",
        CLA,
    ),
    "at_31_march.legal_status": Definition(
        "Legal status",
        "Children looked after on 31 March, by the legal basis of their care.",
        "% of children",
        CLA,
    ),
    "at_31_march.placement": Definition(
        "Where they live",
        "Children looked after on 31 March, by the kind of placement they live in.",
        "% of children",
        CLA,
    ),
    "at_31_march.kinship_share_of_foster": Definition(
        "Foster care with family and friends",
        "Of children in foster care on 31 March, the share living with relatives or friends.",
        "% of fostered children",
        CLA,
    ),
    "at_31_march.provider": Definition(
        "Who provides the placement",
        "Children looked after on 31 March, by who provides their placement.",
        "% of children",
        CLA,
    ),
    "at_31_march.outside_la_boundary": Definition(
        "Living outside the authority",
        "Children looked after on 31 March living outside the authority's own area, found "
        "from the placement's postcode; a postcode blank or not in the list of postcodes "
        "counts as not known, not as outside.",
        "% of children",
        CLA,
    ),
    "at_31_march.more_than_20_miles": Definition(
        "Living more than 20 miles from home",
        "Children looked after on 31 March placed more than 20 miles from the home they came "
        "from, in a straight line between the two postcodes; where either is blank or not in "
        "the list of postcodes (an unaccompanied child has no home postcode), the distance "
        "counts as not known, not as more than 20 miles.",
        "% of children",
        CLA,
    ),
    "at_31_march.uasc_share": Definition(
        "Unaccompanied asylum-seeking children",
        "Children looked after on 31 March who came as unaccompanied asylum-seeking children.",
        "% of children",
        CLA,
    ),
    "flows.started_per_child_at_31_march": Definition(
        "Children starting care",
        "Children who started to be looked after in the year, for each child in care on 31 March.",
        "per child in care",
        CLA,
    ),
    "flows.ceased_per_child_at_31_march": Definition(
        "Children leaving care",
        "Children who stopped being looked after in the year, for each child in care on 31 March.",
        "per child in care",
        CLA,
    ),
    "started_in_year.age": Definition(
        "Age on starting care",
        "Children who started to be looked after in the year, by age when they started.",
        "% of starters",
        CLA,
    ),
    "started_in_year.category_of_need": Definition(
        "Why children started care",
        "Children who started to be looked after in the year, by the main reason.",
        "% of starters",
        CLA,
    ),
    "started_in_year.legal_status": Definition(
        "Legal status on starting care",
        "Children who started to be looked after in the year, by legal basis when they started.",
        "% of starters",
        CLA,
    ),
    "started_in_year.uasc_share": Definition(
        "Unaccompanied children among those starting care",
        "Children who started to be looked after in the year who were unaccompanied "
        "asylum-seeking children.",
        "% of starters",
        CLA,
    ),
    "ceased_in_year.reason": Definition(
        "Why care ended",
        "Children who stopped being looked after in the year, by why their care ended.",
        "% of leavers",
        CLA,
    ),
    "ceased_in_year.aged_18_plus": Definition(
        "Leaving care at 18 or over",
        "Children who stopped being looked after in the year who were 18 or over.",
        "% of leavers",
        CLA,
    ),
    "stability.three_or_more_placements_in_year": Definition(
        "Three or more placements in the year",
        "Children looked after at any time in the year who lived in three or more "
        "placements during it.",
        "% of children",
        CLA,
    ),
    "stability.exactly_one_placement_in_year": Definition(
        "One placement all year",
        "Children looked after at any time in the year who stayed in one placement all year.",
        "% of children",
        CLA,
    ),
    "stability.long_term_stability": Definition(
        "Long-term stability",
        "Children under 16 on 31 March, in care for two and a half years or more, who have "
        "lived in the same placement for at least two years or are placed for adoption.",
        "% of those children",
        CLA,
    ),
    "stability.three_or_more_social_workers_in_year": Definition(
        "Three or more social workers in the year",
        "Children looked after on 31 March who had three or more social workers in the year.",
        "% of children",
        CLA,
    ),
    "missing.share_of_children_looked_after_in_year": Definition(
        "Children who went missing",
        "Children looked after at any time in the year who went missing at least once.",
        "% of children",
        CLA,
    ),
    "missing.incidents_per_child_who_went_missing": Definition(
        "Times missing, per child who went missing",
        "How many times, on average, a child who went missing did so in the year.",
        "incidents per child",
        CLA,
    ),
    "oc2.health_assessment_up_to_date": Definition(
        "Health assessments up to date",
        "Children in care without a break for a year or more on 31 March (other than for "
        "short breaks only) whose health assessment is up to date; a child with no health "
        "record for the year counts as not up to date.",
        "% of children",
        OUTCOMES,
    ),
    "oc2.immunisations": Definition(
        "Immunisations up to date",
        "Children in care for a year or more on 31 March whose immunisations are up to date.",
        "% of children",
        OUTCOMES,
    ),
    "oc2.dental_check": Definition(
        "Teeth checked",
        "Children in care for a year or more on 31 March who had their teeth checked in the year.",
        "% of children",
        OUTCOMES,
    ),
    "oc2.development_assessment_under_5": Definition(
        "Development checks for under-fives",
        "Of children under 5 in care for a year or more on 31 March, those whose "
        "development assessment is up to date.",
        "% of children under 5",
        OUTCOMES,
    ),
    "oc2.sdq_received_5_16": Definition(
        "Emotional and behavioural health: questionnaires completed",
        "Of children aged 5 to 16 in care for a year or more on 31 March, those with a "
        "Strengths and Difficulties Questionnaire score for the year.",
        "% of children aged 5 to 16",
        OUTCOMES,
    ),
    "oc2.sdq_average": Definition(
        "Emotional and behavioural health: average SDQ score",
        "The average Strengths and Difficulties Questionnaire score of children in care for "
        "a year or more who have one (17 or more is a cause for concern).",
        "score out of 40",
        OUTCOMES,
    ),
    "oc2.sdq_score_of_concern": Definition(
        "Emotional and behavioural health: a cause for concern",
        "Children in care for a year or more with a Strengths and Difficulties "
        "Questionnaire score of 17 or more, a cause for concern, out of those who have one.",
        "% of children with a score",
        OUTCOMES,
    ),
    "oc2.convicted_10_to_17": Definition(
        "Convicted or cautioned",
        "Children aged 10 to 17 in care for a year or more who were convicted or given a "
        "youth caution in the year.",
        "% of children",
        OUTCOMES,
    ),
    "oc2.substance_misuse": Definition(
        "Substance misuse",
        "Children in care for a year or more identified as having a substance misuse problem.",
        "% of children",
        OUTCOMES,
    ),
    "care_leavers.in_touch_17_18": Definition(
        "In touch with care leavers aged 17 and 18",
        "Care leavers aged 17 and 18 the authority was in touch with around their birthday.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.in_touch_19_21": Definition(
        "In touch with care leavers aged 19 to 21",
        "Care leavers aged 19 to 21 the authority was in touch with around their birthday.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.eet_17_18": Definition(
        "Care leavers aged 17 and 18 in education, employment or training",
        "Care leavers aged 17 and 18 in education, employment or training around their birthday.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.eet_19_21": Definition(
        "Care leavers aged 19 to 21 in education, employment or training",
        "Care leavers aged 19 to 21 in education, employment or training around their birthday.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.neet_17_18": Definition(
        "Care leavers aged 17 and 18 not in education, employment or training",
        "Care leavers aged 17 and 18 not in education, employment or training around their "
        "birthday, through illness or disability, pregnancy or parenting, or other reasons.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.neet_19_21": Definition(
        "Care leavers aged 19 to 21 not in education, employment or training",
        "Care leavers aged 19 to 21 not in education, employment or training around their "
        "birthday, through illness or disability, pregnancy or parenting, or other reasons.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.higher_education_19_21": Definition(
        "Care leavers aged 19 to 21 in higher education",
        "Care leavers aged 19 to 21 in higher education (university or similar) around "
        "their birthday.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.suitable_accommodation_17_18": Definition(
        "Care leavers aged 17 and 18 in suitable accommodation",
        "Care leavers aged 17 and 18, whose accommodation is known, living somewhere suitable.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.suitable_accommodation_19_21": Definition(
        "Care leavers aged 19 to 21 in suitable accommodation",
        "Care leavers aged 19 to 21, whose accommodation is known, living somewhere suitable.",
        "% of care leavers",
        CLA,
    ),
    "care_leavers.staying_put_18": Definition(
        "Staying Put at 18",
        "Young people whose care ended in the year on or after their 18th birthday while "
        "they lived with foster carers, who stayed on with those carers (DfE last published "
        "England's figure, about 60%, for 2021).",
        "% of those leaving foster care at 18",
        CLA,
    ),
    "adoption.adopted": Definition(
        "Children adopted",
        "Children whose care ended in the year because they were adopted.",
        "children",
        CLA,
    ),
    "adoption.special_guardianship_orders": Definition(
        "Special guardianship orders",
        "Children whose care ended in the year because a special guardianship order was made.",
        "children",
        CLA,
    ),
    "adoption.average_age_years": Definition(
        "Age at adoption",
        "The average age of children adopted from care in the year.",
        "years",
        CLA,
    ),
    "adoption.entry_to_adoption_days": Definition(
        "Time from care to adoption",
        "For children adopted in the year, the average time from coming into care to being "
        "adopted.",
        "days",
        CLA,
    ),
    "adoption.entry_to_placed_for_adoption_days": Definition(
        "Time from care to moving in with adopters",
        "For children adopted in the year, the average time from coming into care to moving "
        "in with their adoptive family.",
        "days",
        CLA,
    ),
    "adoption.placed_to_adopted_days": Definition(
        "Time from moving in with adopters to adoption",
        "For children adopted in the year, the average time from moving in with their "
        "adoptive family to the adoption order.",
        "days",
        CLA,
    ),
}
COLUMNS = (
    "AUTHORITY",
    "INDICATOR",
    "GROUP",
    "YEAR",
    "VALUE",
    "ENGLAND",
    "NOT_COMPUTED",
    "UNIT",
    "DEFINITION",
    "SOURCE",
)


def years_shown(record: Record, year: CollectionYear) -> list[CollectionYear]:
    """The year asked for and the earlier ones the record covers, oldest first.

    An earlier year counts only if the record reaches back to it (its first episode began
    by that year's 31 March): a record that starts in 2023 has nothing to say about 2021,
    and zeros there would mislead."""
    first_day: date | None = record.episodes.select(pl.col("DECOM").min()).item()
    earlier = [CollectionYear(year.start_year - back) for back in range(YEARS_BACK, 0, -1)]
    covered = [y for y in earlier if first_day is not None and first_day <= y.end]
    return [*covered, year]


def span(years: list[str]) -> str:
    """The years a report covers, as a heading says them: "2020-21 to 2024-25"."""
    return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _england(
    year: CollectionYear, national: dict[str, Any], series: pl.DataFrame
) -> dict[str, dict[str, object]]:
    """England's published figures for `year`: every figure in the year of the release,
    and the few DfE gives a long series for (volumes, rate) in the years before it."""
    found: dict[str, dict[str, object]] = {"at_31_march": {}, "flows": {}}
    if year.end.year == national["release_year"]:
        found = {key: value for key, value in national.items() if isinstance(value, dict)}
    published = series.filter(pl.col("YEAR") == str(year))
    if published.height:
        volumes = published.row(0, named=True)
        found["at_31_march"] = found["at_31_march"] | {
            "rate_per_10000": {"target": volumes["RATE_PER_10000"]}
        }
        found["flows"] = found["flows"] | {
            "started_per_child_at_31_march": {"target": volumes["STARTED"] / volumes["IN_CARE"]},
            "ceased_per_child_at_31_march": {"target": volumes["CEASED"] / volumes["IN_CARE"]},
        }
    return found


Row = tuple[str, str, str, float | None, float | None, str | None]
"""INDICATOR, GROUP, YEAR, VALUE, ENGLAND, NOT_COMPUTED (why there is no VALUE)."""


def _target(england: dict[str, dict[str, object]], section: str, name: str) -> float | None:
    spec = england.get(section, {}).get(name)
    return spec.get("target") if isinstance(spec, dict) else None


def _rows(
    figures: Figures, year: CollectionYear, england: dict[str, dict[str, object]]
) -> list[Row]:
    """One row per figure, or per group of a share; a share with nobody to divide up
    (no child left care this year, say) is one blank row, so no indicator goes missing.
    A figure not computed is one row with no value and the reason, beside England's."""
    rows: list[Row] = []
    for section, entries in figures.items():
        for name, value in entries.items():
            indicator = f"{section}.{name}"
            spec = england.get(section, {}).get(name)
            target = _target(england, section, name)
            if isinstance(value, NotComputed):
                rows.append((indicator, "", str(year), None, target, value.reason))
            elif value == {}:
                rows.append((indicator, "", str(year), None, None, None))
            elif isinstance(value, dict):
                shares = spec.get("shares", {}) if isinstance(spec, dict) else {}
                # A group England reports but nobody here is in is 0%, not absent.
                rows += [
                    (indicator, group, str(year), value.get(group, 0.0), shares.get(group), None)
                    for group in sorted(set(value) | set(shares))
                ]
            else:
                rows.append((indicator, "", str(year), float(value), target, None))
    return rows


def _every_group_every_year(frame: pl.DataFrame) -> pl.DataFrame:
    """A group of a share seen in any year is 0% in the other years that have anyone to
    share out, so a trend never has a gap where the truth was none."""
    key = ["INDICATOR", "GROUP", "YEAR"]
    order = pl.DataFrame({"INDICATOR": list(DEFINITIONS)}).with_row_index("AT")
    years = frame.filter(pl.col("GROUP") != "").select("INDICATOR", "YEAR").unique()
    groups = frame.filter(pl.col("GROUP") != "").select("INDICATOR", "GROUP").unique()
    shares = (
        groups.join(years, on="INDICATOR")
        .join(frame, on=key, how="left")
        .with_columns(pl.col("VALUE").fill_null(0.0))
        .select(frame.columns)
    )
    return (
        pl.concat([frame.filter(pl.col("GROUP") == ""), shares])
        .join(order, on="INDICATOR")
        .sort("YEAR", "AT", "GROUP")
        .drop("AT")
    )


def _rates(rows: list[Row], population: dict[str, int]) -> list[Row]:
    """Children in care per 10,000 children, in each year whose child population is known."""
    rates: list[Row] = []
    for indicator, _, shown, value, _, _ in rows:
        if indicator == "at_31_march.in_care" and shown in population:
            rate = None if value is None else 10_000 * value / population[shown]
            rates.append(("at_31_march.rate_per_10000", "", shown, rate, None, None))
    return rates


def indicators_report(
    record: Record,
    year: CollectionYear,
    population: dict[str, int] | None = None,
    authority: str = "",
    *,
    places: Places | None = None,
) -> pl.DataFrame:
    """Every indicator for `year` and the earlier years the record covers, for the
    authority named; with the number of children under 18 in its area in some of those
    years (by year label), the rate per 10,000 in those years as well; with `places`
    (a list of postcodes and the authority's code), where children are placed.

    One row per figure, or per group of a share, and year: AUTHORITY, INDICATOR, GROUP
    ("" for a single figure), YEAR (e.g. 2024-25), VALUE (null where nobody was counted
    or the figure was not computed), ENGLAND (DfE's published figure for the year, if
    any), NOT_COMPUTED (why there is no VALUE when the report lacked something it needs,
    e.g. "needs a list of postcodes (--postcodes)"; null otherwise), UNIT, DEFINITION
    and SOURCE."""
    national = national_figures()
    shown = years_shown(record, year)
    series = england_by_year()
    englands = {str(y): _england(y, national, series) for y in shown}
    rows = [
        row
        for one in shown
        for row in _rows(figures_for(record, one, places), one, englands[str(one)])
    ]
    rates = _rates(rows, population or {})
    rows += [
        (*rate[:4], _target(englands[rate[2]], "at_31_march", "rate_per_10000"), None)
        for rate in rates
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "INDICATOR": pl.String,
            "GROUP": pl.String,
            "YEAR": pl.String,
            "VALUE": pl.Float64,
            "ENGLAND": pl.Float64,
            "NOT_COMPUTED": pl.String,
        },
        orient="row",
    )
    meaning = pl.DataFrame(
        [(key, d.unit, d.words, d.source) for key, d in DEFINITIONS.items()],
        schema={
            "INDICATOR": pl.String,
            "UNIT": pl.String,
            "DEFINITION": pl.String,
            "SOURCE": pl.String,
        },
        orient="row",
    )
    return (
        _every_group_every_year(frame)
        .join(meaning, on="INDICATOR", how="left")
        .with_columns(
            pl.lit(authority).alias("AUTHORITY"),
            pl.col("VALUE").fill_nan(None).round(2),
            pl.col("ENGLAND").round(2),
        )
        .select(COLUMNS)
    )
