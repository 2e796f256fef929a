"""Compare our validator with csc-validator-be-903, rule by rule, on the same return.

    python tools/compare_validators.py 2024-25 RETURN_DIR LAST_YEARS_DIR CSC_FINDINGS.json

CSC_FINDINGS.json is what `tools/csc_validator_903.py ... --json` wrote for the same
return. Prints a Markdown table: for each rule either side found anything for, the rows
each found, how many both found, and how many only one did; then the rules only one side
ran. Rows are (table, file row), so the two agree only when they point at the same line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from carematters.ssda903.years import CollectionYear
from carematters.validation.context import Context
from carematters.validation.engine import validate
from carematters.validation.inputs import read_for_validation
from carematters.validation.rulesets import ruleset


def main() -> None:
    year = CollectionYear.parse(sys.argv[1])
    this = read_for_validation(Path(sys.argv[2]), year)
    last = read_for_validation(Path(sys.argv[3]), CollectionYear(year.start_year - 1))
    theirs_file = json.loads(Path(sys.argv[4]).read_text("utf-8"))
    started = time.perf_counter()
    result = validate(Context(this=this, previous=last))
    seconds = time.perf_counter() - started
    ours: dict[str, set[tuple[str, int]]] = {}
    for code, table, row in result.findings.select("CODE", "TABLE", "ROW").iter_rows():
        ours.setdefault(code, set()).add((table, row))
    theirs = {
        code: {(table, int(row)) for table, row in rows}
        for code, rows in theirs_file["findings"].items()
    }
    print(
        f"{year}: ours {len(result.ran)} rules in {seconds:.2f} s; "
        f"csc-validator-be-903 {len(theirs_file['run'])} rules in {theirs_file['seconds']:.2f} s"
    )
    print()
    print("| rule | ours | theirs | both | only ours | only theirs |")
    print("|---|---|---|---|---|---|")
    ran = {rule.code for rule in result.ran}
    for code in sorted(set(ours) | set(theirs)):
        mine, other = ours.get(code, set()), theirs.get(code, set())
        note = "" if code in ran else " (not run by us)"
        print(
            f"| {code}{note} | {len(mine)} | {len(other)} | {len(mine & other)} | "
            f"{len(mine - other)} | {len(other - mine)} |"
        )
    defined = set(ruleset(year))
    print()
    print(f"Rules csc ran that we do not have: {sorted(set(theirs_file['run']) - defined)}")
    print(f"Rules we ran that csc did not: {sorted(ran - set(theirs_file['run']))}")


if __name__ == "__main__":
    main()
