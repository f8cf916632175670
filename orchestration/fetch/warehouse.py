"""Land the fetch state file into `raw.fetch_errors` and `raw.feed_cursors` (in a refresh).

The state file in the source folder is the truth (fetch writes it, never the warehouse);
the two tables mirror it. They are replaced only when their content changed, so a fetch
that found nothing new does not make the next refresh rebuild the marts.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from orchestration import landing, schemas
from orchestration.fetch.state import FetchState


def state_frames(state: FetchState) -> dict[str, pl.DataFrame]:
    """The rows of each mirrored table, as the schemas declare them."""
    errors = pl.DataFrame(
        [{**error, "recorded_at": _timestamp(error.get("recorded_at"))} for error in state.errors],
        schema=schemas.FETCH_ERRORS,
    )
    cursors = pl.DataFrame(
        [
            {
                "feed_url": url,
                "etag": cursor.etag,
                "last_modified": cursor.last_modified,
                "n_entries_seen": len(cursor.seen),
                "last_status": cursor.last_status,
                "last_changed_at": _timestamp(cursor.last_changed_at),
            }
            for url, cursor in state.feeds.items()
        ],
        schema=schemas.FEED_CURSORS,
    )
    return {"fetch_errors": errors, "feed_cursors": cursors}


def land_fetch_state(con: duckdb.DuckDBPyConnection, state: FetchState) -> dict[str, bool]:
    """Replace each mirrored table whose content differs from the state; {table: replaced}."""
    replaced = {}
    for table, frame in state_frames(state).items():
        current = landing.query_frame(con, f"select * from {landing.table_ref(table)}")
        replaced[table] = not _same_rows(schemas.conform(current, frame.schema), frame)
        if replaced[table]:
            with landing.transaction(con), landing.registered(con, new_rows=frame):
                con.execute(f"delete from {landing.table_ref(table)}")
                con.execute(f"insert into {landing.table_ref(table)} by name select * from new_rows")
                landing.note_raw_changed(con)
    return replaced


def _same_rows(left: pl.DataFrame, right: pl.DataFrame) -> bool:
    columns = list(right.columns)
    return left.sort(columns, nulls_last=True).equals(right.sort(columns, nulls_last=True))


def _timestamp(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
