"""The whole way of a web source: `attache fetch` (a real process) reads the feeds of a local
site on 127.0.0.1 and saves the pages, a second fetch costs one 304 per feed, then a real
`attache refresh` ingests the pages: their events reach the marts, the boilerplate around
them does not, and the fetch errors and cursors land in the warehouse.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from local_site import BOILERPLATE, EN_ARTICLE, RU_ARTICLE, LocalSite, atom, page, rss

ATTACHE = Path(sys.executable).with_name("attache")
RU_PATH = "/politics/2025/08/12/putin-tokaev-call.html"
EN_PATH = "/en/tokayev-trump-call.html"


@dataclass
class Scenario:
    site: LocalSite
    source: Path
    warehouse: Path
    first_fetch: subprocess.CompletedProcess
    second_fetch: subprocess.CompletedProcess
    second_fetch_requests: list[str]
    refresh: subprocess.CompletedProcess
    timings: dict[str, float]


def attache(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ATTACHE), *args], capture_output=True, text=True, timeout=timeout, env=os.environ.copy(), check=False
    )


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("web")
    source = root / "source"
    source.mkdir()
    warehouse = root / "warehouse" / "attache.duckdb"
    site = LocalSite().start()
    base = site.base
    site.routes.update(
        {
            "/rss.xml": page(
                rss(base, [("tag:steppe,2025:1", RU_PATH, "Путин и Токаев"), ("tag:steppe,2025:2", "/gone.html", "Удалено")]),
                "application/rss+xml; charset=utf-8",
                etag='"rss-1"',
            ),
            "/atom.xml": page(atom(base, "tag:akorda,2025:1", EN_PATH, "Tokayev and Trump"), "application/atom+xml", etag='"atom-1"'),
            RU_PATH: page(RU_ARTICLE),
            EN_PATH: page(EN_ARTICLE),
        }
    )
    feeds = root / "feeds.txt"
    feeds.write_text(f"# followed feeds\n{base}/rss.xml\n\n{base}/atom.xml\nftp://example.org/feed\n", encoding="utf-8")
    timings = {}
    try:
        started = time.monotonic()
        first = attache("fetch", "--feeds", str(feeds), "--source", str(source), timeout=120)
        timings["first_fetch"] = time.monotonic() - started
        site.requests.clear()
        started = time.monotonic()
        second = attache("fetch", "--feeds", str(feeds), "--source", str(source), timeout=120)
        timings["second_fetch"] = time.monotonic() - started
        second_requests = site.paths_requested()
        started = time.monotonic()
        refreshed = attache("refresh", "--source", str(source), "--warehouse", str(warehouse))
        timings["refresh"] = time.monotonic() - started
    finally:
        site.stop()
    print(f"\nweb source timings: {', '.join(f'{k} {v:.1f} s' for k, v in timings.items())}")
    print(f"fetch: {first.stdout.strip()} | again: {second.stdout.strip()} | refresh: {refreshed.stdout.strip()}")
    yield Scenario(site, source, warehouse, first, second, second_requests, refreshed, timings)


def test_fetch_saves_the_pages_and_reports_the_gone_one(scenario: Scenario):
    assert scenario.first_fetch.returncode == 0, scenario.first_fetch.stderr
    assert "pages saved 2" in scenario.first_fetch.stdout
    assert "/gone.html: HTTP 404 Not Found" in scenario.first_fetch.stderr
    assert "ftp://example.org/feed" in scenario.first_fetch.stderr  # the bad line is named, the rest goes on
    saved = sorted(p.relative_to(scenario.source).as_posix() for p in scenario.source.rglob("*.html"))
    assert saved == [
        "web/127.0.0.1/2025-08-12-putin-tokaev-call.html",
        "web/127.0.0.1/2025-11-20-tokayev-trump-call.html",
    ]


def test_second_fetch_costs_one_304_per_feed(scenario: Scenario):
    assert scenario.second_fetch.returncode == 0, scenario.second_fetch.stderr
    assert "feeds 2 (2 unchanged), pages saved 0" in scenario.second_fetch.stdout
    assert scenario.second_fetch_requests == ["/rss.xml", "/atom.xml"]


def test_refresh_lands_the_pages_with_their_metadata(scenario: Scenario, query):
    assert scenario.refresh.returncode == 0, scenario.refresh.stderr
    rows = query(
        scenario.warehouse,
        "select source_name, title, outlet, language, published_at::varchar, url from marts.dim_documents order by 1",
    )
    assert [row[:5] for row in rows] == [
        ("web/127.0.0.1/2025-08-12-putin-tokaev-call.html", "Путин провёл телефонный разговор с Токаевым", "Новости Степи", "ru", "2025-08-12"),
        ("web/127.0.0.1/2025-11-20-tokayev-trump-call.html", "Tokayev and Trump hold phone call", "Akorda Daily", "en", "2025-11-20"),
    ]
    assert rows[0][5] == "https://steppe.example/politics/2025/08/12/putin-tokaev-call"  # the canonical URL
    assert rows[1][5].endswith(EN_PATH)  # no canonical link: the URL it was fetched from
    # the raw HTML is kept beside the clean body
    [(raw_has_html,)] = query(scenario.warehouse, "select bool_and(raw_text like '%<article%') from raw.documents")
    assert raw_has_html


def test_events_of_both_pages_reach_the_marts(scenario: Scenario, query):
    events = query(
        scenario.warehouse,
        """
        select d.language, m.event_type, m.participant_countries
        from marts.fct_event_mentions as m join marts.dim_documents as d using (document_id)
        where m.event_type = 'phone_call'
        order by 1
        """,
    )
    assert ("ru", "phone_call", ["KZ", "RU"]) in events
    assert ("en", "phone_call", ["KZ", "US"]) in events


def test_no_boilerplate_reaches_the_bodies_or_the_marts(scenario: Scenario, query):
    bodies = [row[0] for row in query(scenario.warehouse, "select body from staging.stg_raw__documents")]
    evidence = [row[0] for row in query(scenario.warehouse, "select evidence from marts.fct_event_mentions")]
    evidence += [row[0] for row in query(scenario.warehouse, "select evidence from marts.fct_figure_mentions")]
    assert len(bodies) == 2 and evidence
    for text in bodies + evidence:
        for sentence in BOILERPLATE.values():
            assert sentence not in text
    # the related lists and comments named CN, BY, UZ, AZ, TR and a Putin–Biden meeting: none was extracted
    countries = {c for (cs,) in query(scenario.warehouse, "select participant_countries from marts.fct_event_mentions") for c in cs}
    assert countries <= {"RU", "KZ", "US"}


def test_fetch_errors_and_cursors_land_in_the_warehouse(scenario: Scenario, query):
    base = scenario.site.base
    assert query(scenario.warehouse, "select stage, url, reason from staging.stg_raw__fetch_errors") == [
        ("page", f"{base}/gone.html", "HTTP 404 Not Found")
    ]
    assert query(
        scenario.warehouse, "select feed_url, etag, n_entries_seen, last_status from staging.stg_raw__feed_cursors order by 1"
    ) == [(f"{base}/atom.xml", '"atom-1"', 1, 200), (f"{base}/rss.xml", '"rss-1"', 2, 200)]
