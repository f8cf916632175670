"""Items 1-3 beside a refresh: shell, docs and export neither wait for a refresh holding the
warehouse lock nor fail, and an export that runs while a refresh publishes is of one build."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.analyst.export import export_warehouse
from orchestration.publish import WarehouseLock, WarehouseLockTimeout, WarehousePaths
from tests.analyst.conftest import ATTACHE, attache, mart_counts
from tests.analyst.test_snapshots import add_article
from tests.conftest import copy_seeds

HOLD_SCRIPT = Path(__file__).resolve().parents[1] / "reliability" / "refresh_with_hold_point.py"
QUICK_SECONDS = 15  # shell and export on the seeds warehouse take about a second
DOCS_SECONDS = 240  # dbt docs generate: tens of seconds on a busy machine, never a lock wait
EXPORTED = ["dim_documents", "fct_events", "fct_event_mentions", "fct_figure_mentions", "country_engagement"]


@pytest.fixture
def refresh_holding_the_lock(seeds_warehouse, tmp_path):
    """A real `attache refresh` of the seeds warehouse, stopped inside its run (after the
    ingest landed new rows in the working copy): it holds the lock until killed."""
    source = copy_seeds(tmp_path / "source")
    add_article(source, 1)
    process = subprocess.Popen(
        [sys.executable, str(HOLD_SCRIPT), "ingest", "refresh", "--source", str(source),
         "--warehouse", str(seeds_warehouse)],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    for line in process.stderr:
        if line.startswith("HOLD ingest"):
            break
    else:
        pytest.fail(f"the refresh ended before its hold point (exit {process.wait()})")
    yield process
    process.kill()
    process.wait()


def assert_lock_held(warehouse: Path) -> None:
    with pytest.raises(WarehouseLockTimeout):
        WarehouseLock(WarehousePaths.for_file(warehouse), timeout_seconds=0).acquire()


def test_shell_docs_and_export_run_while_a_refresh_holds_the_lock(seeds_warehouse, refresh_holding_the_lock, tmp_path):
    assert_lock_held(seeds_warehouse)
    counts = mart_counts(seeds_warehouse)

    started = time.monotonic()
    shell = attache("shell", "--warehouse", str(seeds_warehouse), stdin=".mode list\nselect count(*) from marts.fct_events;\n",
                    timeout=QUICK_SECONDS)  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["count_star()", str(counts["fct_events"])]

    export = attache("export", "--format", "parquet", "--out", str(tmp_path / "export"),
                     "--warehouse", str(seeds_warehouse), timeout=QUICK_SECONDS)  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert time.monotonic() - started < 2 * QUICK_SECONDS

    docs = subprocess.Popen([str(ATTACHE), "docs", "--port", "0", "--warehouse", str(seeds_warehouse)],
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        url = wait_for_url(docs, DOCS_SECONDS)
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"dbt" in response.read()
        with urllib.request.urlopen(url + "catalog.json", timeout=10) as response:
            catalog = json.load(response)
        assert "model.attache.fct_events" in catalog["nodes"]
    finally:
        docs.send_signal(signal.SIGINT)
        assert docs.wait(timeout=30) == 0
    assert_lock_held(seeds_warehouse)  # all of it happened while the refresh held the lock


def wait_for_url(process: subprocess.Popen, timeout: float) -> str:
    """The address `attache docs` prints once it serves (stderr: "Data dictionary on URL ...")."""
    found: list[str] = []

    def read() -> None:
        for line in process.stderr:
            if line.startswith("Data dictionary on "):
                found.append(line.split()[3])
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    assert found, f"attache docs did not serve within {timeout} s (exit {process.poll()})"
    return found[0]


def test_exports_while_a_refresh_publishes_are_each_of_one_build(seeds_warehouse, tmp_path):
    """Two threads export back to back while a real refresh runs and publishes; every export
    holds the counts of the old build or of the new one, never a mix."""
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(seeds_warehouse, warehouse)
    old = {name: rows for name, rows in mart_counts(warehouse).items() if name in EXPORTED}
    source = copy_seeds(tmp_path / "source")
    add_article(source, 2)
    add_article(source, 3)

    refresh = subprocess.Popen([str(ATTACHE), "refresh", "--source", str(source), "--warehouse", str(warehouse)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    exports: list[tuple[float, float, dict[str, int], int]] = []
    errors: list[BaseException] = []

    def export_until_the_refresh_ends(worker: int) -> None:
        number = 0
        try:
            while refresh.poll() is None:
                number += 1
                start = time.time()
                _, manifest = export_warehouse(warehouse, "parquet", out=tmp_path / f"e{worker}-{number}", tables=EXPORTED)
                rows = {entry["table"].removeprefix("marts."): entry["rows"] for entry in manifest["tables"]}
                exports.append((start, time.time(), rows, manifest["build"]["documents"]))
        except BaseException as error:  # reported by the test below
            errors.append(error)

    workers = [threading.Thread(target=export_until_the_refresh_ends, args=(n,)) for n in range(2)]
    for worker in workers:
        worker.start()
        time.sleep(0.15)  # offset: one exports while the other starts its next
    stdout, stderr = refresh.communicate(timeout=600)
    for worker in workers:
        worker.join(timeout=120)
    assert refresh.returncode == 0, stderr
    assert not errors, errors
    renamed_at = warehouse.stat().st_ctime  # the publish's rename sets it
    new = {name: rows for name, rows in mart_counts(warehouse).items() if name in EXPORTED}
    assert new != old
    for _, _, rows, documents in exports:
        assert rows in (old, new), f"an export mixed two builds: {rows}"
        assert documents == rows["dim_documents"]  # the manifest describes the build it exported
    seen = [rows for _, _, rows, _ in exports]
    assert old in seen and new in seen, "the exports never ran on both sides of the publish"
    straddling = [e for e in exports if e[0] <= renamed_at <= e[1]]
    assert straddling, "no export ran across the moment of the publish"
