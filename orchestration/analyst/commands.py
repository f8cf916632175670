"""The analyst's subcommands of `attache`: shell, docs, export, snapshots.

    attache shell [--snapshot TS]                    DuckDB CLI, read-only on the warehouse
    attache docs [--out DIR] [--port 8080]           dbt docs: served on 127.0.0.1, or written
    attache export --format parquet|csv [--out DIR] [--tables T ...] [--raw]
    attache snapshots                                the kept builds, with their counts

None of them writes the published file or waits for a refresh. Imports are inside the
handlers: `attache --help` and the other commands stay quick.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

EXIT_FAILED = 1
EXIT_USAGE = 2
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def warehouse_path(args: argparse.Namespace) -> Path:
    """--warehouse, else $ATTACHE_WAREHOUSE, else warehouse/attache.duckdb."""
    chosen = args.warehouse or os.environ.get("ATTACHE_WAREHOUSE") or "warehouse/attache.duckdb"
    return Path(chosen).expanduser().resolve()


def _fail(command: str, error: Exception, code: int = EXIT_USAGE) -> int:
    print(f"attache {command}: {error}", file=sys.stderr)
    return code


# --------------------------------------------------------------------------------------
# shell


def cmd_shell(args: argparse.Namespace) -> int:
    from orchestration.analyst.shell import ShellUnavailable, ensure_cli, shell_command
    from orchestration.analyst.snapshots import SnapshotNotFound, resolve_snapshot

    warehouse = warehouse_path(args)
    try:
        if args.snapshot:
            warehouse = resolve_snapshot(warehouse, args.snapshot)
    except SnapshotNotFound as error:
        return _fail("shell", error)
    if not warehouse.is_file():
        return _fail("shell", f"no warehouse at {warehouse}; run `attache refresh` first")
    try:
        cli = ensure_cli()
    except ShellUnavailable as error:
        return _fail("shell", error, EXIT_FAILED)
    if sys.stdin.isatty():
        print(
            f"DuckDB shell on {warehouse} (read-only; try `show all tables;` or "
            "`select * from marts.fct_events limit 5;`, `.quit` leaves)",
            file=sys.stderr,
        )
    command = shell_command(cli, warehouse)
    os.execv(command[0], command)
    return 0  # not reached


# --------------------------------------------------------------------------------------
# docs


def cmd_docs(args: argparse.Namespace) -> int:
    from orchestration.analyst.docs import DocsFailed, generate_site, make_server, temporary_site
    from orchestration.analyst.warehouse import WarehouseNotFound

    warehouse = warehouse_path(args)
    started = time.monotonic()
    try:
        if args.out:
            site = generate_site(warehouse, Path(args.out).expanduser().resolve())
            print(f"data dictionary written to {site} in {time.monotonic() - started:.1f} s (open index.html)")
            return 0
        with temporary_site(warehouse) as site:
            try:
                server = make_server(site, args.host, args.port)
            except OSError as error:
                return _fail("docs", f"cannot listen on {args.host}:{args.port}: {error.strerror}")
            if args.host not in LOOPBACK_HOSTS:
                print(f"attache docs: listening on {args.host}, reachable from other machines", file=sys.stderr)
            host, port = server.server_address[:2]
            print(f"Data dictionary on http://{host}:{port}/ (warehouse {warehouse}); Ctrl-C stops it", file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt), server:  # Ctrl-C ends it; closed either way
                server.serve_forever()
    except WarehouseNotFound as error:
        return _fail("docs", error)
    except DocsFailed as error:
        return _fail("docs", error, EXIT_FAILED)
    return 0


# --------------------------------------------------------------------------------------
# export


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.analyst.export import ExportError, export_warehouse
    from orchestration.analyst.warehouse import WarehouseNotFound

    started = time.monotonic()
    try:
        out, manifest = export_warehouse(
            warehouse_path(args),
            args.format,
            out=Path(args.out).expanduser().resolve() if args.out else None,
            tables=args.tables,
            include_raw=args.raw,
        )
    except (ExportError, WarehouseNotFound) as error:
        return _fail("export", error)
    total = sum(entry["bytes"] for entry in manifest["tables"])
    for entry in manifest["tables"]:
        print(f"{entry['file']}: {entry['rows']} rows, {entry['bytes']:,} bytes")
    print(
        f"exported {len(manifest['tables'])} tables ({total:,} bytes, {args.format}) to {out} "
        f"in {time.monotonic() - started:.1f} s; {out / 'manifest.json'} describes them"
    )
    return 0


# --------------------------------------------------------------------------------------
# snapshots


def cmd_snapshots(args: argparse.Namespace) -> int:
    from orchestration.analyst.snapshots import format_snapshots, list_snapshots

    snapshots = list_snapshots(warehouse_path(args))
    if args.json:
        print(json.dumps([_snapshot_json(s) for s in snapshots], indent=2, default=str))
    elif not snapshots:
        print("no snapshots yet: each `attache refresh` that publishes keeps the build it replaces")
    else:
        print(format_snapshots(snapshots))
        print(f"query one with: attache sql --snapshot {snapshots[-1].timestamp} \"select ...\"")
    return 0


def _snapshot_json(snapshot) -> dict:
    import dataclasses

    facts = dataclasses.asdict(snapshot.facts) if snapshot.facts else {"unreadable": True}
    return {"timestamp": snapshot.timestamp, "path": str(snapshot.path), "size_bytes": snapshot.size_bytes, **facts}


# --------------------------------------------------------------------------------------


def add_analyst_commands(commands, add_paths: Callable[..., None]) -> None:
    """Register the subcommands on `attache`'s subparsers (`add_paths` adds --warehouse)."""
    shell = commands.add_parser("shell", help="DuckDB SQL shell on the warehouse, read-only")
    add_paths(shell, source=False)
    shell.add_argument("--snapshot", metavar="TS", help="open a kept snapshot instead")
    shell.set_defaults(handler=cmd_shell)

    docs = commands.add_parser("docs", help="data dictionary (dbt docs): served on 127.0.0.1, or --out DIR")
    add_paths(docs, source=False)
    docs.add_argument("--out", metavar="DIR", help="write the static site to DIR instead of serving it")
    docs.add_argument("--port", type=int, default=8080, help="0 picks a free port (default 8080)")
    docs.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    docs.set_defaults(handler=cmd_docs)

    export = commands.add_parser("export", help="every mart as Parquet or CSV, with a manifest.json")
    add_paths(export, source=False)
    export.add_argument("--format", choices=("parquet", "csv"), required=True)
    export.add_argument(
        "--out", metavar="DIR", help="folder to write (default warehouse/exports/attache-<built at>-<format>/)"
    )
    export.add_argument(
        "--tables", nargs="+", metavar="TABLE", help="only these (fct_events, marts.dim_documents, raw.event_mentions)"
    )
    export.add_argument("--raw", action="store_true", help="also the raw mention tables (events, figures, entities)")
    export.set_defaults(handler=cmd_export)

    snapshots = commands.add_parser("snapshots", help="the previous builds kept under warehouse/snapshots/")
    add_paths(snapshots, source=False)
    snapshots.add_argument("--json", action="store_true", help="as JSON")
    snapshots.set_defaults(handler=cmd_snapshots)
