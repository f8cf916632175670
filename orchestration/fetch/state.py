"""What `attache fetch` remembers between runs, in one JSON file inside the source folder.

`DIR/web/.fetch-state.json` holds a cursor per feed (ETag, Last-Modified, the ids of the
entries already fetched) and the errors met (feed or page, with the reason, first seen).
It lives beside the pages it describes, not in the warehouse: fetch never writes the
published DuckDB file (only a refresh does, through its working copy), and the next refresh
lands this file into `raw.feed_cursors` and `raw.fetch_errors`. The file starts with a dot:
ingest and the source-folder sensor skip hidden files, so it is never read as an article.

It is replaced atomically (written beside, then renamed), and one fetch at a time holds
`DIR/web/.fetch.lock`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

WEB_FOLDER = "web"
STATE_FILE = ".fetch-state.json"
LOCK_FILE = ".fetch.lock"
STATE_VERSION = 1
# Bounds that keep the file small over years of 15-minute fetches.
MAX_SEEN_PER_FEED = 5000
MAX_ERRORS = 2000


class FetchStateError(Exception):
    """The state file cannot be used (unreadable or not what fetch writes); it is left as is."""


class FetchBusy(Exception):
    """Another fetch holds the lock of this source folder."""


@dataclass
class FeedCursor:
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)  # entry ids fetched (or gone for good), oldest first
    last_status: int | None = None  # HTTP status of the last answer that changed something
    last_changed_at: str | None = None  # ISO time the feed last came with new content

    def remember(self, entry_id: str) -> None:
        if entry_id not in self.seen:
            self.seen.append(entry_id)
            del self.seen[:-MAX_SEEN_PER_FEED]


@dataclass
class FetchState:
    feeds: dict[str, FeedCursor] = field(default_factory=dict)
    errors: list[dict[str, str | None]] = field(default_factory=list)

    def cursor(self, feed_url: str) -> FeedCursor:
        return self.feeds.setdefault(feed_url, FeedCursor())

    def record_error(self, *, feed_url: str | None, url: str | None, stage: str, reason: str, now: dt.datetime) -> None:
        """Add an error; the same error again (same feed, URL and reason) is not repeated, so
        a feed that stays broken does not change the state at every fetch."""
        key = (feed_url, url, reason)
        if any((e["feed_url"], e["url"], e["reason"]) == key for e in self.errors):
            return
        self.errors.append(
            {"feed_url": feed_url, "url": url, "stage": stage, "reason": reason, "recorded_at": now.isoformat()}
        )
        del self.errors[:-MAX_ERRORS]


def web_folder(source_dir: Path) -> Path:
    return Path(source_dir) / WEB_FOLDER


def load_state(source_dir: Path) -> FetchState:
    """The saved state, or an empty one when there is none yet; raises FetchStateError."""
    path = web_folder(source_dir) / STATE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return FetchState()
    except (OSError, UnicodeDecodeError) as err:
        raise FetchStateError(f"cannot read {path}: {err}") from err
    try:
        data = json.loads(text)
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {STATE_VERSION}")
        feeds = {url: FeedCursor(**cursor) for url, cursor in data["feeds"].items()}
        errors = [dict(error) for error in data["errors"]]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise FetchStateError(
            f"{path} is not a fetch state file ({err}); move it away to start afresh "
            "(every feed entry would then be fetched again)"
        ) from err
    return FetchState(feeds, errors)


def save_state(source_dir: Path, state: FetchState) -> Path:
    """Write the state atomically (a reader sees the old file or the new one, never half)."""
    folder = web_folder(source_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_FILE
    data = {
        "version": STATE_VERSION,
        "feeds": {url: asdict(cursor) for url, cursor in sorted(state.feeds.items())},
        "errors": state.errors,
    }
    write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a hidden file beside `path`, fsync, then rename it over `path`."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def fetch_lock(source_dir: Path) -> Iterator[None]:
    """Hold the fetch lock of the source folder for the block; raises FetchBusy at once when
    another fetch holds it (the next scheduled fetch will do the work)."""
    folder = web_folder(source_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise FetchBusy(f"another fetch is running on {folder}") from err
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
