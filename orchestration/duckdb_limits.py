"""How much memory a refresh's DuckDB may take, and where it spills the rest.

DuckDB's default `memory_limit` is 80 % of the machine's memory, and it spills to the
system's temporary folder: a big ingest or dbt build could take most of the machine, and spill
where the warehouse's owner does not look. Every connection a refresh opens for writing (the
assets', and dbt's through its profile) gets the limit below and spills into
`warehouse/.duckdb_tmp/`, beside the file it builds.
"""

from __future__ import annotations

import os
from pathlib import Path

MEMORY_LIMIT_ENV = "ATTACHE_DUCKDB_MEMORY_LIMIT"
TEMP_DIRECTORY_ENV = "ATTACHE_DUCKDB_TEMP_DIRECTORY"  # read by dbt_project/profiles.yml
# The 100k-article refresh peaked at 2.5 GB RSS with 1GB (3.16 GB with 2GB); DuckDB spills the rest.
DEFAULT_MEMORY_LIMIT = "1GB"
TEMP_DIRECTORY_NAME = ".duckdb_tmp"


def memory_limit() -> str:
    """`$ATTACHE_DUCKDB_MEMORY_LIMIT` (any DuckDB size: '4GB', '512MB'), else 1GB."""
    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def temp_directory(warehouse_directory: Path) -> Path:
    return warehouse_directory / TEMP_DIRECTORY_NAME


def connection_config(warehouse_directory: Path) -> dict[str, str]:
    """`duckdb.connect(..., config=...)` for a connection that writes the warehouse."""
    return {
        "memory_limit": memory_limit(),
        "temp_directory": str(temp_directory(warehouse_directory)),
    }
