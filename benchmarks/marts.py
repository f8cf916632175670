"""Hash every mart row by row in key order: two warehouses with equal hashes hold the same marts.

Used by `make bench` (cluster against in-process) and by tests/scale/. Columns that record
the run rather than the data are left out: `extractor_version` (as issue 14 asks) and
`ingested_at` (when the run read the file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path

import duckdb

# Each mart's key, so rows are hashed in key order (the whole row breaks ties).
MART_KEYS = {
    "dim_documents": "document_id",
    "fct_event_mentions": "mention_id",
    "fct_events": "event_id",
    "fct_figure_mentions": "figure_id",
    "investment_figures": "figure_group_id",
}
RUN_COLUMNS = {"extractor_version", "ingested_at"}


def _names(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[str]:
    return [row[0] for row in con.execute(sql, params or []).fetchall()]


def mart_hashes(
    warehouse: Path, skip_columns: Collection[str] = RUN_COLUMNS
) -> dict[str, tuple[int, str]]:
    """(rows, md5 of every row as text in key order) for each table of schema marts, leaving
    out `skip_columns` (by default those that record the run; pass () to hash every column)."""
    hashes = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = _names(con, "select table_name from duckdb_tables() where schema_name = 'marts' order by 1")
        for table in tables:
            columns = _names(
                con,
                "select column_name from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? order by column_index",
                [table],
            )
            # Names come from the catalog, quoted as identifiers.
            kept = ", ".join(f'"{column}"' for column in columns if column not in skip_columns)
            key = MART_KEYS.get(table)
            order = f't."{key}", row_text' if key else "row_text"
            rows = con.execute(
                f'select t::varchar as row_text from (select {kept} from marts."{table}") as t order by {order}'
            ).fetchall()
            digest = hashlib.md5("\n".join(row[0] for row in rows).encode()).hexdigest()
            hashes[table] = (len(rows), digest)
    return hashes
