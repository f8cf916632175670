"""Extraction: pure polars functions from documents to sentences, mentions, events, figures.

    extract(documents, reference) -> {"sentences": ..., "entity_mentions": ...,
                                      "event_mentions": ..., "figure_mentions": ...}

`documents` carries at least document_id, body, language, published_at; every result frame
conforms to its schema in `orchestration.schemas`. Nothing here knows of Dagster or DuckDB.
Where each rule lives: patterns.py (every regex and word list), text.py (sentences, match
offsets), entities.py, dates.py, events.py, figures.py.
"""

from __future__ import annotations

import polars as pl

from orchestration import schemas
from orchestration.extract.dates import date_mentions
from orchestration.extract.entities import entity_mentions
from orchestration.extract.events import extract_events
from orchestration.extract.figures import extract_figures
from orchestration.extract.text import sentences as split_sentences
from orchestration.reference import SEEDS_DIR, Reference, load_reference, seed_fingerprint

__all__ = ["extract", "extractor_version"]


def extractor_version() -> str:
    """The rules' version plus a fingerprint of the reference data (a hash of the seed files,
    cheap: no inflection): a change to either makes the next refresh re-extract every document."""
    return f"{schemas.EXTRACTOR_VERSION}+{seed_fingerprint(SEEDS_DIR)}"


def extract(documents: pl.DataFrame, reference: Reference | None = None) -> dict[str, pl.DataFrame]:
    reference = reference or load_reference()
    docs = documents.lazy().select(
        "document_id",
        pl.col("body").fill_null(""),
        pl.col("language") if "language" in documents.columns else pl.lit("ru").alias("language"),
        pl.col("published_at").cast(pl.Date) if "published_at" in documents.columns else pl.lit(None, dtype=pl.Date).alias("published_at"),
    )
    sentences = split_sentences(docs).collect().lazy()
    mentions = entity_mentions(sentences, reference).collect().lazy()
    dates = date_mentions(sentences, docs).collect().lazy()
    events = extract_events(sentences, mentions, dates, docs)
    figures = extract_figures(sentences, mentions, dates, docs)
    frames = {
        "sentences": sentences,
        "entity_mentions": mentions,
        "event_mentions": events,
        "figure_mentions": figures,
    }
    return {
        name: schemas.conform(frame.collect(), schemas.EXTRACTED_TABLES[name]) for name, frame in frames.items()
    }
