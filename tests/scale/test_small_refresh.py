"""A refresh with nothing new checks the published warehouse and exits, without Dagster.

`orchestration/refresh_check.py` answers, before Dagster and dbt are imported, whether a run
would change anything. These tests pin both answers on a real warehouse built from seeds/:
yes (every kind of change makes the refresh start its run) and no (no run, no import of
Dagster or dbt, the published file untouched).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.dbt import DBT_PROJECT_DIR
from orchestration.publish import WarehouseLock, WarehousePaths
from orchestration.refresh_check import published_is_current
from tests.conftest import REPO_ROOT

NEW_ARTICLE = "Президент Казахстана Касым-Жомарт Токаев посетил Ташкент 3 марта 2025 года.\n"

# Runs `attache refresh` and reports whether Dagster or dbt were imported along the way.
PROBE = """
import sys
from orchestration.cli import main
code = main(sys.argv[1:])
print("imported:", sorted(m for m in ("dagster", "dagster_dbt", "dbt") if m in sys.modules))
sys.exit(code)
"""


@pytest.fixture
def current(tmp_path: Path, built_warehouse: Path) -> tuple[Path, Path]:
    """(source folder, warehouse): a copy of a warehouse built from seeds/ and of its folder."""
    source = shutil.copytree(built_warehouse.parent.parent / "source", tmp_path / "source")
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(built_warehouse, warehouse)
    return source, warehouse


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def _refresh_runs() -> int:
    import dagster as dg

    return len(dg.DagsterInstance.get().get_runs(filters=dg.RunsFilter(job_name="refresh_all")))


def test_nothing_new_exits_without_dagster_or_dbt(current: tuple[Path, Path]):
    source, warehouse = current
    before = _stamp(warehouse)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "refresh", "--source", str(source), "--warehouse", str(warehouse)],
        cwd=REPO_ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary, imported = done.stdout.strip().splitlines()
    assert "(0 new)" in summary and summary.startswith("documents ")
    assert imported == "imported: []"
    assert _stamp(warehouse) == before  # not even copied and renamed


def test_force_run_starts_a_dagster_run(current: tuple[Path, Path], capsys):
    source, warehouse = current
    runs = _refresh_runs()
    assert main(["refresh", "--source", str(source), "--warehouse", str(warehouse), "--force-run"]) == 0
    assert "(0 new)" in capsys.readouterr().out
    assert _refresh_runs() == runs + 1


def _add_file(source: Path, warehouse: Path) -> None:
    (source / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")


def _change_file(source: Path, warehouse: Path) -> None:
    first = sorted(source.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nЕщё одна строка.\n", encoding="utf-8")


def _remove_file(source: Path, warehouse: Path) -> None:
    sorted(source.glob("*.txt"))[0].unlink()


def _leave_working_copy(source: Path, warehouse: Path) -> None:
    shutil.copy2(warehouse, WarehousePaths.for_file(warehouse).working_copy)


def _hold_the_lock(source: Path, warehouse: Path) -> None:
    lock = WarehouseLock(WarehousePaths.for_file(warehouse), timeout_seconds=0)
    lock.acquire()  # a new file descriptor: the check's own acquire conflicts with it
    _HELD_LOCKS.append(lock)


_HELD_LOCKS: list[WarehouseLock] = []


def _delete_warehouse(source: Path, warehouse: Path) -> None:
    warehouse.unlink()


def _damage_warehouse(source: Path, warehouse: Path) -> None:
    with open(warehouse, "r+b") as file:
        file.truncate(warehouse.stat().st_size // 2)


@pytest.mark.parametrize(
    "change",
    [_add_file, _change_file, _remove_file, _leave_working_copy, _hold_the_lock, _delete_warehouse, _damage_warehouse],
)
def test_any_change_means_a_run(current: tuple[Path, Path], change):
    source, warehouse = current
    assert published_is_current(source, warehouse, DBT_PROJECT_DIR)
    change(source, warehouse)
    try:
        assert not published_is_current(source, warehouse, DBT_PROJECT_DIR)
    finally:
        while _HELD_LOCKS:
            _HELD_LOCKS.pop().release()


def test_a_changed_dbt_project_means_a_run(current: tuple[Path, Path], tmp_path: Path):
    source, warehouse = current
    project = shutil.copytree(
        DBT_PROJECT_DIR, tmp_path / "dbt_project", ignore=shutil.ignore_patterns("target", "logs")
    )
    assert published_is_current(source, warehouse, project)
    (project / "macros" / "added_by_a_test.sql").write_text("{% macro nothing() %}{% endmacro %}\n")
    assert not published_is_current(source, warehouse, project)
