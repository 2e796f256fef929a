"""The whole synthetic authority: every table of the care record, from one seed.

`simulate` draws the periods of care, then everything that happens within them, each
part from its own stream of the seed, so that changing one part of the model does
not reshuffle the others. Nothing after the window's last day is kept: the record
is as the authority's system would hold it on that 31 March.

The law's timescales and ages are the parameters as they stood on that last day (`law_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from carematters.calendar.working_days import FIRST_YEAR
from carematters.geography import HOME_AREA, OTHER_AREAS, postcodes
from carematters.parameters import Parameters, parameters
from carematters.records.schema import record_table
from carematters.ssda903.codelists import code_group
from carematters.ssda903.tables import Kind
from carematters.ssda903.write_csv import conform
from carematters.synth import casework, names, outcomes, people
from carematters.synth.dates import EPOCH, NEVER, Days, birthdays, to_dates
from carematters.synth.draws import Spans
from carematters.synth.episodes import episodes, needs
from carematters.synth.legal import care_order_from, legal_statuses
from carematters.synth.periods import ADOPTED, SGO, Periods
from carematters.synth.placements import moves, placement_rows
from carematters.synth.population import BURN_IN_YEARS, Window, draw_periods

STREAMS = (
    "periods",
    "placements",
    "legal",
    "episodes",
    "people",
    "places",
    "reviews",
    "missing",
    "social_workers",
    "visits",
    "health",
    "peps",
    "plans",
    "iro",
    "oc2",
    "oc3",
    "adoption",
    "permanence",
    "pathway",
    "interviews",
    "names",
)
PERIODS_PER_SOCIAL_WORKER = 80
"""Sizes the social workers' pool: about 14 children each at a time, as in a children in
care team (DfE's children's social work workforce figures give 16 to 17 cases per
worker across all of children's social care)."""
PERIODS_PER_IRO = 240
"""Sizes the IROs' pool: about 45 children each at a time, towards the IRO Handbook's
50 to 70 for a full-time IRO (IRO Handbook; DUTIES.md)."""
REVERSED_ADOPTION_PLANS = 0.15
"""Young children leaving through special guardianship who once had an adoption plan."""
Tables = dict[str, pl.DataFrame]


def law_of(window: Window) -> Parameters:
    """The law's numbers for a simulation: as they stood on the window's last day."""
    return parameters(EPOCH + timedelta(days=window.end))


@dataclass(frozen=True)
class _Run:
    """One simulation: its window, the periods of care and a random stream per part."""

    window: Window
    periods: Periods
    rng: dict[str, np.random.Generator]

    @property
    def law(self) -> Parameters:
        """The law's numbers, as on the window's last day."""
        return law_of(self.window)

    @property
    def spans(self) -> Spans:
        """Every period of care, cut off at the window's end."""
        p = self.periods
        return Spans(p.child, p.dob, p.start, np.minimum(p.end, self.window.end + 1))


def _relevant(periods: Periods, window: Window) -> Periods:
    """Periods of children the record holds: in care during the window, or care leavers
    still owed support (21st birthday in the window or later, left care at 16 or over:
    leaving_care.duties_until_age, leaving_care.eligible_from_age)."""
    law = law_of(window)
    frame = pl.DataFrame({"CHILD": periods.child, "END": periods.end, "DOB": periods.dob})
    latest = frame.group_by("CHILD").agg(pl.col("END").max(), pl.col("DOB").first())
    dob = latest["DOB"].to_numpy()
    until = birthdays(dob, law["leaving_care.duties_until_age"].number)
    leaver = pl.Series(until >= window.start) & (
        latest["END"] >= pl.Series(birthdays(dob, law["leaving_care.eligible_from_age"].number))
    )
    keep = latest.filter((pl.col("END") >= window.start) | leaver)["CHILD"].to_numpy()
    chosen = np.isin(periods.child, keep) & (periods.start <= window.end)
    return Periods(
        **{name: getattr(periods, name)[chosen] for name in Periods.__dataclass_fields__}
    )


def _child_ids(numbers: np.ndarray) -> pl.Series:
    return pl.Series(numbers).cast(pl.String).str.zfill(7)


def _as_record(name: str, frame: pl.DataFrame, header: pl.DataFrame) -> pl.DataFrame:
    """Day numbers as dates, child numbers as CHILD ids, DOB from the header, schema order."""
    table = record_table(name)
    if table is None:
        raise KeyError(name)
    columns = {c.name: c for c in table.columns}
    frame = frame.with_columns(
        pl.col(n).cast(pl.Int32).cast(pl.Date)
        for n, c in columns.items()
        if c.kind is Kind.DATE and n in frame.columns and frame.schema[n] != pl.Date
    )
    if "CHILD_ID" in frame.columns:
        frame = frame.with_columns(CHILD=_child_ids(frame["CHILD_ID"].to_numpy()))
    if "DOB" in columns and "DOB" not in frame.columns:
        frame = frame.join(
            header.select("CHILD", "DOB"), on="CHILD", how="left", maintain_order="left"
        )
    typed = frame.with_columns(
        pl.col(n).cast(c.kind.dtype) for n, c in columns.items() if n in frame.columns
    )
    return conform(typed, table.columns)


def _truncate(frame: pl.DataFrame, first: str, last: str | None, window: Window) -> pl.DataFrame:
    """Drop what starts after the window; what ends after it is still open."""
    frame = frame.filter(pl.col(first) <= window.end)
    if last is None:
        return frame
    return frame.with_columns(pl.when(pl.col(last) <= window.end).then(pl.col(last)).alias(last))


def _header(run: _Run) -> pl.DataFrame:
    p, window = run.periods, run.window
    children, first = np.unique(p.child, return_index=True)
    latest = (
        pl.DataFrame({"C": p.child, "E": p.end})
        .group_by("C", maintain_order=True)
        .agg(pl.col("E").max())
    )
    dob, male, uasc = p.dob[first], p.male[first], p.uasc[first]
    rng = run.rng["people"]
    last_end = np.minimum(latest["E"].to_numpy(), window.end)
    mother, child_born = people.mothers(rng, male, dob, p.start[first], last_end)
    return pl.DataFrame(
        {
            "CHILD": _child_ids(children),
            "SEX": np.where(male, "M", "F"),
            "DOB": to_dates("DOB", dob),
            "ETHNIC": people.ethnicities(rng, uasc),
            "UPN": people.pupil_numbers(rng, dob, uasc, window.end),
            "MOTHER": mother,
            "MC_DOB": child_born,
        }
    )


def _placed_postcodes(run: _Run, rows: pl.DataFrame) -> pl.DataFrame:
    """Home postcode for each period and placement postcode for each placement; none for
    an unaccompanied asylum-seeking child, who has no family home here (validator rule 406)."""
    rng = run.rng["places"]
    home = postcodes(rng, np.char.add(HOME_AREA, rng.integers(1, 21, len(run.periods)).astype(str)))
    home = home.zip_with(
        pl.Series(~run.periods.uasc), pl.Series([None] * home.len(), dtype=pl.String)
    )
    nearest = np.minimum(rng.geometric(0.25, rows.height) - 1, len(OTHER_AREAS) - 1)
    district = rng.integers(1, 21, rows.height).astype(str)
    area = np.where(rows["OUT_OF_AREA"].to_numpy(), np.array(OTHER_AREAS)[nearest], HOME_AREA)
    placed = rows.select("PERIOD", "TIME").with_columns(
        PL_POST=postcodes(rng, np.char.add(area, district))
    )
    placed = placed.with_columns(HOME_POST=home.gather(placed["PERIOD"]))
    # Two postcodes drawn alike by chance would say the child lives at home (rule 392d):
    # move the placement to the next sector of its district.
    sector = pl.col("PL_POST").str.slice(-3, 1).cast(pl.Int32)
    moved = pl.concat_str(
        pl.col("PL_POST").str.split(" ").list.first(),
        pl.lit(" "),
        (sector % 9 + 1).cast(pl.String),
        pl.col("PL_POST").str.slice(-2),
    )
    return placed.with_columns(
        PL_POST=pl.when(pl.col("PL_POST") == pl.col("HOME_POST")).then(moved).otherwise("PL_POST")
    )


def _episodes(run: _Run) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The episodes table, and the placements and legal statuses it was made from."""
    starts = moves(run.rng["placements"], run.periods)
    legal = legal_statuses(run.rng["legal"], run.periods, run.law)
    ordered = care_order_from(legal, len(run.periods))
    placements = placement_rows(run.rng["placements"], run.periods, starts, ordered)
    need = needs(run.rng["episodes"], run.periods)
    rows = episodes(run.rng["episodes"], run.periods, placements, legal, need)
    places = _placed_postcodes(run, placements).rename({"TIME": "PLACED_AT"})
    rows = rows.join(places, on=["PERIOD", "PLACED_AT"], how="left", maintain_order="left")
    rows = rows.with_columns(
        CHILD_ID=pl.lit(run.periods.child[rows["PERIOD"].to_numpy()]), DECOM=pl.col("TIME")
    )
    rows = _truncate(rows, "DECOM", "DEC", run.window)
    ended = pl.col("DEC").is_not_null()
    # An episode still open when the simulation stops has no ending yet to give a reason
    # for (validator rule 233).
    return (
        rows.with_columns(
            REC=pl.when(ended).then(pl.col("REC")),
            REASON_PLACE_CHANGE=pl.when(ended).then(pl.col("REASON_PLACE_CHANGE")),
        ),
        placements,
        legal,
    )


def _interim_orders(legal: pl.DataFrame, periods: Periods) -> tuple[Days, Days]:
    """For each period, the day an interim care order begins and the day the next legal
    status (or the period's end) replaces it; NEVER for both if there is none."""
    interim = code_group("legal_status", "interim_care_order")
    period_end = pl.lit(periods.end[legal["PERIOD"].to_numpy()])
    following = pl.col("TIME").shift(-1).over("PERIOD", order_by="TIME")
    orders = (
        legal.with_columns(UNTIL=pl.coalesce(following, period_end))
        .filter(pl.col("LS").is_in(interim))
        .group_by("PERIOD")
        .agg(pl.col("TIME").min(), pl.col("UNTIL").max())
    )
    start = np.full(len(periods), NEVER, dtype=np.int64)
    until = np.full(len(periods), NEVER, dtype=np.int64)
    start[orders["PERIOD"].to_numpy()] = orders["TIME"].to_numpy()
    until[orders["PERIOD"].to_numpy()] = orders["UNTIL"].to_numpy()
    return start, until


def _placed(
    run: _Run, placements: pl.DataFrame, legal: pl.DataFrame, reviews: pl.DataFrame
) -> casework.Placed:
    """Each placement begun by the window's end, cut off there, with what decides how
    often the child must be visited in it."""
    window = run.window
    begun = placements["TIME"].to_numpy() <= window.end
    owner = placements["PERIOD"].to_numpy()[begun]
    first_review = np.full(len(run.periods), NEVER, dtype=np.int64)
    firsts = reviews.group_by("PERIOD").agg(pl.col("REVIEW").min())
    first_review[firsts["PERIOD"].to_numpy()] = firsts["REVIEW"].to_numpy()
    interim_from, interim_to = _interim_orders(legal, run.periods)
    return casework.Placed(
        Spans(
            run.periods.child[owner],
            run.periods.dob[owner],
            placements["TIME"].to_numpy()[begun],
            np.minimum(placements["END"].to_numpy()[begun], window.end + 1),
        ),
        place=placements["PLACE"].to_numpy()[begun],
        first_review=first_review[owner],
        interim_from=interim_from[owner],
        interim_to=interim_to[owner],
    )


def _casework(
    run: _Run, placements: pl.DataFrame, legal: pl.DataFrame, episodes: pl.DataFrame
) -> Tables:
    periods, rng, window, law = run.spans, run.rng, run.window, run.law
    reviews = casework.reviews(rng["reviews"], periods, law)
    placed = _placed(run, placements, legal, reviews)
    open_ended = Spans(run.periods.child, run.periods.dob, run.periods.start, run.periods.end)
    whole = (
        pl.DataFrame(
            {"C": open_ended.child, "D": open_ended.dob, "S": open_ended.start, "E": open_ended.end}
        )
        .group_by("C", maintain_order=True)
        .agg(pl.col("D").first(), pl.col("S").min(), pl.col("E").max())
    )
    children = Spans(*(whole[c].to_numpy() for c in ("C", "D", "S", "E")))
    missing = _truncate(
        casework.missing(rng["missing"], periods, episodes), "MIS_START", "MIS_END", window
    )
    workers = casework.social_workers(
        rng["social_workers"], children, max(5, len(periods) // PERIODS_PER_SOCIAL_WORKER)
    )
    return {
        "reviews": reviews,
        "missing": missing,
        "return_interviews": _truncate(
            casework.return_interviews(rng["interviews"], missing, law), "OFFER_DATE", None, window
        ),
        "sw_episodes": _truncate(workers, "SW_DECOM", "SW_DEC", window),
        "visits": casework.visited_by(casework.visits(rng["visits"], placed, law), workers),
        "health_assessments": casework.health_assessments(rng["health"], periods, law),
        "peps": casework.peps(rng["peps"], periods, law),
        "care_plans": casework.care_plans(rng["plans"], periods, placed.spans, law),
        "iro": _truncate(
            casework.iros(rng["iro"], open_ended, max(3, len(periods) // PERIODS_PER_IRO), law),
            "START_DATE",
            "END_DATE",
            window,
        ),
    }


def _adoption(run: _Run, placements: pl.DataFrame) -> Tables:
    p, rng, window = run.periods, run.rng["adoption"], run.window
    to_adopt = p.route == ADOPTED
    periods = Spans(p.child, p.dob, p.start, p.end)
    decisions = outcomes.adoption_decisions(
        rng, periods.where(to_adopt), p.placed_for_adoption[to_adopt]
    )
    adopted = p.end[to_adopt] <= window.end
    with_carers = code_group("placement_type", "placed_for_adoption_with_foster_carers")
    by_foster_carer = placements.filter(pl.col("PLACE").is_in(with_carers))["PERIOD"].to_numpy()
    ad1 = outcomes.adoptions(
        rng,
        decisions.filter(pl.Series(adopted)),
        p.placed_for_adoption[to_adopt][adopted],
        np.isin(np.flatnonzero(to_adopt)[adopted], by_foster_carer),
    )
    young = (
        (p.route == SGO)
        & (p.start - p.dob < 5 * 365)
        & (rng.random(len(p)) < REVERSED_ADOPTION_PLANS)
    )
    reversed_plans = outcomes.reversed_decisions(rng, periods.where(young))
    decided = pl.concat([decisions, reversed_plans], how="diagonal")
    return {
        "ad1": ad1,
        "placed_for_adoption": _truncate(
            decided, "DATE_PLACED", "DATE_PLACED_CEASED", window
        ).with_columns(
            # A reversal after the simulation stops has not happened yet (rule 119).
            REASON_PLACED_CEASED=pl.when(pl.col("DATE_PLACED_CEASED").is_not_null()).then(
                pl.col("REASON_PLACED_CEASED")
            )
        ),
    }


def _yearly_and_leaving(run: _Run, episodes: pl.DataFrame) -> Tables:
    p, rng, window, law = run.periods, run.rng, run.window, run.law
    periods = Spans(p.child, p.dob, p.start, p.end)
    years = window.collection_years()
    # No care leaver support for those whose care passed to another authority, or who died.
    final = episodes.group_by("CHILD_ID").agg(pl.col("REC").sort_by("DECOM").last())
    no_support = code_group("reason_episode_ceased", "transferred") + code_group(
        "reason_episode_ceased", "died"
    )
    gone = final.filter(pl.col("REC").is_in(no_support))["CHILD_ID"].implode()
    leavers = outcomes.care_leavers(periods, law).filter(~pl.col("CHILD_ID").is_in(gone))
    plans, contacts = outcomes.pathway(rng["pathway"], leavers, law)
    children, first = np.unique(p.child, return_index=True)
    uasc = p.uasc[first]
    duc = birthdays(p.dob[first][uasc], law["ages.adulthood"].number)
    return {
        "oc2": outcomes.oc2(rng["oc2"], periods, years, law),
        "oc3": outcomes.oc3(rng["oc3"], leavers, years, law),
        "previous_permanence": outcomes.previous_permanence(
            rng["permanence"], children, p.dob[first], p.start[first]
        ),
        # DUC is the day UASC status ends: the 18th birthday, known in advance (rule 205B).
        "uasc": pl.DataFrame(
            {"CHILD_ID": children[uasc], "SEX": np.where(p.male[first][uasc], "M", "F"), "DUC": duc}
        ),
        "pathway_plans": _truncate(plans, "EVENT_DATE", None, window),
        "pa_contacts": _truncate(contacts, "CONTACT_DATE", None, window),
    }


def earliest_first_year() -> int:
    """The first year a simulation may start in: its history begins `BURN_IN_YEARS`
    before, and must fall in years whose bank holidays are known."""
    return FIRST_YEAR + BURN_IN_YEARS


def simulate(
    in_care: int, first_year: int, last_year: int, seed: int, *, until: date | None = None
) -> Tables:
    """Every record table for a fictional authority with about `in_care` children in care
    on each 31 March from `first_year + 1` to `last_year + 1`; with `until`, a record that
    stops on that day instead (nothing after it; what was still going on then, still
    open), as a live record does: yearly tables (OC2, OC3) only for years ended by then."""
    window = Window(first_year, last_year, until)
    history_from = EPOCH + timedelta(days=window.burn_in)
    if history_from.year < FIRST_YEAR:
        # Reviews and plans fall due in working days, and bank holidays are known from
        # FIRST_YEAR only: counting as if earlier years had none would be a silent guess.
        raise ValueError(
            f"a simulation from {first_year} has a history from {history_from:%Y} "
            f"({BURN_IN_YEARS} years before), before the bank holidays carematters knows "
            f"(from {FIRST_YEAR}): start in {earliest_first_year()} or later"
        )
    root = np.random.SeedSequence(seed)
    period_seed, *streams = root.spawn(len(STREAMS) + 1)
    rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, streams, strict=True)}
    periods = draw_periods(period_seed, window, in_care, law_of(window))
    run = _Run(window, _relevant(periods, window), rng)
    header = _header(run)
    episode_rows, placements, legal = _episodes(run)
    tables = {"episodes": episode_rows} | _casework(run, placements, legal, episode_rows)
    tables |= _adoption(run, placements) | _yearly_and_leaving(run, episode_rows)
    dated = {
        "reviews": "REVIEW",
        "visits": "VISIT_DATE",
        "health_assessments": "ASSESSMENT_DATE",
        "peps": "PEP_DATE",
        "care_plans": "PLAN_DATE",
    }
    tables |= {
        name: _truncate(tables[name], column, None, window) for name, column in dated.items()
    }
    tables["people"] = names.people(rng["names"], header)
    return {"header": header} | {
        name: _as_record(name, frame, header) for name, frame in tables.items()
    }
