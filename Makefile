# The course's single entry point. `make book` and `make test` are the README's two commands.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STRICT := -n -W --keep-going

.PHONY: book build serve test lint validate execute lab bench clean answer-keys
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

## Run every check: lint, item banks, strict book build, unit/widget/nbval/browser/lab tests
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m kapcourse validate
	$(BIN)/jupyter-book build . $(STRICT)
	KAPCOURSE_PROGRESS=$(CURDIR)/_build/test-progress.json $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

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

clean:
	rm -rf _build .pytest_cache
