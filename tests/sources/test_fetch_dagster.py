"""The fetch in Dagster: the `web_pages` asset materialised for real against a local site,
its 15-minute schedule, and the refresh job that leaves fetching to it (and whose sensor
sees the pages it saved)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from local_site import RU_ARTICLE, LocalSite, page, rss

from orchestration.assets import WEB_PAGES
from orchestration.resources import SourceFolder
from orchestration.schedules import fetch_every_15_minutes, fetch_job, refresh_job, source_listing_digest
from orchestration.web_assets import FeedsFile, web_pages

RU_PATH = "/2025/08/12/putin-tokaev.html"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    server = LocalSite().start()
    server.routes["/rss.xml"] = page(rss(server.base, [("tag:t,2025:1", RU_PATH, "Путин и Токаев")]), "application/rss+xml")
    server.routes[RU_PATH] = page(RU_ARTICLE)
    yield server
    server.stop()


def test_web_pages_asset_saves_the_pages_the_sensor_then_sees(site: LocalSite, tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/rss.xml\n{site.base}/missing.xml\n", encoding="utf-8")
    before = source_listing_digest(source)
    result = dg.materialize(
        [web_pages], resources={"source": SourceFolder(path=str(source)), "feeds": FeedsFile(path=str(feeds))}
    )
    assert result.success
    [materialization] = result.asset_materializations_for_node("web_pages")
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert (metadata["feeds"], metadata["pages_saved"], metadata["errors_this_run"]) == (2, 1, 1)
    assert "HTTP 404" in metadata["errors"]
    assert [p.name for p in source.rglob("*.html")] == ["2025-08-12-putin-tokaev.html"]
    # the source-folder sensor's digest changes with the new page (the state file is hidden)
    after = source_listing_digest(source)
    assert after != before
    (source / "web" / ".fetch-state.json").write_text('{"touched": true}', encoding="utf-8")
    assert source_listing_digest(source) == after


def test_web_pages_asset_fails_clearly_without_a_feeds_file(tmp_path: Path):
    result = dg.materialize(
        [web_pages],
        resources={"source": SourceFolder(path=str(tmp_path)), "feeds": FeedsFile(path=str(tmp_path / "none.txt"))},
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert "cannot read the feeds file" in failure.step_failure_data.error.message


def test_schedule_runs_every_15_minutes_only_when_there_is_a_feeds_file(tmp_path: Path):
    assert fetch_every_15_minutes.cron_schedule == "*/15 * * * *"
    assert fetch_every_15_minutes.default_status == dg.DefaultScheduleStatus.RUNNING
    feeds = tmp_path / "feeds.txt"
    context = dg.build_schedule_context(resources={"feeds": FeedsFile(path=str(feeds))})
    assert isinstance(fetch_every_15_minutes(context), dg.SkipReason)
    feeds.write_text("https://example.org/rss\n", encoding="utf-8")
    context = dg.build_schedule_context(resources={"feeds": FeedsFile(path=str(feeds))})
    assert isinstance(fetch_every_15_minutes(context), dg.RunRequest)


def test_refresh_job_leaves_fetching_to_its_schedule():
    from orchestration.definitions import build_definitions

    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    refresh_keys = refresh_job.selection.resolve(graph)
    assert WEB_PAGES not in refresh_keys
    assert {dg.AssetKey(["raw", "fetch_errors"]), dg.AssetKey(["raw", "feed_cursors"])} <= refresh_keys
    # web_pages is upstream of ingest: one lineage graph
    assert WEB_PAGES in dg.AssetSelection.assets(dg.AssetKey(["raw", "documents"])).upstream().resolve(graph)
    assert fetch_job.selection.resolve(graph) == {WEB_PAGES}
