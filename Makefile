# The two commands of the README: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := var/demo
DEMO_MESSAGES ?= 20000
WITH_DEMO_ENV := set -a && . ./demo.env && set +a &&

.PHONY: install browser demo test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Generate demo traffic, land it, run the pipeline once, show the counts.
demo: $(STAMP)
	mkdir -p $(DEMO)
	$(WITH_DEMO_ENV) $(BIN)/vigia generate --messages $(DEMO_MESSAGES) --seed 7 \
		--out $(DEMO)/traffic.jsonl --portal-csv $(DEMO)/portal.csv \
		--truth $(DEMO)/truth.jsonl
	$(WITH_DEMO_ENV) $(BIN)/vigia ingest $(DEMO)/traffic.jsonl $(DEMO)/portal.csv
	$(WITH_DEMO_ENV) $(BIN)/vigia ingest --channel te_atiende demo/exports/te_atiende_*.txt
	$(WITH_DEMO_ENV) $(BIN)/vigia ingest --channel denuncia demo/exports/denuncia_*.txt
	$(WITH_DEMO_ENV) $(BIN)/vigia train --card $(DEMO)/MODEL_CARD.md
	$(WITH_DEMO_ENV) $(BIN)/vigia run
	$(WITH_DEMO_ENV) $(BIN)/vigia status
	$(WITH_DEMO_ENV) $(BIN)/vigia demo-progress --out $(DEMO)/avances.csv
	$(WITH_DEMO_ENV) $(BIN)/vigia case import $(DEMO)/avances.csv
	$(WITH_DEMO_ENV) $(BIN)/vigia fraud-list
	$(WITH_DEMO_ENV) $(BIN)/vigia report weekly
	@echo "Demo outputs are in $(DEMO)/: vigia.db, traffic.jsonl, portal.csv, MODEL_CARD.md;"
	@echo "the investigators' fraud list in $(DEMO)/fraud-list/ and last week's report"
	@echo "and open data in $(DEMO)/reports/ (open the .html files in a browser)"

## Headless Chromium for the tests that look at pages as a person would.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium (Debian package) for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium >/dev/null; \
	} || echo "warning: chromium could not be installed; browser tests will skip"

## Lint, check formatting, run the whole suite.
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -m hostile
	$(BIN)/pytest -m "not hostile"

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/vigia bench ingest --messages 100000 --messages 500000
	$(BIN)/vigia bench classify --messages 20000
	$(BIN)/vigia bench dedup --messages 100000 --messages 1000000
	$(BIN)/vigia bench pipeline --messages 100000

clean:
	rm -rf $(DEMO) .pytest_cache .ruff_cache
