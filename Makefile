# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first and
# reuse what already exists on a second run.

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ASSETS := scp_tracker/static/.built-stamp
# The development settings (SCP_ENV=development, a generated secret) that every scp-tracker command here reads
DOTENV := .env

.PHONY: run test lint setup assets audit screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,audit]'
	touch $@

$(ASSETS): package.json package-lock.json scripts/build-assets.sh $(wildcard assets/scss/*.scss assets/js/*.js assets/images/* assets/manifest.json)
	bash scripts/build-assets.sh
	touch $@

# Made only when missing: a .env that exists (perhaps edited by hand) is never overwritten.
$(DOTENV): | $(STAMP)
	$(BIN)/python -m config.local_env $@

## Set up: the Debian packages the PDF needs, the virtual environment, the assets and a development .env, so
## `.venv/bin/scp-tracker …` works
setup: $(STAMP) $(ASSETS) $(DOTENV)
	@bash scripts/system-packages.sh

assets: $(ASSETS)

## Set up, load the demo (the real plan moved to the current plan year, with its year so far), start a local SMTP
## sink and the app on http://127.0.0.1:5000
run: setup
	bash scripts/dev.sh

## Set up and run the whole test suite (SCP_TEST_DATABASE_URL=postgresql+psycopg://… runs it on PostgreSQL)
test: setup
	SCP_REQUIRE_ASSETS=1 $(BIN)/pytest $(PYTEST_ARGS)

## Check style (ruff), types (mypy) and that areas import only downward (import-linter, contract in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Regenerate the README's screenshots in docs/screenshots/ (needs Debian's chromium)
screenshots: setup
	$(BIN)/python scripts/screenshots.py

## Measure the reminder run, delivery, pages, imports and scheduler memory on a county's worth of data
## (needs wrk: apt-get install -y wrk); prints a table and writes benchmarks/results.json
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## Check the pinned dependencies for known vulnerabilities
audit: $(STAMP)
	$(BIN)/pip-audit --skip-editable

clean:
	rm -rf $(VENV) node_modules scp_tracker/static
