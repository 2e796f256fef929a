"""Hypothesis settings for the fuzz run: brief inside `make test`, long in `make fuzz`.

`CAREMATTERS_FUZZ_SECONDS` (set by `make fuzz`) is the wall-clock budget of the whole fuzz
run; without it each fuzz target runs one brief batch. Failing examples are kept in
hypothesis's database under .hypothesis/ (removed by `make clean`) and tried first next time.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz-brief",
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-long",
    parent=settings.get_profile("fuzz-brief"),
    max_examples=50,
    suppress_health_check=list(HealthCheck),
)
# Each batch of a long run is one call of a @given function; the batches repeat until
# the budget is spent, so the run stops near the time asked for, not after a count.
settings.register_profile(
    "fuzz",
    parent=settings.get_profile(
        "fuzz-long" if os.environ.get("CAREMATTERS_FUZZ_SECONDS") else "fuzz-brief"
    ),
)
