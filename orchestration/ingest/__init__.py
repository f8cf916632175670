"""Ingest: read the source folder into document rows (pure Python/polars, no Dagster).

Public interface (used by the Dagster assets in orchestration/assets.py):

    scan_source(source_dir) -> pl.DataFrame            schemas.SOURCE_FILES
    read_documents(source_dir, source_names) -> IngestResult(documents, errors)
"""
