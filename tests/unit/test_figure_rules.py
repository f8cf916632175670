"""Every figure rule (orchestration/extract/figure_rules.py) on its own examples and
counter-examples, through the whole extractor: one extraction of all fragments, each a document
of the rule's language."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from orchestration.extract import extract
from orchestration.extract.figure_rules import LANGUAGES, ROLES, RULES, FigureRule
from orchestration.reference import load_reference

CASES = [(rule, kind, text) for rule in RULES for kind, texts in (("example", rule.examples), ("counter", rule.counter_examples)) for text in texts]


def _case_id(case) -> str:
    rule, kind, text = case
    return f"{rule.id}-{kind}-{text[:30]}"


@pytest.fixture(scope="module")
def figures_by_text() -> dict[tuple[str, str], list[dict]]:
    texts = sorted({(rule.language, text) for rule, _, text in CASES})
    documents = pl.DataFrame(
        {
            "document_id": [f"d{i}" for i in range(len(texts))],
            "body": [text for _, text in texts],
            "language": [language for language, _ in texts],
            "published_at": [date(2025, 12, 4)] * len(texts),
        },
        schema_overrides={"published_at": pl.Date},
    )
    figures = extract(documents, load_reference())["figure_mentions"].sort("document_id", "char_start")
    by_id = {f"d{i}": key for i, key in enumerate(texts)}
    found: dict[tuple[str, str], list[dict]] = {key: [] for key in texts}
    for row in figures.iter_rows(named=True):
        found[by_id[row["document_id"]]].append(row)
    return found


def test_every_rule_is_complete():
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert (rule.language, rule.role) in {(language, role) for language in LANGUAGES for role in ROLES}, rule.id
        assert rule.lemmas or rule.pattern, rule.id
        assert len(rule.examples) >= 2, rule.id
        assert rule.examples and rule.counter_examples, rule.id


def _decided_by(rule: FigureRule, figure: dict) -> bool:
    return f".{rule.id}." in figure["rule_id"]


@pytest.mark.parametrize(("rule", "kind", "text"), CASES, ids=[_case_id(case) for case in CASES])
def test_rule_on_its_examples(figures_by_text, rule: FigureRule, kind: str, text: str):
    figures = figures_by_text[(rule.language, text)]
    if rule.role == "economic_term":
        decided = [f for f in figures if _decided_by(rule, f)]
        if kind == "example":
            assert decided and all(f["metric"].startswith(rule.metric.split("_")[0]) for f in decided), figures
        else:
            assert not decided, figures
    elif rule.role in ("exclusion", "per_unit", "sentence_exclusion"):
        decided = [f for f in figures if _decided_by(rule, f)]
        if kind == "example":
            # an amount a price, budget, result … governs is `other`, about no pair of countries
            assert decided and all(f["metric"] == "other" and f["countries"] == [] for f in decided), figures
        else:
            assert not decided, figures
    elif rule.role == "clause_break":
        assert figures, "the fragment holds a figure"
        named = [f for f in figures if f["metric"] != "other"]
        assert (not named) if kind == "example" else named, figures
    elif rule.role in ("anaphora", "ellipsis"):
        decided = [f for f in figures if _decided_by(rule, f)]
        assert (decided and all(f["metric"] != "other" for f in decided)) if kind == "example" else not decided, figures
    else:  # range
        ranges = [f for f in figures if f["value_high"] is not None]
        if kind == "example":
            assert ranges and all(f["value_low"] == f["value"] < f["value_high"] for f in ranges), figures
        else:
            assert not ranges, figures


def test_russian_rules_apply_to_russian_documents_and_english_rules_to_english(figures_by_text):
    english = next(rule for rule in RULES if rule.id == "en_trade_term")
    documents = pl.DataFrame(
        {"document_id": ["as_ru"], "body": [english.examples[0]], "language": ["ru"], "published_at": [date(2025, 12, 4)]},
        schema_overrides={"published_at": pl.Date},
    )
    (figure,) = extract(documents, load_reference())["figure_mentions"].to_dicts()
    assert figure["metric"] == "other" and "en_" not in figure["rule_id"]
    (as_english,) = figures_by_text[("en", english.examples[0])]
    assert as_english["metric"] == "trade_turnover"
