"""Optional YAML front matter at the very top of a .txt article.

---
title: Путин провёл телефонный разговор с Токаевым
url: https://example.org/news/1
published_at: 2025-08-12
---
Article text ...
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from orchestration.ingest.files import FileProblem

# The fields front matter and bulk records may carry (other keys are ignored).
METADATA_FIELDS = ("title", "url", "outlet", "published_at", "language")

# Opening line "---" then anything up to a closing "---" (or YAML's "...") line.
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
OPENING_LINE = re.compile(r"\A---[ \t]*\r?\n")


def split_front_matter(text: str) -> tuple[dict[str, str | None], str]:
    """(metadata fields as strings, article text after the front matter).

    Text without front matter gives ({}, text). Broken front matter (invalid YAML, not a
    mapping, no closing line) raises FileProblem, with "front matter" in the reason.
    """
    if not OPENING_LINE.match(text):
        return {}, text
    match = FRONT_MATTER.match(text)
    if match is None:
        raise FileProblem("front matter: opening '---' line without a closing '---' line")
    try:
        loaded = yaml.safe_load(match["yaml"])
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise FileProblem(f"front matter: invalid YAML{line}: {problem}") from err
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise FileProblem("front matter: expected 'key: value' lines (a YAML mapping)")
    fields = {name: _as_text(loaded.get(name)) for name in METADATA_FIELDS}
    return {k: v for k, v in fields.items() if v is not None}, text[match.end() :]


def _as_text(value: object) -> str | None:
    """YAML turns 2025-12-04 into a date and 2025 into an int: keep every field as text."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    return text or None
