"""Working copy, atomic publish and the writer lock, on real DuckDB files."""

from __future__ import annotations

import time

import duckdb
import pytest

from orchestration.publish import (
    WarehouseLock,
    WarehouseLockTimeout,
    WarehousePaths,
    prepare_working_copy,
    publish_working_copy,
)


def _write(path, value: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select ? as v", [value])


def _read(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select v from t").fetchall()[0][0]


def test_paths_sit_beside_the_published_file(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "warehouse" / "attache.duckdb")
    assert paths.working_copy.name == ".attache.duckdb.building"
    assert paths.lock_file.name == ".attache.lock"
    assert paths.working_copy.parent == paths.lock_file.parent == tmp_path / "warehouse"


def test_first_run_starts_empty_and_publishes(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "wh" / "attache.duckdb")
    assert prepare_working_copy(paths) is False
    _write(paths.working_copy, 1)
    publish_working_copy(paths)
    assert _read(paths.published) == 1
    assert not paths.working_copy.exists()


def test_publish_replaces_atomically_under_an_open_reader(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "attache.duckdb")
    _write(paths.published, 1)
    reader = duckdb.connect(str(paths.published), read_only=True)
    try:
        assert prepare_working_copy(paths) is True
        assert _read(paths.working_copy) == 1
        _write(paths.working_copy, 2)
        publish_working_copy(paths)
        # The open reader keeps the old file; new readers get the new one.
        assert reader.execute("select v from t").fetchall() == [(1,)]
    finally:
        reader.close()
    assert _read(paths.published) == 2
    assert not paths.working_copy.with_name(paths.working_copy.name + ".wal").exists()


def test_prepare_discards_a_failed_runs_leftovers(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "attache.duckdb")
    _write(paths.published, 1)
    paths.working_copy.write_bytes(b"half-built garbage")
    prepare_working_copy(paths)
    assert _read(paths.working_copy) == 1


def test_publish_without_working_copy_leaves_published_file(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "attache.duckdb")
    _write(paths.published, 1)
    with pytest.raises(FileNotFoundError):
        publish_working_copy(paths)
    assert _read(paths.published) == 1


def test_lock_is_exclusive_and_times_out(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "attache.duckdb")
    with WarehouseLock(paths, timeout_seconds=0) as first:
        assert first.held
        started = time.monotonic()
        with pytest.raises(WarehouseLockTimeout, match="another refresh"):
            WarehouseLock(paths, timeout_seconds=0.5).acquire()
        assert time.monotonic() - started >= 0.5
    # Released: the next writer gets it at once.
    with WarehouseLock(paths, timeout_seconds=0) as second:
        assert second.held


def test_prepare_discards_a_killed_runs_write_ahead_log(tmp_path):
    """A run killed mid-write leaves the working copy and its WAL. DuckDB would replay a WAL
    left beside a new working copy of the same name: it must go with the old copy."""
    paths = WarehousePaths.for_file(tmp_path / "attache.duckdb")
    _write(paths.published, 1)
    prepare_working_copy(paths)
    wal = paths.working_copy.with_name(paths.working_copy.name + ".wal")
    # Simulate a kill: a connection writes to the working copy and never checkpoints.
    killed = duckdb.connect(str(paths.working_copy), config={"checkpoint_threshold": "1TB"})
    killed.execute("create or replace table t as select 99 as v")
    stale_wal = tmp_path / "stale.wal"
    stale_wal.write_bytes(wal.read_bytes())
    killed.close()
    wal.write_bytes(stale_wal.read_bytes())  # put back what closing checkpointed away
    partial = paths.working_copy.with_name(paths.working_copy.name + ".partial")
    partial.write_bytes(b"half a copy")

    assert prepare_working_copy(paths) is True
    assert not wal.exists() and not partial.exists()
    assert _read(paths.working_copy) == 1
    assert _read(paths.published) == 1


def test_a_lock_file_left_by_a_dead_process_does_not_block(tmp_path):
    paths = WarehousePaths.for_file(tmp_path / "attache.duckdb")
    paths.lock_file.write_text("999999\n")  # the pid of a run that no longer exists
    with WarehouseLock(paths, timeout_seconds=0) as lock:
        assert lock.held
        assert paths.lock_file.read_text().strip() == str(__import__("os").getpid())
