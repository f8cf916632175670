"""Dagster's run history on SQLite, without a new database engine for every event.

Dagster's `SqliteEventLogStorage` creates a SQLAlchemy engine, opens a connection, sets it up
and closes it again for each event it stores, twice for an asset event (the run's file and
the cross-run index). A refresh logs some 600 events (every dbt model is a materialization,
every dbt test an asset check): about 3.5 s of a one-article refresh went to opening and
closing SQLite files. This subclass keeps one engine per file for the life of the process,
with SQLAlchemy's default connection pool: each event is one INSERT and one COMMIT on an open
connection. What is stored, and where, is Dagster's own; the UI and the daemon read it as usual.
A long-lived process (the UI reading many runs) keeps the engines of the index and of the
few runs it touched last, so open files stay bounded.

The project's dagster.yaml (written by `orchestration.cli.ensure_dagster_home`) names it as
the instance's event log storage.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine


def default_base_dir() -> str:
    """Where Dagster keeps the event log by default: $DAGSTER_HOME/history/runs/."""
    return os.path.join(os.environ["DAGSTER_HOME"], "history", "runs", "")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` that reuses one engine (and its pooled connections) per shard."""

    RUN_ENGINES_KEPT = 8  # run files whose engines stay open, besides the index

    def __init__(self, base_dir: str | None = None, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir or default_base_dir(), inst_data=inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(  # the base class hard-codes its own class here
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard),
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
                self._engines[shard] = engine
                self._close_least_recent_runs()
            self._engines.move_to_end(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _close_least_recent_runs(self) -> None:
        runs = [shard for shard in self._engines if shard != INDEX_SHARD_NAME]
        for shard in runs[: max(0, len(runs) - self.RUN_ENGINES_KEPT)]:
            self._engines.pop(shard).dispose()

    def _close_all(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:
        self._close_all()  # the run files are about to be deleted
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()
