"""DfE's internal checks (INT01-INT09, INT11-INT18, INT21, INT31 and INT33-INT36): every
record belongs to a child in the header, says the same about the child as the header
does, and the tables a child has at most one row in hold at most one.

They come in three shapes, so each is made by a factory from the table (and column) it
checks, with a docstring naming them. INT32 (one header row each) is in `rules.header`.
"""

from __future__ import annotations

from carematters.ssda903.tables import table_named
from carematters.validation.checks import differs_from_header, not_in_header, repeated_child
from carematters.validation.context import Context
from carematters.validation.rule import Failures, rule


def _title(table: str) -> str:
    return table_named(table).title


def _orphan_rule(code: str, message: str, table: str) -> None:
    """Register DfE's check `code` that every row of `table` is for a child in the header."""

    def check(context: Context) -> Failures:
        return not_in_header(context, table)

    check.__doc__ = (
        f"A row in the {_title(table)} table for a child the header does not have belongs "
        "to nobody: DfE cannot count it, and the child it was meant for is missing it."
    )
    rule(code, message, tables=(table, "header"), fields=("CHILD",))(check)


def _contradiction_rule(code: str, message: str, table: str, column: str) -> None:
    """Register DfE's check `code` that `table` gives each child the header's `column`."""

    def check(context: Context) -> Failures:
        return differs_from_header(context, table, column)

    check.__doc__ = (
        f"The {_title(table)} table repeats the child's {column} from the header, so the two must "
        "agree: if they differ, one of them is wrong."
    )
    rule(code, message, tables=(table, "header"), fields=(column,))(check)


def _repeat_rule(code: str, message: str, table: str) -> None:
    """Register DfE's check `code` that a child has at most one row in `table`."""

    def check(context: Context) -> Failures:
        return repeated_child(context, table)

    check.__doc__ = (
        f"The {_title(table)} table holds one record per child, so a second row for a child leaves "
        "DfE two answers to the same question."
    )
    rule(code, message, tables=(table,), fields=("CHILD",))(check)


for _code, _message, _table in (
    ("INT01", "Data Integrity Check: Child in AD1 does not exist in Header.", "ad1"),
    (
        "INT02",
        "Internal Check: Child in PlacedAdoption does not exist in Header.",
        "placed_for_adoption",
    ),
    ("INT03", "Internal Check: Child in Episodes does not exist in Header.", "episodes"),
    ("INT04", "Internal Check: Child in Missing does not exist in Header.", "missing"),
    ("INT05", "Internal Check: Child in OC2 does not exist in Header.", "oc2"),
    ("INT06", "Internal Check: Child in OC3 does not exist in Header.", "oc3"),
    ("INT07", "Internal Check: Child in PrevPerm does not exist in Header.", "previous_permanence"),
    ("INT08", "Internal Check: Child in Reviews does not exist in Header.", "reviews"),
    ("INT09", "Internal Check: Child in UASC does not exist in Header.", "uasc"),
):
    _orphan_rule(_code, _message, _table)

for _code, _message, _table, _column in (
    ("INT11", "Internal Check: DOB in AD1 is different to DOB in Header.", "ad1", "DOB"),
    (
        "INT12",
        "Internal Check: DOB in PlacedAdoption is different to DOB in Header.",
        "placed_for_adoption",
        "DOB",
    ),
    ("INT13", "Internal Check: DOB in Missing is different to DOB in Header.", "missing", "DOB"),
    ("INT14", "Internal Check: DOB in OC2 is different to DOB in Header.", "oc2", "DOB"),
    ("INT15", "Internal Check: DOB in OC3 is different to DOB in Header.", "oc3", "DOB"),
    (
        "INT16",
        "Internal Check: DOB in PrevPerm is different to DOB in Header.",
        "previous_permanence",
        "DOB",
    ),
    ("INT17", "Internal Check: DOB in Reviews is different to DOB in Header.", "reviews", "DOB"),
    ("INT18", "Internal Check: DOB in UASC is different to DOB in Header.", "uasc", "DOB"),
    ("INT21", "Internal Check: SEX in UASC is different to SEX in Header.", "uasc", "SEX"),
):
    _contradiction_rule(_code, _message, _table, _column)

for _code, _message, _table in (
    ("INT31", "Internal Check: Child should only exist once in AD1.", "ad1"),
    ("INT33", "Internal Check: Child should only exist once in OC2.", "oc2"),
    ("INT34", "Internal Check: Child should only exist once in OC3.", "oc3"),
    ("INT35", "Internal Check: Child should only exist once in PrevPerm.", "previous_permanence"),
    ("INT36", "Internal Check: Child should only exist once in UASC.", "uasc"),
):
    _repeat_rule(_code, _message, _table)
