# Two commands are the contract: `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check catalogs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/pybabel compile --use-fuzzy -d bot/locale -D messages >/dev/null
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mitwirken --config config.example.toml run

test: $(STAMP)
	$(BIN)/pybabel compile -d bot/locale -D messages >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
