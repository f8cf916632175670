"""`attache`: refresh the warehouse, open the Dagster UI, query the marts.

    attache refresh [--source DIR] [--warehouse FILE] [--prune]   materialise every asset once
    attache ui [--source DIR] [--warehouse FILE] [--port 3000] [--host 127.0.0.1]   Dagster UI
    attache sql "<query>" [--warehouse FILE]                      read-only SQL, printed as a table
    attache fetch [--feeds FILE] [--source DIR]                   save new feed entries' pages
    attache dashboard [--warehouse FILE] [--port 8050] [--host 127.0.0.1]   web dashboard on the marts
    attache shell | docs | export | snapshots   the analyst's read-only ways in (orchestration/analyst/)

Dagster keeps its run history in `.dagster_home/` at the repository root (or `$DAGSTER_HOME`
when set): the CLI sets DAGSTER_HOME before Dagster is imported, so the runs `attache
refresh` starts show in `attache ui`'s history.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROJECT_DAGSTER_HOME = REPO_ROOT / ".dagster_home"

DAGSTER_YAML_HEADER = "# Written by `attache` (orchestration/cli.py) for the project-local Dagster instance."
DAGSTER_YAML = f"""\
{DAGSTER_YAML_HEADER}
telemetry:
  enabled: false
# The run history, in SQLite files under history/ as by default, written without opening a
# file per event (see orchestration/run_history.py).
event_log_storage:
  module: orchestration.run_history
  class: PooledSqliteEventLogStorage
# Runs launched by the schedule, the sensor or the UI wait in a queue, one at a time: they
# all write the same warehouse (the warehouse lock also keeps `attache refresh` apart).
concurrency:
  runs:
    max_concurrent_runs: 1
"""

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUSY = 75  # EX_TEMPFAIL: another refresh holds the warehouse lock

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

# Statement types `attache sql` runs; everything else (writes, COPY, ATTACH, SET...) is refused.
# DESCRIBE, SHOW, SUMMARIZE and VALUES parse as SELECT; EXPLAIN is checked by what it explains.
READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA", "CALL"}
EXPLAIN_PREFIX = re.compile(r"^\s*explain\s+(?:analy[sz]e\s+)?", re.IGNORECASE)
# Behind the statement check, the connection itself cannot write: the file is opened
# read-only, and no statement may touch other files or the network (COPY TO, ATTACH,
# read_csv('/etc/...'), extension installs) or change a setting.
READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


# dbt colours its log lines; the messages we relay are read in logs and pipes too.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class RefreshError(RuntimeError):
    def __init__(self, message: str, *, busy: bool = False):
        super().__init__(message)
        self.busy = busy


@dataclass(frozen=True)
class Summary:
    documents: int
    new_documents: int | None
    events: int
    figures: int
    ingest_errors: int
    warehouse: str
    duplicates: int = 0  # further copies of documents another file already holds

    def line(self) -> str:
        new = f" ({self.new_documents} new)" if self.new_documents is not None else ""
        duplicates = f", duplicates {self.duplicates}" if self.duplicates else ""
        return (
            f"documents {self.documents}{new}, events {self.events}, figures {self.figures}, "
            f"ingest errors {self.ingest_errors}{duplicates} -> {self.warehouse}"
        )


def ensure_dagster_home() -> Path:
    """Point DAGSTER_HOME at the project's instance (unless already set) and make sure it
    exists with a dagster.yaml. Must run before Dagster builds an instance."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_DAGSTER_HOME).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # a dagster.yaml that attache wrote is brought up to date; one written by hand is kept
    written = config.read_text(encoding="utf-8") if config.exists() else None
    if written is None or (written.startswith(DAGSTER_YAML_HEADER) and written != DAGSTER_YAML):
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _env_or(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _display_path(path: Path) -> str:
    """The path relative to the current directory when it is inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------
# refresh


@dataclass(frozen=True)
class RefreshRun:
    run_id: str
    new_documents: int | None  # from the raw/documents materialization of the run


def run_refresh(
    source_dir: Path,
    warehouse: Path,
    *,
    prune: bool = False,
    lock_timeout_seconds: float = 900.0,
    progress: bool = False,
    dbt_project_dir: Path | None = None,
    keep_snapshots: int = 7,
    cluster: str = "",
    extract_batch_size: int | None = None,
    all_tests: bool = False,
) -> RefreshRun:
    """Run the refresh job once, in this process, against the Dagster instance in
    DAGSTER_HOME (so the run shows in `attache ui`). Raises RefreshError when it fails."""
    home = ensure_dagster_home()
    from orchestration.progress import fast_run_history

    fast_run_history(home)
    import dagster as dg

    from orchestration.assets import RAW_DOCUMENTS
    from orchestration.dbt import ALL_TESTS_TAG, DBT_PROJECT_DIR
    from orchestration.definitions import build_definitions
    from orchestration.engine import ExtractionEngine
    from orchestration.resources import SourceFolder, WarehouseResource
    from orchestration.schedules import REFRESH_JOB_NAME

    defs = build_definitions(
        dbt_project_dir or DBT_PROJECT_DIR,
        source=SourceFolder(path=str(source_dir)),
        warehouse=WarehouseResource(
            path=str(warehouse), lock_timeout_seconds=lock_timeout_seconds, keep_snapshots=keep_snapshots
        ),
        engine=ExtractionEngine(cluster=cluster),
    )
    ops_config = {"ingest_sources": {"config": {"prune": prune}}}
    if extract_batch_size is not None:
        ops_config["extract_mentions"] = {"config": {"batch_size": extract_batch_size}}
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    loggers = {"progress": {}} if progress else {"console": {"config": {"log_level": "CRITICAL"}}}
    # dagster-dbt echoes dbt's log lines to stdout; stdout is for the summary (and the run's
    # logs keep dbt's output for the UI).
    with contextlib.redirect_stdout(io.StringIO()):
        result = job.execute_in_process(
            instance=dg.DagsterInstance.get(),
            run_config={
                "ops": ops_config,
                "loggers": loggers,
            },
            tags={"attache/trigger": "cli", **({ALL_TESTS_TAG: "all"} if all_tests else {})},
            raise_on_error=False,
        )
    if not result.success:
        raise _refresh_error(result)
    new_documents = None
    for event in result.get_asset_materialization_events():
        if event.asset_key == RAW_DOCUMENTS:
            value = event.materialization.metadata.get("new_documents")
            new_documents = int(value.value) if value is not None else None
    return RefreshRun(run_id=result.run_id, new_documents=new_documents)


def _refresh_error(result) -> RefreshError:
    """A readable message from a failed run's events; flags a lock time-out."""
    messages: list[str] = []
    seen: set[str] = set()
    busy = False
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        if error is None:
            continue
        chain = []
        while error is not None:
            chain.append(error)
            error = error.cause or error.context
        busy = busy or any(e.cls_name == "WarehouseLockTimeout" for e in chain)
        # The innermost error says what went wrong; Dagster's wrappers say where.
        root = chain[-1]
        text = ANSI_ESCAPE.sub("", root.message).strip()
        if text and text not in seen:
            seen.add(text)
            where = f"{event.step_key}: " if event.step_key else ""
            messages.append(f"{where}{text}")
    if busy:
        lock_messages = [m[m.index("another refresh") :] for m in messages if "another refresh" in m]
        return RefreshError(lock_messages[0] if lock_messages else "warehouse is locked", busy=True)
    return RefreshError("\n".join(messages) or "the run failed (see `attache ui` for its logs)")


def summarize(warehouse: Path, new_documents: int | None) -> Summary:
    """Counts from the published warehouse (marts when dbt built them, else raw)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables()"
            ).fetchall()
        }

        def count(*candidates: str) -> int:
            # Candidate names are the fixed strings below; quoted as identifiers.
            for candidate in candidates:
                if candidate in tables:
                    schema, name = candidate.split(".")
                    return con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0]
            return 0

        return Summary(
            documents=count("marts.dim_documents", "raw.documents"),
            new_documents=new_documents,
            events=count("marts.fct_events", "raw.event_mentions"),
            figures=count("marts.fct_figure_mentions", "raw.figure_mentions"),
            ingest_errors=count("raw.ingest_errors"),
            warehouse=_display_path(warehouse),
            duplicates=_count_duplicates(con),
        )


def _count_duplicates(con) -> int:
    """Rows of the view raw.duplicates (0 for a warehouse from before it existed)."""
    exists = con.execute(
        "select count(*) from duckdb_views() where schema_name = 'raw' and view_name = 'duplicates'"
    ).fetchall()[0][0]
    return con.execute("select count(*) from raw.duplicates").fetchall()[0][0] if exists else 0


def _nothing_to_refresh(source_dir: Path, warehouse: Path) -> bool:
    """The shortcut of orchestration/refresh_check.py: True when the published warehouse is
    what a run would build (checked without importing Dagster or dbt)."""
    from orchestration.refresh_check import published_is_current

    return published_is_current(source_dir, warehouse, REPO_ROOT / "dbt_project")


def cmd_refresh(args: argparse.Namespace) -> int:
    source_dir = Path(args.source or _env_or("ATTACHE_SOURCE_DIR", "seeds")).expanduser().resolve()
    warehouse = Path(args.warehouse or _env_or("ATTACHE_WAREHOUSE", "warehouse/attache.duckdb"))
    warehouse = warehouse.expanduser().resolve()
    if not source_dir.is_dir():
        print(f"attache refresh: source folder {source_dir} does not exist", file=sys.stderr)
        return EXIT_USAGE
    if args.cluster:
        from orchestration.engine import ClusterSpec, ClusterSpecError

        try:
            ClusterSpec.parse(args.cluster)
        except ClusterSpecError as error:
            print(f"attache refresh: {error}", file=sys.stderr)
            return EXIT_USAGE
    # Progress lines go to stderr: shown when a person watches it, whatever stdout is.
    progress = sys.stderr.isatty()
    if progress:
        print(f"refreshing {_display_path(warehouse)} from {_display_path(source_dir)}", file=sys.stderr)
    if not (args.force_run or args.all_tests) and _nothing_to_refresh(source_dir, warehouse):
        if progress:
            print(f"nothing changed: {_display_path(warehouse)} is current (no run started)", file=sys.stderr)
        print(summarize(warehouse, 0).line())
        return 0
    try:
        run = run_refresh(
            source_dir,
            warehouse,
            prune=args.prune,
            lock_timeout_seconds=args.lock_timeout,
            progress=progress,
            keep_snapshots=args.keep_snapshots,
            cluster=args.cluster or "",
            all_tests=args.all_tests,
        )
    except RefreshError as error:
        print(f"attache refresh failed: {error}", file=sys.stderr)
        if not error.busy:
            print(f"the published warehouse {_display_path(warehouse)} was left unchanged", file=sys.stderr)
        return EXIT_BUSY if error.busy else EXIT_FAILED
    print(summarize(warehouse, run.new_documents).line())
    return 0


# --------------------------------------------------------------------------------------
# ui


def cmd_ui(args: argparse.Namespace) -> int:
    source_dir = Path(args.source or _env_or("ATTACHE_SOURCE_DIR", "seeds")).expanduser().resolve()
    warehouse = Path(args.warehouse or _env_or("ATTACHE_WAREHOUSE", "warehouse/attache.duckdb"))
    home = ensure_dagster_home()
    # Prepare the dbt manifest once here, so the code server's first load is quick.
    from orchestration.dbt import make_dbt_project, prepare_manifest
    from orchestration.fetch.feeds import default_feeds_file

    prepare_manifest(make_dbt_project())
    venv_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        # dagster-dbt's prepare_if_dev() runs `dbt` from the PATH; the venv may not be active.
        "PATH": os.pathsep.join([venv_bin, os.environ.get("PATH", "")]),
        "DAGSTER_HOME": str(home),
        # The code server and the runs it launches read these (resources resolve at run time).
        "ATTACHE_SOURCE_DIR": str(source_dir),
        "ATTACHE_WAREHOUSE": str(warehouse.expanduser().resolve()),
        # the 15-minute fetch schedule reads it (the UI runs from the repository root)
        "ATTACHE_FEEDS": str(default_feeds_file()),
    }
    dagster = Path(sys.executable).with_name("dagster")
    executable = str(dagster) if dagster.exists() else shutil.which("dagster")
    if executable is None:
        print("attache ui: the `dagster` command is not installed in this environment", file=sys.stderr)
        return EXIT_FAILED
    command = [
        executable, "dev",
        "-m", "orchestration.definitions",
        "--host", args.host,
        "--port", str(args.port),
    ]  # fmt: skip
    if args.host not in LOOPBACK_HOSTS:
        # The UI can launch runs and read every asset: say so when it leaves this machine.
        print(f"attache ui: listening on {args.host}, reachable from other machines", file=sys.stderr)
    print(f"Dagster UI on http://{args.host}:{args.port} (instance {home}); Ctrl-C stops it", file=sys.stderr)
    os.chdir(REPO_ROOT)
    os.execve(executable, command, env)
    return 0  # not reached


# --------------------------------------------------------------------------------------
# sql


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    warehouse = Path(args.warehouse or _env_or("ATTACHE_WAREHOUSE", "warehouse/attache.duckdb"))
    if args.snapshot:
        from orchestration.analyst.snapshots import SnapshotNotFound, resolve_snapshot

        try:
            warehouse = resolve_snapshot(warehouse, args.snapshot)
        except SnapshotNotFound as error:
            print(f"attache sql: {error}", file=sys.stderr)
            return EXIT_USAGE
    if not warehouse.exists():
        print(f"attache sql: no warehouse at {warehouse}; run `attache refresh` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        statements = duckdb.extract_statements(args.query)
    except duckdb.Error as error:
        print(f"attache sql: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not statements:
        print("attache sql: no statement given", file=sys.stderr)
        return EXIT_USAGE
    refused = sorted({kind for s in statements if (kind := _refused_statement(s)) is not None})
    if refused:
        print(
            f"attache sql is read-only: refused {', '.join(refused)} statement "
            "(use SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the warehouse is written only by "
            "`attache refresh`",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from orchestration.publish import find_damage

    damage = find_damage(warehouse)
    if damage is not None:
        print(
            f"attache sql: the warehouse file {warehouse} is damaged ({damage}); the next "
            "`attache refresh` keeps it aside and rebuilds the warehouse from the source folder",
            file=sys.stderr,
        )
        return EXIT_FAILED
    width = shutil.get_terminal_size((160, 40)).columns
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=READ_ONLY_CONFIG) as con:
            for statement in statements:
                relation = con.sql(statement.query)
                if relation is not None:
                    relation.show(max_width=width, max_rows=args.max_rows)
    except duckdb.Error as error:
        message = str(error)
        if "read-only" in message or "disabled by configuration" in message or "locked" in message:
            message = f"read-only warehouse, no file or network access, no settings: {message}"
        print(f"attache sql: {message}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def _refused_statement(statement) -> str | None:
    """The type of a statement `attache sql` must not run (None when it may run).

    EXPLAIN ANALYZE executes what it explains, so an EXPLAIN is judged by its statement."""
    import duckdb

    kind = statement.type.name
    if kind not in READ_ONLY_STATEMENTS:
        return kind
    if kind != "EXPLAIN":
        return None
    explained = EXPLAIN_PREFIX.sub("", statement.query, count=1)
    if explained == statement.query:
        return "EXPLAIN (of a statement it cannot tell)"
    try:
        inner = duckdb.extract_statements(explained)
    except duckdb.Error:
        return "EXPLAIN (of a statement it cannot parse)"
    kinds = [_refused_statement(s) for s in inner]
    refused = next((k for k in kinds if k is not None), None)
    return None if inner and refused is None else f"EXPLAIN {refused or ''}".strip()


# --------------------------------------------------------------------------------------
# fetch


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch the feeds and save new pages into the source folder (never the warehouse)."""
    from orchestration.fetch import FetchBusy, FetchStateError, fetch_feeds, read_feed_list
    from orchestration.fetch.feeds import default_feeds_file

    source_dir = Path(args.source or _env_or("ATTACHE_SOURCE_DIR", "seeds")).expanduser().resolve()
    feeds_file = Path(args.feeds).expanduser().resolve() if args.feeds else default_feeds_file()
    if not source_dir.is_dir():
        print(f"attache fetch: source folder {source_dir} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:
        feed_list = read_feed_list(feeds_file)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        print(f"attache fetch: cannot read the feeds file {feeds_file}: {reason}", file=sys.stderr)
        return EXIT_USAGE
    for line, text, reason in feed_list.problems:
        print(f"{_display_path(feeds_file)}:{line}: {reason}: {text!r} (skipped)", file=sys.stderr)
    try:
        report = fetch_feeds(feed_list.urls, source_dir)
    except FetchBusy as error:
        print(f"attache fetch: {error}", file=sys.stderr)
        return EXIT_BUSY
    except FetchStateError as error:
        print(f"attache fetch: {error}", file=sys.stderr)
        return EXIT_FAILED
    for url, reason in report.errors:
        print(f"failed: {url}: {reason}", file=sys.stderr)
    print(f"{report.line()} -> {_display_path(source_dir / 'web')}")
    return 0


# --------------------------------------------------------------------------------------
# dashboard


def cmd_eval(args: argparse.Namespace) -> int:
    """Score the warehouse against gold files (README "Scoring extraction")."""
    import json

    import duckdb

    from orchestration.evaluation import load_gold, score_warehouse
    from orchestration.evaluation.scoring import render_text

    warehouse = Path(args.warehouse or _env_or("ATTACHE_WAREHOUSE", "warehouse/attache.duckdb"))
    missing = [str(path) for path in [warehouse, *args.gold] if not path.exists()]
    if missing:
        print(f"attache eval: not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        gold = load_gold(args.gold)
        summary = score_warehouse(warehouse, gold, verbose=not args.quiet, named_metrics_only=args.named_metrics).as_dict()
    except (duckdb.Error, KeyError, TypeError, ValueError) as error:
        print(f"attache eval: cannot score {warehouse}: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(summary, ensure_ascii=False, default=str) if args.json else render_text(summary, args.quiet))
    if args.min_f1 is not None and min(summary["event"]["f1"], summary["figure"]["f1"]) < args.min_f1:
        return 1
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from orchestration.dashboard import make_server

    warehouse = Path(args.warehouse or _env_or("ATTACHE_WAREHOUSE", "warehouse/attache.duckdb"))
    warehouse = warehouse.expanduser().resolve()
    try:
        server = make_server(warehouse, host=args.host, port=args.port)
    except OSError as error:
        print(f"attache dashboard: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    # The first line says where it listens (with --port 0, the port it picked).
    print(f"Dashboard on {server.url} (warehouse {_display_path(warehouse)}); Ctrl-C stops it", file=sys.stderr)
    if not warehouse.exists():
        print("no warehouse there yet: the pages say so until `attache refresh` builds it", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


# --------------------------------------------------------------------------------------


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attache",
        description="Attaché: diplomatic news into a DuckDB warehouse (Dagster + polars + dbt).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add_paths(command: argparse.ArgumentParser, *, source: bool = True) -> None:
        if source:
            command.add_argument(
                "--source",
                metavar="DIR",
                help="folder of *.txt / *.jsonl(.gz) articles (default: $ATTACHE_SOURCE_DIR or seeds/)",
            )
        command.add_argument(
            "--warehouse",
            metavar="FILE",
            help="DuckDB file (default: $ATTACHE_WAREHOUSE or warehouse/attache.duckdb)",
        )

    refresh = commands.add_parser("refresh", help="materialise every asset once and publish the warehouse")
    add_paths(refresh)
    refresh.add_argument(
        "--prune",
        action="store_true",
        help="remove documents whose file has left the source folder (default: keep them)",
    )
    refresh.add_argument(
        "--lock-timeout",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="how long to wait for another refresh writing the same warehouse (default 900)",
    )
    refresh.add_argument(
        "--keep-snapshots",
        type=_non_negative_int,
        default=7,
        metavar="N",
        help="previous builds to keep under warehouse/snapshots/ (default 7; 0 keeps none)",
    )
    refresh.add_argument(
        "--cluster",
        metavar="local:N|ADDRESS",
        help="extract on Dask: local:N starts N worker processes here, ADDRESS joins a running "
        "scheduler (tcp://host:8786); default $ATTACHE_CLUSTER, else in this process",
    )
    refresh.add_argument(
        "--force-run",
        action="store_true",
        help="start the Dagster run even when nothing changed (by default such a refresh only "
        "checks the published warehouse and exits, without a run in the history)",
    )
    refresh.add_argument(
        "--all-tests",
        action="store_true",
        help="run every dbt test even when only raw tables changed (by default such a refresh "
        "leaves out the tests tagged full_build, which repeat another test of its selection)",
    )
    refresh.set_defaults(handler=cmd_refresh)

    ui = commands.add_parser("ui", help="Dagster UI on 127.0.0.1, with the schedule and the sensor")
    add_paths(ui)
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    ui.set_defaults(handler=cmd_ui)

    sql = commands.add_parser("sql", help="run read-only SQL on the warehouse and print a table")
    sql.add_argument("query", help='e.g. "select * from marts.fct_events limit 10"')
    add_paths(sql, source=False)
    sql.add_argument("--max-rows", type=int, default=100, help="rows to print (default 100)")
    sql.add_argument(
        "--snapshot", metavar="TS", help="query a kept snapshot instead (a timestamp `attache snapshots` lists)"
    )
    sql.set_defaults(handler=cmd_sql)

    evaluate = commands.add_parser("eval", help="score the warehouse's events and figures against gold annotations")
    evaluate.add_argument("--gold", required=True, nargs="+", type=Path, metavar="FILE", help="gold YAML file(s) (README: Scoring extraction)")
    add_paths(evaluate, source=False)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object (the reference scorer's shape, plus per-rule counts)")
    evaluate.add_argument("--quiet", action="store_true", help="totals only")
    evaluate.add_argument("--named-metrics", action="store_true", help="score only figures recorded with a named metric (not 'other')")
    evaluate.add_argument("--min-f1", type=float, default=None, metavar="X", help="exit 1 if the events or figures F1 is below X")
    evaluate.set_defaults(handler=cmd_eval)
    fetch = commands.add_parser("fetch", help="fetch RSS/Atom feeds and save new pages into the source folder")
    fetch.add_argument(
        "--feeds", metavar="FILE", help="feed URLs, one per line (default: $ATTACHE_FEEDS or feeds.txt)"
    )
    fetch.add_argument(
        "--source", metavar="DIR", help="source folder; pages go to DIR/web/ (default: $ATTACHE_SOURCE_DIR or seeds/)"
    )
    fetch.set_defaults(handler=cmd_fetch)

    from orchestration.analyst.commands import add_analyst_commands

    add_analyst_commands(commands, add_paths)

    dashboard = commands.add_parser("dashboard", help="read-only web dashboard on the marts")
    add_paths(dashboard, source=False)
    dashboard.add_argument("--port", type=int, default=8050, help="0 picks a free port (default 8050)")
    dashboard.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    dashboard.set_defaults(handler=cmd_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


def run() -> None:
    """The `attache` command: `main`, then the exit handlers, then the end of the process.

    Python's own shutdown would then collect every object still alive (dbt's manifest and
    adapters, Dagster's definitions): about 1.5 s after a refresh, for nothing, since every
    file and connection is closed by then."""
    import atexit
    import logging

    code = main()
    logging.shutdown()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
