"""Read-only access to the published warehouse, opened afresh for every request.

A refresh publishes by renaming a new file over the warehouse (orchestration/publish.py).
`duckdb.connect(path)` would hand back the database instance this process already has open
for that path, that is the *old* file, for as long as any connection to it lives; so each
request starts an empty in-memory DuckDB and ATTACHes the file read-only instead. That always
opens the file the path names now, holds it only for the request, and never blocks a writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.publish import find_damage

# The marts every view reads; without them there is nothing to show.
REQUIRED_MARTS = (
    "country_engagement",
    "dim_countries",
    "dim_documents",
    "fct_event_mentions",
    "fct_events",
    "fct_figure_mentions",
    "investment_figures",
)


class WarehouseMissing(LookupError):
    """No warehouse file at the configured path (no refresh has published one yet)."""


class MartsMissing(LookupError):
    """The file exists but lacks the marts (not built by `attache refresh`, or a wrong file)."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


class WarehouseUnreadable(RuntimeError):
    """The file exists but DuckDB cannot open it (not a DuckDB file, or damaged)."""


@dataclass(frozen=True)
class WarehouseInfo:
    path: Path
    published_at: dt.datetime  # the file's modification time: when the refresh renamed it


class Warehouse:
    """The published DuckDB file the dashboard reads. Never written, never held open."""

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser().resolve()

    @contextmanager
    def connect(self) -> Iterator[tuple[duckdb.DuckDBPyConnection, WarehouseInfo]]:
        """A read-only connection to the warehouse as published right now, schema `marts`.

        Raises WarehouseMissing, WarehouseUnreadable or MartsMissing, which the pages turn into
        empty states.
        """
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise WarehouseMissing(str(self.path)) from None
        con = duckdb.connect(":memory:")
        try:
            try:
                # The path is a parameter, never pasted into the statement.
                con.execute("attach ? as warehouse (read_only)", [str(self.path)])
            except duckdb.Error as error:
                damaged = " is damaged" if find_damage(self.path) is not None else ""
                raise WarehouseUnreadable(f"{self.path}{damaged}: {error}") from error
            con.execute("use warehouse")
            # Every query the dashboard runs is its own; still, none may read other files.
            con.execute("set enable_external_access = false")
            present = {
                row[0]
                for row in con.execute(
                    "select table_name from duckdb_tables() "
                    "where database_name = 'warehouse' and schema_name = 'marts'"
                ).fetchall()
            }
            missing = [name for name in REQUIRED_MARTS if name not in present]
            if missing:
                raise MartsMissing(missing)
            published_at = dt.datetime.fromtimestamp(stat.st_mtime)
            try:
                yield con, WarehouseInfo(path=self.path, published_at=published_at)
            except duckdb.Error as error:
                # A file cut short still attaches and fails only when a page reads the lost
                # blocks: say it is damaged rather than that the page could not be built.
                damage = find_damage(self.path)
                if damage is not None:
                    raise WarehouseUnreadable(f"{self.path} is damaged: {damage}") from error
                raise
        finally:
            con.close()
