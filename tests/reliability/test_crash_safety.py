"""A refresh killed with SIGKILL at any stage leaves the last good warehouse as it was.

`attache refresh` runs as a subprocess (in its own session, so the kill takes dbt too when
it is a child process) through refresh_with_hold_point.py, which says when the run reached
the stage; the test SIGKILLs the whole process group there. After each kill the published
file is byte for byte the last good one, every mart reads the same, the writer lock is free,
and the next refresh (which finds the killed run's working copy) completes.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.publish import WarehouseLock, WarehousePaths

HOLD_SCRIPT = Path(__file__).with_name("refresh_with_hold_point.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
STAGES = ("ingest", "extract", "dbt")
STAGE_TIMEOUT_SECONDS = 240.0

NEW_ARTICLE = (
    "Президент Узбекистана Шавкат Мирзиёев 5 марта 2026 года провёл телефонный разговор "
    "с Председателем КНР Си Цзиньпином. Стороны обсудили торгово-экономическое сотрудничество.\n"
)


class Refresh:
    """A refresh subprocess whose stderr lines are collected by a thread."""

    def __init__(self, stage: str, source: Path, warehouse: Path):
        self.process = subprocess.Popen(
            [sys.executable, str(HOLD_SCRIPT), stage,
             "refresh", "--source", str(source), "--warehouse", str(warehouse)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            cwd=REPO_ROOT, start_new_session=True,
        )  # fmt: skip
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, marker: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"no {marker!r} within {timeout:g} s; stderr:\n" + "\n".join(self.seen))
            if line is None:
                self.process.wait()
                pytest.fail(
                    f"refresh ended (exit {self.process.returncode}) before {marker!r}; stderr:\n"
                    + "\n".join(self.seen)
                )
            self.seen.append(line)
            if line == marker:
                return

    def kill(self) -> None:
        # The whole session: the refresh and anything it started (a dbt subprocess).
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)


def lock_is_free(warehouse: Path) -> bool:
    lock = WarehouseLock(WarehousePaths.for_file(warehouse), timeout_seconds=0)
    try:
        lock.acquire()
    except RuntimeError:
        return False
    lock.release()
    return True


def test_refresh_killed_at_each_stage_leaves_the_last_good_warehouse(
    tmp_path, built_warehouse, seeds_copy, dbt_manifest, file_digest, mart_fingerprints, query, capsys
):
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_warehouse, warehouse)
    paths = WarehousePaths.for_file(warehouse)
    good_digest = file_digest(warehouse)
    good_marts = mart_fingerprints(warehouse)
    n_documents = query(warehouse, "select count(*) from marts.dim_documents")[0][0]
    (seeds_copy / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    survived = []
    for stage in STAGES:
        refresh = Refresh(stage, seeds_copy, warehouse)
        try:
            refresh.wait_for(f"HOLD {stage}", STAGE_TIMEOUT_SECONDS)
        finally:
            refresh.kill()
        assert refresh.process.returncode == -signal.SIGKILL, (stage, refresh.seen)
        # The killed run left its working copy behind, and nothing else changed.
        assert paths.working_copy.exists(), stage
        assert file_digest(warehouse) == good_digest, stage
        assert mart_fingerprints(warehouse) == good_marts, stage
        assert lock_is_free(warehouse), stage
        survived.append(stage)

    # The next refresh discards the stale working copy, builds (dbt tests included) and publishes.
    assert main(["refresh", "--source", str(seeds_copy), "--warehouse", str(warehouse)]) == 0
    assert "(1 new)" in capsys.readouterr().out
    assert not paths.working_copy.exists()
    assert query(warehouse, "select count(*) from marts.dim_documents") == [(n_documents + 1,)]
    assert query(
        warehouse,
        "select count(*) from marts.dim_documents where source_name = 'new_article.txt'",
    ) == [(1,)]
    with capsys.disabled():
        print(f"\nkill points survived: {len(survived)} ({', '.join(survived)})")
