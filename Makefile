# Two commands: `make build` (set up + generate demo data + dbt build on DuckDB) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
UV := $(PYTHON) -m uv

CUSTOMERS ?= 10000
DAYS ?= 730
SEED ?= 42
AS_OF ?= 2025-12-31
DATA_DIR ?= data
# dbt vars for dbt-build / own-data, as YAML: VARS='{as_of_date: 2011-12-09, base_currency: GBP}'
VARS ?=

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export RAW_DATA_ROOT ?= $(CURDIR)/$(DATA_DIR)/raw
export DUCKDB_PATH ?= $(CURDIR)/$(DATA_DIR)/warehouse.duckdb

GEN_STAMP := $(DATA_DIR)/.generated-$(CUSTOMERS)-$(DAYS)-$(SEED)-$(AS_OF)

.PHONY: help setup data build dbt-build own-data report report-serve lint score conventions metadata-lint test pytest test-postgres spark-up spark-down spark-build test-spark compare-spark lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@test -x $(PY) || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

setup: $(VENV)/.installed ## Create .venv and install the pinned dependencies

$(GEN_STAMP): $(VENV)/.installed scripts/generate_data.py $(wildcard scripts/synthgen/*.py) seeds/fx_rates.csv
	@rm -f $(DATA_DIR)/.generated-*
	$(PY) scripts/generate_data.py --customers $(CUSTOMERS) --days $(DAYS) --seed $(SEED) --as-of $(AS_OF) --out $(DATA_DIR)
	@touch $@

data: $(GEN_STAMP) ## Generate the demo dataset (CUSTOMERS=10000 by default)

dbt-build: setup data ## dbt build (models + all tests) on DuckDB; full refresh when the raw data or VARS changed
	$(PY) scripts/build_warehouse.py --raw $(RAW_DATA_ROOT) --db $(DUCKDB_PATH) $(if $(VARS),--vars '$(VARS)')

own-data: setup ## Build from your own raw Parquet: make own-data RAW=/path/raw DB=/path/x.duckdb [VARS='{...}']
	@test -n "$(RAW)" || { echo "usage: make own-data RAW=/path/to/raw [DB=/path/to/warehouse.duckdb] [VARS='{as_of_date: 2011-12-09, base_currency: GBP}']"; exit 2; }
	$(PY) scripts/build_warehouse.py --raw $(RAW) --db $(or $(DB),$(CURDIR)/$(DATA_DIR)/own.duckdb) $(if $(VARS),--vars '$(VARS)')

build: setup data ## Set everything up and run the main job on DuckDB: segwh run (freshness, build, publish to data/serving)
	@# the demo data ends on AS_OF: judge its freshness from then, not from today
	$(VENV)/bin/segwh run --raw $(RAW_DATA_ROOT) --db $(DUCKDB_PATH) --freshness-reference $(AS_OF)T23:59:59Z \
		$(if $(VARS),--vars '$(VARS)')

REPORT_STAMP := report/node_modules/.installed

$(REPORT_STAMP): report/package.json report/package-lock.json report/scripts/patch-evidence-offline.mjs
	@command -v npm >/dev/null || { echo "make report needs Node.js 20+ and npm (https://nodejs.org)"; exit 2; }
	@# postinstall patches Evidence to run offline (report/scripts/patch-evidence-offline.mjs, decision 69)
	cd report && npm install --no-fund --no-audit --loglevel=error
	@touch $@

report: $(REPORT_STAMP) ## The Evidence report over the serving store (after make build): report/build; make report-serve shows it
	@test -e $(DATA_DIR)/serving/segments.duckdb || { echo "no serving store yet: run make build first"; exit 2; }
	cd report && DO_NOT_TRACK=1 SEND_ANONYMOUS_USAGE_STATS=no npm run --silent sources
	@# build:strict fails on a query error and on a chart whose data is empty
	cd report && DO_NOT_TRACK=1 SEND_ANONYMOUS_USAGE_STATS=no npm run --silent build:strict

report-serve: ## Serve the built report on http://127.0.0.1:3000
	$(PY) -m http.server 3000 --bind 127.0.0.1 --directory report/build

lint: setup score conventions ## dbt-score, dbt-bouncer, sqlfluff (dbt templater) and ruff
	$(VENV)/bin/sqlfluff lint --processes 2 models tests/singular analyses
	$(VENV)/bin/ruff check scripts tests models segwh

score: setup ## dbt-score: metadata grades, project >= 9.5 and every item >= 9.0 (pyproject.toml)
	$(VENV)/bin/dbt-score lint --run-dbt-parse --show failing-items

conventions: setup ## dbt-bouncer: layer rule (sources > staging > intermediate > marts) and naming (dbt-bouncer.yml)
	$(DBT) parse --quiet
	COLUMNS=240 $(VENV)/bin/dbt-bouncer --config-file dbt-bouncer.yml

metadata-lint: score conventions ## Both metadata linters: dbt-score and dbt-bouncer

pytest: setup data ## Python tests (generator, project checks)
	$(PY) -m pytest -q -n 2 --dist loadfile tests/python

test: build lint report pytest ## Every check: the main job (dbt build with tests, gate, publish), lint, the report, pytest (browser test included)

test-postgres: setup data ## Start a local PostgreSQL, load the raw data, dbt build the whole project there
	@# --full-refresh: the database outlives a checkout; earlier incremental tables must not leak in
	bash scripts/ci/postgres_up.sh
	$(PY) scripts/load_raw_postgres.py --root $(RAW_DATA_ROOT)
	DBT_TARGET=postgres $(DBT) build --target postgres --full-refresh

spark-up: setup ## Start a local Spark cluster (1 master, 2 workers, Thrift server on 10000) from the pyspark wheel
	bash scripts/spark/cluster.sh start

spark-down: ## Stop the local Spark cluster
	bash scripts/spark/cluster.sh stop

spark-build: setup data ## On a running cluster: register the raw Parquet as raw_* tables, dbt build the project, export the marts
	$(PY) scripts/spark/register_raw.py --root $(RAW_DATA_ROOT)
	DBT_TARGET=spark $(DBT) build --target spark --full-refresh --target-path target/spark --log-path logs/spark
	$(PY) scripts/spark/export_marts.py --manifest target/spark/manifest.json --out $(DATA_DIR)/spark/marts

test-spark: setup data ## Start a Spark cluster, build the whole project on it, export its marts, stop it (then: make compare-spark)
	@# exit 1: a daemon did not come up and the others are running, so stop them (2: usage, or a
	@# cluster is already up: leave it alone)
	bash scripts/spark/cluster.sh start || { status=$$?; [ $$status -ne 1 ] || bash scripts/spark/cluster.sh stop; exit $$status; }
	@$(MAKE) --no-print-directory spark-build; status=$$?; bash scripts/spark/cluster.sh executors; \
		bash scripts/spark/cluster.sh stop; exit $$status

compare-spark: setup ## Compare the marts exported by test-spark with the DuckDB warehouse (make build) cell by cell
	$(PY) scripts/compare_engines.py --duckdb $(DUCKDB_PATH) --other $(DATA_DIR)/spark/marts --manifest target/spark/manifest.json \
		--without-python-models

lock: ## Recompile requirements.txt from requirements.in
	$(UV) pip compile -q requirements.in -o requirements.txt --python-version 3.11

clean: ## Remove generated data, the warehouse and dbt artefacts
	rm -rf $(DATA_DIR) target logs dbt_packages
