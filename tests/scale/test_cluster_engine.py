"""Extraction on a real Dask cluster gives the same marts as extraction in this process.

Two refreshes of one corpus (the seeds and 240 real news-ru articles), in batches of 40 so
that several batches are out at once: one extracting in-process, one on a LocalCluster of two
worker processes that read their batches from the lake and write Parquet back. Every mart is
hashed row by row in key order; the hashes must be equal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from benchmarks.marts import mart_hashes

BATCH_SIZE = 40
ATTACHE = [sys.executable, "-m", "orchestration.cli"]


def extract_metadata(run_id: str) -> dict:
    """The metadata extract_mentions recorded on raw.event_mentions in the given run."""
    instance = dg.DagsterInstance.get()
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(["raw", "event_mentions"])), limit=20
    ).records
    for record in records:
        if record.run_id == run_id:
            return {k: v.value for k, v in record.asset_materialization.metadata.items()}
    raise AssertionError(f"no materialization of raw/event_mentions in run {run_id}")


@pytest.fixture(scope="module")
def in_process_warehouse(seeds_and_news: Path, tmp_path_factory, dbt_manifest) -> tuple[Path, str]:
    from orchestration.cli import run_refresh

    warehouse = tmp_path_factory.mktemp("in_process") / "attache.duckdb"
    run = run_refresh(seeds_and_news, warehouse, extract_batch_size=BATCH_SIZE)
    return warehouse, run.run_id


@pytest.fixture(scope="module")
def cluster_warehouse(seeds_and_news: Path, tmp_path_factory, dbt_manifest) -> tuple[Path, str]:
    from orchestration.cli import run_refresh

    warehouse = tmp_path_factory.mktemp("cluster") / "attache.duckdb"
    run = run_refresh(seeds_and_news, warehouse, cluster="local:2", extract_batch_size=BATCH_SIZE)
    return warehouse, run.run_id


def test_cluster_and_in_process_marts_are_identical(in_process_warehouse, cluster_warehouse):
    in_process, cluster = mart_hashes(in_process_warehouse[0]), mart_hashes(cluster_warehouse[0])
    assert set(in_process) >= {"dim_documents", "fct_event_mentions", "fct_events", "fct_figure_mentions"}
    assert in_process["dim_documents"][0] > 200  # the seeds and the news articles
    assert in_process["fct_event_mentions"][0] > 0 and in_process["fct_figure_mentions"][0] > 0
    differing = {table for table in in_process if in_process[table] != cluster.get(table)}
    assert not differing, {table: (in_process[table], cluster.get(table)) for table in differing}
    assert set(cluster) == set(in_process)


def test_cluster_run_extracted_on_two_worker_processes(cluster_warehouse, in_process_warehouse):
    cluster = extract_metadata(cluster_warehouse[1])
    assert cluster["engine"] == "dask local:2"
    per_worker = cluster["batches_per_worker"]
    assert len(per_worker) == 2, per_worker  # both workers took batches
    batches = -(-cluster["documents_extracted"] // BATCH_SIZE)  # even_batches: as few as fit
    assert sum(per_worker.values()) == batches
    assert extract_metadata(in_process_warehouse[1])["batches_per_worker"].keys() == {"in-process"}


def test_cluster_lake_is_emptied_after_landing(cluster_warehouse):
    lake = cluster_warehouse[0].parent / "lake"
    assert lake.is_dir()  # the workers wrote there
    assert list(lake.iterdir()) == []  # and the driver removed the run's folder once landed


@pytest.mark.parametrize("value", ["local:0", "local:two", "8786", "http://scheduler"])
def test_bad_cluster_value_is_a_usage_error(tmp_path, value):
    result = subprocess.run(
        [*ATTACHE, "refresh", "--source", "seeds", "--warehouse", str(tmp_path / "w.duckdb"), "--cluster", value],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "local:N" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_unreachable_scheduler_fails_and_leaves_the_warehouse(tmp_path, seeds_copy, dbt_manifest):
    from orchestration.cli import run_refresh
    from orchestration.definitions import build_definitions
    from orchestration.engine import ExtractionEngine
    from orchestration.resources import SourceFolder, WarehouseResource
    from orchestration.schedules import REFRESH_JOB_NAME

    warehouse = tmp_path / "w" / "attache.duckdb"
    run_refresh(seeds_copy, warehouse)
    before = warehouse.read_bytes()
    (seeds_copy / "new.txt").write_text("Президент Казахстана провёл телефонный разговор с Путиным.")
    defs = build_definitions(
        source=SourceFolder(path=str(seeds_copy)),
        warehouse=WarehouseResource(path=str(warehouse)),
        engine=ExtractionEngine(cluster="tcp://127.0.0.1:9", connect_timeout_seconds=2),
    )
    result = defs.resolve_job_def(REFRESH_JOB_NAME).execute_in_process(raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert failure.step_key == "extract_mentions"
    assert "no Dask scheduler answered at tcp://127.0.0.1:9" in str(failure.event_specific_data.error)
    assert warehouse.read_bytes() == before
