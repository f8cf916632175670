"""Render time of every dashboard view on a given warehouse, over real HTTP.

    python -m benchmarks.dashboard [--warehouse FILE] [--repeat N] [--budget SECONDS]

Starts the dashboard's own server (`attache dashboard`'s) on a free port of 127.0.0.1 in
this process, requests each view --repeat times (default 5) after one warm-up request, and
prints a Markdown table of the median and slowest time to the last byte, with the page size.
Each request opens the warehouse afresh, as in production. Exit status 1 when a view's
median exceeds --budget (default 1 s, the target of issue 16).

Build the warehouse first, e.g. on the whole news-ru corpus:

    .venv/bin/attache refresh --source ../shared/corpus/news-ru --warehouse warehouse/news-ru.duckdb
    .venv/bin/python -m benchmarks.dashboard --warehouse warehouse/news-ru.duckdb
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb

from orchestration.dashboard import make_server

# (label, path): each view as it opens, and the heaviest filters an analyst reaches in a click.
VIEWS = (
    ("Engagement (default)", "/"),
    ("Engagement, all time", "/?period=all"),
    ("Engagement, Kazakhstan", "/?country=KZ"),
    ("Central Asia (default)", "/central-asia"),
    ("Central Asia, all time", "/central-asia?period=all"),
    ("Timeline (default)", "/timeline"),
    ("Timeline, all time with suspect dates", "/timeline?period=all&suspect=include"),
    ("Figures (default)", "/figures"),
    ("Figures, all time", "/figures?period=all"),
    ("Figures, metric other", "/figures?metric=other&period=all"),
    # With measurements (marts.rule_quality), a chosen minimum adds a join per figure group.
    ("Engagement, confidence >= 0.2", "/?confidence=0.2"),
    ("Figures, confidence >= 0.3", "/figures?confidence=0.3&period=all"),
    ("Quality", "/quality"),
)


def busiest_document(warehouse: Path) -> str | None:
    """The article with most events and figures, for a worst-case article page."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            """
            select document_id from (
                select document_id from marts.fct_event_mentions
                union all
                select document_id from marts.fct_figure_mentions
            ) group by document_id order by count(*) desc limit 1
            """
        ).fetchone()
    return row[0] if row else None


def time_view(url: str, repeat: int) -> tuple[list[float], int]:
    """Seconds to the last byte for each of `repeat` requests (after one warm-up), and the
    page's size in bytes."""
    with urllib.request.urlopen(url) as response:  # warm-up: templates compiled, caches filled
        size = len(response.read())
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            response.read()
        times.append(time.perf_counter() - started)
    return times, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=Path("warehouse/news-ru.duckdb"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds allowed per view (median)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        parser.error(f"no warehouse at {args.warehouse}; build it with `attache refresh` first")

    views = list(VIEWS)
    document_id = busiest_document(args.warehouse)
    if document_id:
        views.append(("Article with most reports", f"/document?id={document_id}"))
    server = make_server(args.warehouse, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    over_budget = []
    try:
        print(f"Dashboard render times on {args.warehouse} ({args.repeat} requests per view)\n")
        print("| View | Path | Median (s) | Slowest (s) | Page (kB) |")
        print("| --- | --- | ---: | ---: | ---: |")
        for label, path in views:
            times, size = time_view(server.url + path, args.repeat)
            median = statistics.median(times)
            if median > args.budget:
                over_budget.append(label)
            shown_path = path if len(path) < 60 else path[:57] + "..."
            print(f"| {label} | `{shown_path}` | {median:.3f} | {max(times):.3f} | {size / 1000:,.0f} |")
    finally:
        server.shutdown()
        server.server_close()
    if over_budget:
        print(f"\nOver the {args.budget:g} s budget: {', '.join(over_budget)}", file=sys.stderr)
        return 1
    print(f"\nEvery view within the {args.budget:g} s budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
