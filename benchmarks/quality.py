"""`make quality`: extraction quality where analysts use it, in one run.

    python -m benchmarks.quality [--corpus DIR] [--work DIR] [--sample-events N]
                                 [--sample-figures N] [--seed S] [--write-seed]

1. builds a warehouse of the real-news development set (tests/extraction/news_ru: its
   articles read from the corpus, both splits) with the real `attache refresh`, and scores the
   dev and test splits separately with `attache eval`'s scorer: totals for both, per-rule
   counts for dev only (the test split's misses are never printed);
2. builds the warehouse of the whole corpus (default ../shared/corpus/news-ru) and counts,
   per rule, the rows recorded, beside the rule's precision on the dev split;
3. draws a random sample of recorded events and figures (fixed seed) into
   `WORK/judge_sample.yaml`, to be judged by hand against docs/judging.md;
4. with `--write-seed`, writes the dev precision per rule into
   dbt_project/seeds/rule_precision.csv, from which every row's `confidence` comes.

Everything else it writes goes to the work folder (default $TMPDIR/attache-quality). It
prints Markdown (docs/quality.md keeps the figures of each release).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
DEVSET_DIR = REPO_ROOT / "tests" / "extraction" / "news_ru"
sys.path.insert(0, str(DEVSET_DIR))
import devset  # noqa: E402  (tests/extraction/news_ru/devset.py: the set's loader)

from orchestration.cli import run_refresh  # noqa: E402
from orchestration.evaluation import load_gold, score_warehouse  # noqa: E402

SEED_FILE = REPO_ROOT / "dbt_project" / "seeds" / "rule_precision.csv"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "attache-quality"
SEEDS_GOLD = REPO_ROOT / "tests" / "gold" / "seeds.yaml"


def timed(label: str, timings: dict, function, *args):
    start = time.perf_counter()
    result = function(*args)
    timings[label] = time.perf_counter() - start
    return result


def build_devset(work: Path, corpus: Path) -> Path:
    source = work / "devset" / "source"
    if source.exists():
        for path in source.iterdir():
            path.unlink()
    devset.write_articles(source, corpus_dir=corpus)
    warehouse = work / "devset" / "attache.duckdb"
    run_refresh(source, warehouse)
    return warehouse


def build_seeds(work: Path) -> Path:
    warehouse = work / "seeds" / "attache.duckdb"
    run_refresh(REPO_ROOT / "seeds", warehouse)
    return warehouse


def build_corpus(work: Path, corpus: Path) -> Path:
    warehouse = work / "corpus" / "attache.duckdb"
    run_refresh(corpus, warehouse)
    return warehouse


def score_split(warehouse: Path, split: str, work: Path, named_metrics_only: bool = False):
    gold = devset.write_gold(work / f"gold_{split}.yaml", split)
    return score_warehouse(warehouse, load_gold([gold]), verbose=False, named_metrics_only=named_metrics_only)


def rows_per_rule(warehouse: Path) -> dict[tuple[str, str], tuple[int, int]]:
    """(rule_id, kind) -> (rows recorded, rows recorded as occurred)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select rule_id, 'event', count(*), count(*) filter (where coalesce(modality, 'occurred') = 'occurred')
            from marts.fct_event_mentions group by all
            union all
            select rule_id, 'figure', count(*), count(*) from marts.fct_figure_mentions group by all
            """
        ).fetchall()
    return {(rule, kind): (n, occurred) for rule, kind, n, occurred in rows}


def dev_counts(report) -> dict[tuple[str, str], dict[str, int]]:
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in report.verdicts:
        entry = counts.setdefault((row["rule_id"], row["kind"]), {"tp": 0, "neutral": 0, "fp": 0})
        entry[row["verdict"]] += 1
    return counts


def precision(entry: dict[str, int]) -> float | None:
    scored = entry["tp"] + entry["fp"]
    return entry["tp"] / scored if scored else None


def write_seed(counts: dict[tuple[str, str], dict[str, int]]) -> None:
    with SEED_FILE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["rule_id", "row_kind", "dev_rows_scored", "dev_true", "dev_false", "dev_precision"])
        for (rule, kind), entry in sorted(counts.items(), key=lambda item: (item[0][1], str(item[0][0]))):
            p = precision(entry)
            if rule is not None and p is not None:
                writer.writerow([rule, kind, entry["tp"] + entry["fp"], entry["tp"], entry["fp"], f"{p:.3f}"])


def draw_sample(warehouse: Path, n_events: int, n_figures: int, seed: int) -> list[dict]:
    """Random recorded events (occurred) and figures, with what a judge needs to read them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        events = con.execute(
            """
            select 'event' as kind, m.mention_id as id, m.rule_id, d.url, d.title, d.published_at,
                m.event_type, m.participant_countries, m.host_country, m.start_date, m.end_date, m.evidence
            from marts.fct_event_mentions m join marts.dim_documents d using (document_id)
            where coalesce(m.modality, 'occurred') = 'occurred' order by m.mention_id
            """
        ).fetchall()
        figures = con.execute(
            """
            select 'figure' as kind, f.figure_id as id, f.rule_id, d.url, d.title, d.published_at,
                f.metric, f.value, f.unit, f.countries, f.source_country, f.target_country, f.reference_year, f.evidence
            from marts.fct_figure_mentions f join marts.dim_documents d using (document_id)
            where f.metric <> 'other' order by f.figure_id
            """
        ).fetchall()
    rng = random.Random(seed)
    event_keys = ["kind", "id", "rule_id", "url", "title", "published_at", "event_type", "participant_countries", "host_country", "start_date", "end_date", "evidence"]
    figure_keys = ["kind", "id", "rule_id", "url", "title", "published_at", "metric", "value", "unit", "countries", "source_country", "target_country", "reference_year", "evidence"]
    sample = [dict(zip(event_keys, row)) for row in rng.sample(events, min(n_events, len(events)))]
    sample += [dict(zip(figure_keys, row)) for row in rng.sample(figures, min(n_figures, len(figures)))]
    for number, item in enumerate(sample, 1):
        item["sample_number"] = number
        item["verdict"] = None  # filled in by the judge (docs/judging.md)
    return sample


def markdown(splits: dict, named: dict, seeds: dict, per_rule: list[tuple], timings: dict, corpus_docs: int) -> str:
    lines = ["## Scores", "", "| set | events P | events R | events F1 | figures P | figures R | figures F1 |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, report in [*splits.items(), *named.items(), ("seeds", seeds)]:
        e, f = report["event"], report["figure"]
        lines.append(
            f"| {name} | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} (tp {e['tp']}, fp {e['fp']}, fn {e['fn']}) "
            f"| {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} (tp {f['tp']}, fp {f['fp']}, fn {f['fn']}) |"
        )
    lines += ["", "Rows 'dev, named metrics' score only figures recorded with a metric other than `other` (events as above).", ""]
    for split, report in splits.items():
        lines.append(f"Attributes ({split}): " + ", ".join(f"{k} {v:.2f}" for k, v in report["attributes"].items()))
    lines.append("")
    lines += [f"## Rules (rows on the whole corpus, {corpus_docs} documents; precision on the dev split)", "",
              "| rule | kind | rows | occurred | dev tp | dev fp | dev neutral | dev precision |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for rule, kind, rows, occurred, entry in per_rule:
        p = precision(entry)
        lines.append(f"| `{rule}` | {kind} | {rows} | {occurred} | {entry['tp']} | {entry['fp']} | {entry['neutral']} | {'' if p is None else f'{p:.2f}'} |")
    lines += ["", "Timings: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=devset.CORPUS_DIR)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--sample-events", type=int, default=150)
    parser.add_argument("--sample-figures", type=int, default=80)
    parser.add_argument("--seed", type=int, default=int(dt.date.today().strftime("%Y%m%d")))
    parser.add_argument("--write-seed", action="store_true", help="write dbt_project/seeds/rule_precision.csv from the dev split")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    devset_warehouse = timed("development set refresh", timings, build_devset, args.work, args.corpus)
    reports = {split: score_split(devset_warehouse, split, args.work) for split in ("dev", "test")}
    named = {f"{split}, named metrics": score_split(devset_warehouse, split, args.work, True).as_dict() for split in ("dev", "test")}
    seeds_warehouse = timed("seeds refresh", timings, build_seeds, args.work)
    seeds = score_warehouse(seeds_warehouse, load_gold([SEEDS_GOLD]), verbose=False).as_dict()
    corpus_warehouse = timed("corpus refresh", timings, build_corpus, args.work, args.corpus)

    counts = dev_counts(reports["dev"])
    recorded = rows_per_rule(corpus_warehouse)
    per_rule = sorted(
        ((rule, kind, *recorded.get((rule, kind), (0, 0)), counts.get((rule, kind), {"tp": 0, "neutral": 0, "fp": 0}))
         for rule, kind in set(recorded) | set(counts)),
        key=lambda row: (row[1], -row[4]["fp"], -row[2], str(row[0])),
    )  # fmt: skip
    sample = draw_sample(corpus_warehouse, args.sample_events, args.sample_figures, args.seed)
    sample_path = args.work / "judge_sample.yaml"
    sample_path.write_text(yaml.safe_dump({"seed": args.seed, "items": sample}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if args.write_seed:
        write_seed(counts)
    with duckdb.connect(str(corpus_warehouse), read_only=True) as con:
        [(corpus_docs,)] = con.execute("select count(*) from marts.dim_documents").fetchall()
    timings["total"] = time.perf_counter() - started
    splits = {split: report.as_dict() for split, report in reports.items()}
    print(markdown(splits, named, seeds, per_rule, timings, corpus_docs))
    print(f"\nSample for judging ({len(sample)} items, seed {args.seed}): {sample_path}")
    if args.write_seed:
        print(f"Rule precision written to {SEED_FILE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
