"""Fetch: follow RSS/Atom feeds and save each new entry's page into the source folder.

Public interface (used by `attache fetch` and the `web_pages` Dagster asset):

    fetch_feeds(feed_urls, source_dir, client=None) -> FetchReport

For each feed: a conditional GET (an unchanged feed answers 304 and costs nothing more),
then every entry not fetched before has its page saved as `DIR/web/<host>/<date>-<slug>.html`
(see `pages.py`), for `attache refresh` to ingest like any saved page. The cursor of each
feed and every error are kept in `DIR/web/.fetch-state.json` (see `state.py`). A failing
feed or page is recorded with its reason and the others go on.

An entry whose page failed for good (a 404, not a web page, too large) is not tried again;
one that failed for a passing reason (a time-out, a 5xx) is: the feed's validators are then
not stored, so the next fetch reads the whole feed again instead of getting a 304.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.fetch.client import ClientSettings, FetchError, HttpClient
from orchestration.fetch.feeds import FeedEntry, FeedError, FeedList, parse_feed, read_feed_list
from orchestration.fetch.pages import is_html, page_path, save_page
from orchestration.fetch.state import (
    FetchBusy,
    FetchState,
    FetchStateError,
    fetch_lock,
    load_state,
    save_state,
)

__all__ = [
    "ClientSettings",
    "FeedList",
    "FetchBusy",
    "FetchReport",
    "FetchStateError",
    "HttpClient",
    "fetch_feeds",
    "read_feed_list",
]


@dataclass
class FetchReport:
    feeds: int = 0
    not_modified: int = 0  # feeds that answered 304
    entries_seen_before: int = 0
    saved: list[Path] = field(default_factory=list)  # pages written this run
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) of this run

    def line(self) -> str:
        return (
            f"feeds {self.feeds} ({self.not_modified} unchanged), pages saved {len(self.saved)}, "
            f"entries already fetched {self.entries_seen_before}, errors {len(self.errors)}"
        )


def fetch_feeds(feed_urls: list[str], source_dir: Path, client: HttpClient | None = None) -> FetchReport:
    """Fetch every feed and save the pages of its new entries; raises FetchBusy when another
    fetch holds this folder, FetchStateError when the state file is unusable."""
    client = client or HttpClient(ClientSettings())
    report = FetchReport()
    with fetch_lock(source_dir):
        state = load_state(source_dir)
        for feed_url in feed_urls:
            report.feeds += 1
            try:
                _fetch_feed(feed_url, source_dir, client, state, report)
            except (FetchError, FeedError) as error:
                _record(state, report, feed_url=feed_url, url=feed_url, stage="feed", reason=str(error))
        save_state(source_dir, state)
    return report


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


def _record(state: FetchState, report: FetchReport, *, feed_url: str, url: str, stage: str, reason: str) -> None:
    state.record_error(feed_url=feed_url, url=url, stage=stage, reason=reason, now=_now())
    report.errors.append((url, reason))


def _fetch_feed(feed_url: str, source_dir: Path, client: HttpClient, state: FetchState, report: FetchReport) -> None:
    cursor = state.cursor(feed_url)
    response = client.get(feed_url, etag=cursor.etag, last_modified=cursor.last_modified)
    if response.not_modified:
        report.not_modified += 1
        return
    entries = parse_feed(response.body, response.url, response.headers.get("content-type"))
    all_settled = True  # every entry fetched or failed for good
    for entry in entries:
        if entry.entry_id in cursor.seen:
            report.entries_seen_before += 1
            continue
        try:
            report.saved.append(_save_entry_page(entry, feed_url, source_dir, client))
            cursor.remember(entry.entry_id)
        except FetchError as error:
            _record(state, report, feed_url=feed_url, url=entry.url, stage="page", reason=str(error))
            if error.permanent:
                cursor.remember(entry.entry_id)
            else:
                all_settled = False
        except OSError as error:  # the source folder, not the server: tried again next time
            reason = f"cannot save the page: {error.strerror or error}"
            _record(state, report, feed_url=feed_url, url=entry.url, stage="page", reason=reason)
            all_settled = False
    cursor.etag = response.headers.get("etag") if all_settled else None
    cursor.last_modified = response.headers.get("last-modified") if all_settled else None
    cursor.last_status = response.status
    cursor.last_changed_at = _now().isoformat()


def _save_entry_page(entry: FeedEntry, feed_url: str, source_dir: Path, client: HttpClient) -> Path:
    response = client.get(entry.url)
    content_type = response.headers.get("content-type")
    if not is_html(content_type):
        raise FetchError(f"not a web page (Content-Type: {content_type})", permanent=True)
    if not response.body.strip():
        raise FetchError("empty page", permanent=True)
    path = page_path(source_dir, entry, _now().date())
    save_page(
        path,
        response.body,
        {
            "url": response.url,
            "entry_url": entry.url,
            "entry_id": entry.entry_id,
            "feed_url": feed_url,
            "title": entry.title,
            "published_at": entry.published_at,
            "charset": _charset(content_type),
            "fetched_at": _now().isoformat(),
        },
    )
    return path


def _charset(content_type: str | None) -> str | None:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
