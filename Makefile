# GenAI Explainer. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
MODEL := models/genai-explainer.tar.gz
# endpoints.yml expects the action server on 5055.
ACTION_PORT ?= 5055
RASA_PORT ?= 5005
# Channels `make run` serves: credentials.yml is REST only; credentials.messaging.yml adds Slack and Telegram.
CREDENTIALS ?= credentials.yml

# make run serves the chat page (web/) here; the socket.io channel accepts that page's origin by default.
# make shell reads this endpoints file (tests pass a copy whose action server URL uses ACTION_PORT).
ENDPOINTS ?= endpoints.yml
WEB_PORT ?= 8080
WEBCHAT_ALLOWED_ORIGINS ?= http://localhost:$(WEB_PORT),http://127.0.0.1:$(WEB_PORT)
WEB_DEPS := web/node_modules/.package-lock.json
# Rasa 3.6 runs on Python 3.8-3.10: take the first Python 3.10 found (set PYTHON=... to choose).
PYTHON ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1 && { echo $$p; break; }; done)
# knowledge/settings.yml holds run-time settings the model does not learn from.
TRAIN_INPUTS := config.yml domain.yml $(filter-out knowledge/settings.yml,$(wildcard data/*.yml data/*/*.yml knowledge/*.yml components/*.py)) explainer/text.py explainer/matching.py explainer/intent_model.py
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: help install browser nginx services containers web-install kb-check validate train shell run run-production actions fuzz report test test-fast test-stories bench loadtest clean lock

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.10 is required (Rasa 3.6 does not run on 3.11+): install it, or run make with PYTHON=/path/to/python3.10." >&2; exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==24.3.1
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv with Python 3.10 and the exact pinned packages (run time and tests)

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser: ## Install Debian's chromium for the browser tests (apt-get, needs root or sudo)
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	fi

# The scale-out test and make loadtest put nginx in front of the Rasa servers and action servers.
nginx: ## Install Debian's nginx for the scale-out test and loadtest (apt-get, needs root or sudo)
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  echo "Installing Debian's nginx for the scale-out test..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends nginx; \
	fi

# Tests and benchmarks use the PostgreSQL and Redis running on 127.0.0.1, or start throwaway ones from these
# packages (tests/support/services.py); make test always runs the throwaway path once, so it needs them either way.
services: ## Install Debian's postgresql and redis-server for throwaway test servers (apt-get, needs root or sudo)
	@missing=; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing=postgresql; \
	command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=none; fi; \
	  if [ "$$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then \
	    echo "The tests need PostgreSQL's initdb and pg_ctl and Redis's redis-server: install Debian's $$missing as root (apt-get install $$missing), or your system's equivalents." >&2; exit 1; \
	  fi; \
	  echo "Installing Debian's $$missing for the throwaway test servers..."; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

# tests/e2e/test_container_images.py builds the images and runs compose.yaml with Debian's podman (no Docker engine
# here): runc and podman-compose with it, debootstrap for the local base images, dnsname so that the compose
# services find each other by name.
CONTAINER_PACKAGES := podman runc podman-compose debootstrap golang-github-containernetworking-plugin-dnsname
containers: ## Install Debian's podman, podman-compose and debootstrap for the container image test (apt-get, needs root or sudo)
	@missing=$$(for p in $(CONTAINER_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=none; fi; \
	  if [ "$$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then \
	    echo "The container image test needs Debian's $$missing: install them as root (apt-get install $$missing)." >&2; exit 1; \
	  fi; \
	  echo "Installing Debian's $$missing for the container image test..."; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(WEB_DEPS): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the website widget: install Node.js 18+ with npm (Debian: apt-get install nodejs npm)." >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-install: $(WEB_DEPS) ## Install the rasa-webchat widget into web/node_modules (npm ci, from web/package-lock.json)

# The run-time lock gets every package a requirements.in line needs; the dev lock the rest (scripts/split-lock).
lock: ## Re-pin requirements.lock and requirements-dev.lock from requirements*.in (needs the package registry)
	$(BIN)/python -m pip install -r requirements.in -r requirements-dev.in
	$(BIN)/python -m pip freeze --all > .lock-freeze.txt
	$(BIN)/python scripts/split-lock requirements.in .lock-freeze.txt; status=$$?; rm -f .lock-freeze.txt; exit $$status

kb-check: install ## Validate knowledge/*.yml and say what to fix
	@$(BIN)/python -m explainer.check knowledge

validate: install ## Check NLU data, stories, rules and domain (rasa data validate)
	$(BIN)/rasa data validate --fail-on-warnings

$(MODEL): $(TRAIN_INPUTS) | $(VENV)/.installed
	@$(BIN)/python -m explainer.check knowledge
	$(BIN)/rasa train --fixed-model-name genai-explainer --out models
	@touch $@

train: install $(MODEL) ## Train the model, only if data, config, domain or knowledge changed

actions: install ## Run the action server in the foreground (127.0.0.1 unless ACTION_SERVER_HOST is set)
	$(BIN)/python -m serving.actions --port $(ACTION_PORT)

shell: install $(MODEL) ## Chat in the terminal (starts and stops the action server; Rasa listens on 127.0.0.1 only)
	@scripts/with-action-server $(ACTION_PORT) $(BIN)/python -m serving.shell --model $(MODEL) --port $(RASA_PORT) --endpoints $(ENDPOINTS)

run: install web-install $(MODEL) ## REST + socket.io on RASA_PORT, chat page on WEB_PORT, action server; API off (SECURITY.md)
	@$(BIN)/python -m serving.check_credentials $(CREDENTIALS)
	@WEB_PORT=$(WEB_PORT) WEBCHAT_SOCKET_URL=http://localhost:$(RASA_PORT) WEBCHAT_ALLOWED_ORIGINS="$(WEBCHAT_ALLOWED_ORIGINS)" \
	  scripts/with-action-server $(ACTION_PORT) scripts/with-web-page \
	  $(BIN)/python -m serving.rasa_server --model $(MODEL) --port $(RASA_PORT) --credentials $(CREDENTIALS)

run-production: install nginx $(MODEL) ## The production profile here: nginx, Rasa servers, action servers; needs DB_* and REDIS_* (README)
	PORT=$(RASA_PORT) $(BIN)/python -m deploy.run_production

# No trained model, server, browser, PostgreSQL/Redis or containers: what a change can be checked with in a minute.
FAST := not model and not browser and not services and not containers and not slow
test-fast: install ## The tests needing no model, server, browser, services or containers (51 s on 2 shared cores, 47 s of CPU)
	$(BIN)/python -m pytest -q -m "$(FAST)" tests

test-stories: install $(MODEL) ## Test stories of the main flows and follow-ups
	$(BIN)/rasa test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

test: install browser nginx services containers web-install kb-check validate $(MODEL) test-stories ## Install, train and run every test
	$(BIN)/python -m pytest tests
	@# Where PostgreSQL and Redis run already, the pass above used them: the store and dedupe tests run once more
	@# on throwaway servers (tests/support/services.py), so that path is exercised on every CI run.
	GENAI_TEST_SERVICES=throwaway $(BIN)/python -m pytest -q tests/unit/insights/test_insights_store.py \
	  tests/unit/serving/test_sql_reuse.py tests/unit/serving/test_store_faults.py tests/unit/channels/test_shared_dedupe.py

fuzz: install $(MODEL) ## 10,000 random and hostile messages on REST, socket.io, Slack and Telegram; prints each channel's answers, refusals, apologies, problems and Rasa RSS
	$(BIN)/python -m bench.fuzz_run

# The tracker store comes from endpoints.yml unless TRACKER_STORE_URL (any SQLAlchemy URL) is set.
report: install ## Insights report of stored conversations -> reports/insights.html (SINCE= UNTIL= CHANNEL= ARGS=)
	$(BIN)/python -m insights.report $(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL)) $(if $(CHANNEL),--channel $(CHANNEL)) $(ARGS)

bench: install $(MODEL) ## Measure understanding, speed and cost beside the stock bot; writes docs/benchmarks.md
	$(BIN)/python -m bench.run

loadtest: install nginx $(MODEL) ## Simulated users against the production profile for LOAD_SECONDS (60); prints messages/s, p50/p95, errors, lost events
	$(BIN)/python -m bench.loadtest

clean: ## Remove models, results and the local tracker database
	rm -rf models results tracker.db .pytest_cache
