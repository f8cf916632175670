"""RSS and Atom feeds (by feedparser), and the list of feeds to follow (`feeds.txt`)."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

# A feed with more entries than this is read only so far (news feeds carry 20–100).
MAX_ENTRIES_PER_FEED = 200
FEEDS_ENV = "ATTACHE_FEEDS"
DEFAULT_FEEDS_FILE = "feeds.txt"


def default_feeds_file() -> Path:
    """`ATTACHE_FEEDS`, else `feeds.txt`, relative to the current directory."""
    return Path(os.environ.get(FEEDS_ENV) or DEFAULT_FEEDS_FILE).expanduser().resolve()


class FeedError(Exception):
    """A feed that cannot be used; the message is the reason."""


@dataclass(frozen=True)
class FeedEntry:
    entry_id: str  # the entry's id (guid), else its link: what the cursor remembers
    url: str  # the entry's link, absolute
    title: str | None
    published_at: str | None  # YYYY-MM-DD from the entry (published, else updated)


def parse_feed(body: bytes, feed_url: str, content_type: str | None = None) -> list[FeedEntry]:
    """The entries of an RSS 2.0 / Atom document; raises FeedError when it is not a feed.

    feedparser reads a feed with small faults (it sets `bozo` and goes on); a broken
    document it recovers no entry with a link from, or one that is not a feed, is an error."""
    import feedparser  # here: a tenth of a second that loading the code location need not pay

    headers = {"content-location": feed_url}  # relative links resolve against the feed
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not parsed.entries and not parsed.bozo and not parsed.version:
        raise FeedError("not an RSS or Atom feed (no channel or feed element)")
    entries = []
    for item in parsed.entries[:MAX_ENTRIES_PER_FEED]:
        link = (item.get("link") or "").strip()
        if not link:
            continue  # nothing to fetch
        entries.append(
            FeedEntry(
                entry_id=(item.get("id") or link).strip(),
                url=urljoin(feed_url, link),  # relative links are relative to the feed
                title=(item.get("title") or "").strip() or None,
                published_at=_entry_date(item),
            )
        )
    if parsed.bozo and not entries:
        # broken, and nothing usable recovered from it (small faults with entries are read)
        raise FeedError(f"invalid feed: {_describe(parsed.bozo_exception)}")
    return entries


def _entry_date(item) -> str | None:
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    if not parsed:
        return None
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    except ValueError:
        return None


def _describe(error: BaseException | None) -> str:
    text = str(error or "unknown error").strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


@dataclass(frozen=True)
class FeedList:
    urls: list[str]  # in file order, duplicates removed
    problems: list[tuple[int, str, str]]  # (line number, line, reason)


def read_feed_list(path: Path) -> FeedList:
    """Feed URLs, one per line; blank lines and `#` comments are skipped, a line that is not
    an http(s) URL is a problem (reported, the others are used). Raises OSError when the file
    cannot be read."""
    urls: list[str] = []
    problems: list[tuple[int, str, str]] = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not line.lower().startswith(("http://", "https://")) or " " in line:
            problems.append((number, line, "not an http(s) URL"))
        elif line not in urls:
            urls.append(line)
    return FeedList(urls, problems)
