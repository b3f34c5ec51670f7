# The two commands of the README: `make demo` and `make test`.
# Without DATABASE_URL, an embedded PostgreSQL (mbn_platform/devdb/) is started for the command
# and stopped after it; without REDIS_URL, Celery uses a filesystem broker.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WITH_DB := $(if $(DATABASE_URL),,$(BIN)/python -m mbn_platform.devdb run --)
# The region benchmark (tests/perf/bench_provisioning.py) onboards this many establishments:
# a sample in `make test` to keep the suite short, the whole region (841) in `make bench`.
TEST_REGION ?= 100
BENCH_REGION ?= 841
# The AAF benchmark (tests/perf/bench_aaf.py) reads an académie of this many establishments.
TEST_AAF ?= 3
BENCH_AAF ?= 100
# The report-card day benchmark (tests/perf/bench_report_cards.py) publishes this many students.
TEST_REPORT_CARDS ?= 60
BENCH_REPORT_CARDS ?= 1200
# The notification benchmark: one event to the guardians of a 1,200-student school (~2,000).
TEST_NOTIFY ?= 300
BENCH_NOTIFY ?= 2000
# The page benchmark (tests/perf/bench_pages.py) loads each page this many seconds.
TEST_PAGE_SECONDS ?= 2
BENCH_PAGE_SECONDS ?= 10
# The region load test (tests/perf/bench_region_load.py, locust): seconds a scenario, simulated users.
TEST_LOAD := MBN_LOAD_SECONDS=4 MBN_LOAD_USERS=8
BENCH_LOAD := MBN_LOAD_SECONDS=30 MBN_LOAD_USERS=32 MBN_LOAD_WEB_WORKERS=4

.PHONY: venv demo test lint typecheck pytest infra-check bench clean-state

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: venv
	$(WITH_DB) $(BIN)/mbn demo $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: venv
	$(BIN)/mypy .

infra-check:
	bash infra/check.sh

pytest: venv
	MBN_ENV=test MBN_BENCH_ESTABLISHMENTS=$(TEST_REGION) MBN_BENCH_AAF_ESTABLISHMENTS=$(TEST_AAF) MBN_BENCH_NOTIFY_RECIPIENTS=$(TEST_NOTIFY) MBN_BENCH_PAGE_SECONDS=$(TEST_PAGE_SECONDS) $(TEST_LOAD) MBN_BENCH_REPORT_CARD_STUDENTS=$(TEST_REPORT_CARDS) $(WITH_DB) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck infra-check pytest

bench: venv
	MBN_ENV=test MBN_BENCH_ESTABLISHMENTS=$(BENCH_REGION) MBN_BENCH_AAF_ESTABLISHMENTS=$(BENCH_AAF) MBN_BENCH_NOTIFY_RECIPIENTS=$(BENCH_NOTIFY) MBN_BENCH_PAGE_SECONDS=$(BENCH_PAGE_SECONDS) $(BENCH_LOAD) MBN_BENCH_REPORT_CARD_STUDENTS=$(BENCH_REPORT_CARDS) $(WITH_DB) $(BIN)/pytest tests/perf $(PYTEST_ARGS)

clean-state:
	rm -rf .state
