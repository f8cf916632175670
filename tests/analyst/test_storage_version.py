"""Item 0: the published warehouse (and its snapshots) opens in DuckDB 1.x, not only 2.0.

The 1.x reader is a real duckdb 1.0 (the oldest release that reads storage v1.0.0) installed
by uv into a throw-away venv; the test skips only when the package index cannot be reached.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import READABLE_STORAGE_VERSION, WarehousePaths, rewrite_in_readable_storage
from tests.analyst.conftest import mart_counts, refresh_seeds
from tests.conftest import copy_seeds

OLDEST_READER = "duckdb==1.0.*"
# What uv prints when it cannot reach the index (as opposed to a package that does not exist).
UNREACHABLE = ("failed to fetch", "dns error", "connection refused", "timed out", "network is unreachable",
               "error sending request", "could not connect")  # fmt: skip

READ_EVERY_MART = textwrap.dedent(
    """
    import json, sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    names = [n for (n,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
    counts = {}
    for name in names:
        # every row of every mart, rendered as text: each column and type is decoded
        rows = con.execute(f'select t::varchar from marts."{name}" as t').fetchall()
        counts[name] = len(rows)
    print(json.dumps({"version": duckdb.__version__, "counts": counts}))
    """
)


def storage_version(path: Path) -> str:
    with duckdb.connect(":memory:") as con:
        con.execute("attach ? as w (read_only)", [str(path)])
        return con.execute("select tags['storage_version'] from duckdb_databases() where database_name = 'w'").fetchone()[0]


@pytest.fixture(scope="module")
def old_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a throw-away venv holding duckdb 1.0."""
    venv = tmp_path_factory.mktemp("duckdb1") / "venv"
    uv = ["uv"] if shutil.which("uv") else ["python3", "-m", "uv"]  # as the Makefile finds it
    subprocess.run([*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", str(python), OLDEST_READER],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if install.returncode != 0:
        message = install.stderr.lower()
        if any(marker in message for marker in UNREACHABLE):
            pytest.skip(f"the package index is unreachable, cannot install {OLDEST_READER}: {install.stderr.strip()[:300]}")
        pytest.fail(f"installing {OLDEST_READER} failed: {install.stderr}")
    return python


def read_with(python: Path, warehouse: Path) -> dict:
    result = subprocess.run([str(python), "-c", READ_EVERY_MART, str(warehouse)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_published_file_is_written_in_the_oldest_readable_storage(seeds_warehouse):
    assert storage_version(seeds_warehouse) == f"{READABLE_STORAGE_VERSION}+"


def test_duckdb_1_0_reads_every_mart_of_the_published_file(seeds_warehouse, old_duckdb):
    read = read_with(old_duckdb, seeds_warehouse)
    assert read["version"].startswith("1.0.")
    expected = mart_counts(seeds_warehouse)
    assert len(expected) >= 11  # the contract's marts, at least
    assert read["counts"] == expected


def test_a_warehouse_in_2_0_storage_is_published_readable_again(tmp_path, seeds_warehouse, old_duckdb):
    """A warehouse published before this change (storage v2.0) is rewritten once by the next
    publish, and its snapshot and the new file open in DuckDB 1.0."""
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(":memory:") as con:  # DuckDB 2.0's default storage, as before
        con.execute("attach ? as old (read_only)", [str(seeds_warehouse)])
        con.execute("attach ? as new", [str(warehouse)])
        con.execute("copy from database old to new")
    assert storage_version(warehouse).startswith("v2.")
    source = copy_seeds(tmp_path / "source")
    (source / "extra.txt").write_text(
        "Президент Казахстана Касым-Жомарт Токаев 3 марта 2026 года провел телефонный разговор "
        "с Председателем КНР Си Цзиньпином.\n",
        encoding="utf-8",
    )
    refresh_seeds(source, warehouse)
    assert storage_version(warehouse) == f"{READABLE_STORAGE_VERSION}+"
    assert read_with(old_duckdb, warehouse)["counts"] == mart_counts(warehouse)
    [snapshot] = WarehousePaths.for_file(warehouse).snapshots()
    assert storage_version(snapshot).startswith("v2.")  # a snapshot is the build as it was


def test_rewrite_keeps_every_table_and_view(tmp_path, seeds_warehouse):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(seeds_warehouse, copy)
    rewrite_in_readable_storage(copy)
    assert storage_version(copy) == f"{READABLE_STORAGE_VERSION}+"
    assert mart_counts(copy) == mart_counts(seeds_warehouse)
    sql = "select schema_name, view_name from duckdb_views() where not internal order by 1, 2"
    with duckdb.connect(str(copy), read_only=True) as new, duckdb.connect(str(seeds_warehouse), read_only=True) as old:
        assert new.execute(sql).fetchall() == old.execute(sql).fetchall()
