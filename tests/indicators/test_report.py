"""The indicators report on small records whose answers are worked by hand."""

from datetime import date

import polars as pl

from carematters.geography import Places, fictional_places, placed
from carematters.indicators.report import DEFINITIONS, indicators_report, years_shown
from carematters.records.record import Record
from carematters.ssda903.years import CollectionYear

YEAR = CollectionYear.parse("2024-25")


def _record(
    episodes: list[tuple[str, str, date, date | None, str, str | None]], /, **more: pl.DataFrame
) -> Record:
    """A, a boy born June 2015, and B, a girl born January 2010, with these episodes
    (child, reason for new episode, start, end, placement type, reason ceased), and any
    `more` tables."""
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
                "REC": pl.String,
            },
            orient="row",
        ).with_columns(LS=pl.lit("C2"), CIN=pl.lit("N1")),
    }
    return Record.of(given | more)


# A: in care since May 2024 and moved twice since (three placements in the year), each
# move ending one episode and beginning the next the same day (X1).
# B: in the same foster home since January 2020, and 15 on 31 March 2025.
MOVED_AND_SETTLED = _record(
    [
        ("A", "S", date(2024, 5, 1), date(2024, 8, 1), "U4", "X1"),
        ("A", "P", date(2024, 8, 1), date(2024, 12, 1), "U4", "X1"),
        ("A", "P", date(2024, 12, 1), None, "U1", None),
        ("B", "S", date(2020, 1, 1), None, "U4", None),
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
    recent = _record([("A", "S", date(2023, 9, 1), None, "U4", None)])
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
            # (staying looked after, X1) and was adopted on 1 July 2024; Y left care on a
            # special guardianship order.
            ("X", "S", date(2022, 1, 1), date(2023, 7, 1), "U4", "X1"),
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


# Three children looked after on 31 March 2025, each in one placement, for the authority
# with code 202. Postcodes are fictional (Z areas); positions are metres on the grid.
AUTHORITY = "202"
POSTCODES = pl.DataFrame(
    {
        "POSTCODE": ["ZA1 1AA", "ZA2 2AB", "ZA1 2BB", "ZB1 3DD", "ZA9 4EE"],
        "LA": [AUTHORITY, AUTHORITY, AUTHORITY, "203", AUTHORITY],
        "X": [530_000.0, 500_000.0, 533_000.0, 560_000.0, 536_000.0],
        "Y": [180_000.0, 200_000.0, 184_000.0, 220_000.0, 248_000.0],
    }
)
# Each distance is the straight line between the grid positions, over DfE's mile of
# 1,609.3 metres, to one decimal place:
#   C1, home ZA1 1AA to ZA1 2BB: (3,000, 4,000) m apart, 5,000 m / 1,609.3 = 3.1 miles;
#       the placement is in 202, the authority's own area.
#   C2, home ZA1 1AA to ZB1 3DD: (30,000, 40,000) m apart, 50,000 m / 1,609.3 = 31.1
#       miles; the placement is in 203, outside the authority.
#   C3, home ZA2 2AB to ZA9 4EE: (36,000, 48,000) m apart, 60,000 m / 1,609.3 = 37.3
#       miles; the placement is in 202, far off but inside the authority.
# So one child in three lives outside the authority (33.33%) and two in three more than
# 20 miles from home (66.67%).
PLACED = _record(
    [],
    header=pl.DataFrame({"CHILD": ["C1", "C2", "C3"], "DOB": [date(2012, 1, 1)] * 3}),
    episodes=pl.DataFrame(
        {
            "CHILD": ["C1", "C2", "C3"],
            "RNE": ["S"] * 3,
            "DECOM": [date(2024, 6, 1)] * 3,
            "PLACE": ["U4"] * 3,
            # The record may write a postcode in any case and spacing.
            "HOME_POST": ["ZA1 1AA", "za11aa", "ZA2 2AB"],
            "PL_POST": ["ZA1 2BB", "ZB1 3DD", "ZA9 4EE"],
        }
    ),
)


def _not_computed(report: pl.DataFrame, indicator: str) -> str | None:
    found = report.filter((pl.col("INDICATOR") == indicator) & (pl.col("YEAR") == "2024-25"))
    assert found.height == 1
    return found["NOT_COMPUTED"].item()


def test_where_children_live_is_measured_from_the_postcode_list_and_the_authority():
    located = placed(PLACED.episodes, POSTCODES).sort("CHILD")
    assert located["PL_DISTANCE"].to_list() == [3.1, 31.1, 37.3]
    assert located["PL_LA"].to_list() == [AUTHORITY, "203", AUTHORITY]
    report = indicators_report(PLACED, YEAR, places=Places(POSTCODES, la_code=AUTHORITY))
    assert _value(report, "at_31_march.outside_la_boundary") == 33.33
    assert _value(report, "at_31_march.more_than_20_miles") == 66.67
    assert _not_computed(report, "at_31_march.outside_la_boundary") is None
    assert report["NOT_COMPUTED"].null_count() == report.height


def test_without_the_postcode_list_where_children_live_is_not_computed_and_says_why():
    report = indicators_report(PLACED, YEAR)
    for indicator in ("at_31_march.outside_la_boundary", "at_31_march.more_than_20_miles"):
        row = report.filter((pl.col("INDICATOR") == indicator) & (pl.col("YEAR") == "2024-25"))
        # No figure at all (not 0% or 100%), and England's still beside it.
        assert row["VALUE"].item() is None
        assert row["ENGLAND"].item() is not None
    assert _not_computed(report, "at_31_march.outside_la_boundary") == (
        "needs a list of postcodes (--postcodes) and the authority's code (--la-code)"
    )
    assert _not_computed(report, "at_31_march.more_than_20_miles") == (
        "needs a list of postcodes (--postcodes)"
    )
    # Every other figure was computed.
    assert report["NOT_COMPUTED"].drop_nulls().len() == 2


def test_without_the_authoritys_code_distances_are_measured_but_not_the_boundary():
    report = indicators_report(PLACED, YEAR, places=Places(POSTCODES))
    assert _value(report, "at_31_march.more_than_20_miles") == 66.67
    assert _not_computed(report, "at_31_march.outside_la_boundary") == (
        "needs the authority's code (--la-code)"
    )


def test_a_postcode_not_in_the_list_is_not_known_so_neither_outside_nor_far():
    # C2's placement postcode is missing from the list: of the three, only C3 (37.3
    # miles, inside) is known to be far, and nobody is known to be outside.
    postcodes = POSTCODES.filter(pl.col("POSTCODE") != "ZB1 3DD")
    report = indicators_report(PLACED, YEAR, places=Places(postcodes, la_code=AUTHORITY))
    assert _value(report, "at_31_march.outside_la_boundary") == 0
    assert _value(report, "at_31_march.more_than_20_miles") == 33.33


def test_an_authority_code_the_list_does_not_use_is_not_taken_to_mean_everyone_is_outside():
    # The list gives DfE's codes (202); the authority given in ONS's form is in no row of
    # it, so every placement would look outside: not computed instead, saying why.
    report = indicators_report(PLACED, YEAR, places=Places(POSTCODES, la_code="E09000007"))
    assert _not_computed(report, "at_31_march.outside_la_boundary") == (
        "needs the authority's code (--la-code) as the list of postcodes writes it: "
        "no postcode in the list is in E09000007"
    )
    assert _value(report, "at_31_march.more_than_20_miles") == 66.67


def test_the_synthetic_authority_is_measured_on_its_own_fictional_map():
    # D1 lives and is placed in the authority's area, ZZ (LA 999); D2 is placed in ZA,
    # the nearest neighbouring fictional area.
    episodes = pl.DataFrame(
        {
            "CHILD": ["D1", "D2"],
            "RNE": ["S", "S"],
            "DECOM": [date(2024, 6, 1)] * 2,
            "PLACE": ["U4", "U4"],
            "HOME_POST": ["ZZ1 1AB", "ZZ2 1AB"],
            "PL_POST": ["ZZ3 2BD", "ZA4 3DE"],
        }
    )
    record = _record([], episodes=episodes, header=pl.DataFrame({"CHILD": ["D1", "D2"]}))
    places = fictional_places(pl.concat([episodes["HOME_POST"], episodes["PL_POST"]]))
    report = indicators_report(record, YEAR, places=places)
    assert _value(report, "at_31_march.outside_la_boundary") == 50
