# The two commands a newcomer needs are `make run` and `make test`; both create the
# virtual environment and install what they need on a fresh machine.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

NODE_STAMP := node_modules/.installed-stamp
STATIC_STAMP := build/static/.built-stamp
# The web suite runs a second time against this PostgreSQL (trust auth, as on development
# and CI machines); tools/ensure-postgres installs and starts Debian's where none answers.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# The browser tests drive Debian's chromium (tools/ensure-browser): no tool may fetch its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint fuzz bench crosscheck clean static

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	# Compiled once here, as a packaged install would be: where PYTHONDONTWRITEBYTECODE is
	# set, every command would otherwise compile the whole package again as it starts.
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

# GOV.UK Frontend and MOJ Frontend from the npm registry, pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Their CSS names its fonts and images from the site's root (/assets/...); here they sit
# beside the CSS, so the links are made relative.
$(STATIC_STAMP): $(NODE_STAMP)
	rm -rf build/static
	mkdir -p build/static/govuk build/static/moj
	cp -r node_modules/govuk-frontend/dist/govuk/assets node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.* build/static/govuk/
	sed 's#url(/assets/#url(assets/#g' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css > build/static/govuk/govuk-frontend.min.css
	cp -r node_modules/@ministryofjustice/frontend/moj/assets node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.* build/static/moj/
	sed 's#url(/assets/#url(assets/#g' node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css > build/static/moj/moj-frontend.min.css
	touch $(STATIC_STAMP)

static: $(STAMP) $(STATIC_STAMP)
	$(BIN)/carematters web collectstatic

run: static
	$(BIN)/carematters web setup-demo
	$(BIN)/carematters serve

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy src
	$(BIN)/lint-imports

# The web suite, its browser tests included, runs on SQLite with the rest and then again
# on PostgreSQL; a missing chromium or PostgreSQL fails here, never skips.
test: lint static
	tools/ensure-browser
	$(BIN)/pytest
	tools/ensure-postgres $(POSTGRES_URL)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest tests/web

# The readers and the validator fuzzed for FUZZ_SECONDS (`make test` runs a few seconds of
# it); inputs that broke a promise are kept in .hypothesis/ and tried first next time.
FUZZ_SECONDS ?= 300

fuzz: $(STAMP)
	CAREMATTERS_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/pytest tests/fuzz

# The community validator csc-validator-be-903, in its own virtual environment (it pins
# pandas<2): `make bench` times it beside ours, `make crosscheck` compares findings.
CSC := var/csc-validator
CSC_STAMP := $(CSC)/.installed-stamp
CROSS := var/crosscheck

$(CSC_STAMP):
	python3 -m venv $(CSC)
	$(CSC)/bin/python -m pip install --quiet --disable-pip-version-check csc-validator-be-903==0.1.17
	touch $(CSC_STAMP)

bench: $(STAMP) $(CSC_STAMP) $(STATIC_STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/web.py

# Check the synthetic authority's returns with both validators, with 2% of values spoiled
# on purpose (listed in injected.csv): their findings, rule by rule, go to
# $(CROSS)/compare-YEAR.md (read by a person: docs/validator-crosscheck.md).
crosscheck: $(STAMP) $(CSC_STAMP)
	rm -rf $(CROSS)
	$(BIN)/carematters synth --children-in-care 600 --years 2019-2026 --seed 7 \
	  --inject-errors 0.02 --injected $(CROSS)/injected.csv --out $(CROSS)/record
	for year in 2022-23 2023-24 2024-25 2025-26; do \
	  $(BIN)/carematters 903 extract $(CROSS)/record --year $$year --out $(CROSS)/$$year || exit 1; \
	done
	for pair in 2023-24:2022-23 2024-25:2023-24 2025-26:2024-25; do \
	  year=$${pair%%:*}; last=$${pair##*:}; \
	  $(CSC)/bin/python tools/csc_validator_903.py $$year $(CROSS)/$$year $(CROSS)/$$last \
	    --json $(CROSS)/csc-$$year.json > $(CROSS)/csc-$$year.txt || exit 1; \
	  $(BIN)/python tools/compare_validators.py $$year $(CROSS)/$$year $(CROSS)/$$last \
	    $(CROSS)/csc-$$year.json | tee $(CROSS)/compare-$$year.md || exit 1; \
	done

clean:
	rm -rf $(VENV) var build node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
