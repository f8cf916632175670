"""Extraction: pure polars functions from documents to sentences, mentions, events, figures.

Public interface (used by the Dagster assets in orchestration/assets.py):

    extract(documents: pl.DataFrame, reference: Reference) -> dict[str, pl.DataFrame]

`documents` carries at least document_id, body, language, published_at; the result has one
frame per key of schemas.EXTRACTED_TABLES, each conforming to its schema.
"""
