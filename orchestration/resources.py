"""Dagster resources: the source folder and the warehouse (working copy, lock, publish)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from orchestration import duckdb_limits, landing
from orchestration.progress import report
from orchestration.publish import (
    DEFAULT_KEEP_SNAPSHOTS,
    WarehouseLock,
    WarehousePaths,
    discard_working_copy,
    prepare_working_copy,
    publish_working_copy,
    rotate_snapshots,
    set_aside_if_damaged,
)

DEFAULT_SOURCE_DIR = "seeds"
DEFAULT_WAREHOUSE = "warehouse/attache.duckdb"
SOURCE_DIR_ENV = "ATTACHE_SOURCE_DIR"
WAREHOUSE_ENV = "ATTACHE_WAREHOUSE"
DBT_DATABASE_ENV = "ATTACHE_DBT_DATABASE"


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _warn(context: dg.InitResourceContext, message: str) -> None:
    """On stderr whatever the logging (the refresh's summary is on stdout), and in the run's log."""
    print(f"attache: {message}", file=sys.stderr)
    if context.log:
        context.log.warning(message)


def default_source_dir() -> Path:
    """`ATTACHE_SOURCE_DIR`, else `seeds/`, relative to the current directory."""
    return Path(os.environ.get(SOURCE_DIR_ENV) or DEFAULT_SOURCE_DIR).expanduser().resolve()


def default_warehouse_path() -> Path:
    """`ATTACHE_WAREHOUSE`, else `warehouse/attache.duckdb`, relative to the current directory."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).expanduser().resolve()


class SourceFolder(dg.ConfigurableResource):
    """The folder of raw article files a refresh reads."""

    path: str = Field(
        default="",
        description="Folder of *.txt / *.jsonl(.gz) files; empty: $ATTACHE_SOURCE_DIR or seeds/.",
    )

    def resolve(self) -> Path:
        return Path(self.path).expanduser().resolve() if self.path else default_source_dir()


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse a run builds into, through a working copy it publishes atomically.

    When a run starts, the resource takes the warehouse lock (one writer at a time; waits up to
    `lock_timeout_seconds`) and copies the published file to the working copy. Every asset of
    the run reads and writes the working copy; `publish()` (called by the `published_warehouse`
    asset, after every dbt model and test passed) renames it over the published file. The lock
    is released when the run ends, whatever its outcome; a run that fails before publishing
    leaves the published file as it was.
    """

    path: str = Field(
        default="",
        description="Published DuckDB file; empty: $ATTACHE_WAREHOUSE or warehouse/attache.duckdb.",
    )
    lock_timeout_seconds: float = Field(
        default=900.0, description="How long a run waits for another refresh to finish."
    )
    keep_snapshots: int = Field(
        default=DEFAULT_KEEP_SNAPSHOTS,
        description="How many previous builds a publish keeps under snapshots/ (0: none).",
    )

    _lock: WarehouseLock | None = PrivateAttr(default=None)
    _published: bool = PrivateAttr(default=False)
    _nothing_to_publish: bool = PrivateAttr(default=False)

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths.for_file(self.path or default_warehouse_path())

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        paths = self.paths
        lock = WarehouseLock(paths, self.lock_timeout_seconds)
        lock.acquire()
        try:
            copied = prepare_working_copy(paths)
            damaged = set_aside_if_damaged(paths, _timestamp()) if copied else None
        except BaseException:
            lock.release()
            raise
        if damaged is not None:
            copied = False
            _warn(context, damaged.message(paths.published))
        self._lock = lock
        self._published = False
        self._nothing_to_publish = False
        if context.log:
            origin = f"a copy of {paths.published}" if copied else "an empty database"
            report(context.log, f"working copy {paths.working_copy} starts from {origin}")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is None:
            return
        if self._nothing_to_publish and not self._published:
            # The published file already holds what this run found: drop the copy.
            discard_working_copy(self.paths)
            if context.log:
                report(context.log, f"nothing changed: {self.paths.published} is current")
        elif not self._published and context.log and self.paths.working_copy.exists():
            report(
                context.log,
                f"run ended without publishing; {self.paths.published} is unchanged "
                f"(working copy left at {self.paths.working_copy} until the next run)"
            )
        self._lock.release()
        self._lock = None

    def nothing_to_publish(self) -> None:
        """Mark this run as one that changed nothing the published warehouse holds (the dbt
        build was skipped), so the end of the run discards the working copy."""
        self._require_open_run()
        self._nothing_to_publish = True

    def _require_open_run(self) -> WarehousePaths:
        if self._lock is None:
            raise RuntimeError("the warehouse working copy exists only inside a Dagster run")
        if self._published:
            raise RuntimeError("the working copy was already published by this run")
        return self.paths

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the working copy, with the raw tables in place.

        Close it before dbt runs: DuckDB lets only one process open a file for writing.
        """
        paths = self._require_open_run()
        con = duckdb.connect(str(paths.working_copy), config=duckdb_limits.connection_config(paths.directory))
        try:
            landing.ensure_raw_tables(con)
            yield con
        finally:
            con.close()

    @contextmanager
    def dbt_environment(self) -> Iterator[None]:
        """Point dbt's profile (`ATTACHE_DBT_DATABASE`) at the working copy while the block runs.

        DbtCliResource passes the process environment to dbt, so it is set there and restored.
        """
        paths = self._require_open_run()
        settings = {
            DBT_DATABASE_ENV: str(paths.working_copy),
            # dbt's connection gets the same memory limit and spill folder (profiles.yml)
            duckdb_limits.MEMORY_LIMIT_ENV: duckdb_limits.memory_limit(),
            duckdb_limits.TEMP_DIRECTORY_ENV: str(duckdb_limits.temp_directory(paths.directory)),
        }
        previous = {name: os.environ.get(name) for name in settings}
        os.environ.update(settings)
        try:
            yield
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def publish(self) -> Path:
        paths = self._require_open_run()
        publish_working_copy(paths)
        self._published = True
        rotate_snapshots(paths, self.keep_snapshots)
        return paths.published
