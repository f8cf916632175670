"""`attache snapshots` and `attache sql --snapshot TS`: the builds a publish kept.

Each publish keeps the build it replaces as `snapshots/attache-<UTC timestamp>.duckdb` beside
the warehouse (orchestration/publish.py). A snapshot is opened read-only, never modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.analyst.warehouse import BuildFacts, WarehouseUnreadable, build_facts, read_only
from orchestration.publish import WarehousePaths


class SnapshotNotFound(LookupError):
    """No snapshot with that timestamp."""


@dataclass(frozen=True)
class Snapshot:
    timestamp: str  # as in the file name: 20261207T135223Z
    path: Path
    size_bytes: int
    facts: BuildFacts | None  # None: DuckDB could not read it (listed all the same)


def snapshot_timestamp(paths: WarehousePaths, snapshot: Path) -> str:
    return snapshot.stem.removeprefix(f"{paths.published.stem}-")


def list_snapshots(warehouse: Path) -> list[Snapshot]:
    """Every kept snapshot, oldest first, with what it holds."""
    paths = WarehousePaths.for_file(warehouse)
    snapshots = []
    for path in paths.snapshots():
        try:
            with read_only(path) as con:
                facts = build_facts(con)
        except WarehouseUnreadable:
            facts = None
        snapshots.append(
            Snapshot(snapshot_timestamp(paths, path), path, path.stat().st_size, facts)
        )
    return snapshots


def resolve_snapshot(warehouse: Path, timestamp: str) -> Path:
    """The snapshot file for a timestamp as `attache snapshots` prints it (a unique prefix,
    such as the date, will do)."""
    paths = WarehousePaths.for_file(warehouse)
    kept = {snapshot_timestamp(paths, path): path for path in paths.snapshots()}
    wanted = timestamp.strip().removesuffix(paths.published.suffix).removeprefix(f"{paths.published.stem}-")
    matches = [stamp for stamp in kept if stamp.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return kept[matches[0]]
    if not kept:
        raise SnapshotNotFound(f"no snapshots under {paths.snapshot_directory} yet (a refresh keeps one each time it publishes)")
    listed = ", ".join(sorted(kept))
    if not matches:
        raise SnapshotNotFound(f"no snapshot {timestamp!r}; kept: {listed}")
    raise SnapshotNotFound(f"{timestamp!r} matches several snapshots ({', '.join(matches)}); give more of it")


def format_snapshots(snapshots: list[Snapshot]) -> str:
    header = ("snapshot", "marts built at (UTC)", "documents", "events", "figures", "size")
    rows = [(s.timestamp, *_fact_cells(s.facts), _megabytes(s.size_bytes)) for s in snapshots]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) if i < 2 else cell.rjust(width) for i, (cell, width) in enumerate(zip(row, widths)))
        for row in [header, *rows]
    )


def _fact_cells(facts: BuildFacts | None) -> tuple[str, str, str, str]:
    if facts is None:
        return ("unreadable", "-", "-", "-")
    built = facts.marts_built_at.strftime("%Y-%m-%d %H:%M:%S") if facts.marts_built_at else "-"
    return (built, str(facts.documents), str(facts.events), str(facts.figures))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
