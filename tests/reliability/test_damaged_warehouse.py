"""A damaged or deleted published warehouse: the next real refresh says what it found, keeps
the damaged file aside (renamed, never deleted), rebuilds from the source folder and exits 0;
`attache sql` and the dashboard say that the file is damaged."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from orchestration.publish import DAMAGED_INFIX, find_damage
from tests.conftest import copy_seeds

VENV_ATTACHE = Path(sys.executable).with_name("attache")


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        exit_code = main(list(argv))
    return exit_code, out.getvalue(), err.getvalue()


def truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


DAMAGES = {"truncated": truncate, "random bytes": random_bytes}


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory, dbt_manifest) -> tuple[Path, Path]:
    """(source folder, a warehouse built from it), copied by each test before damaging it."""
    root = tmp_path_factory.mktemp("damaged")
    source = copy_seeds(root / "source")
    warehouse = root / "good" / "attache.duckdb"
    assert run_cli("refresh", "--source", str(source), "--warehouse", str(warehouse))[0] == 0
    return source, warehouse


def damaged_copy(good: Path, where: Path, damage: str) -> Path:
    warehouse = where / "attache.duckdb"
    where.mkdir(parents=True)
    shutil.copyfile(good, warehouse)
    DAMAGES[damage](warehouse)
    return warehouse


def documents(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from marts.dim_documents").fetchall()[0][0]


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_refresh_keeps_a_damaged_file_aside_and_rebuilds(good_warehouse, tmp_path, damage):
    source, good = good_warehouse
    warehouse = damaged_copy(good, tmp_path / "warehouse", damage)
    damaged_bytes = warehouse.read_bytes()
    assert find_damage(warehouse) is not None

    exit_code, out, err = run_cli("refresh", "--source", str(source), "--warehouse", str(warehouse))

    assert exit_code == 0, err
    kept = list(warehouse.parent.glob(f"attache.duckdb{DAMAGED_INFIX}*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes  # renamed, untouched
    assert "is damaged" in err and str(kept[0]) in err
    assert find_damage(warehouse) is None
    assert documents(warehouse) == documents(good)
    assert "documents 2 (2 new)" in out


def test_refresh_after_the_file_was_deleted_rebuilds(good_warehouse, tmp_path):
    source, good = good_warehouse
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(good, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as reader:  # a reader has it open
        warehouse.unlink()
        exit_code, out, err = run_cli("refresh", "--source", str(source), "--warehouse", str(warehouse))
        assert reader.execute("select count(*) from marts.dim_documents").fetchall() == [(2,)]
    assert exit_code == 0, err
    assert documents(warehouse) == 2 and "documents 2 (2 new)" in out


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_attache_sql_says_the_file_is_damaged(good_warehouse, tmp_path, damage):
    warehouse = damaged_copy(good_warehouse[1], tmp_path / "warehouse", damage)
    exit_code, out, err = run_cli("sql", "select count(*) from marts.dim_documents", "--warehouse", str(warehouse))
    assert exit_code == 1
    assert "is damaged" in err and "attache refresh" in err
    assert out == ""


@pytest.fixture
def dashboard():
    """Start `attache dashboard` on a free port for a warehouse path; yields a page getter."""
    processes: list[subprocess.Popen] = []

    def start(warehouse: Path):
        process = subprocess.Popen(
            [str(VENV_ATTACHE), "dashboard", "--warehouse", str(warehouse), "--port", "0"],
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        first_line = process.stderr.readline()  # "Dashboard on http://127.0.0.1:PORT (...)"
        url = first_line.split()[2]
        assert url.startswith("http://127.0.0.1:"), first_line

        def get(path: str = "/") -> tuple[int, str]:
            try:
                with urllib.request.urlopen(url + path, timeout=30) as response:
                    return response.status, response.read().decode("utf-8")
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode("utf-8")

        return get

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_dashboard_says_a_file_of_random_bytes_cannot_be_opened(good_warehouse, tmp_path, dashboard):
    warehouse = damaged_copy(good_warehouse[1], tmp_path / "warehouse", "random bytes")
    status, page = dashboard(warehouse)("/")
    assert status == 503
    assert "The warehouse cannot be opened" in page and "not a valid DuckDB database" in page


def test_dashboard_says_a_truncated_file_is_damaged(good_warehouse, tmp_path, dashboard):
    warehouse = damaged_copy(good_warehouse[1], tmp_path / "warehouse", "truncated")
    status, page = dashboard(warehouse)("/")
    assert status == 503 and "damaged" in page
