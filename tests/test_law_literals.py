"""No age or date of the law typed into the validator, the simulator or the web demo: the
law's ages and dates are parameters (`carematters.parameters`), read for the day they
apply to, as the duties read theirs (`tests/duties/test_duty_units.py` holds the duties
to the same rule, and to none of these exceptions).

What is looked at, in `validation/`, `synth/` and `web/demo.py`:

- an age: the years given to `birthday` or `birthdays`; a number compared with an age
  (`age_on`, `age_in_years`, a helper named `_age...`, a variable named `age` or
  `..._age`, the column AGE), or listed in `.is_in([...])` or `.is_between(a, b)` on one;
  a number given to a parameter named `age`, `ages` or `years` of a function of the same
  module; the `range` a loop over `age` runs through;
- a date: `date(2023, 10, 28)`, every part of it typed, or a string "2023-10-28" or
  "28/10/2023" in the code (docstrings, and DfE's messages in `@rule(...)`, are words).

A number or date typed there is found. A name is followed to where it is set: in the
function (a number set there is as good as typed), or at the top of its module or of
one it is imported from, where it stands only if its docstring says, first, whose it
is when it is not the law's: "DfE's ..." (a threshold DfE's rule states, a code's
definition, the return's design) or "Not law ..." (arithmetic, a stand-in day, the
simulator's calibration or the demo's choice). DfE's code values are text ("PN0", "J1")
and are never looked at.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import carematters

PACKAGE = Path(carematters.__file__).parent
SCANNED = (
    *sorted((PACKAGE / "validation").rglob("*.py")),
    *sorted((PACKAGE / "synth").rglob("*.py")),
    PACKAGE / "web" / "demo.py",
)
NOT_THE_LAWS = re.compile(r"\s*(DfE's|Not law)\b")
"""How the docstring of a named age or date that is not the law's begins."""
LEFT_FOR_NOW = {
    ("synth/casework.py", "missing"): "the chance of going missing by age band (10, 13, 16) "
    "is the simulator's calibration, inside the missing-episode model, which is being "
    "reworked apart from this (rule 575): name its bands when that work is done",
}
"""Functions not yet held to the rule, each with why: an exception has a reason."""
AGE_NAME = re.compile(r"^_?(age|ages)$|_age$")
"""A variable holding an age (or ages): `age`, `ages`, `_age`, `sdq_from_age`."""
AGE_FUNCTION = re.compile(r"^(age_on|age_in_years|_age(_\w+)?)$")
"""A function giving an age: `age_on`, `age_in_years`, or a module's own `_age`, `_age_at`."""
AGE_PARAMETER = re.compile(r"^(age|ages|years)$|_age$")
"""A function's parameter that takes an age."""
BIRTHDAY = ("birthday", "birthdays")
"""Functions whose second argument (`years`) is an age."""
DATE_FUNCTIONS = ("date", "datetime")
DATE_TEXT = re.compile(r"\b(1[89]|20)\d\d-[01]\d-[0-3]\d\b|\b[0-3]\d/[01]\d/(1[89]|20)\d\d\b")


@dataclass
class _Module:
    """A module's top-level names set to a number or date (with their docstrings), its
    imports, and its functions' parameters."""

    constants: dict[str, tuple[ast.expr, str | None]] = field(default_factory=dict)
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)
    parameters: dict[str, list[str]] = field(default_factory=dict)


def _module(tree: ast.Module) -> _Module:
    found = _Module()
    body = tree.body
    for index, node in enumerate(body):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            following = body[index + 1] if index + 1 < len(body) else None
            doc = (
                following.value.value
                if isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
                else None
            )
            for target in targets:
                if isinstance(target, ast.Name) and node.value is not None:
                    found.constants[target.id] = (node.value, doc)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found.imported[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.FunctionDef):
            found.parameters[node.name] = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    return found


def _typed(value: ast.expr) -> bool:
    """A number, a list or tuple of numbers, or a date, all typed."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, int) and not isinstance(value.value, bool)
    if isinstance(value, ast.UnaryOp):
        return _typed(value.operand)
    if isinstance(value, ast.Tuple | ast.List):
        return bool(value.elts) and all(_typed(e) for e in value.elts)
    return _date(value)


def _name_of(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _date(node: ast.expr) -> bool:
    """`date(2023, 10, 28)` (or `datetime(...)`, `pl.date(...)`), year, month and day typed."""
    if not isinstance(node, ast.Call) or _name_of(node.func) not in DATE_FUNCTIONS:
        return False
    parts = node.args[:3]
    return len(parts) == 3 and all(
        isinstance(p, ast.Constant) and isinstance(p.value, int) for p in parts
    )


def _is_age(node: ast.expr) -> bool:
    """Whether the expression is someone's age (or ages)."""
    if isinstance(node, ast.Name):
        return bool(AGE_NAME.search(node.id))
    if isinstance(node, ast.Call):
        name = _name_of(node.func)
        if name == "col" and node.args and isinstance(node.args[0], ast.Constant):
            return str(node.args[0].value).upper() == "AGE"
        if name in ("alias", "cast", "fill_null") and isinstance(node.func, ast.Attribute):
            return _is_age(node.func.value)
        return bool(name and AGE_FUNCTION.match(name))
    return False


def _docstrings(tree: ast.Module) -> set[int]:
    """Where the docstrings are (ids of their nodes), and DfE's words in `@rule(...)`."""
    words: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef):
            for index, inner in enumerate(node.body):
                # A module's constants (and a function's names) carry docstrings after them.
                after = index == 0 or isinstance(node.body[index - 1], ast.Assign | ast.AnnAssign)
                if after and isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Constant):
                    words.add(id(inner.value))
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and _name_of(decorator.func) == "rule":
                    words |= {id(n) for n in ast.walk(decorator)}
    return words


def _date_text(node: ast.Constant, words: set[int]) -> bool:
    """A string in the code (not a docstring, not DfE's words) that is a date."""
    return (
        isinstance(node.value, str) and id(node) not in words and bool(DATE_TEXT.search(node.value))
    )


class _Finder:
    """The ages and dates of the law typed into one module, as "file:line what"."""

    def __init__(self, source: str, name: str, modules: dict[str, _Module] | None = None) -> None:
        self.name = name
        self.tree = ast.parse(source)
        self.module = _module(self.tree)
        self.modules = modules if modules is not None else {}
        self.found: list[str] = []
        self.ages_seen = 0
        self.said = {
            id(value)
            for value, doc in self.module.constants.values()
            if _date(value) and doc and NOT_THE_LAWS.match(doc)
        }
        """Dates set at the top of the module whose docstrings say whose they are."""

    def run(self) -> list[str]:
        words = _docstrings(self.tree)
        outside = [n for n in self.tree.body if not isinstance(n, ast.FunctionDef)]
        for node in (inner for top in outside for inner in ast.walk(top)):
            self._look(node, None, words)
        for function in self.tree.body:
            held = (self.name, getattr(function, "name", "")) not in LEFT_FOR_NOW
            if isinstance(function, ast.FunctionDef) and held:
                for node in ast.walk(function):
                    self._look(node, function, words)
        return self.found

    def _flag(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.name}:{getattr(node, 'lineno', 0)} {what}")

    def _look(self, node: ast.AST, function: ast.FunctionDef | None, words: set[int]) -> None:
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_age(side) for side in sides):
                self.ages_seen += 1
                for side in sides:
                    if not _is_age(side):
                        self._age(side, function, "compared with an age")
        elif isinstance(node, ast.Call):
            if _date(node) and id(node) not in self.said:
                self._flag(node, f"a date typed in ({ast.unparse(node)})")
            self._call(node, function)
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            ranged = node.iter if isinstance(node.iter, ast.Call) else None
            if ranged and _name_of(ranged.func) == "range" and AGE_NAME.search(node.target.id):
                self.ages_seen += 1
                for bound in ranged.args:
                    self._age(bound, function, "a range of ages")
        elif isinstance(node, ast.Constant) and _date_text(node, words):
            self._flag(node, f"a date written as text {node.value!r}")

    def _call(self, node: ast.Call, function: ast.FunctionDef | None) -> None:
        name = _name_of(node.func)
        given: list[ast.expr] = []
        if name in BIRTHDAY:
            given = node.args[1:2] + [k.value for k in node.keywords if k.arg == "years"]
        elif name in ("is_in", "is_between") and isinstance(node.func, ast.Attribute):
            if _is_age(node.func.value):
                given = list(node.args)
        elif isinstance(node.func, ast.Name) and name in self.module.parameters:
            names = self.module.parameters[name]
            given = [
                arg
                for arg, parameter in zip(node.args, names, strict=False)
                if AGE_PARAMETER.search(parameter)
            ]
            given += [k.value for k in node.keywords if k.arg and AGE_PARAMETER.search(k.arg)]
        for value in given:
            self.ages_seen += 1
            self._age(value, function, f"an age given to {name}")

    def _age(self, value: ast.expr, function: ast.FunctionDef | None, what: str) -> None:
        if isinstance(value, ast.Starred):
            value = value.value
        if _typed(value):
            self._flag(value, f"{what}: {ast.unparse(value)}")
        elif isinstance(value, ast.Tuple | ast.List):
            for item in value.elts:
                self._age(item, function, what)
        elif isinstance(value, ast.Name):
            self._name(value, function, what)

    def _name(self, at: ast.Name, function: ast.FunctionDef | None, what: str) -> None:
        """Follow a name to where it is set: in the function, or at the top of the module
        (or of the module it is imported from)."""
        name = at.id
        for node in ast.walk(function) if function else ():
            if not isinstance(node, ast.Assign) or not _typed(node.value):
                continue
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                self._flag(at, f"{what}: {name} = {ast.unparse(node.value)}")
                return
        module, own = self.module, name
        if name not in module.constants and name in module.imported:
            source, own = module.imported[name]
            module = self.modules.get(source) or _Module()
        if own in module.constants:
            value, doc = module.constants[own]
            if _typed(value) and not (doc and NOT_THE_LAWS.match(doc)):
                self._flag(at, f"{what}: {name} = {ast.unparse(value)}, not said to be DfE's")


def _modules() -> dict[str, _Module]:
    """Every module of the package by its dotted name, for names imported from them."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        dotted = ".".join(("carematters", *path.relative_to(PACKAGE).with_suffix("").parts))
        found[dotted] = _module(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _scan() -> tuple[list[str], int]:
    modules = _modules()
    found, ages = [], 0
    for path in SCANNED:
        finder = _Finder(
            path.read_text(encoding="utf-8"), path.relative_to(PACKAGE).as_posix(), modules
        )
        found += finder.run()
        ages += finder.ages_seen
    return found, ages


def test_no_age_or_date_of_the_law_is_typed_into_the_validator_simulator_or_demo():
    found, ages = _scan()
    assert len(SCANNED) > 40
    assert ages > 80  # the ages are there to be looked at: this test looks at them
    assert found == []


PLANTED = {
    "age_on(pl.col('DOB'), day) >= 18": "compared with an age: 18",
    "_age_at('DEC') < 10": "compared with an age: 10",
    "age_on(dob, end).is_between(17, 18)": "an age given to is_between: 17",
    "birthday(pl.col('DOB'), 18)": "an age given to birthday: 18",
    "birthdays(dob, years=16)": "an age given to birthdays: 16",
    "age_in_years(dob, on) < -1": "compared with an age: -1",
    "pl.col('AGE').is_between(*(5, 15))": "an age given to is_between: (5, 15)",
    "date(2023, 10, 28)": "a date typed in (date(2023, 10, 28))",
    "np.datetime64('2023-10-28')": "a date written as text",
    "np.datetime64('28/10/2023')": "a date written as text",
}
"""Each line, planted in a function, and what the finder says of it."""


@pytest.mark.parametrize("line", PLANTED)
def test_an_age_or_date_planted_in_a_function_is_found(line):
    found = _Finder(f"def f():\n    return {line}\n", "planted.py").run()
    assert len(found) >= 1
    assert found[0].startswith("planted.py:2 " + PLANTED[line]), found


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("ADULT = 18\ndef f():\n    return age >= ADULT\n", "ADULT = 18, not said to be DfE's"),
        (
            'ADULT = 18\n"""The age of adulthood."""\ndef f():\n    return age_on(d, e) < ADULT\n',
            "ADULT = 18, not said to be DfE's",
        ),
        (
            "from carematters.validation.rules.planted import ADULT\n"
            "def f():\n    return age < ADULT\n",
            "ADULT = 18, not said to be DfE's",
        ),
        ("def f():\n    adult = 18\n    return age < adult\n", "adult = 18"),
        ("def f(x, age):\n    pass\ndef g():\n    return f(1, 16)\n", "an age given to f: 16"),
        ("def f():\n    for age in range(17, 22):\n        pass\n", "a range of ages: 17"),
        (
            'UNTIL = date(2023, 10, 27)\n"""The last day."""\n',
            "a date typed in (date(2023, 10, 27))",
        ),
        ("X = {'P2': date(2023, 10, 28)}\n", "a date typed in (date(2023, 10, 28))"),
    ],
)
def test_a_named_age_or_date_is_found_if_it_does_not_say_whose_it_is(source, what):
    elsewhere = {"carematters.validation.rules.planted": _module(ast.parse("ADULT = 18\n"))}
    found = _Finder(source, "planted.py", elsewhere).run()
    assert any(what in hit for hit in found), found


@pytest.mark.parametrize(
    "source",
    [
        'ADULT = 18\n"""DfE\'s rule 352: adults."""\ndef f():\n    return age >= ADULT\n',
        'FROM = 14\n"""Not law: calibration."""\ndef f():\n    return birthdays(dob, FROM)\n',
        'UNTIL = date(2023, 10, 27)\n"""Not law: a stand-in day."""\n',
        'FIRST = date(2016, 4, 1)\n"""DfE\'s: first collected."""\ndef f():\n    return FIRST\n',
    ],
)
def test_a_named_age_or_date_saying_whose_it_is_stands(source):
    assert _Finder(source, "planted.py").run() == []


@pytest.mark.parametrize(
    "line",
    [
        "pl.col('REVIEW_CODE') == 'PN0'",  # DfE's code values are text
        "pl.col('LS').is_in(['J1', 'J2', 'J3'])",
        "age_on(pl.col('DOB'), day) >= law['ages.adulthood'].number",
        "birthdays(dob, law['leaving_care.eligible_from_age'].number)",
        "age_in_years(dob, on) >= adulthood - 1",
        "days_lasted(context) > 17",  # a length of time, not an age (test_duty_units's)
        "date(context.year.start_year - 1, 8, 31)",  # a day of every year, not one day
        "f'{day:%d/%m/%Y}'",
    ],
)
def test_what_is_not_an_age_or_date_of_the_law_is_not_found(line):
    assert _Finder(f"def f():\n    return {line}\n", "planted.py").run() == []
