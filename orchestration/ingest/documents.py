"""Turn article records (from .txt files and bulk lines) into `raw.documents` rows.

Everything here is column-wide polars: validity checks, body cleaning, dates, language,
outlet; only the sha256 of each body is a per-row call (polars has no sha256).
"""

from __future__ import annotations

import hashlib
import unicodedata

import polars as pl

from orchestration import schemas
from orchestration.ingest import bulk, dates
from orchestration.ingest.boilerplate import clean_bodies
from orchestration.ingest.language import guess_language
from orchestration.ingest.outlet import infer_outlet, url_host

# The columns every article record carries before it becomes a document.
RECORDS = {
    "source_name": pl.String,
    "source_line": pl.Int32,  # NULL for .txt
    "raw_text": pl.String,
    "article_text": pl.String,  # raw_text without front matter (NULL: same as raw_text)
    "title": pl.String,
    "url": pl.String,
    "outlet": pl.String,
    "published_at": pl.String,  # as the metadata wrote it
    "language": pl.String,
    "metadata_source": pl.String,  # 'front_matter' (.txt) or 'record' (bulk line)
}

DOCUMENT_ID_CHARS = 16
# The language guess reads the start of the body: enough letters to tell scripts apart.
LANGUAGE_SAMPLE_CHARS = 2000


def document_ids(bodies: pl.Series) -> pl.Series:
    """First 16 hex chars of sha256 of the normalised body (NFC, LF line ends, stripped)."""
    return pl.Series(
        "document_id",
        [_content_hash(text) for text in bodies],
        dtype=pl.String,
    )


def _content_hash(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    # The quick check is cheap and true for nearly every text; normalise only the rest.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DOCUMENT_ID_CHARS]


def _metadata_text(name: str) -> pl.Expr:
    value = pl.col(name).str.strip_chars()
    return pl.when(value != "").then(value)


def build_documents(records: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(documents, errors, duplicates) from article records (schema RECORDS).

    Records without text, over the per-article size limit, or with nothing left after
    boilerplate removal become errors. A document whose id was already produced by an
    earlier record (in source order) is dropped and listed in `duplicates`.
    """
    records = schemas.conform(records, RECORDS).with_row_index("row_id")
    article_text = pl.coalesce("article_text", "raw_text")
    text_bytes = article_text.str.len_bytes()
    problem = (
        pl.when(article_text.is_null() | (article_text.str.strip_chars() == ""))
        .then(
            pl.when(pl.col("source_line").is_null())
            .then(pl.lit("no text after the front matter"))
            .otherwise(pl.lit("no text: 'text' and 'content' are missing or empty"))
        )
        .when(pl.col("source_line").is_not_null() & (text_bytes > bulk.MAX_ARTICLE_BYTES))
        .then(
            pl.format(
                "article text too large: {} bytes (limit {} per article)",
                text_bytes,
                pl.lit(bulk.MAX_ARTICLE_BYTES),
            )
        )
    )
    records = records.with_columns(problem=problem)
    errors = records.filter(pl.col("problem").is_not_null()).select(
        "source_name", "source_line", reason="problem"
    )
    usable = records.filter(pl.col("problem").is_null())

    cleaned = clean_bodies(usable.select("row_id", article_text=article_text))
    usable = usable.join(cleaned, on="row_id", how="left", maintain_order="left")
    emptied = usable.filter(pl.col("body") == "").select(
        "source_name", "source_line", reason=pl.lit("no text left after removing boilerplate")
    )
    usable = usable.filter(pl.col("body") != "")

    metadata_date = dates.first_date(_metadata_text("published_at"))
    body_date = pl.col("dateline_date")
    url = _metadata_text("url")
    url_date = dates.url_date(url)
    # The text is only searched where the metadata says nothing ("" elsewhere, not NULL:
    # polars runs a regex over the values under a NULL mask too).
    outlet_unknown = _metadata_text("outlet").is_null() & url_host(url).is_null()
    text_for_outlet = pl.when(outlet_unknown).then(pl.col("raw_text")).otherwise(pl.lit(""))
    # 'ru', 'RU', 'ru-RU' -> 'ru' (ISO 639-1); anything else is unknown and guessed.
    metadata_language = _metadata_text("language").str.to_lowercase().str.extract(r"^([a-z]{2})\b", 1)
    language_unknown = metadata_language.is_null()
    text_for_language = (
        pl.when(language_unknown)
        .then(pl.col("body").str.slice(0, LANGUAGE_SAMPLE_CHARS))
        .otherwise(pl.lit(""))
    )
    documents = usable.with_columns(
        title=_metadata_text("title"),
        url=url,
        outlet=pl.coalesce(_metadata_text("outlet"), infer_outlet(url, text_for_outlet)),
        language=pl.coalesce(metadata_language, guess_language(text_for_language)),
        published_at=pl.coalesce(metadata_date, body_date, url_date),
        published_at_source=pl.when(metadata_date.is_not_null())
        .then(pl.col("metadata_source"))
        .when(body_date.is_not_null())
        .then(pl.lit("body"))
        .when(url_date.is_not_null())
        .then(pl.lit("url")),
        char_count=pl.col("body").str.len_chars(),
    )
    documents = documents.with_columns(document_ids(documents["body"]))

    documents = documents.with_columns(
        first_seen=pl.col("row_id").min().over("document_id"),
        duplicate_of=pl.col("source_name").sort_by("row_id").first().over("document_id"),
        duplicate_of_line=pl.col("source_line").sort_by("row_id").first().over("document_id"),
    )
    is_first = pl.col("row_id") == pl.col("first_seen")
    duplicates = documents.filter(~is_first).select(
        "source_name", "source_line", "document_id", "duplicate_of", "duplicate_of_line"
    )
    documents = documents.filter(is_first)
    return (
        schemas.conform(documents, schemas.DOCUMENTS),
        pl.concat([errors, emptied]),
        duplicates,
    )
