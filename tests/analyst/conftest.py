"""Fixtures of the analyst commands' tests: a seeds warehouse built by the real
`attache refresh` once per module, and a way to run `attache` as a user does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_seeds

ATTACHE = Path(sys.executable).with_name("attache")
MARTS_SQL = "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"


def attache(*args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the `attache` command of this environment; returns the finished process."""
    return subprocess.run(
        [str(ATTACHE), *args], input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )


def refresh_seeds(source: Path, warehouse: Path, *extra: str) -> None:
    result = attache("refresh", "--source", str(source), "--warehouse", str(warehouse), *extra)
    assert result.returncode == 0, result.stderr


def mart_counts(warehouse: Path) -> dict[str, int]:
    """Rows of every mart, read with this environment's DuckDB."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [name for (name,) in con.execute(MARTS_SQL).fetchall()]
        return {name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0] for name in names}


@pytest.fixture(scope="module")
def seeds_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from a copy of seeds/ by `attache refresh` (tests only read it)."""
    root = tmp_path_factory.mktemp("analyst")
    source = copy_seeds(root / "source")
    warehouse = root / "warehouse" / "attache.duckdb"
    refresh_seeds(source, warehouse)
    return warehouse
