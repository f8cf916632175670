"""Score the marts of a built warehouse against gold files (documents keyed by file or URL).

Predictions are read from `marts.fct_event_mentions` (occurred or NULL modality only: a planned
visit is not an event that happened) and `marts.fct_figure_mentions`, per gold document, through
an in-memory DuckDB that attaches the warehouse read-only (no lock a refresh could meet).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from orchestration.evaluation.matching import (
    as_date,
    attribute_checks,
    country_set,
    event_fits,
    figure_fits,
    pair,
    prf,
    true_positives,
)

EVENTS_SQL = """
    select mention_id, event_type, participant_countries, start_date, host_country, visit_level,
        documents_signed, evidence, {rule_id} as rule_id
    from marts.fct_event_mentions
    where document_id = ? and coalesce(modality, 'occurred') = 'occurred'
    order by char_start nulls last, mention_id
"""
FIGURES_SQL = """
    select figure_id, metric, value, unit, countries, source_country, target_country,
        reference_year, qualifier, evidence, {rule_id} as rule_id
    from marts.fct_figure_mentions
    where document_id = ? {metric_filter}
    order by char_start nulls last, figure_id
"""
EVENT_FIELDS = ("id", "event_type", "countries", "start_date", "host_country", "visit_level", "documents_signed", "evidence", "rule_id")
FIGURE_FIELDS = ("id", "metric", "value", "unit", "countries", "source_country", "target_country", "reference_year", "qualifier", "evidence", "rule_id")


@dataclass
class Report:
    totals: dict[str, list[int]] = field(default_factory=lambda: {"event": [0, 0, 0], "figure": [0, 0, 0]})
    attributes_right: Counter = field(default_factory=Counter)  # "event.host" -> matched items with it right
    attributes_checked: Counter = field(default_factory=Counter)  # "event.host" -> matched items the gold gives it for
    dates: list[int] = field(default_factory=lambda: [0, 0])
    details: list[str] = field(default_factory=list)
    # one row per prediction: document, kind, rule_id, verdict ('tp', 'neutral', 'fp')
    verdicts: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The reference scorer's JSON shape, plus per-rule counts."""
        return {
            "event": prf(*self.totals["event"]),
            "figure": prf(*self.totals["figure"]),
            "attributes": {k: round(self.attributes_right[k] / n, 3) for k, n in sorted(self.attributes_checked.items())},
            "published_at": round(self.dates[0] / self.dates[1], 3) if self.dates[1] else None,
            "details": self.details,
            "rules": self.rule_counts(),
        }

    def rule_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, Counter] = {}
        for row in self.verdicts:
            counts.setdefault(row["rule_id"] or "(none)", Counter())[row["verdict"]] += 1
        return {rule: {v: c[v] for v in ("tp", "neutral", "fp")} for rule, c in sorted(counts.items())}


def load_gold(paths: list[Path]) -> list[dict]:
    documents = []
    for path in paths:
        documents.extend(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["documents"])
    return documents


def score_warehouse(warehouse: Path, gold_documents: list[dict], verbose: bool = True, named_metrics_only: bool = False) -> Report:
    """`named_metrics_only`: score only the figures recorded with a named metric (not 'other'),
    as an analyst reading investment_figures sees them."""
    report = Report()
    with duckdb.connect(":memory:") as con:
        con.execute("attach ? as warehouse (read_only)", [str(warehouse)])
        con.execute("use warehouse")
        queries = (
            EVENTS_SQL.format(rule_id=_rule_column(con, "fct_event_mentions")),
            FIGURES_SQL.format(
                rule_id=_rule_column(con, "fct_figure_mentions"),
                metric_filter="and metric is distinct from 'other'" if named_metrics_only else "",
            ),
        )
        for doc in gold_documents:
            _score_document(con, queries, doc, report, verbose)
    return report


def _rule_column(con, table: str) -> str:
    found = con.execute(
        "select count(*) from information_schema.columns where table_schema = 'marts' and table_name = ? and column_name = 'rule_id'",
        [table],
    ).fetchone()[0]
    return "rule_id" if found else "null"


def _find_document(con, doc: dict) -> tuple[str, object] | None:
    if "url" in doc and "file" not in doc:
        return con.execute(
            "select document_id, published_at from marts.dim_documents where url = ? order by source_name limit 1", [doc["url"]]
        ).fetchone()
    return con.execute(
        "select document_id, published_at from marts.dim_documents "
        "where source_name = ? or source_name like ? order by length(source_name) limit 1",
        [doc["file"], "%/" + doc["file"]],
    ).fetchone()


def _predictions(con, sql: str, fields: tuple[str, ...], document_id: str) -> list[dict]:
    rows = con.execute(sql, [document_id]).fetchall()
    predictions = [dict(zip(fields, row)) for row in rows]
    for p in predictions:
        p["countries"] = country_set(p["countries"])
        if "start_date" in p:
            p["start_date"] = as_date(p["start_date"])
    return predictions


def _score_document(con, queries: tuple[str, str], doc: dict, report: Report, verbose: bool) -> None:
    label = doc.get("file") or doc["url"]
    found = _find_document(con, doc)
    published = as_date(found[1]) if found else None
    events = _predictions(con, queries[0], EVENT_FIELDS, found[0]) if found else []
    figures = _predictions(con, queries[1], FIGURE_FIELDS, found[0]) if found else []
    if found is None:
        report.details.append(f"!! {label}: not in marts.dim_documents")
    want = doc.get("published_at")
    if want is not None:
        window = [as_date(day) for day in want["window"]]
        ok = (published is None and bool(want.get("null_ok"))) or (published is not None and window[0] <= published <= window[1])
        report.dates[0] += ok
        report.dates[1] += 1
        if not ok:
            report.details.append(f"-- {label}: published_at {published} outside {want}")
    for kind, golds, predictions, fits in (
        ("event", doc.get("events") or [], events, event_fits),
        ("figure", doc.get("figures") or [], figures, figure_fits),
    ):
        _score_items(report, label, kind, golds, predictions, fits, verbose)


def _score_items(report: Report, label: str, kind: str, golds: list[dict], predictions: list[dict], fits, verbose: bool) -> None:
    pairing = pair(golds, predictions, fits)
    found = true_positives(golds, pairing)
    required = sum(1 for g in golds if g.get("required", True))
    totals = report.totals[kind]
    totals[0] += len(found)
    totals[1] += len(predictions) - len(pairing.verdict)
    totals[2] += required - len(found)
    for i, j in pairing.first.items():
        for name, ok in attribute_checks(kind, golds[i], predictions[j]).items():
            report.attributes_right[f"{kind}.{name}"] += ok
            report.attributes_checked[f"{kind}.{name}"] += 1
            if not ok and verbose:
                report.details.append(f"~~ {label} {kind} {golds[i]['id']}: wrong {name}: {_short(predictions[j])}")
    for j, prediction in enumerate(predictions):
        verdict = "fp" if j not in pairing.verdict else ("tp" if pairing.verdict[j][1] else "neutral")
        report.verdicts.append({"document": label, "kind": kind, "rule_id": prediction["rule_id"], "verdict": verdict, "id": prediction["id"]})
    if verbose:
        report.details.extend(f"-- {label} missed {kind} {g['id']}" for i, g in enumerate(golds) if g.get("required", True) and i not in found)
        report.details.extend(f"++ {label} false {kind}: {_short(p)}" for j, p in enumerate(predictions) if j not in pairing.verdict)


def _short(item: dict) -> str:
    parts = []
    for key in ("event_type", "metric", "value", "unit", "countries", "start_date", "evidence"):
        if item.get(key) is not None:
            value = sorted(item[key]) if isinstance(item[key], frozenset) else item[key]
            parts.append(f"{key}={str(value)[:90]}")
    return ", ".join(parts)


def render_text(summary: dict, quiet: bool = False) -> str:
    """The report as the reference scorer prints it (details unless quiet, then totals)."""
    lines = [] if quiet else list(summary["details"])
    for kind in ("event", "figure"):
        r = summary[kind]
        lines.append(f"{kind:7s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}  (tp={r['tp']} fp={r['fp']} fn={r['fn']})")
    lines.extend(f"  {name:28s} {accuracy:.3f}" for name, accuracy in summary["attributes"].items())
    lines.append(f"  published_at accuracy      {summary['published_at']}")
    lines.append(f"score: events F1={summary['event']['f1']:.3f} figures F1={summary['figure']['f1']:.3f}")
    return "\n".join(lines)
