# Bunga Desa — the two set-up commands for a fresh machine are `make run` and `make test`.
#
#   make run      check system packages, create .venv, install, migrate the SQLite database in instance/,
#                 seed the demo data and serve on http://127.0.0.1:5000
#   make test     check system packages, create .venv, install, run pytest (extra arguments: PYTEST_ARGS="-k import")
#   make lint     ruff and import-linter
#   make migrate  apply the database migrations (BUNGA_DATABASE_URL, default: SQLite file in instance/)
#   make clean    remove .venv, build output and caches (keeps instance/, i.e. your database and dev secrets)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
FLASK  := $(PY) -m flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

.PHONY: help run test lint migrate demo install check-system clean

help:
	@sed -n 's/^#   //p' Makefile

check-system:
	@PYTHON="$(PYTHON)" bash scripts/check_system.sh

# The virtualenv is created once; the install is repeated whenever pyproject.toml is newer than the stamp.
$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

install: check-system
	@$(MAKE) --no-print-directory $(STAMP)

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

run: demo
	@echo ""
	@echo "Bunga Desa is starting on http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	@echo "Demo logins: admin, perencana, dprd, opd.adminduk, camat.35.10.09, kades.35.10.09.2001, ..."
	@echo "Demo password: $${BUNGA_DEMO_PASSWORD:-bunga-desa-demo}"
	@echo "Background jobs: the scheduler runs beside the server (log: instance/scheduler.log)"
	@echo ""
	@$(FLASK) scheduler run > instance/scheduler.log 2>&1 & SCHED=$$!; \
	trap 'kill $$SCHED 2>/dev/null; wait $$SCHED 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .import_linter_cache .hypothesis test-artifacts
	find . -path ./.git -prune -o -type d -name __pycache__ -exec rm -rf {} +
