# Attaché: `make run` builds the warehouse from seeds/, `make test` runs the test suite.
# Both create .venv from uv.lock first when it is missing or out of date.

SOURCE    ?= seeds
WAREHOUSE ?= warehouse/attache.duckdb
VENV      := .venv
# uv from PATH, else installed with pip (and run as a module, wherever pip put it).
UV        := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test lint venv clean

run: venv
	$(VENV)/bin/attache refresh --source $(SOURCE) --warehouse $(WAREHOUSE)

test: venv
	$(VENV)/bin/pytest

# Optional: SQL style of the dbt models (sqlfluff, duckdb dialect).
lint: venv
	cd dbt_project && ../$(VENV)/bin/sqlfluff lint models

venv: $(VENV)/.synced

$(VENV)/.synced: uv.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .dagster_home
