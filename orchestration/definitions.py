"""The Dagster code location: every asset, check, job, schedule, sensor and resource.

`defs` is built lazily (`@dg.definitions`): importing this module does no work; the dbt
manifest is prepared (parsed only when missing or stale) when the definitions are loaded.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from orchestration.assets import build_published_warehouse_asset, extract_mentions, ingest_sources
from orchestration.dbt import (
    DBT_PROJECT_DIR,
    build_dbt_assets,
    make_dbt_project,
    make_dbt_resource,
    prepare_manifest,
    publish_waits_for,
)
from orchestration.engine import ExtractionEngine
from orchestration.progress import progress_logger
from orchestration.resources import SourceFolder, WarehouseResource
from orchestration.schedules import (
    fetch_every_15_minutes,
    fetch_job,
    hourly_refresh,
    refresh_job,
    source_folder_sensor,
)
from orchestration.web_assets import FeedsFile, fetch_state, web_pages


def build_definitions(
    dbt_project_dir: Path = DBT_PROJECT_DIR,
    source: SourceFolder | None = None,
    warehouse: WarehouseResource | None = None,
    feeds: FeedsFile | None = None,
    engine: ExtractionEngine | None = None,
) -> dg.Definitions:
    """Assemble the code location. Resources default to the environment's source folder,
    warehouse and feeds file (`ATTACHE_SOURCE_DIR`, `ATTACHE_WAREHOUSE`, `ATTACHE_FEEDS`, else
    seeds/, warehouse/attache.duckdb and feeds.txt), resolved when a run starts."""
    project = make_dbt_project(dbt_project_dir)
    prepare_manifest(project)
    dbt_build = build_dbt_assets(project)
    # After the raw tables and every dbt table that reads them: what a build with new articles
    # makes (the models of seeds alone are built in the same step whenever the project changes;
    # the views only then too)
    published_warehouse = build_published_warehouse_asset(publish_waits_for(dbt_build))
    return dg.Definitions(
        assets=[web_pages, ingest_sources, fetch_state, extract_mentions, dbt_build, published_warehouse],
        jobs=[refresh_job, fetch_job],
        schedules=[hourly_refresh, fetch_every_15_minutes],
        sensors=[source_folder_sensor],
        resources={
            "source": source or SourceFolder(),
            "warehouse": warehouse or WarehouseResource(),
            "feeds": feeds or FeedsFile(),
            # where extract_mentions extracts: in-process, or a Dask cluster ($ATTACHE_CLUSTER)
            "engine": engine or ExtractionEngine(),
            "dbt": make_dbt_resource(project),
        },
        # One process per run: the warehouse resource (lock + working copy) is set up once
        # and every step, dbt included, takes its turn on the single DuckDB file.
        executor=dg.in_process_executor,
        loggers={"console": dg.default_loggers()["console"], "progress": progress_logger},
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
