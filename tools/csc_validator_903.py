"""Check an SSDA903 CSV return with the community validator, csc-validator-be-903.

Runs in that package's own virtual environment (it needs pandas 1), so it imports
nothing from carematters: `make crosscheck` sets it up and calls it once per year.

    python tools/csc_validator_903.py 2024-25 RETURN_DIR [LAST_YEARS_RETURN_DIR] [--json FILE]

Prints, for each rule that fails, its code, table, rows failing and message; exits 0.
With --json, also writes every failing row (table and file row, header = row 1) by rule,
the rules run, and the seconds taken, for `tools/compare_validators.py`.
"""

from __future__ import annotations

import glob
import json
import logging
import sys
import time

from lac_validator import lac_validator
from lac_validator.rules.ruleset_utils import get_year_ruleset
from lac_validator.utils import process_uploaded_files

TABLES = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placed_for_adoption",
    "PrevPerm": "previous_permanence",
    "Missing": "missing",
    "SWEpisodes": "sw_episodes",
    "DoLo": "dolo",
}


def main() -> None:
    args = sys.argv[1:]
    json_out = None
    if "--json" in args:
        at = args.index("--json")
        json_out = args[at + 1]
        del args[at : at + 2]
    year, this_year = args[0], args[1]
    last_year = args[2] if len(args) > 2 else None
    logging.disable(logging.CRITICAL)
    collection = str(int(year[:4]) + 1)  # the validator names 2024-25 by its end, "2025"
    files = {"This year": sorted(glob.glob(f"{this_year}/*.csv"))}
    if last_year:
        files["Prev year"] = sorted(glob.glob(f"{last_year}/*.csv"))
    rules = get_year_ruleset(collection)
    started = time.perf_counter()
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": collection, "localAuthority": "E99999999"},
        files=process_uploaded_files(files),
        registry=rules,
        selected_rules=None,
    )
    seconds = time.perf_counter() - started
    failing = []
    rows: dict[str, list[list[object]]] = {}
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in (c for c in frame.columns if c.startswith("ERR_")):
            mask = (frame[column] == True).to_numpy()  # noqa: E712 (pandas mask)
            count = int(mask.sum())
            if count:
                code = column.removeprefix("ERR_")
                rule = rules.get(code)
                failing.append((count, code, table, rule.message if rule else ""))
                positions = [int(i) + 2 for i, hit in enumerate(mask) if hit]
                rows.setdefault(code, []).extend(
                    [TABLES.get(table, table), row] for row in positions
                )
    if json_out:
        with open(json_out, "w", encoding="utf-8") as file:
            json.dump(
                {
                    "seconds": seconds,
                    "run": sorted(map(str, validator.dones)),
                    "findings": rows,
                },
                file,
            )
    print(
        f"{year}: {len(rules)} rules, {len(validator.dones)} run, {len(validator.skips)} skipped, "
        f"{len(validator.fails)} crashed {sorted(map(str, validator.fails))}, {seconds:.1f} s"
    )
    for count, code, table, message in sorted(failing, reverse=True):
        print(f"  {code:>10}  {table:<15} {count:>6} rows  {message[:90]}")


if __name__ == "__main__":
    main()
