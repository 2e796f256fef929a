"""The indicators report on small records whose answers are worked by hand."""

from datetime import date

import polars as pl

from carematters.indicators.report import DEFINITIONS, indicators_report, years_shown
from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.write_csv import conform
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")


def _record(
    episodes: list[tuple[str, str, date, date | None, str]], /, **more: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """A, a boy born June 2015, and B, a girl born January 2010, with these episodes
    (child, reason for new episode, start, end, placement type), and any `more` tables."""
    given = {
        "header": pl.DataFrame(
            {
                "CHILD": ["A", "B"],
                "SEX": ["1", "2"],
                "DOB": [date(2015, 6, 1), date(2010, 1, 1)],
                "ETHNIC": ["WBRI", "MWBC"],
            }
        ),
        "episodes": pl.DataFrame(
            episodes,
            schema={
                "CHILD": pl.String,
                "RNE": pl.String,
                "DECOM": pl.Date,
                "DEC": pl.Date,
                "PLACE": pl.String,
            },
            orient="row",
        ).with_columns(LS=pl.lit("C2"), CIN=pl.lit("N1")),
    }
    given |= more
    return {t.name: conform(given.get(t.name), t.columns) for t in RECORD_TABLES}


# A: in care since May 2024 and moved twice since (three placements in the year).
# B: in the same foster home since January 2020, and 15 on 31 March 2025.
MOVED_AND_SETTLED = _record(
    [
        ("A", "S", date(2024, 5, 1), date(2024, 8, 1), "U4"),
        ("A", "P", date(2024, 8, 1), date(2024, 12, 1), "U4"),
        ("A", "P", date(2024, 12, 1), None, "U1"),
        ("B", "S", date(2020, 1, 1), None, "U4"),
    ]
)


def _value(report: pl.DataFrame, indicator: str, year: str = "2024-25", group: str = "") -> float:
    found = report.filter(
        (pl.col("INDICATOR") == indicator) & (pl.col("YEAR") == year) & (pl.col("GROUP") == group)
    )
    assert found.height == 1, f"{indicator} {group} {year}: {found.height} rows"
    return float(found["VALUE"].item())


def test_figures_worked_by_hand():
    report = indicators_report(MOVED_AND_SETTLED, YEAR)
    assert _value(report, "at_31_march.in_care") == 2
    assert _value(report, "stability.three_or_more_placements_in_year") == 50
    assert _value(report, "stability.exactly_one_placement_in_year") == 50
    # Only B is under 16 and in care two and a half years; B has not moved in five.
    assert _value(report, "stability.long_term_stability") == 100
    # One child started in the year; two were in care on 31 March.
    assert _value(report, "flows.started_per_child_at_31_march") == 0.5
    # Kinship foster care (U1) is one of the two foster placements.
    assert _value(report, "at_31_march.kinship_share_of_foster") == 50
    assert _value(report, "at_31_march.sex", group="male") == 50


def test_earlier_years_show_only_what_the_record_covers():
    report = indicators_report(MOVED_AND_SETTLED, YEAR)
    # B has been in care since January 2020, so 2020-21 to 2023-24 are shown too.
    assert report["YEAR"].unique(maintain_order=True).to_list() == [
        "2020-21",
        "2021-22",
        "2022-23",
        "2023-24",
        "2024-25",
    ]
    # Before A came into care only B was looked after.
    assert _value(report, "at_31_march.in_care", year="2023-24") == 1
    recent = _record([("A", "S", date(2023, 9, 1), None, "U4")])
    assert [str(y) for y in years_shown(recent, YEAR)] == ["2023-24", "2024-25"]


def test_england_stands_beside_the_year_it_describes_and_no_other():
    report = indicators_report(MOVED_AND_SETTLED, YEAR)
    england = report.filter(pl.col("INDICATOR") == "stability.long_term_stability")
    assert england.filter(pl.col("YEAR") == "2024-25")["ENGLAND"].item() is not None
    assert england.filter(pl.col("YEAR") != "2024-25")["ENGLAND"].null_count() == 4
    # Nobody here is placed for adoption; England's share of it is still shown, beside 0.
    adoption = report.filter(
        (pl.col("INDICATOR") == "at_31_march.placement")
        & (pl.col("GROUP") == "placed_for_adoption")
        & (pl.col("YEAR") == "2024-25")
    )
    assert adoption["VALUE"].item() == 0 and adoption["ENGLAND"].item() == 2
    # A group seen in one year is 0% in the others, not missing from the trend.
    foster = report.filter(
        (pl.col("INDICATOR") == "at_31_march.placement") & (pl.col("GROUP") == "foster")
    )
    assert foster["YEAR"].to_list() == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert report.filter(
        (pl.col("INDICATOR") == "at_31_march.placement")
        & (pl.col("GROUP") == "placed_for_adoption")
    )["VALUE"].to_list() == [0, 0, 0, 0, 0]


def test_every_indicator_says_what_it_counts_and_where_it_comes_from():
    report = indicators_report(MOVED_AND_SETTLED, YEAR, population={"2024-25": 400})
    assert report.filter(pl.col("DEFINITION").is_null() | pl.col("SOURCE").is_null()).is_empty()
    assert set(report["INDICATOR"]) == set(DEFINITIONS)


def test_the_rate_per_10000_is_for_the_years_whose_child_population_is_given():
    without = indicators_report(MOVED_AND_SETTLED, YEAR)
    assert "at_31_march.rate_per_10000" not in set(without["INDICATOR"])
    # Two children in care out of 400 in the area: 50 per 10,000; one in 500 the year before.
    report = indicators_report(MOVED_AND_SETTLED, YEAR, population={"2024-25": 400, "2023-24": 500})
    assert _value(report, "at_31_march.rate_per_10000") == 50
    assert _value(report, "at_31_march.rate_per_10000", year="2023-24") == 20
    rate = report.filter(pl.col("INDICATOR") == "at_31_march.rate_per_10000")
    assert rate["YEAR"].to_list() == ["2023-24", "2024-25"]
    # England's rate is published for every year since 2021, so stands beside each.
    assert rate["ENGLAND"].to_list() == [69, 67]


def test_a_record_with_nobody_in_it_gives_every_indicator_and_no_invented_figures():
    report = indicators_report(_record([]), YEAR, population={"2024-25": 1000})
    assert report["YEAR"].unique().to_list() == ["2024-25"]
    assert set(report["INDICATOR"]) == set(DEFINITIONS)
    assert _value(report, "at_31_march.in_care") == 0
    assert _value(report, "at_31_march.rate_per_10000") == 0
    counts = [
        "at_31_march.in_care",
        "at_31_march.rate_per_10000",
        "adoption.adopted",
        "adoption.special_guardianship_orders",
    ]
    others = report.filter(~pl.col("INDICATOR").is_in(counts))
    assert others["VALUE"].null_count() == others.height


def test_care_leavers_worked_by_hand():
    # On 31 March 2025: L1 is 19, L2 is 21, L3 is 18, L4 is 17.
    leavers = pl.DataFrame(
        {
            "CHILD": ["L1", "L2", "L3", "L4"],
            "DOB": [date(2005, 6, 1), date(2004, 1, 1), date(2007, 1, 1), date(2007, 6, 1)],
            "IN_TOUCH": ["YES", "NO", "YES", "YES"],
            "ACTIV": ["F1", "0", "F2", "G6"],
            "ACCOM": ["U1", "0", "B1", "S2"],
            "YEAR": ["2024-25"] * 4,
        }
    )
    report = indicators_report(_record([], oc3=leavers, header=leavers.drop("YEAR")), YEAR)
    assert _value(report, "care_leavers.in_touch_19_21") == 50
    assert _value(report, "care_leavers.higher_education_19_21") == 50
    assert _value(report, "care_leavers.neet_19_21") == 0
    assert _value(report, "care_leavers.in_touch_17_18") == 100
    assert _value(report, "care_leavers.eet_17_18") == 50
    assert _value(report, "care_leavers.neet_17_18") == 50
    # L2's accommodation is not known (not in touch), so L1 alone is counted at 19-21.
    assert _value(report, "care_leavers.suitable_accommodation_19_21") == 100
    assert _value(report, "care_leavers.suitable_accommodation_17_18") == 50


def test_the_oc2_cohort_is_children_looked_after_a_year_without_a_break():
    def episode(child: str, start: date, legal: str = "C2") -> tuple[object, ...]:
        return (child, "S", start, None, "U4", legal, "N1")

    episodes = pl.DataFrame(
        [
            episode("A", date(2020, 1, 1)),  # counted: in care five years
            episode("B", date(2024, 5, 1)),  # not: eleven months on 31 March 2025
            episode("C", date(2019, 1, 1), legal="V3"),  # not: short breaks only
            episode("D", date(2023, 9, 1)),  # counted, though the record has no OC2 row
            episode("E", date(2024, 4, 1)),  # counted: a year to the day on 1 April 2024
        ],
        schema=["CHILD", "RNE", "DECOM", "DEC", "PLACE", "LS", "CIN"],
        orient="row",
    ).with_columns(pl.col("DEC").cast(pl.Date))
    oc2 = pl.DataFrame(
        {
            "CHILD": ["A", "B", "C", "E"],
            "HEALTH_ASSESSMENT": ["1", "1", "1", "0"],
            "SDQ_SCORE": [20, 30, 30, 10],
            "YEAR": ["2024-25"] * 4,
        },
        schema_overrides={"SDQ_SCORE": pl.Int64},
    )
    header = pl.DataFrame(
        {"CHILD": ["A", "B", "C", "D", "E"], "DOB": [date(2012, 1, 1)] * 4 + [date(2022, 1, 1)]}
    )
    report = indicators_report(_record([], episodes=episodes, oc2=oc2, header=header), YEAR)
    # A, D and E are the cohort; only A's health assessment is up to date.
    assert round(_value(report, "oc2.health_assessment_up_to_date"), 2) == 33.33
    # A and E have scores (20 and 10); only A's is of concern; B's and C's are not counted.
    assert _value(report, "oc2.sdq_average") == 15
    assert _value(report, "oc2.sdq_score_of_concern") == 50
    # Of A and D, aged 5 to 16, only A has a score; E (3) is too young to need one.
    assert _value(report, "oc2.sdq_received_5_16") == 50


def test_staying_put_counts_those_leaving_foster_care_at_18():
    header = pl.DataFrame(
        {"CHILD": ["P", "Q", "R"], "DOB": [date(2006, 7, 1), date(2006, 9, 1), date(2006, 5, 1)]}
    )
    episodes = pl.DataFrame(
        [
            ("P", "S", date(2020, 1, 1), date(2024, 7, 1), "U4", "E17"),  # stayed put
            ("Q", "S", date(2020, 1, 1), date(2024, 9, 1), "U6", "E8"),  # left foster care
            ("R", "S", date(2020, 1, 1), date(2024, 5, 1), "K2", "E8"),  # in a children's home
        ],
        schema=["CHILD", "RNE", "DECOM", "DEC", "PLACE", "REC"],
        orient="row",
    ).with_columns(LS=pl.lit("C2"), CIN=pl.lit("N1"))
    report = indicators_report(_record([], episodes=episodes, header=header), YEAR)
    assert _value(report, "care_leavers.staying_put_18") == 50


def test_adoption_timeliness_worked_by_hand():
    episodes = pl.DataFrame(
        [
            # X came into care on 1 January 2022, moved in with adopters on 1 July 2023
            # and was adopted on 1 July 2024; Y left care on a special guardianship order.
            ("X", "S", date(2022, 1, 1), date(2023, 7, 1), "U4", "E8"),
            ("X", "P", date(2023, 7, 1), date(2024, 7, 1), "A4", "E11"),
            ("Y", "S", date(2021, 3, 1), date(2024, 10, 1), "U1", "E45"),
        ],
        schema=["CHILD", "RNE", "DECOM", "DEC", "PLACE", "REC"],
        orient="row",
    ).with_columns(LS=pl.lit("C2"), CIN=pl.lit("N1"))
    header = pl.DataFrame({"CHILD": ["X", "Y"], "DOB": [date(2021, 7, 1), date(2015, 1, 1)]})
    report = indicators_report(_record([], episodes=episodes, header=header), YEAR)
    assert _value(report, "adoption.adopted") == 1
    assert _value(report, "adoption.special_guardianship_orders") == 1
    assert _value(report, "adoption.entry_to_adoption_days") == 912
    assert _value(report, "adoption.entry_to_placed_for_adoption_days") == 546
    assert _value(report, "adoption.placed_to_adopted_days") == 366
    assert _value(report, "adoption.average_age_years") == round(1096 / 365.25, 2)
