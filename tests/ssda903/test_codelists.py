"""Code lists change between collection years; each year must see its own list."""

import pytest

from carematters.records.schema import RECORD_TABLES, columns_using
from carematters.ssda903.codelists import code_list, code_list_names
from carematters.ssda903.tables import Kind
from carematters.ssda903.years import SUPPORTED_YEARS, CollectionYear


def _valid(name: str, year: str) -> frozenset[str]:
    return code_list(name).valid_codes(CollectionYear.parse(year))


def test_sex_was_1_and_2_until_2023_24_and_m_f_u_from_2024_25():
    assert _valid("sex", "2023-24") == {"1", "2"}
    assert _valid("sex", "2024-25") == {"M", "F", "U"}


def test_placement_types_follow_the_years_they_were_added_and_removed():
    assert "K3" not in _valid("placement_type", "2023-24")
    assert "K3" in _valid("placement_type", "2024-25")
    for retired in ("Z1", "H5", "P2"):
        assert retired in _valid("placement_type", "2024-25")
        assert retired not in _valid("placement_type", "2025-26")
    for added in ("Z11", "Z12", "Z13", "Z14"):
        assert added not in _valid("placement_type", "2024-25")
        assert added in _valid("placement_type", "2026-27")


def test_social_worker_change_reasons_start_in_2023_24():
    assert _valid("sw_reason", "2022-23") == set()
    assert "SWDIED" in _valid("sw_reason", "2023-24")


def test_a_retired_code_keeps_its_description():
    z1 = code_list("placement_type").find("Z1")
    assert z1 is not None
    assert z1.description.startswith("Other placements")
    assert z1.years_text() == "valid from 2022-23 to 2024-25"


@pytest.mark.parametrize("name", code_list_names())
def test_every_list_has_a_title_and_every_code_a_description(name):
    codes = code_list(name)
    assert codes.title
    assert codes.codes
    for code in codes.codes:
        assert code.description.strip(), f"{name} {code.code} has no description"
        assert code.last_year is None or code.first_year <= code.last_year


def test_every_code_column_names_a_shipped_list_and_every_list_is_used():
    used = {c.codes for t in RECORD_TABLES for c in t.columns if c.kind is Kind.CODE}
    assert None not in used
    assert used <= set(code_list_names())
    assert {name for name in code_list_names() if columns_using(name)} == used
    # uasc_status is the XML HEADER's UASC flag, which carries the uasc table.
    assert set(code_list_names()) - used == {"uasc_status"}


@pytest.mark.parametrize("year", SUPPORTED_YEARS, ids=str)
def test_every_year_has_codes_for_every_list_in_use(year):
    for name in ("sex", "ethnicity", "legal_status", "placement_type", "reason_new_episode"):
        assert code_list(name).valid_codes(year), f"{name} has no codes in {year}"
