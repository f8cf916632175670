"""Every event trigger rule on its own examples and counter-examples (orchestration/extract/event_rules.py)."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.extract.event_rules import EVENT_TRIGGER_RULES, Rule
from orchestration.extract.events import find_triggers


def _ids(rule: Rule) -> str:
    return rule.rule_id


def _matches(rule: Rule, texts: tuple[str, ...]) -> list[bool]:
    frame = pl.DataFrame({"text": list(texts)})
    return frame.select(pl.col("text").str.contains(rule.pattern)).to_series().to_list()


@pytest.mark.parametrize("rule", EVENT_TRIGGER_RULES, ids=_ids)
def test_every_rule_matches_its_examples_and_none_of_its_counter_examples(rule: Rule):
    assert len(rule.examples) >= 2 and len(rule.counter_examples) >= 1
    assert all(_matches(rule, rule.examples)), [t for t, hit in zip(rule.examples, _matches(rule, rule.examples)) if not hit]
    assert not any(_matches(rule, rule.counter_examples))


def test_rule_ids_are_unique_and_name_their_type():
    ids = [rule.rule_id for rule in EVENT_TRIGGER_RULES]
    assert len(ids) == len(set(ids))
    for rule in EVENT_TRIGGER_RULES:
        assert rule.rule_id.startswith(f"trigger.{rule.event_type}.")
        assert rule.language in {"ru", "en"} and rule.role in {"event", "planned", "series"}


def test_a_documents_rules_are_those_of_its_language():
    sentences = pl.LazyFrame(
        {
            "document_id": ["ru_doc", "en_doc"],
            "sentence_index": [0, 0],
            "paragraph_index": [0, 0],
            "char_start": [0, 0],
            "char_end": [60, 60],
            # a Russian sentence quoting an English word, and an English one quoting a Russian word
            "sentence": ["Газета назвала это summit of hope, без визита.", "The paper called it «переговоры», no meeting."],
        }
    )
    documents = pl.LazyFrame({"document_id": ["ru_doc", "en_doc"], "language": ["ru", "en"]})
    found = find_triggers(sentences, documents).collect()
    by_document = {row["document_id"]: row["rule_id"] for row in found.iter_rows(named=True)}
    assert by_document == {"ru_doc": "trigger.visit.visit_noun", "en_doc": "trigger.meeting.en_meeting"}
