# The targets the README names. Everything runs inside .venv, created on first use with a
# Python 3.12+ that bin/find-python picks (PATH first, then pyenv and .python-version).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Reinstall only when pyproject.toml is newer than the last install.
INSTALLED := $(VENV)/.installed
# The demo's coordinator (shadowing/demo/; tests/shadowing/test_demo.py keeps them equal).
DEMO_COORDINATOR := camille.roy@mapletel.example
# pytest-xdist: two workers on this two-core machine; `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2

.PHONY: help install run test lint fmt bench clean distclean

help:
	@echo "make run    install if needed, migrate, load the demo once, serve on http://127.0.0.1:8000 with a worker"
	@echo "make test   lint, migration check and the test suite"
	@echo "make bench  every benchmarks/bench_*.py in turn"
	@echo "make lint   ruff check, ruff format --check and the import direction (lint-imports)"
	@echo "make fmt    ruff format and ruff check --fix"
	@echo "make clean  caches and install stamp (keeps var/: the database and mail); distclean removes .venv and var/ too"

$(PY):
	@python=$$(bin/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(INSTALLED): pyproject.toml $(wildcard package-lock.json) | $(PY)
	@echo "Installing the project and its development tools into $(VENV) (minutes the first time)"
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@# Development-only npm packages (axe-core for the browser tests' accessibility checks).
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
	@touch $@

install: $(INSTALLED)

run: export DEBUG = true
run: $(INSTALLED)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo --if-empty || echo "The demo could not be loaded (above); starting without it."
	@echo
	@echo "Sign in as the demo coordinator with this one-time link:"
	@$(PY) manage.py login_link $(DEMO_COORDINATOR) \
		|| echo "  (no link yet: run '$(PY) manage.py login_link $(DEMO_COORDINATOR)')"
	@echo "Other people: '$(PY) manage.py login_link EMAIL' (the README lists the demo cast)."
	@echo "Mail is not sent: every message is written as a file under var/mail/."
	@echo "Serving http://127.0.0.1:8000 with one background worker; Ctrl-C stops both."
	@echo
	bin/run

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: $(INSTALLED)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: lint
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(INSTALLED)
	@shopt -s nullglob; benches=(benchmarks/bench_*.py); \
	if [ $${#benches[@]} -eq 0 ]; then echo "No benchmarks/bench_*.py yet."; fi; \
	for bench in "$${benches[@]}"; do \
		echo "== $$bench"; \
		PYTHONPATH=. $(PY) "$$bench"; \
	done

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results $(INSTALLED)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var
