"""Schemas of the tables Python lands in the DuckDB schema `raw`.

This module is the contract between ingest, extraction, landing and dbt's sources
(`dbt_project/models/staging/_sources.yml`): every raw table's columns and dtypes are
declared once here, and every frame is cast to them at the boundary.
"""

from __future__ import annotations

import polars as pl

# Bump when any extraction rule or reference file changes what is extracted: the next
# refresh re-extracts every document so that no table mixes versions.
EXTRACTOR_VERSION = "0.1.0"

COUNTRY_LIST = pl.List(pl.String)

DOCUMENTS = {
    "document_id": pl.String,  # sha256 (first 16 hex) of the normalised body text
    "source_name": pl.String,  # path relative to the source folder
    "source_line": pl.Int32,  # 1-based line in a .jsonl file; NULL for .txt
    "title": pl.String,
    "url": pl.String,
    "outlet": pl.String,
    "language": pl.String,  # 'ru', 'en', ...
    "published_at": pl.Date,
    "published_at_source": pl.String,  # 'front_matter', 'body', NULL
    "raw_text": pl.String,  # the text as read (after decoding), front matter included
    "body": pl.String,  # clean body: teasers, footers, blurbs removed; offsets refer to this
    "char_count": pl.Int32,  # length of body
}

INGEST_ERRORS = {
    "source_name": pl.String,
    "source_line": pl.Int32,  # line in a bulk file, NULL when the whole file failed
    "reason": pl.String,
}

# One row per record (a .txt file, or a line of a bulk file) that holds a document: every
# copy of an article is recorded, so a document is pruned only when no file holds it.
DOCUMENT_SOURCES = {
    "source_name": pl.String,
    "source_line": pl.Int32,  # NULL for .txt
    "document_id": pl.String,
}

SENTENCES = {
    "document_id": pl.String,
    "sentence_index": pl.Int32,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
    "sentence": pl.String,
}

ENTITY_MENTIONS = {
    "document_id": pl.String,
    "sentence_index": pl.Int32,
    "entity_type": pl.String,  # 'country', 'actor', 'organisation'
    "entity_id": pl.String,
    "country": pl.String,  # ISO code the mention stands for, NULL for most organisations
    "surface": pl.String,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}

EVENT_MENTIONS = {
    "mention_id": pl.String,
    "document_id": pl.String,
    "sentence_index": pl.Int32,
    "event_type": pl.String,
    "participant_countries": COUNTRY_LIST,
    "host_country": pl.String,
    "visit_level": pl.String,
    "documents_signed": pl.Int32,
    "organisation_id": pl.String,  # summit format / organisation when named (CIS, SCO, C5+1)
    "start_date": pl.Date,
    "end_date": pl.Date,
    "date_precision": pl.String,
    "modality": pl.String,
    "cameo_code": pl.String,
    "rule_id": pl.String,  # the trigger rule that made the row (extract/event_rules.py), e.g. 'trigger.visit.visit_noun'
    "confidence": pl.Float64,
    "evidence": pl.String,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}

FIGURE_MENTIONS = {
    "figure_id": pl.String,
    "document_id": pl.String,
    "sentence_index": pl.Int32,
    "metric": pl.String,
    "value": pl.Float64,
    "value_low": pl.Float64,  # a range's bounds ("от 5 до 7 млрд"); NULL for a single value
    "value_high": pl.Float64,
    "unit": pl.String,
    "scale": pl.Float64,
    "qualifier": pl.String,
    "countries": COUNTRY_LIST,
    "source_country": pl.String,
    "target_country": pl.String,
    "reference_year": pl.Int32,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "modality": pl.String,
    "rule_id": pl.String,  # amount pattern, governing rule and metric, e.g. 'figure.money.ru_trade_term.trade_turnover'
    "n_mentions_in_document": pl.Int32,  # how often the document states the figure (headline, lead, quote)
    "evidence": pl.String,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}

# The extracted tables, by raw table name; all carry `extractor_version` when landed.
EXTRACTED_TABLES = {
    "sentences": SENTENCES,
    "entity_mentions": ENTITY_MENTIONS,
    "event_mentions": EVENT_MENTIONS,
    "figure_mentions": FIGURE_MENTIONS,
}


def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Select and cast the schema's columns in order (missing ones become NULL)."""
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )

# One row per file seen in the source folder: lets a refresh skip unchanged files.
SOURCE_FILES = {
    "source_name": pl.String,
    "size_bytes": pl.Int64,
    "fingerprint": pl.String,  # sha256 hex of the file's bytes, or of the refusal for a file that is not read
}

# What `attache fetch` recorded in DIR/web/.fetch-state.json (orchestration/fetch/state.py),
# landed as it is by each refresh (the file is the truth; the tables mirror it).
FETCH_ERRORS = {
    "feed_url": pl.String,  # the feed the failure belongs to
    "url": pl.String,  # the feed itself (stage 'feed') or the entry's page (stage 'page')
    "stage": pl.String,  # 'feed' or 'page'
    "reason": pl.String,
    "recorded_at": pl.Datetime("us"),  # first time this failure was met
}

FEED_CURSORS = {
    "feed_url": pl.String,
    "etag": pl.String,  # validators sent back on the next fetch (conditional GET)
    "last_modified": pl.String,
    "n_entries_seen": pl.Int32,  # entries fetched (or gone for good): not fetched again
    "last_status": pl.Int32,  # HTTP status of the last answer with content
    "last_changed_at": pl.Datetime("us"),  # when the feed last came with content (not a 304)
}

# Columns added when landing, not produced by ingest/extract:
#   raw.documents:       ingested_at TIMESTAMP, extractor_version VARCHAR (version it was extracted with)
#   raw.source_files:    ingested_at TIMESTAMP, n_documents INTEGER, n_errors INTEGER
#   raw.ingest_errors:   recorded_at TIMESTAMP
#   raw.document_sources: recorded_at TIMESTAMP
#   extracted tables:    extractor_version VARCHAR
