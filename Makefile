# The course's single entry point. `make book` and `make test` are the README's two commands.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STRICT := -n -W --keep-going

.PHONY: book build serve test test-fast lint format-js validate execute lab bench bench-report clean answer-keys
.DEFAULT_GOAL := book

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file or the package metadata changes.
$(VENV)/.installed: $(BIN)/python requirements.txt requirements-test.txt pyproject.toml package.json package-lock.json
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	npm ci --silent --no-audit --no-fund
	touch $@

install: $(VENV)/.installed

## Build the book strictly into _build/html, then serve it on http://$(HOST):$(PORT)
book: build serve

build: install
	$(BIN)/jupyter-book build . $(STRICT)

serve:
	@echo "Serving the course at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind $(HOST) --directory _build/html

# nbval re-runs every lesson and compares its stored outputs strictly; only `make test` asks.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# A worker per core, each taking whole files: a notebook's nbval cells run in order in one
# kernel, and a module's book, JupyterLab or hub is started once. On 2 cores the suite took
# 548 s of pytest this way and 711 s in one process (clean clone, 2026-12-02, #18).
# --no-loadscope-reorder: the files go in the order conftest gives them, the slowest layers
# first (tests/layers.py: slowest_files_first). xdist's own order, most tests first, left the
# two longest files to the end of one worker: 547 s, the workers' test times 506 s and 434 s;
# this order 494 s, 482 s and 457 s (one run each, one after the other, 2026-12-02).
ON_EVERY_CORE := -n auto --dist loadfile --no-loadscope-reorder

## Run every check: lint, item banks, strict book build, then nbval over the lessons and every
## test layer (unit, widget, book, kernel, browser, lab, hub; see tests/layers.py)
test: lint
	$(BIN)/python -m kapcourse validate
	$(BIN)/jupyter-book build . $(STRICT)
	KAPCOURSE_PROGRESS=$(CURDIR)/_build/test-progress.json $(BIN)/python -m pytest $(NBVAL) $(ON_EVERY_CORE) notebooks tests

## While you work: the unit and widget layers only (no book build, kernel or browser)
# worksteal: each worker takes a run of neighbouring tests (so a module fixture is mostly built
# once) and an idle worker takes work from a busy one (measured: the most balanced of load,
# loadfile and worksteal on 2 cores, with the least CPU time in all).
test-fast: install
	$(BIN)/python -m pytest -m "unit or widget" -n auto --dist worksteal

lint: install
	# No cache: a clean clone has none, so a cached pass here could hide what CI finds.
	$(BIN)/ruff check --no-cache .
	$(BIN)/mypy
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check "_static/*.js"

## Reformat the book's JavaScript with Prettier (.prettierrc.json)
format-js: install
	node_modules/.bin/prettier --write "_static/*.js"

validate: install
	$(BIN)/python -m kapcourse validate

## Re-execute every lesson notebook in place so stored outputs match the banks and package
execute: install
	$(BIN)/python -m kapcourse execute

## Facilitators: printable answer keys from the item banks (not part of the book)
answer-keys: install
	$(BIN)/python -m kapcourse answer-keys --output _build/answer-keys

## Open the course in JupyterLab
lab: install
	$(BIN)/jupyter lab notebooks/

## Print build, test and quiz performance figures (not a test)
bench: install
	$(BIN)/python -m tests.benchmark
	$(BIN)/python -m tests.bench_report --sizes 1000 10000

# kapcourse report on 1,000, 10,000 and 100,000 synthetic exports (the last writes ~7 GB of
# temporary files and takes a while): time and peak memory per size
bench-report: install
	$(BIN)/python -m tests.bench_report --sizes 1000 10000 100000

clean:
	rm -rf _build .pytest_cache
