# The two commands a newcomer needs are `make run` and `make test`; both create the
# virtual environment and install what they need on a fresh machine.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench crosscheck clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/carematters demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Check the synthetic authority's returns with the community validator csc-validator-be-903,
# in its own virtual environment (it pins pandas<2). Not part of `make test`: it is slow
# to install and its findings are read by a person (docs/synthetic-authority-validation.md).
CSC := var/csc-validator
CROSS := var/crosscheck
crosscheck: $(STAMP)
	test -x $(CSC)/bin/python || python3 -m venv $(CSC)
	$(CSC)/bin/python -m pip install --quiet --disable-pip-version-check csc-validator-be-903==0.1.17
	$(BIN)/carematters synth --children-in-care 600 --years 2019-2026 --seed 7 --out $(CROSS)/record
	for year in 2022-23 2023-24 2024-25 2025-26; do \
	  $(BIN)/carematters 903 extract $(CROSS)/record --year $$year --out $(CROSS)/$$year || exit 1; \
	done
	$(CSC)/bin/python tools/csc_validator_903.py 2022-23 $(CROSS)/2022-23
	$(CSC)/bin/python tools/csc_validator_903.py 2023-24 $(CROSS)/2023-24 $(CROSS)/2022-23
	$(CSC)/bin/python tools/csc_validator_903.py 2024-25 $(CROSS)/2024-25 $(CROSS)/2023-24
	$(CSC)/bin/python tools/csc_validator_903.py 2025-26 $(CROSS)/2025-26 $(CROSS)/2024-25

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
