"""A terse Dagster logger for `attache refresh` on a terminal.

Dagster's console logger prints every framework event (dozens per step); a person watching a
refresh wants one line per thing that happened. This logger passes only the messages our
assets and resources report with `report()` (marked records), errors, and step failures,
prefixed with the time since the run started.
"""

from __future__ import annotations

import logging
import sys
import time

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
