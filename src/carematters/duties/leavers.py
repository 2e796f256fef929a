"""Who is a care leaver, of which kind, and until when (CA89 s23A-s24, Sch 2 para 19B;
CPPCR 2010 reg 40; CLR 2010 reg 3).

- **Eligible**: aged 16 or 17 and looked after, having been looked after for 13 weeks in
  all since the 14th birthday (short breaks not counting), some of it after the 16th.
- **Relevant**: was eligible, is 16 or 17 and no longer looked after.
- **Former relevant**: 18 or over and was eligible or relevant; owed a personal adviser
  and a pathway plan until 21, and a personal adviser on request until 25 from
  1 April 2018 (CSWA 2017 s3, CA89 s23CZB).
- **Qualifying** (CA89 s24): under 21, left care after 16 while still a child but is not
  former relevant; or 16 to 21 and left care on a special guardianship order. Owed advice
  and assistance, not the duties above.

How care ended decides what follows it, once, here:

- **died**, **transferred** to another authority (which owes what follows), or **assessed
  as an adult** (never a child in law): nothing is owed by this authority.
- **home with family** (returned home to parents, adopted, special guardianship, child
  arrangements order): a child who lives six months with a parent or someone with parental
  responsibility is not a relevant child (CLR 2010 reg 3(3)), so leaving-care support ends
  six months after care ended, if that was before 18. Special guardianship leaves the young
  person qualifying (s24(1A)).
- every other ending (independent living, Staying Put, custody, moved abroad, adult social
  care, any other reason) continues it, to 21 or 25.

Ages are birthdays by the one rule in `carematters.calendar.birthdays`.
"""

from __future__ import annotations

import polars as pl

from carematters.calendar.birthdays import birthday
from carematters.calendar.timescales import after, in_days
from carematters.duties.situation import Situation, with_birth
from carematters.ssda903.codelists import code_group

CATEGORIES = ("eligible", "relevant", "former relevant", "qualifying")
PARAMETERS = (
    "ages.adulthood",
    "leaving_care.care_from_age",
    "leaving_care.care_needed",
    "leaving_care.eligible_from_age",
    "leaving_care.duties_until_age",
    "leaving_care.home_with_family",
    "leaving_care.qualifying_until_age",
)
"""What the kinds of care leaver are measured by: before all are in force, carematters
does not say who is a care leaver (the optional adviser to 25 apart)."""
SCHEMA = pl.Schema(
    {
        "CHILD": pl.String(),
        "DOB": pl.Date(),
        "ELIGIBLE_FROM": pl.Date(),
        "LEFT": pl.Date(),
        "ENDING": pl.String(),
        "LAST_PLACE": pl.String(),
        "CATEGORY": pl.String(),
        "UNTIL": pl.Date(),
    }
)
"""A care leaver: when they became eligible (if ever), the day care ended (null while
looked after), its REC and the placement they left (LAST_PLACE), their kind on the day,
and the day that kind ends (their 21st or 25th birthday, or six months after returning
home)."""


def _ended_by(*groups: str) -> pl.Expr:
    """Whether care ended (ENDING) with a reason in one of the REC groups; false while
    the young person is still looked after."""
    codes = [code for group in groups for code in code_group("reason_episode_ceased", group)]
    return pl.col("ENDING").is_in(codes).fill_null(value=False)


NOTHING_FOLLOWS = ("died", "transferred", "assessed_as_adult")
HOME_WITH_FAMILY = ("returned_home", "adopted", "special_guardianship", "child_arrangements_order")


def became_eligible(s: Situation) -> pl.LazyFrame:
    """Each child who had become eligible by the day (CHILD, ELIGIBLE_FROM): the day
    13 weeks' care since 14 was reached, or the 16th birthday if later, while looked
    after (CPPCR 2010 reg 40; short breaks do not count)."""
    p = s.p
    needed = in_days(p["leaving_care.care_needed"])
    episodes = s.periods.filter(
        ~pl.col("LS").is_in(code_group("legal_status", "short_breaks"))
        & (pl.col("DECOM") <= s.as_at)
    )
    fourteen = birthday(pl.col("DOB"), p["leaving_care.care_from_age"].number)
    sixteen = birthday(pl.col("DOB"), p["leaving_care.eligible_from_age"].number)
    ended = pl.min_horizontal(pl.col("DEC").fill_null(pl.lit(s.as_at)), pl.lit(s.as_at))
    spans = (
        episodes.with_columns(
            FROM=pl.max_horizontal(pl.col("DECOM"), fourteen), TO=ended, SIXTEEN=sixteen
        )
        .filter(pl.col("TO") > pl.col("FROM"))
        .sort("CHILD", "FROM")
        .with_columns(DAYS=(pl.col("TO") - pl.col("FROM")).dt.total_days())
        .with_columns(BEFORE=pl.col("DAYS").cum_sum().over("CHILD") - pl.col("DAYS"))
    )
    reached = (
        spans.filter(
            (pl.col("BEFORE") + pl.col("DAYS") >= needed) & (pl.col("TO") > pl.col("SIXTEEN"))
        )
        .with_columns(
            AT=pl.max_horizontal(
                pl.col("FROM") + pl.duration(days=(needed - pl.col("BEFORE")).clip(0)),
                pl.col("SIXTEEN"),
            )
        )
        .filter(pl.col("AT") < pl.col("TO"))
    )
    return reached.group_by("CHILD").agg(ELIGIBLE_FROM=pl.col("AT").min())


def last_ending(s: Situation) -> pl.LazyFrame:
    """Each child's latest episode begun by the day: CHILD, LEFT (its DEC if care had
    ended by the day, else null), ENDING (its REC, when it had ended) and LAST_PLACE
    (its placement type)."""
    latest = (
        s.table("episodes")
        .filter(pl.col("DECOM") <= s.as_at)
        .sort("CHILD", "DECOM")
        .group_by("CHILD")
        .agg(pl.col("DEC").last(), pl.col("REC").last(), pl.col("PLACE").last())
    )
    ended = pl.col("DEC") <= s.as_at
    return latest.select(
        "CHILD",
        LEFT=pl.when(ended).then(pl.col("DEC")),
        ENDING=pl.when(ended).then(pl.col("REC")),
        LAST_PLACE="PLACE",
    )


def _supported_past_21(s: Situation) -> pl.LazyFrame:
    """The young people (CHILD, PAST_21 true) who asked for a personal adviser after 21
    (CA89 s23CZB): taken, until the record holds requests, from personal adviser contact
    on or after the 21st birthday. None before the law allowed it."""
    contacts = with_birth(s.events("pa_contacts", "CONTACT_DATE"), s.record)
    if s.p.get("leaving_care.adviser_on_request_until_age") is None:
        contacts = contacts.head(0)
    twenty_one = birthday(pl.col("DOB"), s.p["leaving_care.duties_until_age"].number)
    later = contacts.filter(pl.col("EVENT") >= twenty_one)
    return later.select("CHILD").unique().with_columns(PAST_21=pl.lit(value=True))


def leaving_care_status(s: Situation) -> pl.LazyFrame:
    """Every young person who is, or has been until recently, a care leaver of some
    kind on the day (columns: `SCHEMA`). Rows whose UNTIL has passed are kept so that a
    duty looking back (the 21st-birthday contact) can see them; `owed` narrows to those
    whose kind still holds."""
    p = s.p

    def aged(parameter: str) -> pl.Expr:
        return birthday(pl.col("DOB"), p[parameter].number)

    people = (
        with_birth(last_ending(s), s.record)
        .join(became_eligible(s), on="CHILD", how="left")
        .join(_supported_past_21(s), on="CHILD", how="left")
    )
    adult = aged("ages.adulthood")
    # No one is looked after from their 18th birthday: care ended then in law, whatever
    # the record has yet to say.
    left = pl.when(pl.col("LEFT").is_null() & (adult <= s.as_at)).then(adult).otherwise("LEFT")
    people = people.with_columns(LEFT=left)
    nothing_follows = _ended_by(*NOTHING_FOLLOWS)
    home_ends = after(pl.col("LEFT"), p["leaving_care.home_with_family"])
    at_home = _ended_by(*HOME_WITH_FAMILY) & (pl.col("LEFT") < adult)
    eligible = pl.col("ELIGIBLE_FROM").is_not_null() & (
        pl.col("LEFT").is_null() | (pl.col("ELIGIBLE_FROM") < pl.col("LEFT"))
    )
    relevant_kind = eligible & ~nothing_follows & ~(at_home & (home_ends <= s.as_at))
    on_request = p.get("leaving_care.adviser_on_request_until_age")
    extended = (
        aged("leaving_care.adviser_on_request_until_age")
        if on_request is not None
        else aged("leaving_care.duties_until_age")
    )
    support_ends = (
        pl.when(pl.col("PAST_21")).then(extended).otherwise(aged("leaving_care.duties_until_age"))
    )
    sixteen = aged("leaving_care.eligible_from_age")
    left_after_16 = (pl.col("LEFT") > sixteen) & (pl.col("LEFT") <= adult)
    guardianship = _ended_by("special_guardianship") & (sixteen <= s.as_at)
    qualifies = ~nothing_follows & (left_after_16 | guardianship)
    category = (
        pl.when(relevant_kind & pl.col("LEFT").is_null())
        .then(pl.lit("eligible"))
        .when(relevant_kind & (pl.lit(s.as_at) < adult))
        .then(pl.lit("relevant"))
        .when(relevant_kind)
        .then(pl.lit("former relevant"))
        .when(qualifies)
        .then(pl.lit("qualifying"))
    )
    until = (
        pl.when(relevant_kind & at_home)
        .then(pl.min_horizontal(support_ends, home_ends))
        .when(relevant_kind)
        .then(support_ends)
        .otherwise(aged("leaving_care.qualifying_until_age"))
    )
    return (
        people.with_columns(CATEGORY=category, UNTIL=until)
        .filter(pl.col("CATEGORY").is_not_null())
        .select(SCHEMA.names())
        .cast(SCHEMA)
    )


def owed(leavers: pl.LazyFrame, s: Situation, *categories: str) -> pl.LazyFrame:
    """The leavers of the given kinds whose kind still holds on the day."""
    return leavers.filter(pl.col("CATEGORY").is_in(categories) & (pl.col("UNTIL") > s.as_at))
