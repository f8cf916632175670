"""Scoring a built warehouse against gold annotations (`attache eval`).

    matching.py  pure rules: when a predicted event or figure fits a gold one, the maximum
                 matching of gold items to predictions, precision/recall/F1, attribute checks
    scoring.py   reads the predictions from the warehouse (read-only), scores every gold
                 document and returns a `Report` (totals, attributes, misses and false
                 positives, and one verdict per prediction with its rule_id)

The matching follows ../shared/eval/README.md (the reference scorer) exactly, so both give
the same totals; the README's "Scoring extraction" section documents the gold format.
"""

from orchestration.evaluation.scoring import Report, load_gold, score_warehouse

__all__ = ["Report", "load_gold", "score_warehouse"]
