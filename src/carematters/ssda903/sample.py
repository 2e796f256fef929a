"""A made-up return whose every value is well-formed for its year, from a seed.

This is test and benchmark material for the data layer: each table has the right
columns, codes valid for the year and dates in order, but the children's journeys
are not realistic (that is the synthetic authority's job). Names of places are
fictional: postcodes use the ZZ99 pseudo-area, which no real address has.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from carematters.ssda903.codelists import code_list
from carematters.ssda903.tables import TABLES, tables_in
from carematters.ssda903.years import CollectionYear

Rows = dict[str, list[object]]


def _codes(name: str, year: CollectionYear) -> list[str]:
    return sorted(code_list(name).valid_codes(year))


class _Builder:
    """Draws every child in turn from one seeded generator, so a seed gives one return."""

    def __init__(self, year: CollectionYear, seed: int) -> None:
        self.year = year
        self.random = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        self.rows: dict[str, Rows] = {
            t.name: {c.name: [] for c in t.columns_in(year)} for t in tables_in(year)
        }
        self.codes = {
            name: _codes(name, year)
            for name in (
                "sex",
                "ethnicity",
                "legal_status",
                "category_of_need",
                "placement_type",
                "placement_provider",
                "review_participation",
                "missing_type",
            )
        }

    def add(self, table: str, **values: object) -> None:
        for column, cells in self.rows[table].items():
            cells.append(values.get(column))

    def pick(self, name: str) -> str:
        return self.random.choice(self.codes[name])

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.random.randint(0, max((last - first).days, 0)))

    def child(self, number: int) -> None:
        child = f"{number:06d}"
        end = self.year.end
        dob = self.day_between(end - timedelta(days=17 * 365), end - timedelta(days=30))
        sex = self.pick("sex")
        self.add("header", CHILD=child, SEX=sex, DOB=dob, ETHNIC=self.pick("ethnicity"), UPN="UN1")
        start = self.day_between(max(dob, self.year.start - timedelta(days=700)), end)
        self.episodes(child, start)
        review = start + timedelta(days=20)
        while review <= end:
            self.add(
                "reviews",
                CHILD=child,
                DOB=dob,
                REVIEW=review,
                REVIEW_CODE=self.pick("review_participation"),
            )
            review += timedelta(days=180)
        if self.random.random() < 0.1:
            began = self.day_between(start, end)
            self.add(
                "missing",
                CHILD=child,
                DOB=dob,
                MISSING=self.pick("missing_type"),
                MIS_START=began,
                MIS_END=min(began + timedelta(days=2), end),
            )
        if self.random.random() < 0.05:
            self.add("uasc", CHILD=child, SEX=sex, DOB=dob)
        if start <= self.year.start - timedelta(days=365) and dob < end - timedelta(days=5 * 365):
            self.add(
                "oc2",
                CHILD=child,
                DOB=dob,
                SDQ_SCORE=self.random.randint(0, 40),
                CONVICTED="0",
                HEALTH_CHECK="1",
                IMMUNISATIONS="1",
                TEETH_CHECK="1",
                HEALTH_ASSESSMENT="1",
                SUBSTANCE_MISUSE="0",
                INTERVENTION_RECEIVED="0",
                INTERVENTION_OFFERED="0",
            )
        self.rarer_tables(child, dob, start)
        if "sw_episodes" in self.rows:
            self.add(
                "sw_episodes", CHILD=child, DOB=dob, SW_ID=f"SW{number % 97:04d}", SW_DECOM=start
            )

    def rarer_tables(self, child: str, dob: date, start: date) -> None:
        """Care leaver, adoption, permanence and DoLO rows for a few children."""
        draw = self.random.random()
        if draw < 0.04:
            self.add("oc3", CHILD=child, DOB=dob, IN_TOUCH="YES", ACTIV="F1", ACCOM="B1")
        elif draw < 0.06:
            self.add(
                "ad1",
                CHILD=child,
                DOB=dob,
                DATE_INT=start,
                DATE_MATCH=start,
                FOSTER_CARE="0",
                NB_ADOPTR="2",
                SEX_ADOPTR="MF",
                LS_ADOPTR="L0",
            )
            self.add("placed_for_adoption", CHILD=child, DOB=dob, DATE_PLACED=start)
        elif draw < 0.09:
            self.add(
                "previous_permanence",
                CHILD=child,
                DOB=dob,
                PREV_PERM="Z1",
                DATE_PERM=f"zz/zz/{dob.year + 1}",
            )
        elif draw < 0.1 and "dolo" in self.rows:
            self.add("dolo", CHILD=child, DOB=dob, DOLO_START=start)

    def episodes(self, child: str, start: date) -> None:
        moves = self.random.randint(0, 3)
        days = sorted(self.day_between(start, self.year.end) for _ in range(moves))
        starts = [start, *days]
        for index, began in enumerate(starts):
            ended = starts[index + 1] if index + 1 < len(starts) else None
            self.add(
                "episodes",
                CHILD=child,
                DECOM=began,
                RNE="S" if index == 0 else "P",
                LS=self.pick("legal_status"),
                CIN=self.pick("category_of_need"),
                PLACE=self.pick("placement_type"),
                PLACE_PROVIDER=self.pick("placement_provider"),
                DEC=ended,
                REC="X1" if ended else None,
                REASON_PLACE_CHANGE="CARPL" if ended else None,
                HOME_POST="ZZ99 1AA",
                PL_POST=f"ZZ99 {index + 2}AB",
            )

    def frames(self) -> dict[str, pl.DataFrame]:
        schemas = {t.name: t.schema(t.columns_in(self.year)) for t in TABLES}
        return {name: pl.DataFrame(rows, schema=schemas[name]) for name, rows in self.rows.items()}


def sample_return(children: int, year: CollectionYear, seed: int = 0) -> dict[str, pl.DataFrame]:
    """A return for `year` with `children` made-up children, the same for the same seed."""
    builder = _Builder(year, seed)
    for number in range(1, children + 1):
        builder.child(number)
    return builder.frames()
