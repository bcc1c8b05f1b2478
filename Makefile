# The two commands: `make run` (zero-config demo on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve lint format messages install install-dev clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the pinned requirements change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Production-style: gunicorn + Celery worker + beat (needs DATABASE_URL, CELERY_BROKER_URL), each
# started again if it dies (cchc_portal/supervise.py); systemd units: docs/deployment-systemd.md.
serve: install
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m cchc_portal.supervise -f Procfile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the translation catalogues (needs GNU gettext); the compiled .mo files are
# committed so that a fresh `make run` shows Vietnamese without extra tools.
messages: install-dev
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv

# A copy of the database in var/backups/ (pg_dump custom format; SQLite: a copy of the file).
# No install step: a backup must not wait for (or fail on) pip.
backup:
	$(MANAGE) backup

# Replaces every table of DATABASE_URL with a backup: make restore FILE=var/backups/….dump
restore:
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/<timestamp>.dump"; exit 2; }
	$(MANAGE) restore "$(FILE)"

clean:
	rm -rf $(VENV) staticfiles var
