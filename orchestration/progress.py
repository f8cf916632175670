"""How a refresh's events are shown and recorded.

A terse Dagster logger for `attache refresh` on a terminal: Dagster's console logger prints
every framework event (dozens per step); a person watching a refresh wants one line per
thing that happened. This logger passes only the messages our assets and resources report
with `report()` (marked records), errors, and step failures, prefixed with the time since
the run started.

`fast_run_history()` keeps Dagster's run history (SQLite files in DAGSTER_HOME) from
costing more than the refresh it records.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
from pathlib import Path

import dagster as dg

_FAILURE_EVENTS = {"STEP_FAILURE", "RUN_FAILURE"}
_MARK = "attache_progress"


def report(log: dg.DagsterLogManager, message: str) -> None:
    """Log `message` at INFO (kept in the run's logs) and mark it for the progress logger."""
    log.info(message, extra={_MARK: True})


class _ProgressFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            return bool(getattr(record, _MARK, False)) or record.levelno >= logging.ERROR
        return event.event_type_value in _FAILURE_EVENTS


class _ProgressFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self._started = time.monotonic()

    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, "dagster_meta", None) or {}
        message = meta.get("orig_message") or record.getMessage()
        elapsed = time.monotonic() - self._started
        return f"[{elapsed:6.1f}s] {message}"


@dg.logger(description="One line per step of a refresh, for a terminal (stderr).")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.Logger("attache.progress", level=logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ProgressFilter())
    handler.setFormatter(_ProgressFormatter())
    log.addHandler(handler)
    return log


_fast_history_homes: set[str] = set()


def fast_run_history(dagster_home: Path) -> None:
    """Write the run history under `dagster_home` without an fsync per event.

    Dagster's SQLite storage opens a connection per event and commits it, and SQLite's
    default waits for the disk at every commit and checkpoint: a refresh of the seeds logs
    some 500 events (every dbt model and test is a materialization or an asset check), which
    cost 10-30 s of fsyncs. `synchronous=OFF` leaves the writes to the OS: a killed process
    loses nothing, and only a power cut could damage the run history (a log of runs, never
    the warehouse, whose publish makes its own fsyncs). Applies to SQLite files under
    `dagster_home` only; idempotent.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    home = str(Path(dagster_home).resolve())
    if not _fast_history_homes:

        def on_connect(connection: object, _record: object) -> None:
            if not isinstance(connection, sqlite3.Connection):
                return
            files = [row[2] or "" for row in connection.execute("pragma database_list")]
            if any(path.startswith(tuple(_fast_history_homes)) for path in files):
                connection.execute("pragma synchronous = off")

        event.listen(Engine, "connect", on_connect)
    _fast_history_homes.add(home + "/")
