# Attaché: `make run` builds the warehouse from seeds/, `make test` runs the test suite.
# Both create .venv from uv.lock first when it is missing or out of date.

SOURCE    ?= seeds
WAREHOUSE ?= warehouse/attache.duckdb
VENV      := .venv
# uv from PATH, else installed with pip (and run as a module, wherever pip put it).
UV        := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test lint venv clean bench quality

run: venv
	$(VENV)/bin/attache refresh --source $(SOURCE) --warehouse $(WAREHOUSE)

test: venv
	$(VENV)/bin/pytest

# Render time of every dashboard view (benchmarks/dashboard.py) on a built warehouse:
# `make bench-dashboard [DASHBOARD_WAREHOUSE=warehouse/news-ru.duckdb]`.
.PHONY: bench-dashboard
DASHBOARD_WAREHOUSE ?= warehouse/news-ru.duckdb
bench-dashboard: venv
	$(VENV)/bin/python -m benchmarks.dashboard --warehouse $(DASHBOARD_WAREHOUSE)

# Optional: SQL style of the dbt models (sqlfluff, duckdb dialect).
lint: venv
	cd dbt_project && ../$(VENV)/bin/sqlfluff lint models

venv: $(VENV)/.synced

# --compile-bytecode: every command starts faster when Python need not compile the
# dependencies' modules (PYTHONDONTWRITEBYTECODE would make it do so on every start).
# --inexact: never uninstall what another target added (natasha's DAWG-Python and
# pymorphy3's dawg2-python share the `dawg_python` folder: removing one breaks the other).
$(VENV)/.synced: uv.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --inexact --compile-bytecode
	@touch $@

# Speed and scale on a real corpus (BENCHMARKS.md): `make bench [CORPUS=dir] [BENCH_FLAGS=--skip-100k]`.
# `make bench FUZZ=1000` also runs the ingest fuzz test with 1,000 generated items.
CORPUS      ?= ../shared/corpus/news-ru
BENCH_FLAGS ?=
FUZZ        ?=
bench: venv
	$(UV) sync --frozen --inexact --compile-bytecode --group bench
	$(VENV)/bin/python -m benchmarks.bench --corpus $(CORPUS) $(BENCH_FLAGS)
	$(if $(FUZZ),ATTACHE_FUZZ_CASES=$(FUZZ) $(VENV)/bin/pytest tests/reliability/test_ingest_fuzz.py -q -s)

# Extraction quality on real news (docs/quality.md): dev/test scores of the news-ru
# development set, rows and dev precision per rule on the whole corpus, a sample to judge.
# `make quality QUALITY_FLAGS=--write-seed` also refreshes the rules' measured precision.
QUALITY_FLAGS ?=
quality: venv
	$(VENV)/bin/python -m benchmarks.quality --corpus $(CORPUS) $(QUALITY_FLAGS)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .dagster_home
