"""Entity mentions over several documents: in order of document, sentence and position, and a
counterpart cue ("с президентом …") carried along its run of coordinated mentions only."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.extract.entities import entity_mentions
from orchestration.extract.text import sentences
from orchestration.reference import load_reference


@pytest.fixture(scope="module")
def mentions() -> pl.DataFrame:
    bodies = {
        "b": "Путин провёл встречу с президентом Египта, королём Бахрейна и эмиром Катара. Затем Китай и Индия подписали план.",
        "a": "Казахстан и Киргизия обсудили с Турцией транзит. Во Франции прошли выборы, а с Германией сверили позиции.",
    }
    documents = pl.LazyFrame({"document_id": list(bodies), "body": list(bodies.values())})
    return entity_mentions(sentences(documents), load_reference()).collect()


def test_mentions_come_by_document_sentence_and_position(mentions):
    keys = mentions.select("document_id", "sentence_index", "pos")
    assert keys.rows() == keys.sort("document_id", "sentence_index", "pos").rows()
    assert mentions.height == 11  # five countries in "a", Putin and five countries in "b"


def counterparts(mentions: pl.DataFrame, document_id: str) -> dict[str, bool]:
    rows = mentions.filter(pl.col("document_id") == document_id, pl.col("entity_type") == "country")
    return dict(zip(rows["surface"], rows["is_counterpart"]))


def test_a_counterpart_cue_covers_its_coordinated_run_and_no_more(mentions):
    assert counterparts(mentions, "b") == {"Египта": True, "Бахрейна": True, "Катара": True, "Китай": False, "Индия": False}
    # "с Турцией" opens a run of its own: the pair before it is no counterpart, nor is France in the
    # next sentence (a run never crosses a sentence)
    assert counterparts(mentions, "a") == {"Казахстан": False, "Киргизия": False, "Турцией": True, "Франции": False, "Германией": True}
