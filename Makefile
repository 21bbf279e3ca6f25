# Tickerwire: `make demo` runs the site on SQLite with sample content; `make test` runs every test.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres acceptance bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tickerwire demo --host $(HOST) --port $(PORT)

test: $(STAMP)
	@$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): the PostgreSQL run is skipped (CI starts it)."; \
	fi

test-sqlite: $(STAMP)
	@echo "== tests on SQLite"
	env -u DATABASE_URL TICKERWIRE_HOME=$$(mktemp -d) $(BIN)/pytest tests --ignore=tests/acceptance -q -n 2

test-postgres: $(STAMP)
	@echo "== tests on PostgreSQL ($(PG_URL))"
	DATABASE_URL=$(PG_URL) TICKERWIRE_TEST_DB_NAME=tickerwire_test_$$$$ TICKERWIRE_HOME=$$(mktemp -d) \
		$(BIN)/pytest tests --ignore=tests/acceptance -q -n 2

acceptance: $(STAMP)
	@echo "== acceptance checks against ../shared/data (a sample; bench/ runs the full corpora)"
	env -u DATABASE_URL TICKERWIRE_HOME=$$(mktemp -d) $(BIN)/pytest tests/acceptance -q

lint: $(STAMP)
	$(BIN)/ruff check tickerwire tests bench lab scripts
	$(BIN)/mypy tickerwire

clean:
	rm -rf $(VENV) var .pytest_cache
