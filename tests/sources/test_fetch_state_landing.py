"""The fetch state file mirrored into raw.fetch_errors / raw.feed_cursors of a real DuckDB
file: replaced when it says something new, left alone (no raw change, no dbt rebuild)
when it does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from orchestration import landing
from orchestration.fetch.state import FetchState, load_state, save_state
from orchestration.fetch.warehouse import land_fetch_state

NOW = dt.datetime(2025, 8, 12, 10, 0, 0)


def raw_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(f"select raw_version from {landing.BUILD_STATE}").fetchall()[0][0]


def test_state_lands_once_and_again_only_when_it_changes(tmp_path: Path):
    state = FetchState()
    cursor = state.cursor("https://example.org/rss")
    cursor.etag, cursor.last_status, cursor.last_changed_at = '"v1"', 200, NOW.isoformat()
    cursor.remember("entry-1")
    state.record_error(feed_url="https://example.org/rss", url="https://example.org/gone", stage="page", reason="HTTP 404 Not Found", now=NOW)
    save_state(tmp_path, state)
    state = load_state(tmp_path)  # through the file, as a refresh reads it

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        landing.ensure_raw_tables(con)
        assert land_fetch_state(con, state) == {"fetch_errors": True, "feed_cursors": True}
        version = raw_version(con)
        assert land_fetch_state(con, load_state(tmp_path)) == {"fetch_errors": False, "feed_cursors": False}
        assert raw_version(con) == version
        assert con.execute("select feed_url, etag, n_entries_seen, last_status, last_changed_at from raw.feed_cursors").fetchall() == [
            ("https://example.org/rss", '"v1"', 1, 200, NOW)
        ]
        assert con.execute("select stage, reason, recorded_at from raw.fetch_errors").fetchall() == [
            ("page", "HTTP 404 Not Found", NOW)
        ]
        # the same failure met again later changes nothing; a new entry does
        state.record_error(feed_url="https://example.org/rss", url="https://example.org/gone", stage="page", reason="HTTP 404 Not Found", now=NOW + dt.timedelta(hours=1))
        state.cursor("https://example.org/rss").remember("entry-2")
        assert land_fetch_state(con, state) == {"fetch_errors": False, "feed_cursors": True}
        assert raw_version(con) == version + 1


def test_a_broken_state_file_is_a_warning_in_the_refresh_and_the_tables_are_kept(tmp_path: Path):
    import dagster as dg

    from orchestration.resources import SourceFolder, WarehouseResource
    from orchestration.web_assets import fetch_state

    source = tmp_path / "source"
    (source / "web").mkdir(parents=True)
    (source / "web" / ".fetch-state.json").write_text("{broken", encoding="utf-8")
    warehouse = WarehouseResource(path=str(tmp_path / "w.duckdb"))
    result = dg.materialize([fetch_state], resources={"source": SourceFolder(path=str(source)), "warehouse": warehouse})
    assert result.success
    for materialization in result.asset_materializations_for_node("fetch_state"):
        assert materialization.metadata["problem"].value.startswith("fetch state not landed: ")
        assert materialization.metadata["replaced"].value is False
    assert (source / "web" / ".fetch-state.json").read_text(encoding="utf-8") == "{broken"
