"""`attache export`: every mart (and, with `--raw`, the raw mention tables) as Parquet or CSV,
with a `manifest.json` saying what each file holds.

The export reads one build: the published file is attached read-only once and every table is
copied through that one connection, so a refresh that publishes meanwhile changes nothing the
export sees (analyst/warehouse.py). Each file is written under a temporary name and renamed;
`manifest.json` is written last, so a folder with a manifest is a complete export.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import duckdb

from orchestration.analyst.warehouse import DATABASE, BuildFacts, build_facts, qualified, read_only, tables_in
from orchestration.landing import quote_identifier
from orchestration.publish import READABLE_STORAGE_VERSION, SNAPSHOT_TIME_FORMAT

FORMATS = ("parquet", "csv")
RAW_MENTION_TABLES = ("raw.event_mentions", "raw.figure_mentions", "raw.entity_mentions")
MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


class ExportError(ValueError):
    """A request the export cannot honour (unknown table or format); nothing was written."""


def default_out_dir(warehouse: Path, facts: BuildFacts, fmt: str) -> Path:
    """`warehouse/exports/attache-<marts built at, UTC>-<format>/`: one folder per build."""
    built = facts.marts_built_at.replace(tzinfo=dt.UTC) if facts.marts_built_at else None
    stamp = built.strftime(SNAPSHOT_TIME_FORMAT) if built else "unbuilt"
    return warehouse.parent / "exports" / f"{warehouse.stem}-{stamp}-{fmt}"


def export_warehouse(
    warehouse: Path,
    fmt: str,
    out: Path | None = None,
    tables: list[str] | None = None,
    include_raw: bool = False,
) -> tuple[Path, dict]:
    """Export the chosen tables of one build; returns the folder and its manifest."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with read_only(warehouse) as con:
        chosen = choose_tables(con, tables, include_raw)
        facts = build_facts(con)
        out = out or default_out_dir(warehouse, facts, fmt)
        out.mkdir(parents=True, exist_ok=True)
        (out / MANIFEST_NAME).unlink(missing_ok=True)  # the folder is incomplete until the end
        entries = [export_table(con, name, out, fmt) for name in chosen]
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "format": fmt,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "warehouse": str(warehouse),
        "warehouse_storage_version": READABLE_STORAGE_VERSION,
        "build": {
            **dataclasses.asdict(facts),
            "marts_built_at": facts.marts_built_at.isoformat() + "Z" if facts.marts_built_at else None,
        },
        "tables": entries,
    }
    _write_atomically(out / MANIFEST_NAME, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return out, manifest


def choose_tables(con: duckdb.DuckDBPyConnection, requested: list[str] | None, include_raw: bool) -> list[str]:
    """`schema.table` names to export: every mart (plus the raw mention tables), or those
    asked for (`fct_events` or `marts.fct_events`, `raw.event_mentions`)."""
    marts = [f"marts.{name}" for name in tables_in(con, "marts")]
    if not marts:
        raise ExportError("the warehouse has no marts; run `attache refresh` first")
    raw = [f"raw.{name}" for name in tables_in(con, "raw")]
    available = marts + [name for name in raw if name in RAW_MENTION_TABLES]
    if not requested:
        return marts + ([name for name in available if name.startswith("raw.")] if include_raw else [])
    chosen, unknown = [], []
    for name in requested:
        full = name if "." in name else f"marts.{name}"
        (chosen if full in available else unknown).append(full)
    if unknown:
        raise ExportError(f"no table {', '.join(unknown)} to export; available: {', '.join(available)}")
    return list(dict.fromkeys(chosen))


def export_table(con: duckdb.DuckDBPyConnection, name: str, out: Path, fmt: str) -> dict:
    schema, table = name.split(".")
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [DATABASE, schema, table],
    ).fetchall()
    relation = con.sql(f"select {_select_list(columns, fmt)} from {qualified(schema, table)}")
    path = out / schema / f"{table}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if fmt == "parquet":
        relation.write_parquet(str(partial), compression="zstd")
    else:
        relation.write_csv(str(partial), header=True)
    os.replace(partial, path)
    rows = con.execute(f"select count(*) from {qualified(schema, table)}").fetchone()[0]
    return {
        "table": name,
        "file": str(path.relative_to(out)),
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "columns": [
            {"name": column, "type": data_type, **({"csv": "JSON array"} if _is_list(data_type) and fmt == "csv" else {})}
            for column, data_type in columns
        ],
    }


def _select_list(columns: list[tuple[str, str]], fmt: str) -> str:
    """Every column as it is; in CSV, lists (VARCHAR[]) as JSON arrays a reader can parse."""
    parts = []
    for column, data_type in columns:
        quoted = quote_identifier(column)
        parts.append(f"to_json({quoted})::varchar as {quoted}" if fmt == "csv" and _is_list(data_type) else quoted)
    return ", ".join(parts)


def _is_list(data_type: str) -> bool:
    return data_type.endswith("[]")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
