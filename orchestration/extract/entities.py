"""Entity mentions: countries, actors and organisations, found by a bulk literal search of every
inflected alias form (Aho-Corasick), then joined to the gazetteer."""

from __future__ import annotations

import polars as pl

from orchestration.extract.patterns import (
    BUSINESS_AFTER,
    LOCATION_BEFORE,
    PRESS_AFTER,
    PRESS_BEFORE,
    SOURCE_AFTER,
    SOURCE_BEFORE,
    SOURCE_NAMED_AFTER,
    COORDINATED_GAP,
    COUNTERPART_BEFORE,
    TOPIC_BEFORE,
    VISITOR_BEFORE,
)
from orchestration.extract.text import locate, previous_in_sentence
from orchestration.reference import Reference

SENTENCE_KEYS = ["document_id", "sentence_index", "paragraph_index", "char_start", "sentence"]


def entity_mentions(sentences: pl.LazyFrame, reference: Reference) -> pl.LazyFrame:
    """One row per mention, with its position in the sentence (`pos`) and cues read from the
    words around it: `is_topic` ("переговоры по Украине", ", the Kremlin said": named, but no
    party), `is_location` ("в Москву", "на Аляске"), `is_visitor` ("визит президента
    Казахстана"), `is_counterpart` ("с Трампом") and `is_business` ("польская компания PGNiG")."""
    found = locate(sentences, "sentence", SENTENCE_KEYS, literals=reference.forms)
    return (
        # `sentences` come as `text.sentences` gives them (by document and position), and so do the
        # matches: a join keeping their order needs no sort by document, sentence and position after it
        found.join(reference.alias_forms.lazy(), left_on="match", right_on="form", how="inner", maintain_order="left")
        .with_columns(
            pl.col("sentence")
            .str.slice(pl.max_horizontal(pl.col("match_start") - 30, 0), pl.min_horizontal(pl.col("match_start"), 30))
            .alias("_before"),
            pl.col("sentence").str.slice(pl.col("match_end"), 40).alias("_after"),
        )
        .with_columns(
            pl.col("_before").str.contains(TOPIC_BEFORE).alias("_topic_cue"),
            previous_in_sentence(pl.col("match_end")).fill_null(0).alias("_previous_end"),
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
            # "по Корейскому полуострову и Афганистану": a topic's coordinate is a topic too; the
            # source of a statement (", the Kremlin said", "сообщили в Кремле") is no party either
            (
                pl.col("_topic_cue")
                | (
                    pl.col("_before").str.contains(SOURCE_BEFORE)
                    & pl.col("_after").str.contains(SOURCE_AFTER)
                )
                | pl.col("_before").str.contains(SOURCE_NAMED_AFTER)
                # a country's press or experts: "французская газета Le Monde", "СМИ Японии"
                | ((pl.col("kind") == "adjective") & pl.col("_after").str.contains(PRESS_AFTER))
                | pl.col("_before").str.contains(PRESS_BEFORE)
                | (
                    previous_in_sentence(pl.col("_topic_cue")).fill_null(False)
                    & pl.col("sentence")
                    .str.slice("_previous_end", (pl.col("match_start") - pl.col("_previous_end")).clip(0))
                    .str.contains(r"(?i)^\s*(?:,|и|или|а\s+также|and|or)\s*$")
                )
            ).alias("is_topic"),
            # "польская компания PGNiG", "греческая DEPA": a business, no party to a diplomatic event
            ((pl.col("kind") == "adjective") & pl.col("_after").str.contains(BUSINESS_AFTER)).alias("is_business"),
            # "visit by Chinese President …", "визит президента Казахстана": the visitor's side
            pl.col("_before").str.contains(VISITOR_BEFORE).alias("is_visitor"),
            # "встречи с Дональдом Трампом", "с лидерами Таджикистана", "talks with the leaders of": a counterpart,
            # and so are its coordinates ("с президентом Египта, королём Бахрейна и эмиром Катара")
            _first_of_coordinated_run(pl.col("_before").str.contains(COUNTERPART_BEFORE)).alias("is_counterpart"),
            (
                pl.col("_before").str.contains(LOCATION_BEFORE)
                & pl.col("kind").is_in(["name", "short_name", "variant", "official_name", "capital", "metonym", "place"])
            ).alias("is_location"),
        )
    )


def _first_of_coordinated_run(expr: pl.Expr) -> pl.Expr:
    """`expr` at the first mention of each mention's run of mentions joined by a coordinator
    ("Египта, королём Бахрейна и эмиром Катара" is one run): a mention opens a new run unless
    only a comma or a conjunction and at most two words (a title) stand between it and the
    previous one of its sentence. The frame is sorted by document, sentence and position, and
    every sentence's first mention opens a run, so a forward fill over the whole frame does what
    a window per run would, at a fraction of the cost."""
    gap = pl.col("sentence").str.slice("_previous_end", (pl.col("match_start") - pl.col("_previous_end")).clip(0))
    joined = gap.str.contains(COORDINATED_GAP) & (pl.col("_previous_end") > 0)
    return pl.when(~joined).then(expr).forward_fill()


def countries_by_sentence(sentences: pl.LazyFrame, countries: pl.LazyFrame, context_sizes: tuple[int, int]) -> pl.LazyFrame:
    """Per sentence: the distinct countries it names, in order (`sentence_countries`), and
    those of the last earlier sentence naming between `context_sizes` countries
    (`context_countries`): the pair a later "президенты подписали" or a bare figure refers to."""
    by = ["document_id", "sentence_index"]
    low, high = context_sizes
    named = countries.sort("pos").group_by(by).agg(pl.col("country").unique(maintain_order=True).alias("sentence_countries"))
    return (
        sentences.select(*by, "paragraph_index")
        .join(named, on=by, how="left")
        .with_columns(pl.col("sentence_countries").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .sort(by)
        .with_columns(
            pl.when(pl.col("sentence_countries").list.len().is_between(low, high))
            .then(pl.col("sentence_countries"))
            .shift(1)
            .forward_fill()
            .over("document_id")
            .alias("context_countries")
        )
    )
