# afghan-brief: every task of the project. `make help` lists them.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Jupyter refuses to start as root without --allow-root (containers, CI machines often run as root)
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help setup report test test-fast lab validate data data-check lint format bench browser clean store-outputs

help: ## list the tasks
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the package with its dev tools

report: setup ## set up and render every report into reports/ (offline HTML, index, manifest)
	$(VENV)/bin/afghan-brief render --jobs $(JOBS)

test: setup browser ## set up and run every test: unit, data, notebooks (nbval, papermill), browser
	$(PY) -m pytest -n $(JOBS) --dist loadfile

test-fast: setup ## the fast tests only (no notebook execution, no browser)
	$(PY) -m pytest -m "not slow and not browser"

lab: setup ## open Jupyter Lab on notebooks/ with the afghan-brief kernel (as a user or as root)
	$(VENV)/bin/jupyter lab $(LAB_FLAGS) notebooks/

validate: setup ## check every data table (schemas, references, quotes, numbers)
	$(VENV)/bin/afghan-brief validate

data: setup ## refresh the package's copies of seeds/ after checking their SHA-256
	$(PY) -m analysis.tables.build

data-check: setup ## fail if a package copy differs from its seed file
	$(PY) -m analysis.tables.build --check

lint: setup ## ruff lint and format check
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: setup ## ruff fix and format
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

store-outputs: setup ## after editing a report: re-run notebooks/, keep only the outputs nbval checks
	$(PY) tests/store_outputs.py --run notebooks/*.ipynb

bench: setup ## time the render against papermill + nbconvert and a bare kernel (BENCH_ARGS=...)
	$(PY) -m analysis.render.bench $(BENCH_ARGS)

browser: ## install Debian's chromium for the browser tests when missing (needs root)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' for the browser tests"; fi; }

clean: ## remove rendered reports and caches (keeps .venv)
	find reports -mindepth 1 ! -name README.md ! -name .gitignore -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache
