"""Where a fetched page is saved, and how: `DIR/web/<host>/<date>-<slug>.html`.

The page's bytes are kept as the server sent them, after one comment line carrying the
feed entry's metadata (read back by `orchestration.ingest.html`):

    <!-- attache-fetch {"url": "...", "entry_url": "...", "feed_url": "...", ...} -->

The file is written under a hidden name and renamed into place, so that a refresh or the
source-folder sensor never sees half a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from orchestration.fetch.feeds import FeedEntry
from orchestration.fetch.state import web_folder, write_atomically
from orchestration.ingest.html import FETCH_HEADER_PREFIX

MAX_SLUG_CHARS = 60
# Content types accepted as a web page (a missing Content-Type is accepted too).
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_html(content_type: str | None) -> bool:
    return not content_type or content_type.split(";")[0].strip().lower() in HTML_TYPES


def page_path(source_dir: Path, entry: FeedEntry, today: dt.date) -> Path:
    """A new path for the entry's page; an existing file of another entry is never replaced
    (a short hash of the entry id tells two same-named pages apart)."""
    parts = urlsplit(entry.url)
    host = _safe_name((parts.hostname or "unknown-host").lower()) or "unknown-host"
    day = entry.published_at or today.isoformat()
    slug = _slug(unquote(parts.path)) or _slug(entry.title or "") or "page"
    folder = web_folder(source_dir) / host
    path = folder / f"{day}-{slug}.html"
    if path.exists():
        suffix = hashlib.sha256(entry.entry_id.encode("utf-8")).hexdigest()[:8]
        path = folder / f"{day}-{slug}-{suffix}.html"
    return path


def save_page(path: Path, body: bytes, fields: dict[str, str | None]) -> None:
    """Write the fetch header line and the page bytes atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, fetch_header(fields).encode("ascii") + b"\n" + body)


def fetch_header(fields: dict[str, str | None]) -> str:
    """The comment line; "--" may not occur inside an HTML comment, so it is escaped in the
    JSON strings (json.loads turns "-\\u002d" back into "--")."""
    present = {key: value for key, value in fields.items() if value}
    text = json.dumps(present, ensure_ascii=True, sort_keys=True).replace("--", "-\\u002d")
    return f"{FETCH_HEADER_PREFIX}{text} -->"


def _slug(text: str) -> str:
    """The last meaningful path segment (or a title) as a file name: letters, digits, dashes."""
    segments = [s for s in text.split("/") if s and s.lower() not in ("index.html", "index.htm", "index.php")]
    candidate = segments[-1] if segments else text
    candidate = re.sub(r"\.(?:s?html?|php|aspx?)$", "", candidate, flags=re.I)
    return _safe_name(candidate.lower())[:MAX_SLUG_CHARS].strip("-")


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.]+|^\.+", "-", text).strip("-")
