"""Check an SSDA903 CSV return with the community validator, csc-validator-be-903.

Runs in that package's own virtual environment (it needs pandas 1), so it imports
nothing from carematters: `make crosscheck` sets it up and calls it once per year.

    python tools/csc_validator_903.py 2024-25 RETURN_DIR [LAST_YEARS_RETURN_DIR]

Prints, for each rule that fails, its code, table, rows failing and message; exits 0.
"""

from __future__ import annotations

import glob
import logging
import sys
import time

from lac_validator import lac_validator
from lac_validator.rules.ruleset_utils import get_year_ruleset
from lac_validator.utils import process_uploaded_files


def main() -> None:
    year, this_year = sys.argv[1], sys.argv[2]
    last_year = sys.argv[3] if len(sys.argv) > 3 else None
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
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in (c for c in frame.columns if c.startswith("ERR_")):
            count = int((frame[column] == True).sum())  # noqa: E712 (pandas mask)
            if count:
                code = column.removeprefix("ERR_")
                rule = rules.get(code)
                failing.append((count, code, table, rule.message if rule else ""))
    print(
        f"{year}: {len(rules)} rules, {len(validator.dones)} run, {len(validator.skips)} skipped, "
        f"{len(validator.fails)} crashed {sorted(map(str, validator.fails))}, {seconds:.1f} s"
    )
    for count, code, table, message in sorted(failing, reverse=True):
        print(f"  {code:>10}  {table:<15} {count:>6} rows  {message[:90]}")


if __name__ == "__main__":
    main()
