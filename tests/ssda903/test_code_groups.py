"""Code groups (the `groups:` of each code list) are defined once, in the YAML, and
read everywhere else: each group names codes its list has, means something in every
year it is used, and no module spells its codes out again."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from carematters.ssda903.codelists import Group, code_group, code_list, code_list_names
from carematters.ssda903.years import SUPPORTED_YEARS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "carematters"
READERS = ("validation", "records", "cohorts.py", "indicators", "duties", "synth")
"""The parts of carematters that ask for groups of codes: none may list a group's codes."""

GROUPS = [(name, group) for name in code_list_names() for group in code_list(name).groups]


def _applies_in(group: Group) -> list[str]:
    """The supported years (as "2024-25") in which `group` is used."""
    return [
        str(year)
        for year in SUPPORTED_YEARS
        if group.first_year <= year and (group.last_year is None or year <= group.last_year)
    ]


def test_there_are_groups_to_check() -> None:
    assert {"placement_type", "legal_status", "reason_episode_ceased", "reason_new_episode"} <= {
        name for name, _ in GROUPS
    }


@pytest.mark.parametrize(("name", "group"), GROUPS, ids=lambda v: getattr(v, "name", v))
def test_every_group_names_codes_of_its_own_list_once_and_says_what_they_mean(
    name: str, group: Group
) -> None:
    defined = {code.code for code in code_list(name).codes}
    assert set(group.codes) <= defined, f"{name}.{group.name}: {set(group.codes) - defined}"
    assert len(set(group.codes)) == len(group.codes), f"{name}.{group.name} repeats a code"
    assert group.description.strip(), f"{name}.{group.name} has no description"
    assert group.last_year is None or group.first_year <= group.last_year


@pytest.mark.parametrize(("name", "group"), GROUPS, ids=lambda v: getattr(v, "name", v))
def test_every_group_has_codes_in_every_year_it_is_used(name: str, group: Group) -> None:
    years = _applies_in(group)
    assert years, f"{name}.{group.name} is used in no supported year"
    for year in SUPPORTED_YEARS:
        codes = code_group(name, group.name, year)
        assert bool(codes) == (str(year) in years), f"{name}.{group.name} in {year}: {codes}"


def test_a_group_follows_its_codes_through_the_years() -> None:
    # The 'other' placements: Z1 until 2024-25, then the four codes that replaced it.
    assert code_group("placement_type", "other", SUPPORTED_YEARS[2]) == ("Z1",)
    assert code_group("placement_type", "other", SUPPORTED_YEARS[3]) == ("Z11", "Z12", "Z13", "Z14")
    assert code_group("placement_type", "other") == ("Z1", "Z11", "Z12", "Z13", "Z14")


def _spellings() -> dict[frozenset[str], list[str]]:
    """Each set of codes that would spell out a group, with the groups it spells: the
    group's codes of every year, and of each year it has more than one code in (a
    one-code set from a single year, such as Z1, is too common to be the group)."""
    found: dict[frozenset[str], list[str]] = {}
    for name, group in GROUPS:
        sets = {frozenset(group.codes)}
        sets |= {
            frozenset(in_year)
            for year in SUPPORTED_YEARS
            if len(in_year := code_group(name, group.name, year)) > 1
        }
        for spelling in sets:
            found.setdefault(spelling, []).append(f"{name}.{group.name}")
    return found


def _weighted_draws(tree: ast.AST) -> set[ast.AST]:
    """The codes of each weighted draw, `(("E45", "E46"), (0.75, 0.25))`: the simulator's
    probabilities name codes one by one, each with its own weight, and are not groups."""
    return {
        node.elts[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and isinstance(node.elts[1], ast.Tuple)
        and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int | float)
            for e in node.elts[1].elts
        )
    }


def _string_literals(tree: ast.AST) -> Iterator[tuple[int, frozenset[str]]]:
    """Each tuple, list or set written in the source with only strings in it, by line
    (the codes of a weighted draw apart)."""
    draws = _weighted_draws(tree)
    for node in ast.walk(tree):
        if (
            node not in draws
            and isinstance(node, ast.Tuple | ast.List | ast.Set)
            and node.elts
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
        ):
            yield (
                node.lineno,
                frozenset(str(e.value) for e in node.elts if isinstance(e, ast.Constant)),
            )


def _modules() -> list[Path]:
    paths = [PACKAGE / reader for reader in READERS]
    return sorted(
        module for path in paths for module in ([path] if path.is_file() else path.rglob("*.py"))
    )


def test_the_scan_sees_the_modules_and_would_find_a_group_spelt_out() -> None:
    assert len(_modules()) > 50
    spelt = ast.parse('FOSTER = ("U6", "U5", "U4", "U3", "U2", "U1")')
    assert [codes for _, codes in _string_literals(spelt)] == [
        frozenset(code_group("placement_type", "foster"))
    ]
    assert frozenset(code_group("placement_type", "foster")) in _spellings()
    weighted = ast.parse('CHOICE = (("U1", "U2", "U3"), (0.45, 0.52, 0.03))')
    assert list(_string_literals(weighted)) == []


def test_no_module_spells_out_the_codes_of_a_group() -> None:
    spellings = _spellings()
    found = [
        f"{module.relative_to(ROOT)}:{line}: {', '.join(spellings[codes])}"
        for module in _modules()
        for line, codes in sorted(_string_literals(ast.parse(module.read_text(encoding="utf-8"))))
        if codes in spellings
    ]
    assert not found, "read these with code_group (or Context.group):\n" + "\n".join(found)
