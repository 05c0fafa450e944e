# Two commands are the contract: `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast test-at lint check catalogs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/pybabel compile --use-fuzzy -d bot/locale -D messages >/dev/null
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mitwirken --config config.example.toml run

test: $(STAMP) lint
	$(BIN)/pybabel compile -d bot/locale -D messages >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick part during work: everything but the tests that start real processes or servers.
test-fast: $(STAMP)
	$(BIN)/pybabel compile -d bot/locale -D messages >/dev/null
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# The house style, checked: ruff (lint and format) and mypy (strict for surveys/ and storage/).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot adapters surveys storage

# The whole suite with the system clock set to AT (UTC; faketime, from Debian), e.g.
#   make test-at AT="2027-06-01 21:30:00"   (23:30 in Dortmund)
# Nothing may depend on the real date or time of day: this proves it. The faked time is an
# offset from the real one, so every process of the run (and a restarted one) shares one timeline.
test-at: $(STAMP)
	command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 2; }
	$(BIN)/pybabel compile -d bot/locale -D messages >/dev/null
	off=$$(( $$(date -u -d "$(AT)" +%s) - $$(date -u +%s) )); case $$off in -*) shift="$${off}s";; *) shift="+$${off}s";; esac; \
	export PYTHONPATH=$(CURDIR)/tests/faked_clock FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC; \
	faketime -f "$$shift" $(BIN)/python -c 'import datetime; print("system clock:", datetime.datetime.now())' && \
	faketime -f "$$shift" $(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/mitwirken --config config.example.toml check

# Re-extract citizen-facing strings and merge them into every catalog.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k gettext -k ngettext:1,2 -k N_ -k words -o bot/locale/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i bot/locale/messages.pot -d bot/locale -D messages --no-fuzzy-matching

bench: $(STAMP)
	$(BIN)/python bench/engine_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
