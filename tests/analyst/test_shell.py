"""Item 1: `attache shell` is a real DuckDB shell, read-only, on the published warehouse.

Driven through its standard input, as a script would; the first run installs the DuckDB CLI
(the `shell` group of uv.lock) when the environment lacks it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

from orchestration.analyst.shell import cli_path
from tests.analyst.conftest import attache, mart_counts


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shell(warehouse, script: str):
    """`attache shell` with `script` on its standard input, as a user's pipe would give it."""
    return attache("shell", "--warehouse", str(warehouse), stdin=script)


def test_shell_answers_sql_on_the_published_marts(seeds_warehouse):
    counts = mart_counts(seeds_warehouse)
    result = shell(
        seeds_warehouse,
        ".mode csv\nselect count(*) as n from marts.fct_events;\nselect count(*) as n from marts.dim_documents;\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["n", str(counts["fct_events"]), "n", str(counts["dim_documents"])]
    assert cli_path().exists()


def test_shell_is_a_duckdb_1_x_cli(seeds_warehouse):
    result = shell(seeds_warehouse, ".mode list\nselect version();\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("v1.")


def test_shell_cannot_write_the_warehouse(seeds_warehouse):
    before = digest(seeds_warehouse)
    result = shell(seeds_warehouse, "create table marts.scratch (a integer);\ndelete from marts.fct_events;\n")
    assert "read-only" in result.stderr
    assert "scratch" not in attache("sql", "show all tables", "--warehouse", str(seeds_warehouse)).stdout
    assert digest(seeds_warehouse) == before


def test_shell_without_a_warehouse_says_what_to_do(tmp_path):
    result = shell(tmp_path / "none.duckdb", "select 1;\n")
    assert result.returncode == 2
    assert "run `attache refresh` first" in result.stderr


def test_first_shell_installs_the_cli_from_the_lock(seeds_warehouse):
    """On a fresh machine `make run` leaves the CLI out; the first `attache shell` adds it."""
    uv = ["uv"] if shutil.which("uv") else ["python3", "-m", "uv"]
    subprocess.run([*uv, "pip", "uninstall", "--python", sys.executable, "duckdb-cli"], check=True, capture_output=True)
    assert not cli_path().exists()
    result = shell(seeds_warehouse, ".mode list\nselect 42;\n")
    assert result.returncode == 0, result.stderr
    assert "installing the DuckDB CLI once" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "42"
    assert cli_path().exists()
