"""`make bench`: speed and scale of Attaché on a real corpus, in one run.

    python -m benchmarks.bench [--corpus DIR] [--work DIR] [--skip-100k] [--with-1m]
                               [--skip-cluster] [--natasha-sample N] [--json FILE]

Measures, on the corpus (default ../shared/corpus/news-ru, read in place, never copied into
the repository):

1. extraction throughput (MB/s of clean body text into all extracted tables, the
   reference data loaded once beforehand; the median of three fresh processes, each
   extracting as the refresh does: batches of 5,000 at most, two at a time), beside (a) the floor, one polars `str.contains`
   pass over the same texts, and (b) natasha's Segmenter + NewsMorphTagger + NewsNERTagger
   over a sample; and where extraction's time goes, stage by stage; ingest throughput (a
   fresh process reading the corpus as a refresh does, in groups of files) beside its
   floor, one pass that reads and gunzips the same files;
2. `make run` on seeds/ after set-up (a fresh warehouse, then a run with nothing new);
3. full refresh, files to published marts, as `attache refresh` subprocesses: wall time and
   peak RSS at 1k articles, the whole corpus and 100k articles (tiled from the corpus with
   distinct texts; 1M with --with-1m), and the growth per 10x more articles; the whole
   corpus again on `--cluster local:2`, its marts compared with the in-process build's;
4. incremental refresh of the whole-corpus warehouse: one new article, then nothing new,
   with the counts of documents landed and extracted by each.

Everything it writes goes to the work folder (default $TMPDIR/attache-bench): derived
corpora (kept and reused), warehouses, a Dagster home. It prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from benchmarks import corpora

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "news-ru"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "attache-bench"
SEEDS_DIR = REPO_ROOT / "seeds"

SMALL_SCALE = 1_000
LARGE_SCALE = 100_000
HUGE_SCALE = 1_000_000  # with --with-1m
CLUSTER = "local:2"
EXTRACT_BATCH = 5_000  # as the extract asset's defaults (ExtractConfig)
EXTRACT_WORKERS = 2
EXTRACTION_RUNS = 3  # fresh processes timed; the median is reported
BREAKDOWN_DOCUMENTS = 2_000
MB = 1_000_000  # throughputs in decimal megabytes per second

# The floor: one regex pass that reads every byte of every text once (a few trigger stems).
FLOOR_PATTERN = r"визит|переговор|саммит|телефонн|соглашени"

SUMMARY = re.compile(
    r"documents (?P<documents>\d+)(?: \((?P<new>\d+) new\))?, events (?P<events>\d+), "
    r"figures (?P<figures>\d+), ingest errors (?P<errors>\d+)"
)


# --------------------------------------------------------------------------------------
# measuring one command


@dataclass
class CommandRun:
    command: list[str]
    wall_seconds: float
    peak_rss_mb: float  # of the process (and the children it waited for)
    exit_code: int
    stdout: str
    stderr: str

    def summary(self) -> dict[str, int]:
        match = SUMMARY.search(self.stdout)
        if not match:
            return {}
        return {name: int(value) for name, value in match.groupdict().items() if value is not None}


def run_measured(command: list[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> CommandRun:
    """Run a command to its end; wall time, and peak RSS from wait4's resource usage.

    stderr is a pseudo-terminal, so that `attache refresh` prints its progress lines (each
    stamped with the time since the run started): they say where the time went."""
    leader, follower = pty.openpty()
    received: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                return
            if not data:
                return
            received.append(data)

    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=follower, env=env, cwd=cwd)
        os.close(follower)
        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        reader.join(timeout=10)
        os.close(leader)
        out.seek(0)
        return CommandRun(
            command=command,
            wall_seconds=wall,
            peak_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
            exit_code=process.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=b"".join(received).decode(errors="replace").replace("\r\n", "\n"),
        )


# "[  12.3s] extract: 2000/8758 documents ..." -> the stage that ended at 12.3 s
PROGRESS_LINE = re.compile(r"^\[\s*(?P<seconds>[\d.]+)s\] (?P<message>.*)$", re.MULTILINE)
STAGES = {
    "ingest": re.compile(r"^ingest:"),
    "extract": re.compile(r"^extract:"),
    "dbt build": re.compile(r"^dbt build:"),
    "publish": re.compile(r"^(published|nothing changed)"),
}


def stage_seconds(progress: str, wall_seconds: float) -> dict[str, float]:
    """Seconds per stage of a refresh, from its progress lines: a stage runs from the end of
    the stage before it to its own last line; `start-up` is the time before the run's first
    line (imports, definitions, the run's creation) and `exit` the time after its last."""
    ends: dict[str, float] = {}
    first = None
    last = 0.0
    for match in PROGRESS_LINE.finditer(progress):
        seconds = float(match["seconds"])
        first = seconds if first is None else first
        last = max(last, seconds)
        for stage, pattern in STAGES.items():
            if pattern.match(match["message"]):
                ends[stage] = seconds
    if not ends:
        return {}
    run_seconds = last - (first or 0.0)
    result, previous = {}, first or 0.0
    for stage in STAGES:
        if stage in ends:
            result[stage] = round(ends[stage] - previous, 1)
            previous = ends[stage]
    # The run's clock starts when the run does; what the process spent outside it:
    result["start-up and exit"] = round(wall_seconds - run_seconds, 1)
    return result


def _check(run: CommandRun, what: str) -> CommandRun:
    if run.exit_code != 0:
        raise SystemExit(
            f"bench: {what} failed (exit {run.exit_code}): {' '.join(run.command)}\n"
            f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
        )
    return run


# --------------------------------------------------------------------------------------
# 1. extraction against the floor and natasha


def megabytes(texts: pl.Series) -> float:
    return float(texts.str.len_bytes().sum()) / MB


def time_extraction(documents: pl.DataFrame) -> dict[str, float]:
    from orchestration.extract import even_batches, extract_batches
    from orchestration.reference import load_reference

    started = time.perf_counter()
    reference = load_reference()
    reference_seconds = time.perf_counter() - started
    rows = 0
    started = time.perf_counter()
    rows_of = even_batches(range(documents.height), EXTRACT_BATCH)
    batches = (documents.slice(rows.start, len(rows)) for rows in rows_of)
    for _, extracted in extract_batches(batches, reference, workers=EXTRACT_WORKERS):
        rows += sum(frame.height for frame in extracted.values())
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "reference_seconds": reference_seconds, "rows": rows}


def time_extraction_in_fresh_processes(corpus: Path, runs: int) -> dict[str, object]:
    """`time_extraction` in `runs` new interpreters, one after the other, as a refresh runs it
    (cold: no pattern compiled, no memory reused). On a shared virtual machine single runs
    vary by ±10 %: the median is the figure, every run is kept."""
    script = (
        "import json, sys; from pathlib import Path; "
        "from benchmarks import corpora; from benchmarks.bench import time_extraction; "
        "print(json.dumps(time_extraction(corpora.read_corpus(Path(sys.argv[1])))))"
    )
    measured = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", script, str(corpus)], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
        measured.append(json.loads(done.stdout.strip().splitlines()[-1]))
    seconds = sorted(run["seconds"] for run in measured)
    return {
        "seconds": seconds[len(seconds) // 2],
        "runs_seconds": [run["seconds"] for run in measured],
        "reference_seconds": measured[0]["reference_seconds"],
        "rows": measured[0]["rows"],
    }


def time_read_floor(corpus: Path) -> dict[str, float]:
    """The floor of ingest: one pass that reads and decompresses every file of the corpus
    (zlib in 1 MB reads, as ingest does) and does nothing else with the bytes."""
    started = time.perf_counter()
    decompressed = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        with open(path, "rb") as handle:
            if path.name.endswith(".gz"):
                inflater = zlib.decompressobj(wbits=31)
                while chunk := handle.read(1 << 20):
                    decompressed += len(inflater.decompress(chunk))
                    while inflater.eof and inflater.unused_data:  # further gzip members
                        rest = inflater.unused_data
                        inflater = zlib.decompressobj(wbits=31)
                        decompressed += len(inflater.decompress(rest))
            else:
                while chunk := handle.read(1 << 20):
                    decompressed += len(chunk)
    return {"seconds": time.perf_counter() - started, "bytes": decompressed}


def time_ingest_in_fresh_process(corpus: Path) -> dict[str, float]:
    """`read_documents` of the whole corpus (read, decode, clean, hash) in a new interpreter,
    as a refresh's ingest reads it, in groups of files; seconds and peak RSS."""
    script = (
        "import json, sys, time, resource; from pathlib import Path; "
        "from orchestration.ingest import read_documents, scan_source; "
        "from orchestration.ingest.batches import file_groups; "
        "corpus = Path(sys.argv[1]); scanned = scan_source(corpus); started = time.perf_counter(); "
        "n = sum(read_documents(corpus, group).documents.height "
        "for group in file_groups(scanned, scanned['source_name'].to_list())); "
        "print(json.dumps({'seconds': time.perf_counter() - started, 'documents': n, "
        "'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(corpus)], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_floor(documents: pl.DataFrame) -> float:
    bodies = documents["body"]
    started = time.perf_counter()
    bodies.str.contains(FLOOR_PATTERN).sum()
    return time.perf_counter() - started


def time_natasha(texts: list[str]) -> dict[str, float]:
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    started = time.perf_counter()
    segmenter = Segmenter()
    embedding = NewsEmbedding()
    morph_tagger = NewsMorphTagger(embedding)
    ner_tagger = NewsNERTagger(embedding)
    load_seconds = time.perf_counter() - started
    spans = 0
    started = time.perf_counter()
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph_tagger)
        doc.tag_ner(ner_tagger)
        spans += len(doc.spans)
    return {"seconds": time.perf_counter() - started, "load_seconds": load_seconds, "spans": spans}


def extraction_breakdown(documents: pl.DataFrame) -> dict[str, float]:
    """Seconds per stage of extract(): each stage function of orchestration.extract is
    wrapped so that its lazy result is collected (and timed) where it is produced."""
    import orchestration.extract as extract_module
    from orchestration.reference import load_reference

    stages = ["split_sentences", "entity_mentions", "find_triggers", "find_amounts", "date_mentions", "extract_events", "extract_figures"]
    seconds: dict[str, float] = defaultdict(float)
    originals = {name: getattr(extract_module, name) for name in stages}

    def timed(name: str, function: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            result = function(*args, **kwargs)
            result = result.collect() if isinstance(result, pl.LazyFrame) else result
            seconds[name] += time.perf_counter() - started
            return result.lazy() if isinstance(result, pl.DataFrame) else result

        return wrapper

    reference = load_reference()
    try:
        for name, function in originals.items():
            setattr(extract_module, name, timed(name, function))
        started = time.perf_counter()
        for start in range(0, documents.height, EXTRACT_BATCH):
            extract_module.extract(documents.slice(start, EXTRACT_BATCH), reference)
        total = time.perf_counter() - started
    finally:
        for name, function in originals.items():
            setattr(extract_module, name, function)
    seconds["rest (conform, joins between stages)"] = total - sum(seconds.values())
    return dict(seconds)


# --------------------------------------------------------------------------------------
# 2-4. refreshes as a person runs them


@dataclass
class Refresh:
    label: str
    articles: int
    wall_seconds: float
    peak_rss_mb: float
    documents: int
    new_documents: int | None
    extracted_documents: int
    published_replaced: bool
    command: str
    stages: dict[str, float] = field(default_factory=dict)


def _published_identity(warehouse: Path) -> tuple[int, int] | None:
    if not warehouse.exists():
        return None
    stat = warehouse.stat()
    return (stat.st_ino, stat.st_mtime_ns)


def _extracted_since(warehouse: Path, since: dt.datetime) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = {
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'raw' and table_name = 'documents'"
            ).fetchall()
        }
        if "extracted_at" not in columns:
            return -1  # a warehouse from before extracted_at was recorded
        return con.execute(
            "select count(*) from raw.documents where extracted_at >= ?", [since]
        ).fetchall()[0][0]


def refresh(
    label: str, articles: int, source: Path, warehouse: Path, env: dict[str, str], extra: tuple[str, ...] = ()
) -> Refresh:
    attache = str(Path(sys.executable).with_name("attache"))
    command = [attache, "refresh", "--source", str(source), "--warehouse", str(warehouse), *extra]
    before = _published_identity(warehouse)
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    run = _check(run_measured(command, env), f"refresh ({label})")
    summary = run.summary()
    result = Refresh(
        label=label,
        articles=articles,
        wall_seconds=run.wall_seconds,
        peak_rss_mb=run.peak_rss_mb,
        documents=summary.get("documents", -1),
        new_documents=summary.get("new"),
        extracted_documents=_extracted_since(warehouse, started_at),
        published_replaced=_published_identity(warehouse) != before,
        command=" ".join(["attache", *command[1:]]),
        stages=stage_seconds(run.stderr, run.wall_seconds),
    )
    print(
        f"  {label}: {result.wall_seconds:.1f} s, peak RSS {result.peak_rss_mb:.0f} MB, "
        f"documents {result.documents} ({result.new_documents} new), "
        f"extracted {result.extracted_documents}, published {result.published_replaced}; "
        + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.stages.items()),
        flush=True,
    )
    return result


def cluster_refresh(
    source: Path, in_process_warehouse: Path, warehouses: Path, articles: int, env: dict[str, str]
) -> dict[str, object]:
    """A full refresh of the corpus on a local Dask cluster, into a fresh warehouse, beside the
    in-process one: time, peak RSS, and whether every mart is identical (benchmarks.marts)."""
    from benchmarks.marts import mart_hashes

    warehouse = warehouses / "cluster" / "attache.duckdb"
    run = refresh(
        f"full refresh, {articles:,} articles, --cluster {CLUSTER}", articles, source, warehouse, env,
        extra=("--cluster", CLUSTER),
    )  # fmt: skip
    same = mart_hashes(warehouse) == mart_hashes(in_process_warehouse)
    print(f"  marts identical to the in-process build: {same}", flush=True)
    return {"refresh": run, "marts_identical": same}


def make_run_seeds(warehouse: Path, env: dict[str, str]) -> CommandRun:
    run = run_measured(["make", "-s", "run", f"WAREHOUSE={warehouse}"], env)
    return _check(run, "make run")


# --------------------------------------------------------------------------------------


@dataclass
class Results:
    date: str
    machine: dict[str, object]
    corpus: str
    corpus_articles: int
    corpus_text_mb: float
    extraction: dict[str, float] = field(default_factory=dict)
    breakdown: dict[str, float] = field(default_factory=dict)
    make_run: dict[str, float] = field(default_factory=dict)
    refreshes: list[Refresh] = field(default_factory=list)
    cluster: dict[str, object] = field(default_factory=dict)  # refresh on --cluster, marts_identical


def machine() -> dict[str, object]:
    memory_kb = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    cpu = platform.processor() or ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def growth_exponent(small: Refresh, large: Refresh) -> float:
    """b in time ~ articles**b between two runs (1.0: linear)."""
    return math.log(large.wall_seconds / small.wall_seconds) / math.log(large.articles / small.articles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="source folder (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder (default: %(default)s)")
    parser.add_argument("--skip-100k", action="store_true", help="leave out the 100k-article refresh")
    parser.add_argument("--with-1m", action="store_true", help="also refresh 1,000,000 tiled articles (about 30 min, 10 GB of disk)")
    parser.add_argument("--skip-cluster", action="store_true", help="leave out the refresh on --cluster local:2")
    parser.add_argument("--natasha-sample", type=int, default=200, metavar="N", help="articles natasha reads (default 200; 0 skips natasha)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    corpus = args.corpus.expanduser().resolve()
    if not corpus.is_dir():
        print(f"bench: corpus folder {corpus} does not exist", file=sys.stderr)
        return 2
    work = args.work.expanduser().resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(work / "dagster_home"),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    env.pop("ATTACHE_SOURCE_DIR", None)
    env.pop("ATTACHE_WAREHOUSE", None)

    from orchestration.extract import extractor_version

    version_at_start = extractor_version()
    print(f"bench: corpus {corpus}, work folder {work}, extractor {version_at_start}", flush=True)
    started = time.perf_counter()
    documents = corpora.read_corpus(corpus)
    ingest_seconds = time.perf_counter() - started
    key = corpora.corpus_digest(corpus)
    text_mb = megabytes(documents["body"])
    results = Results(
        date=dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        machine=machine(),
        corpus=str(corpus),
        corpus_articles=documents.height,
        corpus_text_mb=round(text_mb, 1),
    )
    print(f"  read {documents.height} documents, {text_mb:.1f} MB of body text, in {ingest_seconds:.1f} s", flush=True)

    # 1. extraction, floor, natasha
    print("1. extraction throughput", flush=True)
    extraction = time_extraction_in_fresh_processes(corpus, EXTRACTION_RUNS)
    floor_seconds = time_floor(documents)
    ingest = time_ingest_in_fresh_process(corpus)
    read_floor = time_read_floor(corpus)
    results.extraction = {
        "text_mb": text_mb,
        "ingest_seconds": ingest["seconds"],
        "ingest_peak_rss_mb": ingest["peak_rss_mb"],
        "ingest_mb_per_s": text_mb / ingest["seconds"],
        "read_floor_seconds": read_floor["seconds"],
        "read_floor_mb_per_s": text_mb / read_floor["seconds"],
        "read_floor_decompressed_mb": read_floor["bytes"] / MB,
        "in_bench_process_ingest_seconds": ingest_seconds,
        "reference_load_seconds": extraction["reference_seconds"],
        "extract_seconds": extraction["seconds"],
        "extract_seconds_runs": extraction["runs_seconds"],
        "extract_mb_per_s": text_mb / extraction["seconds"],
        "extracted_rows": extraction["rows"],
        "floor_seconds": floor_seconds,
        "floor_mb_per_s": text_mb / floor_seconds,
    }
    if args.natasha_sample > 0:
        sample = documents.sample(n=min(args.natasha_sample, documents.height), seed=0)
        natasha = time_natasha(sample["body"].to_list())
        sample_mb = megabytes(sample["body"])
        results.extraction.update(
            natasha_sample_articles=sample.height,
            natasha_sample_mb=sample_mb,
            natasha_seconds=natasha["seconds"],
            natasha_load_seconds=natasha["load_seconds"],
            natasha_mb_per_s=sample_mb / natasha["seconds"],
        )
    for name, value in results.extraction.items():
        print(f"  {name}: {value:.3f}" if isinstance(value, float) else f"  {name}: {value}", flush=True)
    results.breakdown = extraction_breakdown(
        documents.sample(n=min(BREAKDOWN_DOCUMENTS, documents.height), seed=1)
    )
    print("  stages (s, %d sampled documents): %s" % (
        min(BREAKDOWN_DOCUMENTS, documents.height),
        ", ".join(f"{k} {v:.2f}" for k, v in results.breakdown.items()),
    ), flush=True)

    # 2. make run on seeds, after set-up (venv, dbt manifest, Dagster home: a warm-up run)
    print("2. make run on seeds/", flush=True)
    seeds_work = work / "seeds"
    shutil.rmtree(seeds_work, ignore_errors=True)
    _check(
        run_measured(
            [str(Path(sys.executable).with_name("attache")), "refresh", "--source", str(SEEDS_DIR),
             "--warehouse", str(seeds_work / "warm-up.duckdb")],
            env,
        ),
        "warm-up refresh",
    )  # fmt: skip
    first = make_run_seeds(seeds_work / "attache.duckdb", env)
    again = make_run_seeds(seeds_work / "attache.duckdb", env)
    results.make_run = {
        "fresh_warehouse_seconds": first.wall_seconds,
        "fresh_warehouse_stages": stage_seconds(first.stderr, first.wall_seconds),
        "nothing_new_seconds": again.wall_seconds,
        "nothing_new_stages": stage_seconds(again.stderr, again.wall_seconds),
    }
    print(f"  fresh warehouse {first.wall_seconds:.1f} s, nothing new {again.wall_seconds:.1f} s", flush=True)

    # 3. full refreshes at three scales; 4. incremental on the whole corpus
    print("3. full refresh, files to published marts", flush=True)
    small = corpora.subset(documents, min(SMALL_SCALE, documents.height), work / "corpus-1k", key)
    full = corpora.copy_folder(corpus, work / "corpus-full", key)
    scales: list[tuple[str, int, Path]] = [
        (f"{min(SMALL_SCALE, documents.height):,} articles", min(SMALL_SCALE, documents.height), small),
        (f"{documents.height:,} articles (whole corpus)", documents.height, full),
    ]
    if not args.skip_100k:
        tiled = corpora.tiled(documents, LARGE_SCALE, work / "corpus-100k", key)
        scales.append((f"{LARGE_SCALE:,} articles (tiled)", LARGE_SCALE, tiled))
    if args.with_1m:
        huge = corpora.tiled(documents, HUGE_SCALE, work / "corpus-1m", key)
        scales.append((f"{HUGE_SCALE:,} articles (tiled)", HUGE_SCALE, huge))
    warehouses = work / "warehouses"
    shutil.rmtree(warehouses, ignore_errors=True)
    full_warehouse = warehouses / "full" / "attache.duckdb"
    for label, articles, source in scales:
        warehouse = full_warehouse if source == full else warehouses / source.name / "attache.duckdb"
        results.refreshes.append(refresh(f"full refresh, {label}", articles, source, warehouse, env))
        if source == full and not args.skip_cluster:
            # before the incremental runs add an article: both builds read the same files
            print(f"3b. the whole corpus again, extracted on --cluster {CLUSTER}", flush=True)
            results.cluster = cluster_refresh(full, full_warehouse, warehouses, documents.height, env)
        if source == full:
            print("4. incremental refresh of the whole-corpus warehouse", flush=True)
            added = full / "bench-new-article.txt"
            added.write_text(corpora.new_article_text(1), encoding="utf-8")
            try:
                results.refreshes.append(refresh("one new article", 1, full, full_warehouse, env))
                results.refreshes.append(refresh("nothing new", 0, full, full_warehouse, env))
            finally:
                added.unlink()  # the copy stays the corpus for the next bench run

    print_table(results)
    if extractor_version() != version_at_start:
        print(
            f"\nNote: the extractor changed during the bench ({version_at_start} -> "
            f"{extractor_version()}): refreshes after the change re-extracted every document.",
        )
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=2, default=str), encoding="utf-8")
    return 0


def print_table(results: Results) -> None:
    e = results.extraction
    m = results.machine
    print()
    print(f"## Attaché benchmark, {results.date}")
    print()
    print(
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}; load average at start "
        f"{m['load_average_at_start']}, at the end {[round(x, 2) for x in os.getloadavg()]} (a shared "
        f"machine: other sessions' work is in every figure). Corpus: {results.corpus} ({results.corpus_articles:,} "
        f"documents, {results.corpus_text_mb} MB of body text)."
    )
    print()
    print("| measure | value |")
    print("| --- | --- |")
    runs = ", ".join(f"{e['text_mb'] / seconds:.1f}" for seconds in e["extract_seconds_runs"])
    print(
        f"| extraction throughput | {e['extract_mb_per_s']:.2f} MB/s ({e['extract_seconds']:.1f} s, median of "
        f"{len(e['extract_seconds_runs'])} fresh processes: {runs} MB/s; reference data loaded once in "
        f"{e['reference_load_seconds']:.1f} s) |"
    )
    print(f"| floor: one polars `str.contains` pass | {e['floor_mb_per_s']:.0f} MB/s; extraction is {e['floor_mb_per_s'] / e['extract_mb_per_s']:.0f}x slower |")
    if "natasha_mb_per_s" in e:
        print(
            f"| natasha (segment + morph + NER), {e['natasha_sample_articles']} articles | "
            f"{e['natasha_mb_per_s']:.3f} MB/s; extraction is {e['extract_mb_per_s'] / e['natasha_mb_per_s']:.1f}x faster |"
        )
    print(
        f"| ingest (read, decode, clean, hash), fresh process | {e['ingest_mb_per_s']:.1f} MB/s of body text "
        f"({e['ingest_seconds']:.1f} s, peak RSS {e['ingest_peak_rss_mb']:,.0f} MB) |"
    )
    print(
        f"| floor: one pass that reads and gunzips the same files | {e['read_floor_mb_per_s']:.0f} MB/s of body text "
        f"({e['read_floor_decompressed_mb']:.0f} MB of JSON in {e['read_floor_seconds']:.2f} s); ingest is "
        f"{e['read_floor_mb_per_s'] / e['ingest_mb_per_s']:.1f}x slower |"
    )
    if results.make_run:
        for case, label in (("fresh_warehouse", "fresh warehouse"), ("nothing_new", "nothing new")):
            stages = ", ".join(f"{k} {v:.1f} s" for k, v in results.make_run[f"{case}_stages"].items())
            print(f"| `make run` on seeds/, {label} | {results.make_run[f'{case}_seconds']:.1f} s; {stages} |")
    for r in results.refreshes:
        print(
            f"| {r.label} | {r.wall_seconds:.1f} s, peak RSS {r.peak_rss_mb:,.0f} MB; "
            f"{r.documents:,} documents ({r.new_documents} new), {r.extracted_documents} extracted, "
            f"marts {'published' if r.published_replaced else 'untouched'}; "
            + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in r.stages.items())
            + " |"
        )
    if results.cluster:
        c: Refresh = results.cluster["refresh"]
        same = "identical" if results.cluster["marts_identical"] else "DIFFERENT"
        in_process = next((r for r in results.refreshes if r.articles == c.articles), None)
        ratio = f"; x{c.wall_seconds / in_process.wall_seconds:.2f} the in-process time" if in_process else ""
        print(
            f"| {c.label} | {c.wall_seconds:.1f} s{ratio}, peak RSS {c.peak_rss_mb:,.0f} MB (the largest process); "
            f"marts {same} to the in-process build; "
            + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in c.stages.items())
            + " |"
        )
    full_runs = [r for r in results.refreshes if r.label.startswith("full refresh")]
    for small, large in zip(full_runs, full_runs[1:], strict=False):
        if large.articles <= small.articles:
            continue
        per_10x = 10 ** growth_exponent(small, large)
        print(
            f"| growth {small.articles:,} -> {large.articles:,} articles | time x{large.wall_seconds / small.wall_seconds:.1f} "
            f"for x{large.articles / small.articles:.1f} articles: x{per_10x:.1f} per 10x "
            f"(exponent {growth_exponent(small, large):.2f}); peak RSS x{large.peak_rss_mb / small.peak_rss_mb:.1f} |"
        )
    if results.breakdown:
        total = sum(results.breakdown.values())
        print()
        print("Extraction by stage (share of its time): " + ", ".join(
            f"{name} {100 * seconds / total:.0f}%" for name, seconds in sorted(results.breakdown.items(), key=lambda kv: -kv[1])
        ))


if __name__ == "__main__":
    sys.exit(main())
