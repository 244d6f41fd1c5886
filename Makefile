# Set-up and the main commands. Every target sets up what it needs on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
NODE_STAMP := node_modules/.installed
MANAGE := $(BIN)/python -m caseforchange.web.manage
# Pinned installs (requirements/README.md): web.lock for the app and reports, dev.lock for
# everything the tests, lint and benchmarks need. The project goes on top, editable.
WEB_LOCK := requirements/web.lock
DEV_LOCK := requirements/dev.lock
WEB_STAMP := $(VENV)/.installed-web
STAMP := $(VENV)/.installed-dev
LOCK_FLAGS := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --quiet
# `make run HOST=0.0.0.0` serves phones on the same wifi (docs/web.md, "Run a room").
HOST ?= 127.0.0.1

.PHONY: setup demo run test lint bench browser clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(WEB_STAMP): $(WEB_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(WEB_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(STAMP): $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(WEB_STAMP)

## Refresh the lock files from pyproject.toml (keeps existing pins; UPGRADE=--upgrade for newest).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) $(UPGRADE) -o $(DEV_LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra web -c $(DEV_LOCK) $(LOCK_FLAGS) -o $(WEB_LOCK)

# The NHS.UK frontend, HTMX and axe-core come from npm at set-up; they are never committed.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@test -x /usr/bin/chromium || { apt-get update -q && apt-get install -y -q chromium; }

setup: $(STAMP) $(NODE_STAMP)

## The main job: the web app on http://127.0.0.1:8000 with the four examples loaded, and its
## background job worker (Ctrl-C stops both).
run: $(WEB_STAMP) $(NODE_STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_examples
	$(MANAGE) create_dev_users
	CASEFORCHANGE_SERVE_LAN=$(if $(filter 127.0.0.1 localhost,$(HOST)),,1) $(MANAGE) run_with_worker $(HOST):8000

## The batch job: validate, summarise and report on the four example programmes into out/.
demo: $(WEB_STAMP)
	$(BIN)/caseforchange demo --out out

## Every test, plus ruff (lint and format), mypy and the import-linter layer contracts.
test: $(STAMP) $(NODE_STAMP) browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: $(STAMP) $(NODE_STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) out build node_modules *.egg-info src/*.egg-info
