"""Tell, before Dagster and dbt are imported, that a refresh would change nothing.

A refresh whose source folder, extractor and dbt project are as the published warehouse
was built from ingests nothing, extracts nothing, skips dbt and publishes nothing: its
Dagster run only costs the start-up of Dagster and dbt (several seconds). `attache
refresh` asks `published_is_current()` first and, when it says yes, prints the summary
without starting a run (`--force-run` starts one anyway, e.g. to see it in `attache ui`).

Every question is asked of the published file, read-only, with the same functions the
run's assets use (`scan_source`, `compare_sources`, `documents_pending_extraction`,
`marts_are_current`), so the shortcut cannot disagree with what the run would find.
Anything unusual (no warehouse, a damaged one, a working copy left by a crashed run, a
fetch state file to mirror, another refresh holding the warehouse lock) answers no: the run then does what it always does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration import landing
from orchestration.dbt_digest import project_digest
from orchestration.publish import WarehouseLock, WarehouseLockTimeout, WarehousePaths, find_damage


def published_is_current(source_dir: Path, warehouse: Path, dbt_project_dir: Path) -> bool:
    """True when a refresh of `source_dir` into `warehouse` would change nothing."""
    paths = WarehousePaths.for_file(warehouse)
    if not paths.published.is_file():
        return False
    # Another refresh at work may publish a newer build: the run waits for it, as always.
    lock = WarehouseLock(paths, timeout_seconds=0)
    try:
        lock.acquire()
    except WarehouseLockTimeout:
        return False
    try:
        return _published_is_current(paths, source_dir, dbt_project_dir)
    finally:
        lock.release()


def _published_is_current(paths: WarehousePaths, source_dir: Path, dbt_project_dir: Path) -> bool:
    if paths.working_copy.exists():
        return False
    if _has_fetch_state(source_dir) or find_damage(paths.published) is not None:
        return False
    try:
        with duckdb.connect(str(paths.published), read_only=True) as con:
            return _unchanged(con, source_dir, dbt_project_dir)
    except duckdb.Error:  # e.g. a warehouse from before the build state existed
        return False


def _unchanged(con: duckdb.DuckDBPyConnection, source_dir: Path, dbt_project_dir: Path) -> bool:
    # imported here: polars and the extractor's rules cost a few tenths of a second
    from orchestration.extract import extractor_version
    from orchestration.ingest import scan_source

    changes = landing.compare_sources(scan_source(source_dir), landing.known_source_files(con))
    if changes.to_read or changes.missing:
        return False
    if landing.documents_pending_extraction(con, extractor_version()):
        return False
    return landing.marts_are_current(con, project_digest(dbt_project_dir))


def _has_fetch_state(source_dir: Path) -> bool:
    from orchestration.fetch.state import STATE_FILE, web_folder

    return (web_folder(source_dir) / STATE_FILE).exists()
