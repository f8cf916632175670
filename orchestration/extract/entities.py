"""Entity mentions: countries, actors and organisations, found by a bulk literal search of every
inflected alias form (Aho-Corasick), then joined to the gazetteer."""

from __future__ import annotations

import polars as pl

from orchestration.extract.patterns import LOCATION_BEFORE, TOPIC_BEFORE
from orchestration.extract.text import locate
from orchestration.reference import Reference

SENTENCE_KEYS = ["document_id", "sentence_index", "paragraph_index", "char_start", "sentence"]


def entity_mentions(sentences: pl.LazyFrame, reference: Reference) -> pl.LazyFrame:
    """One row per mention, with its position in the sentence (`pos`) and two cues read from
    the words just before it: `is_topic` ("переговоры по Украине") and `is_location`
    ("в Москву", "на Аляске")."""
    found = locate(sentences, "sentence", SENTENCE_KEYS, literals=reference.forms)
    return (
        found.join(reference.alias_forms.lazy(), left_on="match", right_on="form", how="inner")
        .with_columns(
            pl.col("sentence")
            .str.slice(pl.max_horizontal(pl.col("match_start") - 30, 0), pl.min_horizontal(pl.col("match_start"), 30))
            .alias("_before")
        )
        .select(
            "document_id",
            "sentence_index",
            "paragraph_index",
            "entity_type",
            "entity_id",
            "country",
            "kind",
            pl.col("match").alias("surface"),
            pl.col("match_start").alias("pos"),
            (pl.col("char_start") + pl.col("match_start")).cast(pl.Int32).alias("char_start"),
            (pl.col("char_start") + pl.col("match_end")).cast(pl.Int32).alias("char_end"),
            pl.col("_before").str.contains(TOPIC_BEFORE).alias("is_topic"),
            (
                pl.col("_before").str.contains(LOCATION_BEFORE)
                & pl.col("kind").is_in(["name", "short_name", "variant", "official_name", "capital", "metonym", "place"])
            ).alias("is_location"),
        )
    )
