"""Column primitives of the extractor: neighbours within a sentence and overlapping matches,
computed over a sorted frame instead of windows over many small groups."""

from __future__ import annotations

import polars as pl

from orchestration.extract.text import drop_overlaps, next_in_sentence, previous_in_sentence


def matches(*rows: tuple[str, int, int, int]) -> pl.LazyFrame:
    document_id, sentence_index, start, end = zip(*rows)
    return pl.LazyFrame(
        {"document_id": document_id, "sentence_index": sentence_index, "match_start": start, "match_end": end},
        schema={"document_id": pl.String, "sentence_index": pl.Int32, "match_start": pl.Int32, "match_end": pl.Int32},
    )


def test_neighbours_stop_at_the_sentence_boundary():
    frame = matches(("a", 0, 0, 5), ("a", 0, 10, 15), ("a", 1, 0, 3), ("b", 1, 4, 9)).with_columns(
        previous_in_sentence(pl.col("match_end")).alias("previous_end"),
        next_in_sentence(pl.col("match_start")).alias("next_start"),
    )
    out = frame.collect()
    assert out["previous_end"].to_list() == [None, 5, None, None]
    assert out["next_start"].to_list() == [10, None, None, None]


def test_drop_overlaps_keeps_the_earliest_then_longest_match_per_sentence():
    # "7–12 августа" (0-12) is also "12 августа" (2-12); a long match in sentence 0 must not
    # hide the matches of the next sentence, nor of another document
    frame = matches(
        ("a", 0, 2, 12), ("a", 0, 0, 12), ("a", 0, 20, 30), ("a", 0, 25, 40),
        ("a", 1, 0, 4), ("a", 1, 3, 8), ("b", 0, 0, 1000), ("b", 1, 1, 2),
    )
    kept = drop_overlaps(frame, "match_start").collect()
    assert kept.select("document_id", "sentence_index", "match_start", "match_end").rows() == [
        ("a", 0, 0, 12), ("a", 0, 20, 30), ("a", 1, 0, 4), ("b", 0, 0, 1000), ("b", 1, 1, 2),
    ]
