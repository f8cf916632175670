"""A read-only view of one published build: an in-memory DuckDB that ATTACHes the file
READ_ONLY (as the dashboard does).

Once attached, DuckDB holds the file open, so everything read through the connection comes
from one build even if a refresh publishes a newer one meanwhile (the publish renames a new
file over the name; the open file stays as it was). No lock a refresh waits for is taken:
a refresh never opens the published file for writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration import landing

# The name the attached file has in every query of this package.
DATABASE = "warehouse"


class WarehouseNotFound(FileNotFoundError):
    """No published warehouse (or snapshot) at the path."""


class WarehouseUnreadable(WarehouseNotFound):
    """A file is there, but DuckDB cannot open it (not a DuckDB file, or damaged)."""


@contextmanager
def read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose current database is the file at `path`, attached read-only."""
    if not path.is_file():
        raise WarehouseNotFound(f"no warehouse at {path}; run `attache refresh` first")
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"attach ? as {DATABASE} (read_only)", [str(path)])
        except duckdb.Error as error:
            raise WarehouseUnreadable(f"cannot read {path} as a DuckDB warehouse: {error}") from error
        con.execute(f"use {DATABASE}")
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class BuildFacts:
    """What one build holds, for the snapshot list and an export's manifest."""

    marts_built_at: dt.datetime | None  # when `dbt build` last passed (UTC)
    documents: int
    events: int
    event_mentions: int
    figures: int
    source_files: int
    ingest_errors: int
    extractor_versions: list[str]


def tables_in(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? order by 1",
        [DATABASE, schema],
    ).fetchall()
    return [name for (name,) in rows]


def count_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int:
    """Rows of `schema.table`, 0 when the build has no such table."""
    if table not in tables_in(con, schema):
        return 0
    return con.execute(f"select count(*) from {qualified(schema, table)}").fetchone()[0]


def qualified(schema: str, table: str) -> str:
    """`"schema"."table"`, quoted: names come from the catalog, never from a user's text."""
    return f"{landing.quote_identifier(schema)}.{landing.quote_identifier(table)}"


def build_facts(con: duckdb.DuckDBPyConnection) -> BuildFacts:
    built_at = None
    if "build_state" in tables_in(con, landing.STATE_SCHEMA):
        row = con.execute(f"select marts_built_at from {landing.BUILD_STATE}").fetchone()
        built_at = row[0] if row else None
    versions: set[str] = set()
    for table in ("event_mentions", "figure_mentions", "entity_mentions"):
        if table in tables_in(con, "raw"):
            versions.update(
                version
                for (version,) in con.execute(
                    f"select distinct extractor_version from {qualified('raw', table)}"
                ).fetchall()
                if version is not None
            )
    return BuildFacts(
        marts_built_at=built_at,
        documents=count_rows(con, "marts", "dim_documents"),
        events=count_rows(con, "marts", "fct_events"),
        event_mentions=count_rows(con, "marts", "fct_event_mentions"),
        figures=count_rows(con, "marts", "fct_figure_mentions"),
        source_files=count_rows(con, "raw", "source_files"),
        ingest_errors=count_rows(con, "raw", "ingest_errors"),
        extractor_versions=sorted(versions),
    )
