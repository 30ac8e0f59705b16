# Rapport: `make run` starts the whole product, `make test` runs every test.
# Only Python >= 3.11 and make are needed; everything else lands in .venv/ and .devdata/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV := $(BIN)/uv
# uv installs .venv/ from uv.lock; its version is the one pinned in pyproject.toml's dev extra.
UV_VERSION := $(shell sed -n 's/^ *"uv==\([^"]*\)".*/\1/p' pyproject.toml)
# Runs a command with the embedded PostgreSQL and Redis (when DATABASE_URL / REDIS_URL are unset).
WITH_SERVICES := PATH="$(CURDIR)/$(BIN):$$PATH" $(PY) -m devtools.services exec --
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

# Settings that let `check --deploy` judge the production configuration.
DEPLOY_CHECK_ENV := DJANGO_ENV=production ALLOWED_HOSTS=rapport.example.com \
	SECRET_KEY=deploy-check-$$($(PY) -c "import secrets; print(secrets.token_urlsafe(48))") \
	EMAIL_BACKEND=anymail.backends.test.EmailBackend

.PHONY: run test bench chaos simulate lint install lock upgrade browser services-up services-down clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    start Rapport (web, worker, beat) with demo data on http://$(HOST):$(PORT)"
	@echo "make test   lint, migration and deploy checks, then every test"
	@echo "make bench  generate a million contacts and measure (BENCH_ARGS=\"--scale 0.1\" for less)"
	@echo "make chaos  relay 10,000 messages while workers, Redis and PostgreSQL fail (CHAOS_ARGS=...)"
	@echo "make simulate  a 50-recruiter agency's year, hour by hour, on real workers (SIMULATE_ARGS=...)"
	@echo "make services-up / services-down   start or stop the embedded PostgreSQL and Redis"
	@echo "make lock   update uv.lock after a change to pyproject.toml (make upgrade: newest releases)"
	@echo "make clean  remove .venv and .devdata (all local data)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rapport needs Python >= 3.11; this is " + sys.version.split()[0] + ". Try: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)

$(UV): | $(PY)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"

# Exactly what uv.lock pins, no more; --locked stops when pyproject.toml changed since `make lock`.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --locked --extra dev || { \
		echo "Not installed. If uv.lock does not match pyproject.toml: make lock, then commit uv.lock."; \
		exit 1; }
	@touch $@

install: $(VENV)/.installed

# uv.lock after a change to the dependencies in pyproject.toml; `upgrade` takes the newest releases.
lock: $(UV)
	$(UV) lock

upgrade: $(UV)
	$(UV) lock --upgrade

run: install
	@$(WITH_SERVICES) sh -c '\
		$(PY) manage.py migrate --noinput && \
		{ [ "$${RAPPORT_DEMO:-1}" = 0 ] || $(PY) manage.py load_demo; } && \
		echo && echo "Rapport is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops everything)" && echo && \
		exec $(PY) -m devtools.runner --procfile Procfile'

# Playwright drives the system's Chromium. On Debian/Ubuntu as root, install it when missing.
browser:
	@if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Chromium for the browser tests (apt-get)..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "No Chromium found: install it (or set CHROMIUM_PATH) to run the browser tests."; \
		fi; \
	fi

# ruff, the layer contracts of pyproject.toml's [tool.importlinter], then mypy on the services,
# selectors, tasks and core ([tool.mypy]). mypy's Django plugin imports the settings, which only
# parse the database and Redis URLs: placeholders do, nothing connects.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DATABASE_URL=postgres://mypy@localhost/rapport REDIS_URL=redis://localhost:6379/0 $(BIN)/mypy

test: install browser lint
	@$(WITH_SERVICES) sh -c '\
		set -e; \
		$(PY) manage.py makemigrations --check --dry-run; \
		$(DEPLOY_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING; \
		$(BIN)/pytest $(PYTEST_ARGS)'

# Generates the dataset into its own database (rapport_bench) and measures over HTTP.
bench: install
	@$(WITH_SERVICES) $(PY) -m bench.run $(BENCH_ARGS)

# Relays due messages through workers and beat while faults strike; its own database and Redis.
chaos: install
	@$(WITH_SERVICES) $(PY) -m bench.chaos $(CHAOS_ARGS)

# A simulated year of a 50-recruiter agency into its own database (rapport_simulate), left for
# `make run` to open (README, "Simulated year").
simulate: install
	@$(WITH_SERVICES) $(PY) -m bench.simulate $(SIMULATE_ARGS)

services-up: install
	$(PY) -m devtools.services up

services-down: install
	$(PY) -m devtools.services down

clean:
	-@[ -x $(PY) ] && $(PY) -m devtools.services down
	rm -rf $(VENV) .devdata staticfiles
