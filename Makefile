# Set-up and the main commands. Every target sets up what it needs on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MANAGE := $(BIN)/python -m caseforchange.web.manage
# `make run HOST=0.0.0.0` serves phones on the same wifi (docs/web.md, "Run a room").
HOST ?= 127.0.0.1

.PHONY: setup demo run test lint bench browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The NHS.UK frontend, HTMX and axe-core come from npm at set-up; they are never committed.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@test -x /usr/bin/chromium || { apt-get update -q && apt-get install -y -q chromium; }

setup: $(STAMP) $(NODE_STAMP)

## The main job: the web app on http://127.0.0.1:8000 with the four examples loaded.
run: $(STAMP) $(NODE_STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_examples
	$(MANAGE) create_dev_users
	CASEFORCHANGE_SERVE_LAN=$(if $(filter 127.0.0.1 localhost,$(HOST)),,1) $(MANAGE) runserver $(HOST):8000

## The batch job: validate, summarise and report on the four example programmes into out/.
demo: $(STAMP)
	$(BIN)/caseforchange demo --out out

## Every test, plus ruff (lint and format) and mypy.
test: $(STAMP) $(NODE_STAMP) browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: $(STAMP) $(NODE_STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) out build node_modules *.egg-info src/*.egg-info
