"""Ingest: read the source folder into document rows (pure Python/polars, no Dagster).

Public interface (used by the Dagster assets in orchestration/assets.py):

    scan_source(source_dir) -> pl.DataFrame            schemas.SOURCE_FILES
    read_documents(source_dir, source_names) -> IngestResult(documents, errors)

The source folder holds `*.txt` articles (optional YAML front matter), saved web pages
(`*.html`, `*.htm`: main text and metadata by `ingest.html`) and `*.jsonl` /
`*.jsonl.gz` bulk files (one JSON article per line). Bad input never raises: each
unreadable file or line is one row of `IngestResult.errors` with its reason.

Limits (patch the module attribute to change them, e.g. in tests):
`orchestration.ingest.files.MAX_FILE_BYTES` (one .txt) and
`orchestration.ingest.bulk.MAX_ARTICLE_BYTES` (the text of one bulk record).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration import schemas
from orchestration.ingest.bulk import read_bulk_file
from orchestration.ingest.documents import RECORDS, build_documents, document_ids
from orchestration.ingest.files import (
    KIND_HTML,
    KIND_JSONL_GZ,
    KIND_TEXT,
    FileProblem,
    describe_os_error,
    fingerprint,
    list_candidates,
    problem_fingerprint,
    read_text_file,
)
from orchestration.ingest.front_matter import split_front_matter
from orchestration.ingest.html import read_html_file

__all__ = ["IngestResult", "document_ids", "read_documents", "scan_source"]

DUPLICATES = {
    "source_name": pl.String,
    "source_line": pl.Int32,
    "document_id": pl.String,
    "duplicate_of": pl.String,  # source_name of the record that was kept
    "duplicate_of_line": pl.Int32,
}


@dataclass(frozen=True)
class IngestResult:
    documents: pl.DataFrame  # schemas.DOCUMENTS, in source order
    errors: pl.DataFrame  # schemas.INGEST_ERRORS, in source order
    # Records dropped because an earlier record had the same document_id (not errors).
    duplicates: pl.DataFrame = field(default_factory=lambda: schemas.empty(DUPLICATES))


def scan_source(source_dir: Path) -> pl.DataFrame:
    """One row per candidate file (schemas.SOURCE_FILES), sorted by source_name.

    `fingerprint` is the sha256 of the file's bytes. For a file that cannot or must not be
    read (a symlink out of the folder, a pipe, permission denied) `size_bytes` is NULL and
    `fingerprint` is `files.problem_fingerprint`: never the content, but stable while the
    entry is unchanged, so an unchanged refusal is not re-landed (and the marts rebuilt) at
    every refresh; its error row stays until the entry changes.
    """
    rows = []
    for candidate in list_candidates(Path(source_dir)):
        size, digest = None, None
        if candidate.problem is not None:
            digest = problem_fingerprint(candidate.path, candidate.problem)
        else:
            try:
                size, digest = fingerprint(candidate.path)
            except OSError as err:  # unreadable: read_documents says why
                digest = problem_fingerprint(candidate.path, describe_os_error(err))
        rows.append({"source_name": candidate.source_name, "size_bytes": size, "fingerprint": digest})
    return pl.DataFrame(rows, schema=schemas.SOURCE_FILES)


def read_documents(source_dir: Path, source_names: list[str] | None = None) -> IngestResult:
    """Read every candidate file (or only `source_names`, relative POSIX paths) into documents.

    Files are read in sorted order; a document whose id an earlier file or line already
    produced is kept once (the first). Errors never raise: they are rows of `errors`.
    """
    errors: list[dict] = []
    frames: list[pl.DataFrame] = []  # records in source order: no sort of the big texts later
    texts: list[dict] = []  # consecutive .txt records, gathered into one frame

    def flush_texts() -> None:
        if texts:
            frames.append(pl.DataFrame(texts, schema=RECORDS))
            texts.clear()

    for candidate in list_candidates(Path(source_dir), source_names):
        name = candidate.source_name
        if candidate.problem is not None:
            errors.append({"source_name": name, "source_line": None, "reason": candidate.problem})
        elif candidate.kind == KIND_TEXT:
            try:
                raw_text = read_text_file(candidate.path)
                metadata, article_text = split_front_matter(raw_text)
            except FileProblem as problem:
                errors.append({"source_name": name, "source_line": None, "reason": str(problem)})
                continue
            except OSError as err:  # anything the checks above did not foresee
                errors.append({"source_name": name, "source_line": None, "reason": describe_os_error(err)})
                continue
            texts.append(
                {
                    "source_name": name,
                    "raw_text": raw_text,
                    # NULL when it is the raw text itself (no front matter): one copy in memory.
                    "article_text": article_text if article_text is not raw_text else None,
                    "metadata_source": "front_matter",
                    **metadata,
                }
            )
        elif candidate.kind == KIND_HTML:
            try:
                texts.append({"source_name": name, **read_html_file(candidate.path)})
            except FileProblem as problem:
                errors.append({"source_name": name, "source_line": None, "reason": str(problem)})
        else:
            flush_texts()
            result = read_bulk_file(candidate.path, compressed=candidate.kind == KIND_JSONL_GZ)
            errors.extend(
                {"source_name": name, "source_line": line, "reason": reason} for line, reason in result.errors
            )
            frames.extend(_bulk_records(frame, name) for frame in result.records)
    flush_texts()

    records = pl.concat(frames, how="vertical") if frames else schemas.empty(RECORDS)
    documents, record_errors, duplicates = build_documents(records)
    all_errors = pl.concat(
        [
            pl.DataFrame(errors, schema=schemas.INGEST_ERRORS),
            schemas.conform(record_errors, schemas.INGEST_ERRORS),
        ]
    ).sort("source_name", "source_line", nulls_last=False, maintain_order=True)
    return IngestResult(
        documents=documents,
        errors=all_errors,
        duplicates=schemas.conform(duplicates, DUPLICATES),
    )


def _bulk_records(frame: pl.DataFrame, source_name: str) -> pl.DataFrame:
    """A parsed batch of bulk lines as RECORDS: text from `text`, else from `content`."""
    text = pl.col("text")
    article_text = pl.when(text.str.strip_chars() != "").then(text).otherwise(pl.col("content"))
    return schemas.conform(
        frame.with_columns(
            source_name=pl.lit(source_name),
            raw_text=article_text,  # the article text is the raw text: `article_text` stays NULL
            metadata_source=pl.lit("record"),
        ),
        RECORDS,
    )
