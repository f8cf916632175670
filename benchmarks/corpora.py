"""Corpora for the benchmark, derived from a real one into a work folder (never the repo).

`read_corpus` reads any source folder the way a refresh does (the project's own ingest), so
the benchmark accepts whatever `attache refresh` accepts. The derived corpora are JSON Lines
(gzip), one article per line, as the news-ru corpus is:

* `subset`: the first n articles, taken evenly across the corpus's files;
* `tiled`: the corpus repeated until it holds n articles, each repeat's texts made distinct
  (a short closing line "Выпуск k." is appended), so that every article has its own
  document id, as years of real wire copy would;
* `copy_folder`: the corpus files themselves, copied, so a benchmark can add a file.

Derived corpora are kept in the work folder and reused while the corpus does not change.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import polars as pl

from orchestration.ingest import read_documents, scan_source

# One derived file holds at most this many articles (about 130 MB of JSON for news-ru).
ARTICLES_PER_FILE = 10_000
COMPRESS_LEVEL = 1  # the files are written once and read by each benchmark run


def corpus_digest(corpus: Path) -> str:
    """A digest of the corpus's file listing (names, sizes, sha256): derived corpora are
    rebuilt when it changes."""
    listing = scan_source(corpus)
    digest = hashlib.sha256(listing.write_csv().encode())
    return digest.hexdigest()[:16]


def read_corpus(corpus: Path) -> pl.DataFrame:
    """The corpus's documents as a refresh lands them (schemas.DOCUMENTS), in source order."""
    return read_documents(corpus).documents


def _article_records(documents: pl.DataFrame) -> pl.DataFrame:
    """Documents back as bulk records: the text as read for bulk lines; the clean body for
    plain-text files (whose raw text may open with front matter)."""
    return documents.select(
        pl.when(pl.col("source_line").is_not_null())
        .then(pl.col("raw_text"))
        .otherwise(pl.col("body"))
        .alias("content"),
        "title",
        "url",
        "outlet",
        pl.col("published_at").cast(pl.String),
        "language",
    )


def _write_jsonl_gz(records: pl.DataFrame, folder: Path, stem: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for part, start in enumerate(range(0, records.height, ARTICLES_PER_FILE)):
        chunk = records.slice(start, ARTICLES_PER_FILE)
        path = folder / f"{stem}_{part:03d}.jsonl.gz"
        partial = path.with_name(path.name + ".partial")
        with gzip.open(partial, "wb", compresslevel=COMPRESS_LEVEL) as handle:
            chunk.write_ndjson(handle)
        partial.replace(path)


def _ready(folder: Path, key: str) -> bool:
    stamp = folder / ".bench-corpus"
    return stamp.exists() and stamp.read_text() == key


def _stamp(folder: Path, key: str) -> None:
    (folder / ".bench-corpus").write_text(key)


def subset(documents: pl.DataFrame, n: int, folder: Path, key: str) -> Path:
    """The first articles of each file, n in all, spread evenly across the files."""
    key = f"subset {n} {key}"
    if _ready(folder, key):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    per_file = documents.with_columns(
        pl.int_range(pl.len()).over("source_name").alias("rank_in_file")
    )
    chosen = per_file.sort(["rank_in_file", "source_name"]).head(n).sort(
        ["source_name", "rank_in_file"]
    )
    _write_jsonl_gz(_article_records(chosen), folder, "subset")
    _stamp(folder, key)
    return folder


def tiled(documents: pl.DataFrame, n: int, folder: Path, key: str) -> Path:
    """The corpus repeated to n articles; repeat k > 0 appends "Выпуск k." to each text."""
    key = f"tiled {n} {key}"
    if _ready(folder, key):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    records = _article_records(documents)
    repeats = -(-n // records.height)  # ceiling division
    for k in range(repeats):
        tile = records if k == 0 else records.with_columns(
            pl.concat_str(pl.col("content"), pl.lit(f"\n\nВыпуск {k}."))
        )
        remaining = n - k * records.height
        _write_jsonl_gz(tile.head(remaining), folder, f"tile{k:03d}")
    _stamp(folder, key)
    return folder


def copy_folder(corpus: Path, folder: Path, key: str) -> Path:
    """A copy of the corpus's files (the refresh refuses symlinks out of its folder)."""
    key = f"copy {key}"
    if _ready(folder, key):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus, folder, ignore=shutil.ignore_patterns(".*"))
    for path in folder.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)  # the shared corpus is read-only
    _stamp(folder, key)
    return folder


def new_article_text(k: int) -> str:
    """A short, new Russian news item (a distinct text for each k)."""
    return NEW_ARTICLE.replace("{day}", f"{k % 28 + 1:02d}").replace("{k}", str(k))


NEW_ARTICLE = """---
title: Президент Казахстана провёл телефонный разговор с президентом России
published_at: 2025-11-{day}
---
Президент Казахстана Касым-Жомарт Токаев провёл телефонный разговор с президентом России
Владимиром Путиным. Стороны обсудили подготовку к государственному визиту и подписание
соглашений о сотрудничестве. Товарооборот двух стран по итогам прошлого года превысил
27 млрд долларов, сообщила пресс-служба Акорды. Выпуск {k}.
"""
