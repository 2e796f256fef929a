"""Cutting a full-history care record down to the SSDA903 return for one collection year.

The record keeps every year; DfE asks each year for one slice of it, taken as the
authority saw it on 31 March. Each scope rule below is a small function that names its
source: DfE's page "Children looked after return: guide to submitting data" (gov.uk,
"the guide" below) or the community validator that encodes DfE's rules
(data-to-insight/csc-validator-be-903, cited by rule code, e.g. "rule 385"). Facts
were taken from those sources; no code was.

Three conventions run through every rule, and are chosen here once:

- **The return is the record as it stood on 31 March.** DfE refuses any date after the
  end of the collection year (rules 385 for DEC, 571 for MIS_END, 117 for the adoption
  decision dates). So an event that ended after 31 March is shown still running: its
  end date, and whatever describes how it ended, are blank.
- **A period belongs to every year it overlaps.** Started on or before 31 March and not
  ended before 1 April. That is how the validator tests episodes in the year (rule 1014)
  and how a period open last 31 March must reappear this year (rule 706 for DoLOs).
- **A row whose deciding date is blank belongs to no year.** A return cannot place it,
  so it is left to the record, where the record's own checks can find it; a blank *end*
  date is not missing, it means the period is still running.

Children's tables are matched on CHILD with joins, never a loop over children, so a
national-sized record cuts in one pass per table.
"""

from __future__ import annotations

import polars as pl

from carematters.records.schema import RECORD_TABLES, YEAR
from carematters.ssda903.codelists import code_group, code_list
from carematters.ssda903.tables import HEADER, tables_in
from carematters.ssda903.write_csv import conform
from carematters.ssda903.years import CollectionYear

_RECORD = {t.name: t for t in RECORD_TABLES}
_CHILD = "CHILD"
_IDENTITY = ("DOB", "SEX")
_SEX_EARLIER = {"M": "1", "F": "2"}
"""SEX codes from 2024-25 and the codes that meant the same before it."""
"""Header values that child tables repeat, and that XML keeps only once, in HEADER."""


def _record(tables: dict[str, pl.DataFrame], name: str) -> pl.DataFrame:
    """A record table with every record column, so rules need not ask what is there."""
    return conform(tables.get(name), _RECORD[name].columns)


def _overlaps(start: str, end: str, year: CollectionYear) -> pl.Expr:
    """Whether a period from `start` to `end` (blank: still running) touches the year."""
    return (pl.col(start) <= year.end) & (pl.col(end).is_null() | (pl.col(end) >= year.start))


def _dated_in(column: str, year: CollectionYear) -> pl.Expr:
    """Whether a one-day event falls between 1 April and 31 March."""
    return pl.col(column).is_between(year.start, year.end)


def _as_on_31_march(
    frame: pl.DataFrame, end: str, how_it_ended: tuple[str, ...], year: CollectionYear
) -> pl.DataFrame:
    """Periods that ended after 31 March shown as they stood on 31 March: still open.

    Every column is computed from the frame as it was, so the test on `end` is not
    disturbed by blanking `end` itself.
    """
    later = pl.col(end) > year.end
    return frame.with_columns(
        pl.when(later).then(None).otherwise(pl.col(c)).alias(c) for c in (end, *how_it_ended)
    )


def _of(frame: pl.DataFrame, children: pl.DataFrame) -> pl.DataFrame:
    """The rows of `frame` for the children listed in `children` (a CHILD column)."""
    return frame.join(children, on=_CHILD, how="semi", maintain_order="left")


def _children(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(_CHILD).unique(maintain_order=True)


# Episodes, and the cohorts they define --------------------------------------------------


def episodes_in_year(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """Every episode of care open at any time from 1 April to 31 March.

    The return records "every child your local authority looks after at any time during
    the year" (the guide), and an episode is in the year when it began on or before 31 March
    and had not ended before 1 April (validator rules 354 and 385 bound DECOM and DEC by
    the year; rule 1014 counts a child's episodes in the year this way). An episode open
    on 1 April is included even though it began in an earlier year, which is how each
    year's return links to the last (rule 562 checks that link).

    An episode that ended after 31 March is shown open, as it stood on 31 March: DEC must
    not fall after the year (rule 385), and REC and REASON_PLACE_CHANGE describe the
    ending. REASON_PLACE_CHANGE sits on the episode that ends with the move, not on the
    new one (rule 225 requires it where REC is X1 and the *next* episode's RNE is P, B,
    T or U), so it goes with DEC and REC.
    """
    return _as_on_31_march(
        episodes.filter(_overlaps("DECOM", "DEC", year)),
        "DEC",
        ("REC", "REASON_PLACE_CHANGE"),
        year,
    )


def looked_after_in_year(episodes: pl.DataFrame) -> pl.DataFrame:
    """Children looked after at any time in the year: those with an episode in it.

    Takes the episodes already cut to the year. Reviews, missing episodes, UASC,
    adoption decisions and previous permanence are only for these children (rule 1012:
    no other data for a child with no episodes in the year; rule 1014: no UASC data for
    care leavers who were not looked after).
    """
    return _children(episodes)


def looked_after_on_31_march(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """Children looked after on 31 March, as DfE defines it for social worker episodes.

    DfE's definition, as the validator quotes it (rule SW01STG1): the child's current
    episode has no DEC, and LS is not V3 or V4. Short breaks are excluded: a child on a
    series of short breaks is not "in care" on a date just because an agreement runs.
    Takes the episodes already cut to the year, where an episode ending after 31 March is
    already open.
    """
    short_breaks = code_group("legal_status", "short_breaks", year)
    return _children(episodes.filter(pl.col("DEC").is_null() & ~pl.col("LS").is_in(short_breaks)))


def adopted_in_year(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """Children whose care ended in adoption (REC E11 or E12) during the year.

    Rules 601 and 602: AD1 is completed exactly for children the episodes show adopted
    in the year. Takes the episodes already cut to the year, so an adoption after
    31 March is not there: that episode is shown open.
    """
    adopted = code_group("reason_episode_ceased", "adopted", year)
    return _children(episodes.filter(pl.col("REC").is_in(adopted) & pl.col("DEC").is_not_null()))


def started_care_in_year(episodes: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """Children who began a period of care (RNE S) on or after 1 April.

    Rule 630: a child with an RNE S episode starting in the year must have previous
    permanence information returned. Takes the episodes already cut to the year.
    """
    started = code_group("reason_new_episode", "started_care", year)
    return _children(
        episodes.filter(pl.col("RNE").is_in(started) & (pl.col("DECOM") >= year.start))
    )


# Tables of events for children looked after ------------------------------------------


def reviews_in_year(
    reviews: pl.DataFrame, looked_after: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """Reviews held from 1 April to 31 March, for children looked after in the year.

    Reviews are dated events of a period of care, returned for the year they happen in;
    the sources found give no rule for a review dated outside the year (rule 166 checks
    only that the date is valid), so this is the plain reading, chosen. A review after
    31 March belongs to next year's return. For children looked after (rule 1012).
    """
    return _of(reviews.filter(_dated_in("REVIEW", year)), looked_after)


def missing_in_year(
    missing: pl.DataFrame, looked_after: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """Missing or away-without-authorisation episodes in the year, shown as on 31 March.

    The brief asked for missing episodes "dated in the year"; DfE's rules bound the two
    dates separately: MIS_START may not be after 31 March (rule 570), MIS_END may not
    be before 1 April or after 31 March (rule 571). A missing episode running over
    1 April therefore belongs to this year, and one still running on 31 March is shown
    with no MIS_END. Chosen: the overlap rule, which satisfies both. For children looked
    after in the year (rule 1012).
    """
    kept = missing.filter(_overlaps("MIS_START", "MIS_END", year))
    return _of(_as_on_31_march(kept, "MIS_END", (), year), looked_after)


def uasc_in_year(
    uasc: pl.DataFrame, looked_after: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """Unaccompanied asylum-seeking children: looked after in the year, UASC during it.

    A DUC before 1 April means the child was no longer UASC in this year: DfE refuses
    such a DUC (rule 104), so the row is left out. UASC data is not returned for care
    leavers who were not looked after in the year (rule 1014). A DUC after 31 March is
    kept: it is the 18th birthday, known in advance, and the community validator's
    rule 205B expects a child UASC in two years to show the same DUC in both.
    """
    kept = uasc.filter(pl.col("DUC").is_null() | (pl.col("DUC") >= year.start))
    return _of(kept, looked_after)


def placed_for_adoption_in_year(
    placed: pl.DataFrame, looked_after: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """Decisions that a child should be placed for adoption in force during the year.

    A decision made on or before 31 March and not reversed before 1 April is returned;
    neither DATE_PLACED nor DATE_PLACED_CEASED may fall after 31 March (rule 117), so a
    decision reversed after 31 March is shown still in force, with no date or reason
    ceased. For children looked after in the year (rule 1012).
    """
    kept = placed.filter(_overlaps("DATE_PLACED", "DATE_PLACED_CEASED", year))
    shown = _as_on_31_march(kept, "DATE_PLACED_CEASED", ("REASON_PLACED_CEASED",), year)
    return _of(shown, looked_after)


def adoptions_in_year(ad1: pl.DataFrame, adopted: pl.DataFrame) -> pl.DataFrame:
    """AD1 rows for the children adopted in the year (rules 601 and 602)."""
    return _of(ad1, adopted)


def previous_permanence_in_year(permanence: pl.DataFrame, started: pl.DataFrame) -> pl.DataFrame:
    """Previous permanence for children who started a period of care in the year.

    Rule 630. The table has no date of its own that ties a row to a period of care
    (DATE_PERM is the date of the earlier order), so every row the record holds for such
    a child is returned; a child who began care twice and whose record kept a row per
    period would show both, which the validator would point out.
    """
    return _of(permanence, started)


def sw_episodes_in_year(
    sw_episodes: pl.DataFrame, at_31_march: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """Social worker episodes in the year, for children looked after on 31 March.

    Rule SW01STG1: a child looked after on 31 March must have social worker episodes;
    rule SW12STG2: for such a child, every social worker episode of the full year is
    reported, including those while the child was not looked after. Children who left
    care before 31 March have none. An episode running past 31 March is shown open: only
    the latest episode may lack SW_DEC (rule SW14STG2). SW_REASON stays: it is the
    reason for the change that *began* the episode (DfE's published figures count
    "reason for each social worker change ... including the change to the social worker
    already assigned on 1 April"; rule SW03STG1 wants it on every episode, open or not).
    """
    kept = sw_episodes.filter(_overlaps("SW_DECOM", "SW_DEC", year))
    return _of(_as_on_31_march(kept, "SW_DEC", (), year), at_31_march)


def dolo_in_year(
    dolo: pl.DataFrame, looked_after: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """Deprivation of liberty orders in force during the year (2026-27 onwards).

    A DoLO open on 31 March must reappear, with the same DOLO_START, in the next year's
    return (rule 706), so a DoLO belongs to every year it overlaps; one ending after
    31 March is shown open, as the module's convention (DfE's 2026-27 guide was not to
    hand). For children looked after in the year: the validator checks a DoLO against
    the placements of the episodes it overlaps (rule 709).
    """
    kept = dolo.filter(_overlaps("DOLO_START", "DOLO_END", year))
    return _of(_as_on_31_march(kept, "DOLO_END", (), year), looked_after)


def yearly_rows(frame: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """OC2 and OC3 rows recorded for this collection year.

    OC2 (children looked after continuously for 12 months at 31 March, rules 190 and
    191) and OC3 (care leavers whose 17th to 21st birthday falls "within the collection
    period", the guide) are cohorts DfE defines per year, and the record keeps each
    year's rows apart in YEAR. They are taken as recorded rather than recomputed: the
    cohort was decided when the rows were written, and OC3 children need no episode in
    the year.
    """
    return frame.filter(pl.col(YEAR.name) == str(year))


# The Header, and the values child tables repeat from it ------------------------------


def header_for(header: pl.DataFrame, children_tables: list[pl.DataFrame]) -> pl.DataFrame:
    """A Header row for every child who appears in any table of the return.

    XML hangs every record of a child from its HEADER, and CSV returns are checked the
    same way (INT03 and friends: a child in a table must exist in the Header; "EPI": a
    Header child must be in Episodes or OC3). The record's own Header rows are used.
    A child the record has no Header row for (a broken record) gets one holding CHILD
    and the DOB and SEX found in the child's other rows, the rest blank: chosen so the
    return still names every child and the missing values are reported by the
    validator, rather than the child's rows being dropped without a word.
    """
    shown = pl.concat([frame.select(_CHILD) for frame in children_tables]).unique(
        maintain_order=True
    )
    known = _of(header, shown)
    unknown = shown.join(header, on=_CHILD, how="anti", maintain_order="left")
    repeated = pl.concat(
        [
            frame.select(_CHILD, *(c for c in _IDENTITY if c in frame.columns))
            for frame in children_tables
            if "DOB" in frame.columns
        ],
        how="diagonal",
    )
    found = (
        _of(repeated, unknown)
        .group_by(_CHILD, maintain_order=True)
        .agg(pl.col(c).drop_nulls().first() for c in _IDENTITY if c in repeated.columns)
    )
    made = unknown.join(found, on=_CHILD, how="left", maintain_order="left")
    return pl.concat([known, conform(made, HEADER.columns)])


def with_header_values(frame: pl.DataFrame, header: pl.DataFrame) -> pl.DataFrame:
    """The table with DOB (and SEX, where it has one) as the child's Header gives them.

    A return states a child's date of birth once: XML keeps it only in HEADER, and a
    child table whose DOB differs cannot be written there. The Header is the authority,
    so where the record's tables disagree the Header's value is returned. Where a child
    has two Header rows, the first is used (XML will refuse the second anyway).
    """
    repeated = [c for c in _IDENTITY if c in frame.columns]
    if not repeated:
        return frame
    values = header.unique(subset=_CHILD, keep="first", maintain_order=True)
    return (
        frame.drop(repeated)
        .join(values.select(_CHILD, *repeated), on=_CHILD, how="left", maintain_order="left")
        .select(frame.columns)
    )


def motherhood_in_year(
    header: pl.DataFrame, looked_after: pl.DataFrame, year: CollectionYear
) -> pl.DataFrame:
    """MOTHER and MC_DOB as they stood on 31 March, and only for children looked after.

    A child born after 31 March was not yet born in this year's return (rule 625), and
    care leavers who were not looked after in the year give no motherhood details
    (rule 628).
    """
    later = pl.col("MC_DOB") > year.end
    in_year = pl.col(_CHILD).is_in(looked_after[_CHILD].implode())
    return header.with_columns(
        MOTHER=pl.when(~in_year)
        .then(None)
        .when(later)
        .then(pl.lit("0"))
        .otherwise(pl.col("MOTHER")),
        MC_DOB=pl.when(in_year & ~later).then(pl.col("MC_DOB")),
    )


def sex_as_coded_in(header: pl.DataFrame, year: CollectionYear) -> pl.DataFrame:
    """SEX in the coding the year uses: 1/2 up to 2023-24, M/F from 2024-25.

    The record keeps one value per child whichever year it was entered in, and DfE
    changed the coding, not the meaning, so Male and Female carry across; U (2024-25
    on) has no earlier equivalent and is left for the validator to flag.
    """
    valid = code_list("sex").valid_codes(year)
    recode = _SEX_EARLIER if "1" in valid else {v: k for k, v in _SEX_EARLIER.items()}
    return header.with_columns(pl.col("SEX").replace(recode))


# The whole return ------------------------------------------------------------------------


def extract_return(
    tables: dict[str, pl.DataFrame], year: CollectionYear
) -> dict[str, pl.DataFrame]:
    """The SSDA903 return for `year`, cut from a care record holding every year.

    `tables` are record tables, as `carematters.records.directory.load` gives them (any
    may be absent). The result holds every table of the year's return, each with exactly
    that year's columns, ready for `carematters.ssda903.formats.write_return`.
    """
    episodes = episodes_in_year(_record(tables, "episodes"), year)
    looked_after = looked_after_in_year(episodes)
    cut = {
        "episodes": episodes,
        "reviews": reviews_in_year(_record(tables, "reviews"), looked_after, year),
        "uasc": uasc_in_year(_record(tables, "uasc"), looked_after, year),
        "oc2": yearly_rows(_record(tables, "oc2"), year),
        "oc3": yearly_rows(_record(tables, "oc3"), year),
        "ad1": adoptions_in_year(_record(tables, "ad1"), adopted_in_year(episodes, year)),
        "placed_for_adoption": placed_for_adoption_in_year(
            _record(tables, "placed_for_adoption"), looked_after, year
        ),
        "previous_permanence": previous_permanence_in_year(
            _record(tables, "previous_permanence"), started_care_in_year(episodes, year)
        ),
        "missing": missing_in_year(_record(tables, "missing"), looked_after, year),
        "sw_episodes": sw_episodes_in_year(
            _record(tables, "sw_episodes"), looked_after_on_31_march(episodes, year), year
        ),
        "dolo": dolo_in_year(_record(tables, "dolo"), looked_after, year),
    }
    in_year = tables_in(year)
    names = {t.name for t in in_year}
    children_tables = [frame for name, frame in cut.items() if name in names]
    header = sex_as_coded_in(header_for(_record(tables, "header"), children_tables), year)
    header = motherhood_in_year(header, looked_after, year)
    cut = {name: with_header_values(frame, header) for name, frame in cut.items()}
    cut["header"] = header
    return {t.name: conform(cut[t.name], t.columns_in(year)) for t in in_year}
