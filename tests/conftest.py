"""Shared fixtures.

Integration and reliability tests run the real pipeline (Dagster in-process, polars, DuckDB,
dbt) on copies of `seeds/` into temporary warehouses. The dbt manifest is prepared once per
session, and one warehouse built from the seeds is shared by the tests that only read it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def isolated_dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the tests' runs out of the project's .dagster_home."""
    home = tmp_path_factory.mktemp("dagster_home")
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """Parse the dbt project once (only if the manifest is missing or stale)."""
    from orchestration.dbt import make_dbt_project, prepare_manifest

    return prepare_manifest(make_dbt_project())


def copy_seeds(destination: Path) -> Path:
    shutil.copytree(SEEDS_DIR, destination)
    for path in destination.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)  # the seeds are read-only in the repo
    return destination


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path / "source")


@pytest.fixture
def refresh(dbt_manifest: Path) -> Callable[..., object]:
    """Run `attache refresh` in-process: refresh(source, warehouse, **options) -> RefreshRun."""
    from orchestration.cli import run_refresh

    def run(source: Path, warehouse: Path, **options):
        return run_refresh(Path(source), Path(warehouse), **options)

    return run


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Path:
    """A warehouse refreshed once from a copy of seeds/ (read-only for the tests using it)."""
    from orchestration.cli import run_refresh

    root = tmp_path_factory.mktemp("built")
    source = copy_seeds(root / "source")
    warehouse = root / "warehouse" / "attache.duckdb"
    run_refresh(source, warehouse)
    return warehouse


def _query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _mart_fingerprints(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(row count, md5 of every row rendered as text, in key order) for each mart table,
    every column included (the run's own columns too: a warehouse left as it was keeps them)."""
    from benchmarks.marts import mart_hashes

    return mart_hashes(warehouse, skip_columns=())


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def query() -> Callable[..., list[tuple]]:
    """query(warehouse, sql, params=None) -> rows, on a read-only connection."""
    return _query


@pytest.fixture(scope="session")
def mart_fingerprints() -> Callable[[Path], dict[str, tuple[int, str]]]:
    return _mart_fingerprints


@pytest.fixture(scope="session")
def file_digest() -> Callable[[Path], str]:
    return _file_digest
