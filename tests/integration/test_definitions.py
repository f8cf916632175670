"""The Dagster code location: it loads, its lineage is one graph, its sensor reacts to files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import pytest

from orchestration.assets import PUBLISHED_WAREHOUSE, RAW_DOCUMENTS
from orchestration.resources import SourceFolder
from orchestration.schedules import REFRESH_JOB_NAME, source_folder_sensor, source_listing_digest

RAW_TABLES = ["documents", "ingest_errors", "source_files", "sentences", "entity_mentions", "event_mentions", "figure_mentions"]


@pytest.fixture(scope="module")
def defs(dbt_manifest) -> dg.Definitions:
    from orchestration.definitions import build_definitions

    return build_definitions()


def test_definitions_load_with_job_schedule_and_sensor(defs):
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def(REFRESH_JOB_NAME)
    assert defs.resolve_schedule_def("hourly_refresh").cron_schedule == "0 * * * *"
    assert defs.resolve_sensor_def("source_folder_sensor")


def test_lineage_runs_from_raw_tables_through_dbt_to_publish(defs):
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    for table in RAW_TABLES:
        assert dg.AssetKey(["raw", table]) in keys
    # dbt sources resolve to the Python assets' keys: staging models depend on them.
    staging = [k for k in keys if k.path[0] == "staging"]
    assert staging
    assert any(RAW_DOCUMENTS in graph.get(k).parent_keys for k in staging)
    # Every raw table ends up upstream of the published warehouse.
    ancestors = dg.AssetSelection.assets(PUBLISHED_WAREHOUSE).upstream().resolve(graph)
    for table in RAW_TABLES:
        assert dg.AssetKey(["raw", table]) in ancestors
    # Publishing waits for every mart that reads the raw tables; the marts of reference data
    # alone (built in the same dbt step, and only when the project changes) are no parents.
    marts = {k for k in keys if k.path[0] == "marts"}
    parents = set(graph.get(PUBLISHED_WAREHOUSE).parent_keys)
    reads_raw = {
        k for k in marts if any(a.path[0] == "raw" for a in dg.AssetSelection.assets(k).upstream().resolve(graph))
    }
    assert marts and reads_raw <= parents and dg.AssetKey(["marts", "fct_events"]) in reads_raw
    assert all(k in reads_raw for k in parents if k.path[0] == "marts")


def test_dbt_tests_are_asset_checks(defs):
    checks = list(defs.resolve_asset_graph().asset_check_keys)
    assert any(check.asset_key.path[0] == "marts" for check in checks)


def test_importing_definitions_does_no_work():
    """@dg.definitions defers the build: importing the module prepares no dbt manifest.

    In a subprocess, so that replacing prepare_manifest cannot leak into other tests."""
    script = textwrap.dedent(
        """
        import orchestration.dbt

        def fail(*args, **kwargs):
            raise SystemExit("dbt manifest prepared at import time")

        orchestration.dbt.prepare_manifest = fail
        import orchestration.definitions
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_sensor_requests_a_run_when_the_folder_changes(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.txt").write_text("Первая статья.", encoding="utf-8")
    resources = {"source": SourceFolder(path=str(source))}

    first = source_folder_sensor(dg.build_sensor_context(cursor=None, resources=resources))
    assert isinstance(first, dg.RunRequest)
    cursor = source_listing_digest(source)
    assert first.run_key.endswith(cursor)  # the change number, then the digest

    unchanged = source_folder_sensor(dg.build_sensor_context(cursor=cursor, resources=resources))
    assert isinstance(unchanged, dg.SkipReason)

    (source / "b.txt").write_text("Вторая статья.", encoding="utf-8")
    added = source_folder_sensor(dg.build_sensor_context(cursor=cursor, resources=resources))
    assert isinstance(added, dg.RunRequest) and added.run_key != cursor


def test_sensor_skips_a_missing_folder(tmp_path: Path):
    resources = {"source": SourceFolder(path=str(tmp_path / "absent"))}
    result = source_folder_sensor(dg.build_sensor_context(cursor=None, resources=resources))
    assert isinstance(result, dg.SkipReason)
