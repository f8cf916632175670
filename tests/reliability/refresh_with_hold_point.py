"""`attache refresh` that stops at a chosen point of the run, so that a test can SIGKILL it there.

    python refresh_with_hold_point.py STAGE refresh --source DIR --warehouse FILE

STAGE is one of:
  ingest   after the ingest landed the files it read (working copy written, not published)
  extract  after the first batch of extracted rows was written
  dbt      once `dbt build` has written to the working copy (the build keeps going)

At the point, the process prints `HOLD <stage>` on stderr; for `ingest` and `extract` it then
sleeps (a test kills it); for `dbt` the build goes on, so the kill lands mid-build. Test-only:
the hooks wrap public functions of the pipeline from the outside, the product has none.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path

HOLD_SECONDS = 600.0
WAL_POLL_SECONDS = 0.02


def hold(stage: str) -> None:
    print(f"HOLD {stage}", file=sys.stderr, flush=True)
    time.sleep(HOLD_SECONDS)
    print(f"hold point {stage}: never killed", file=sys.stderr, flush=True)
    os._exit(3)


# The landing function after whose first call each stage holds.
HOLD_AFTER = {"ingest": "land_ingest", "extract": "replace_extracted"}


def install(stage: str) -> None:
    from orchestration import landing
    from orchestration.resources import WarehouseResource

    if stage in HOLD_AFTER:
        write = getattr(landing, HOLD_AFTER[stage])

        def write_then_hold(*args, **kwargs):
            result = write(*args, **kwargs)
            hold(stage)
            return result

        setattr(landing, HOLD_AFTER[stage], write_then_hold)
    elif stage == "dbt":
        dbt_environment = WarehouseResource.dbt_environment

        @contextlib.contextmanager
        def signal_once_dbt_writes(self):
            wal = self.paths.working_copy.with_name(self.paths.working_copy.name + ".wal")
            start = _size(wal)

            def watch() -> None:
                # DuckDB appends every commit to the write-ahead log: it grows once dbt has
                # built its first seed or model, whether dbt runs in this process or not.
                while _size(wal) <= start:
                    time.sleep(WAL_POLL_SECONDS)
                print(f"HOLD {stage}", file=sys.stderr, flush=True)

            threading.Thread(target=watch, daemon=True).start()
            with dbt_environment(self):
                yield

        WarehouseResource.dbt_environment = signal_once_dbt_writes
    else:
        raise SystemExit(f"unknown stage {stage!r} (ingest, extract, dbt)")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def main(argv: list[str]) -> int:
    stage, *command = argv
    install(stage)
    from orchestration.cli import main as attache

    return attache(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
