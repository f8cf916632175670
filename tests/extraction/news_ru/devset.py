"""The real-news development set: which news-ru articles it holds, and their texts.

The texts stay in ../shared/corpus/news-ru (they belong to their outlets); the repository keeps
only `manifest.yaml` (each article's URL, the corpus file and line it was read from, how it was
drawn and its split) and the gold, keyed by URL. `write_articles` builds a source folder at
test time: one single-line `.jsonl` per article, exactly as the corpus holds it, so the
pipeline reads it the way it reads the real stream. The file name is derived from the corpus
file and line, so the gold's URLs map to `source_name`s without reading any text.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.yaml"
GOLD_DIR = HERE / "gold"
CORPUS_DIR = HERE.parents[2].parent / "shared" / "corpus" / "news-ru"


def manifest() -> list[dict]:
    """Every article of the set: url, corpus_file, line (0-based), drawn_as, split."""
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["articles"]


def source_name(article: dict) -> str:
    """The file the article is written to, e.g. `russia_today_3.l01234.jsonl`."""
    stem = article["corpus_file"].removesuffix(".jsonl.gz")
    return f"{stem}.l{article['line']:05d}.jsonl"


def read_lines(corpus_dir: Path, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """The raw JSON lines at the given (file -> line numbers) positions of the corpus."""
    found: dict[tuple[str, int], str] = {}
    for name, lines in wanted.items():
        with gzip.open(corpus_dir / name, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if number in lines:
                    found[(name, number)] = line
    return found


def write_articles(target: Path, split: str | None = None, corpus_dir: Path = CORPUS_DIR) -> list[dict]:
    """Write the set's articles (one split, or all) into `target`; returns their manifest rows.

    Each line is checked against the manifest's URL, so a changed corpus fails loudly
    instead of scoring the gold against other articles.
    """
    articles = [a for a in manifest() if split is None or a["split"] == split]
    wanted: dict[str, set[int]] = {}
    for article in articles:
        wanted.setdefault(article["corpus_file"], set()).add(article["line"])
    lines = read_lines(corpus_dir, wanted)
    target.mkdir(parents=True, exist_ok=True)
    for article in articles:
        line = lines[(article["corpus_file"], article["line"])]
        if json.loads(line).get("url") != article["url"]:
            raise ValueError(f"{article['corpus_file']} line {article['line']} is not {article['url']}")
        (target / source_name(article)).write_text(line, encoding="utf-8")
    return articles


def gold_documents(split: str | None = None) -> list[dict]:
    """The gold documents (keyed by `url`) of one split, or all, with `file` filled in so the
    gold reads as the scorer's format (documents matched by source_name)."""
    by_url = {a["url"]: a for a in manifest()}
    documents = []
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        for doc in yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]:
            article = by_url[doc["url"]]
            if split is None or article["split"] == split:
                documents.append({"file": source_name(article), **doc})
    return documents


def write_gold(target: Path, split: str | None = None) -> Path:
    """A gold file in the scorer's format for one split (or all)."""
    target.write_text(yaml.safe_dump({"documents": gold_documents(split)}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
