"""`fetch_feeds` against a real HTTP server on 127.0.0.1: new entries saved, an unchanged
feed answered 304, and every hostile case recorded with its reason while the others go on.

The client runs with small timeouts (1 s read timeout, 5 s per download) so that no test
can hang; the server's slow route sleeps only a little longer than that.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_site import EN_ARTICLE, MB, RU_ARTICLE, LocalSite, atom, failing_first, huge, page, redirect, rss, slow

from orchestration.fetch import ClientSettings, FetchBusy, FetchStateError, HttpClient, fetch_feeds
from orchestration.fetch.state import fetch_lock, load_state, web_folder

TEST_SETTINGS = ClientSettings(
    connect_timeout=1.0, read_timeout=1.0, deadline=5.0, retries=2, backoff_seconds=0.05, host_delay=0.0
)
RU_PATH = "/ru/2025/08/12/putin-tokaev-call"
EN_PATH = "/en/tokayev-trump-call.html"
GONE_PATH = "/news/removed-story.html"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    server = LocalSite().start()
    base = server.base
    server.routes.update(
        {
            "/feeds/main.xml": page(
                rss(base, [("tag:test,2025:ru-1", RU_PATH, "Путин и Токаев"), ("tag:test,2025:gone-1", GONE_PATH, "Удалённая новость")]),
                "application/rss+xml",
                etag='"main-v1"',
            ),
            "/feeds/en.atom": page(atom(base, "tag:akorda,2025:1", EN_PATH, "Tokayev and Trump"), "application/atom+xml", etag='"en-v1"'),
            RU_PATH: page(RU_ARTICLE),
            EN_PATH: page(EN_ARTICLE),
            "/feeds/slow.xml": slow(2.5, page(rss(base, []), "application/rss+xml")),
            "/feeds/flaky.xml": failing_first(1, page(rss(base, [("tag:test,2025:ru-1", RU_PATH, "Путин и Токаев")]), "application/rss+xml")),
            "/feeds/invalid.xml": page("<rss><channel><item><title>broken & <link>", "application/rss+xml"),
            "/feeds/hostile.xml": page(
                rss(
                    base,
                    [
                        ("huge", "/huge.html", "40 MB"),
                        ("huge-announced", "/huge-announced.html", "40 MB with its length"),
                        ("loop", "/loop-a", "redirect loop"),
                        ("file", "file:///etc/passwd", "not http"),
                        ("pdf", "/report.pdf", "not a page"),
                    ],
                ),
                "application/rss+xml",
            ),
            "/huge.html": huge(40 * MB, announce=False),
            "/huge-announced.html": huge(40 * MB, announce=True),
            "/loop-a": redirect("/loop-b"),
            "/loop-b": redirect("/loop-a"),
            "/report.pdf": page("%PDF-1.4 ...", "application/pdf"),
        }
    )
    yield server
    server.stop()


def fetch(site: LocalSite, source: Path, *paths: str):
    return fetch_feeds([site.base + path for path in paths], source, HttpClient(TEST_SETTINGS))


def reasons(report) -> dict[str, str]:
    return {url.rsplit("/", 1)[-1]: reason for url, reason in report.errors}


def test_new_entries_are_saved_and_an_unchanged_feed_costs_one_304(site: LocalSite, tmp_path: Path):
    first = fetch(site, tmp_path, "/feeds/main.xml", "/feeds/en.atom")
    saved = sorted(p.relative_to(tmp_path).as_posix() for p in first.saved)
    assert saved == [
        "web/127.0.0.1/2025-08-12-putin-tokaev-call.html",
        "web/127.0.0.1/2025-11-20-tokayev-trump-call.html",
    ]
    assert reasons(first) == {"removed-story.html": "HTTP 404 Not Found"}
    ru_page = (tmp_path / saved[0]).read_text(encoding="utf-8")
    header, _, html = ru_page.partition("\n")
    fields = json.loads(header.removeprefix("<!-- attache-fetch ").removesuffix(" -->"))
    assert fields["feed_url"] == site.base + "/feeds/main.xml"
    assert fields["entry_id"] == "tag:test,2025:ru-1" and fields["published_at"] == "2025-08-12"
    assert html == RU_ARTICLE  # the page as the server sent it
    assert all("Attache/" in headers["user-agent"] for _, headers in site.requests)

    site.requests.clear()
    second = fetch(site, tmp_path, "/feeds/main.xml", "/feeds/en.atom")
    assert (second.not_modified, second.saved, second.errors) == (2, [], [])
    # one small request per feed, with its validator; no page is asked for again
    assert site.paths_requested() == ["/feeds/main.xml", "/feeds/en.atom"]
    assert site.requests[0][1]["if-none-match"] == '"main-v1"'
    cursor = load_state(tmp_path).feeds[site.base + "/feeds/main.xml"]
    assert cursor.seen == ["tag:test,2025:ru-1", "tag:test,2025:gone-1"]  # the gone page is not tried again


def test_slow_feed_times_out_and_the_others_go_on(site: LocalSite, tmp_path: Path):
    started = time.monotonic()
    report = fetch(site, tmp_path, "/feeds/slow.xml", "/feeds/main.xml")
    assert time.monotonic() - started < 5
    assert reasons(report)["slow.xml"] == "timed out waiting for the server's answer"
    assert len(report.saved) == 1


def test_a_500_then_a_200_is_retried(site: LocalSite, tmp_path: Path):
    report = fetch(site, tmp_path, "/feeds/flaky.xml")
    assert report.errors == []
    assert len(report.saved) == 1
    assert site.paths_requested()[:2] == ["/feeds/flaky.xml", "/feeds/flaky.xml"]


def test_a_feed_that_always_fails_with_500_gives_up_after_the_retries(site: LocalSite, tmp_path: Path):
    site.routes["/feeds/down.xml"] = failing_first(100, page(""))
    report = fetch(site, tmp_path, "/feeds/down.xml")
    assert reasons(report)["down.xml"].startswith("server error after retries")
    assert site.paths_requested().count("/feeds/down.xml") == 1 + TEST_SETTINGS.retries


def test_hostile_pages_are_refused_with_their_reason(site: LocalSite, tmp_path: Path):
    started = time.monotonic()
    report = fetch(site, tmp_path, "/feeds/hostile.xml")
    assert time.monotonic() - started < 10
    assert report.saved == []
    found = reasons(report)
    assert found["huge.html"] == "too large: over 10,485,760 bytes (limit 10,485,760)"
    assert found["huge-announced.html"] == "too large: 41,943,040 bytes announced (limit 10,485,760)"
    assert found["loop-a"] == "too many redirects (a redirect loop?)"
    assert found["passwd"].startswith("refused: only http and https URLs are fetched")
    assert found["report.pdf"] == "not a web page (Content-Type: application/pdf)"
    # each loop hop is one request, bounded by max_redirects
    assert site.paths_requested().count("/loop-a") + site.paths_requested().count("/loop-b") == 1 + TEST_SETTINGS.max_redirects
    assert not list(web_folder(tmp_path).rglob("*.html"))


def test_invalid_xml_is_recorded(site: LocalSite, tmp_path: Path):
    report = fetch(site, tmp_path, "/feeds/invalid.xml", "/feeds/en.atom")
    assert reasons(report)["invalid.xml"].startswith("invalid feed: ")
    assert len(report.saved) == 1
    [error] = load_state(tmp_path).errors
    assert (error["stage"], error["url"]) == ("feed", site.base + "/feeds/invalid.xml")


def test_a_page_that_failed_for_a_passing_reason_is_fetched_next_time(site: LocalSite, tmp_path: Path):
    site.routes[RU_PATH] = slow(2.5, page(RU_ARTICLE))
    first = fetch(site, tmp_path, "/feeds/main.xml")
    assert reasons(first)["putin-tokaev-call"].startswith("timed out")
    cursor = load_state(tmp_path).feeds[site.base + "/feeds/main.xml"]
    assert cursor.etag is None  # not stored: the next fetch reads the whole feed again
    site.routes[RU_PATH] = page(RU_ARTICLE)
    second = fetch(site, tmp_path, "/feeds/main.xml")
    assert [p.name for p in second.saved] == ["2025-08-12-putin-tokaev-call.html"]
    assert second.entries_seen_before == 1  # the gone page, settled the first time
    # the same failure met again is not repeated in the state
    assert len(load_state(tmp_path).errors) == 2


def test_a_broken_state_file_stops_the_fetch_and_is_kept(site: LocalSite, tmp_path: Path):
    state_file = web_folder(tmp_path) / ".fetch-state.json"
    state_file.parent.mkdir(parents=True)
    state_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(FetchStateError, match="is not a fetch state file"):
        fetch(site, tmp_path, "/feeds/main.xml")
    assert state_file.read_text(encoding="utf-8") == "{not json"
    assert site.requests == []


def test_one_fetch_at_a_time_per_source_folder(site: LocalSite, tmp_path: Path):
    with fetch_lock(tmp_path), pytest.raises(FetchBusy, match="another fetch is running"):
        fetch(site, tmp_path, "/feeds/main.xml")


def test_page_names_stay_inside_the_web_folder_and_never_replace_another_page(tmp_path: Path):
    from orchestration.fetch.feeds import FeedEntry
    from orchestration.fetch.pages import page_path, save_page

    today = dt.date(2025, 12, 1)
    web = web_folder(tmp_path).resolve()
    hostile = [
        FeedEntry("a", "http://evil.example/../../../etc/passwd", None, None),
        FeedEntry("b", "http://../..", "../../x", "2025-01-02"),
        FeedEntry("c", "http://news.example/%2e%2e%2f%2e%2e%2fboot", None, None),
    ]
    for entry in hostile:
        path = page_path(tmp_path, entry, today)
        assert path.resolve().is_relative_to(web), path
        assert path.name.endswith(".html")
    first = page_path(tmp_path, FeedEntry("x1", "https://kun.example/news/talks", None, "2025-10-01"), today)
    save_page(first, b"<html></html>", {"entry_id": "x1"})
    second = page_path(tmp_path, FeedEntry("x2", "https://kun.example/other/talks", None, "2025-10-01"), today)
    assert first.name == "2025-10-01-talks.html"
    assert second != first and second.name.startswith("2025-10-01-talks-")
