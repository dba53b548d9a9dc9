# Two commands matter: `make demo` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# This machine's pip config names local mirror folders that may not exist; their
# warnings are noise, real errors still fail the build (pipefail).
PIP = $(BIN)/python -m pip --disable-pip-version-check --no-input -q
QUIET_PIP = 2>&1 | { grep -v "WARNING: Location 'file:" || true; }
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
# Browser tests drive Debian's Chromium (a test tool's own browser download cannot
# work here); installed once per machine, with fonts that have Vietnamese glyphs.
# Defined before the rules: make expands prerequisites as it reads them.
CHROMIUM ?= /usr/bin/chromium
# The Redis cache tests start their own redis-server on a free port (tests/security).
REDIS_SERVER ?= /usr/bin/redis-server
# The search tests start the project's OpenSearch node (services/opensearch, a Java
# launcher built with Maven from Maven Central; devtools/opensearch.py runs it).
MVN ?= /usr/bin/mvn
OPENSEARCH_JAR := services/opensearch/target/ocop-opensearch.jar
OPENSEARCH_SOURCES := services/opensearch/pom.xml $(wildcard services/opensearch/src/main/java/vn/ocop/search/*.java)

.PHONY: help install demo test lint format migrations peer-check clean

help:
	@echo "make demo   install, migrate, load sample data, serve the shop at http://127.0.0.1:8000"
	@echo "make test   install, lint (ruff, import-linter) and run the whole test suite on PostgreSQL"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): $(BIN)/python requirements/build.txt requirements/saleor.txt requirements/base.txt requirements/ocop.txt setup.cfg pyproject.toml
	$(PIP) install -r requirements/build.txt $(QUIET_PIP)
	$(PIP) install --no-deps --ignore-requires-python -r requirements/saleor.txt $(QUIET_PIP)
	$(PIP) install --no-deps -r requirements/base.txt -r requirements/ocop.txt $(QUIET_PIP)
	$(PIP) install --no-deps --no-build-isolation -e . $(QUIET_PIP)
	touch $@

$(TEST_STAMP): $(APP_STAMP) requirements/test.txt | $(CHROMIUM) $(REDIS_SERVER)
	$(PIP) install --no-deps -r requirements/test.txt $(QUIET_PIP)
	touch $@

$(CHROMIUM):
	@sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends \
		chromium fonts-dejavu-core >/dev/null

# RUNLEVEL=1: install the binary only; no Redis service is started on 6379 (a running one
# would become the development broker, see devtools/services.py).
$(REDIS_SERVER):
	@sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$sudo apt-get update -qq && \
	$$sudo env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends redis-server >/dev/null

# Offline first: after the first download nothing is fetched again.
$(OPENSEARCH_JAR): $(OPENSEARCH_SOURCES) | $(MVN)
	cd services/opensearch && { mvn -q -B -o package -DskipTests >/dev/null 2>&1 || mvn -q -B package -DskipTests; }
	touch $@

$(MVN):
	@sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends \
		maven openjdk-17-jdk-headless >/dev/null

install: $(APP_STAMP)

demo: $(APP_STAMP)
	$(BIN)/python -m devtools.demo

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint $(OPENSEARCH_JAR)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Never run plain `manage.py makemigrations`: it writes into the installed Saleor.
migrations: $(APP_STAMP)
	OCOP_DEV=1 $(BIN)/python manage.py ocop_makemigrations --skip-checks

# Saleor 2.10.1's own suite, plain (base) and with the extension (ext): README "Tests".
# Not part of `make test`. SALEOR_MIRROR: git dir of a saleor/saleor clone with tag 2.10.1.
PEER_DIR ?= ../shared/peer/saleor-2.10
# Outside the checkout: pytest-django would find our manage.py above Saleor's tests.
PEER_OUT ?= /tmp/ocop-peer
peer-check: $(TEST_STAMP)
	@[ -n "$(SALEOR_MIRROR)" ] || { echo "usage: make peer-check SALEOR_MIRROR=<saleor git dir> [PEER_DATABASE_URL=postgres://…]"; exit 2; }
	mkdir -p $(PEER_OUT)
	$(if $(PEER_DATABASE_URL),PEER_DATABASE_URL='$(PEER_DATABASE_URL)') bash $(PEER_DIR)/run.sh . $(SALEOR_MIRROR) $(PEER_OUT) base
	$(if $(PEER_DATABASE_URL),PEER_DATABASE_URL='$(PEER_DATABASE_URL)') bash $(PEER_DIR)/run.sh . $(SALEOR_MIRROR) $(PEER_OUT) ext
	@comm -13 $(PEER_OUT)/base.failures $(PEER_OUT)/ext.failures \
		| { grep -vxFf <(grep -hv '^#' $(PEER_DIR)/intended.txt $(PEER_DIR)/flaky.txt) || true; } > $(PEER_OUT)/regressions.txt
	@if [ -s $(PEER_OUT)/regressions.txt ]; then echo "Saleor tests the extension breaks:"; cat $(PEER_OUT)/regressions.txt; exit 1; fi
	@echo "No Saleor test broken beyond intended.txt"

clean:
	rm -rf $(VENV) .devdata test-results services/opensearch/target
