"""When a prediction fits a gold item, and how gold items and predictions are paired.

A gold event fits a prediction when its type is one of the gold types, its participants hold
every gold country and nothing outside `countries` + `may_include`, and its start date lies in
the gold window (NULL only where `null_date_ok`). A gold figure fits when the unit agrees, the
value is within 1 % and the countries obey the same rule. Required gold items are paired first
by a maximum bipartite matching (each item and each prediction once); then every prediction left
that fits an item with spare `max_matches`, or an optional item, is neutral. Everything else is
a false positive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def country_set(value) -> frozenset[str]:
    return frozenset(code.upper() for code in (value or []) if code)


def _countries_fit(gold: dict, predicted: frozenset[str]) -> bool:
    needed = country_set(gold["countries"])
    return needed <= predicted <= needed | country_set(gold.get("may_include"))


def _date_fits(gold: dict, start_date: dt.date | None) -> bool:
    if start_date is None:
        return bool(gold.get("null_date_ok"))
    first, last = (as_date(day) for day in gold["date"])
    return first <= start_date <= last


def event_fits(gold: dict, prediction: dict) -> bool:
    return (
        prediction["event_type"] in gold["type"]
        and _countries_fit(gold, prediction["countries"])
        and _date_fits(gold, prediction["start_date"])
    )


def figure_fits(gold: dict, prediction: dict) -> bool:
    if prediction["unit"] != gold["unit"] or prediction["value"] is None:
        return False
    target = float(gold["value"])
    return abs(float(prediction["value"]) - target) <= 0.01 * abs(target) and _countries_fit(gold, prediction["countries"])


@dataclass(frozen=True)
class Pairing:
    first: dict[int, int]  # gold index -> the first prediction paired with it
    verdict: dict[int, tuple[int, bool]]  # prediction index -> (gold index, counts as a true positive)


def pair(golds: list[dict], predictions: list[dict], fits) -> Pairing:
    """Maximum matching of the required gold items, then neutral extra matches."""
    edges = {i: [j for j, p in enumerate(predictions) if fits(g, p)] for i, g in enumerate(golds)}
    owner: dict[int, int] = {}  # prediction -> gold

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i, gold in enumerate(golds):
        if gold.get("required", True):
            augment(i, set())
    first = {i: j for j, i in owner.items()}
    verdict = {j: (i, True) for j, i in owner.items()}
    used = {i: 1 for i in first}
    for i, gold in enumerate(golds):
        for j in edges[i]:
            if j not in verdict and used.get(i, 0) < gold.get("max_matches", 1):
                verdict[j] = (i, False)
                used[i] = used.get(i, 0) + 1
                first.setdefault(i, j)
    return Pairing(first, verdict)


def true_positives(golds: list[dict], pairing: Pairing) -> set[int]:
    """Indexes of the required gold items found."""
    return {
        i for i, gold in enumerate(golds)
        if gold.get("required", True) and i in pairing.first and pairing.verdict[pairing.first[i]][1]
    }


def prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def attribute_checks(kind: str, gold: dict, prediction: dict) -> dict[str, bool]:
    """The attributes scored as accuracy over matched items (only those the gold gives)."""
    if kind == "event":
        checks = {
            "host": lambda: prediction["host_country"] == gold["host"],
            "visit_level": lambda: prediction["visit_level"] == gold["visit_level"],
            "documents_signed": lambda: prediction["documents_signed"] in gold["documents_signed"],
        }
        return {name: check() for name, check in checks.items() if name in gold}
    result = {"metric": prediction["metric"] in gold["metric"]}
    if "source" in gold:
        result["direction"] = (prediction["source_country"], prediction["target_country"]) == (gold["source"], gold["target"])
    if "year" in gold:
        result["year"] = prediction["reference_year"] == gold["year"]
    if "qualifier" in gold:
        result["qualifier"] = prediction["qualifier"] == gold["qualifier"]
    return result
