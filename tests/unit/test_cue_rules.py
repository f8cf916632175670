"""Every modality and exclusion cue on its own examples and counter-examples (orchestration/extract/cue_rules.py)."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.extract.cue_rules import CUE_RULES, MODALITY_ORDER, Cue
from orchestration.extract.events import find_triggers


def _matches(cue: Cue, texts: tuple[str, ...]) -> list[bool]:
    return pl.DataFrame({"text": list(texts)}).select(pl.col("text").str.contains(cue.pattern)).to_series().to_list()


@pytest.mark.parametrize("cue", CUE_RULES, ids=lambda cue: cue.rule_id)
def test_every_cue_matches_its_examples_and_none_of_its_counter_examples(cue: Cue):
    assert len(cue.examples) >= 2 and len(cue.counter_examples) >= 1
    assert all(_matches(cue, cue.examples)), [t for t, hit in zip(cue.examples, _matches(cue, cue.examples)) if not hit]
    assert not any(_matches(cue, cue.counter_examples)), [t for t, hit in zip(cue.counter_examples, _matches(cue, cue.counter_examples)) if hit]


def test_cue_ids_are_unique_and_name_their_value_and_language():
    ids = [cue.rule_id for cue in CUE_RULES]
    assert len(ids) == len(set(ids))
    for cue in CUE_RULES:
        assert cue.rule_id.startswith(f"cue.{cue.value}.") and cue.rule_id.endswith(f".{cue.language}")
        assert cue.language in {"ru", "en"} and cue.window in {"before", "after", "trigger", "sentence"}
        assert (cue.role == "modality") == (cue.value in MODALITY_ORDER)


def _modality(sentence: str, language: str) -> str:
    sentences = pl.LazyFrame(
        {"document_id": ["d"], "sentence_index": [0], "paragraph_index": [0], "char_start": [0], "char_end": [len(sentence)], "sentence": [sentence]}
    )
    documents = pl.LazyFrame({"document_id": ["d"], "language": [language]})
    [modality] = find_triggers(sentences, documents).collect()["modality"].to_list()
    return modality


def test_a_documents_cues_are_those_of_its_language():
    # "will" in a Russian sentence is a quoted word, not its future; "планируется" in an English one likewise
    assert _modality("Газета написала «will», а президенты провели переговоры.", "ru") == "occurred"
    assert _modality("Президенты планируют переговоры.", "ru") == "planned"
    assert _modality("The paper wrote «планируется», and the presidents held talks.", "en") == "occurred"
    assert _modality("The presidents will hold talks.", "en") == "planned"
