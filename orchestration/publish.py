"""Atomic publish of the warehouse file, and the lock that keeps to one writer at a time.

DuckDB lets one process write a file, and refuses a writer while any other process holds
the file open (even read-only). So a refresh never writes the published file: it copies it
to a working copy beside it, builds there, and once every model and test has passed it
renames the working copy over the published file. On POSIX the rename is atomic and leaves
a reader that has the old file open on the old inode, so open dashboards never make a
refresh fail and never see a half-built warehouse.

Paths, for a published file `warehouse/attache.duckdb`:

    warehouse/.attache.duckdb.building   the working copy a run builds into
    warehouse/.attache.lock              flock()ed for the whole run: one writer at a time
    warehouse/snapshots/attache-<UTC>.duckdb   the builds published before, newest last

Every file a refresh publishes is written in DuckDB's storage format `v1.0.0`
(`READABLE_STORAGE_VERSION`), so DuckDB 1.0 and later (the 1.x CLI, BI tools' drivers) can
open it, not only the DuckDB 2.0 that builds it. DuckDB keeps a file's storage version when
it reopens it, so a working copy copied from a published file stays readable.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb


# The oldest storage format that holds our types (VARCHAR[], DATE, TIMESTAMP, DOUBLE...):
# DuckDB 2.0 takes nothing older (it reports "v0.9.0" as "v1.0.0+"). Readable by DuckDB >= 1.0.
READABLE_STORAGE_VERSION = "v1.0.0"
# How many previous builds a publish keeps under snapshots/ (`attache refresh --keep-snapshots`).
DEFAULT_KEEP_SNAPSHOTS = 7
SNAPSHOT_TIME_FORMAT = "%Y%m%dT%H%M%SZ"


class WarehouseLockTimeout(RuntimeError):
    """Another refresh held the warehouse lock for longer than we were willing to wait."""


@dataclass(frozen=True)
class WarehousePaths:
    """The published warehouse file and the files a run keeps beside it."""

    published: Path

    @classmethod
    def for_file(cls, published: str | os.PathLike[str]) -> WarehousePaths:
        return cls(Path(published).expanduser().resolve())

    @property
    def working_copy(self) -> Path:
        return self.published.with_name(f".{self.published.name}.building")

    @property
    def lock_file(self) -> Path:
        return self.published.with_name(f".{self.published.stem}.lock")

    @property
    def directory(self) -> Path:
        return self.published.parent

    @property
    def snapshot_directory(self) -> Path:
        return self.directory / "snapshots"

    def snapshot_path(self, published_at: dt.datetime) -> Path:
        """`snapshots/attache-20261207T135223Z.duckdb` for a build published at that UTC time."""
        stamp = published_at.astimezone(dt.UTC).strftime(SNAPSHOT_TIME_FORMAT)
        return self.snapshot_directory / f"{self.published.stem}-{stamp}{self.published.suffix}"

    def snapshots(self) -> list[Path]:
        """The kept snapshots, oldest first (the UTC timestamp in the name sorts by time)."""
        if not self.snapshot_directory.is_dir():
            return []
        pattern = f"{self.published.stem}-*{self.published.suffix}"
        return sorted(self.snapshot_directory.glob(pattern))


class WarehouseLock:
    """An exclusive `flock` on the lock file beside the warehouse, held for a whole run.

    The kernel releases the lock when the holder's file descriptor closes, so a refresh that
    crashes (or is killed) never leaves a stale lock behind.
    """

    POLL_SECONDS = 0.2

    def __init__(self, paths: WarehousePaths, timeout_seconds: float):
        self.paths = paths
        self.timeout_seconds = timeout_seconds
        self._fd: int | None = None

    def acquire(self) -> None:
        self.paths.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.paths.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise WarehouseLockTimeout(
                        f"another refresh is writing {self.paths.published} (lock "
                        f"{self.paths.lock_file} held); gave up after waiting "
                        f"{self.timeout_seconds:g} s. Try again when it has finished."
                    ) from None
                time.sleep(self.POLL_SECONDS)
        # Leave the holder's pid in the file: handy when someone wonders who holds it.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> WarehouseLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def prepare_working_copy(paths: WarehousePaths) -> bool:
    """Start the run's working copy from the published file (or from nothing).

    Returns True when it was copied from a published warehouse, False when the run starts
    from an empty database. Any working copy a failed run left behind is discarded first.
    """
    paths.directory.mkdir(parents=True, exist_ok=True)
    discard_working_copy(paths)
    if not paths.published.exists():
        create_empty_database(paths.working_copy)
        return False
    # Copy to a temporary name, then rename: a crash mid-copy never leaves a truncated
    # working copy that a later step might take for a real one.
    partial = paths.working_copy.with_name(paths.working_copy.name + ".partial")
    shutil.copyfile(paths.published, partial)
    os.replace(partial, paths.working_copy)
    return True


def discard_working_copy(paths: WarehousePaths) -> None:
    for leftover in (
        paths.working_copy,
        paths.working_copy.with_name(paths.working_copy.name + ".wal"),
        paths.working_copy.with_name(paths.working_copy.name + ".partial"),
        paths.working_copy.with_name(paths.working_copy.name + ".rewrite"),
    ):
        leftover.unlink(missing_ok=True)


def publish_working_copy(paths: WarehousePaths) -> None:
    """Make the working copy the published warehouse, atomically and durably.

    CHECKPOINT folds the write-ahead log into the file so that the renamed file is complete
    on its own; fsync before the rename so that a power cut cannot publish a file whose
    blocks never reached the disk; fsync the directory so that the rename itself is durable.
    """
    if not paths.working_copy.exists():
        raise FileNotFoundError(f"no working copy to publish at {paths.working_copy}")
    with duckdb.connect(str(paths.working_copy)) as con:
        con.execute("checkpoint")
        readable = storage_version(con) == f"{READABLE_STORAGE_VERSION}+"
    wal = paths.working_copy.with_name(paths.working_copy.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"working copy still has a write-ahead log after CHECKPOINT: {wal}")
    wal.unlink(missing_ok=True)
    if not readable:
        # A warehouse published before the storage version was chosen: rewritten once.
        rewrite_in_readable_storage(paths.working_copy)
    _fsync_file(paths.working_copy)
    keep_previous_build(paths)
    os.replace(paths.working_copy, paths.published)
    _fsync_directory(paths.directory)


# --------------------------------------------------------------------------------------
# storage version


def create_empty_database(path: Path) -> None:
    """A new, empty DuckDB file in the readable storage format (kept by every later open)."""
    with duckdb.connect(":memory:") as con:
        con.execute(
            f"attach ? as new_database (storage_version '{READABLE_STORAGE_VERSION}')", [str(path)]
        )
        con.execute("detach new_database")


def storage_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The storage version of the connection's database, as DuckDB tags it ('v1.0.0+')."""
    rows = con.execute(
        "select tags['storage_version'] from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    return rows[0][0] if rows else None


def rewrite_in_readable_storage(path: Path) -> None:
    """Copy every schema, table, view and macro of `path` into a new file in the readable
    storage format, and put it in place of `path`."""
    rewritten = path.with_name(path.name + ".rewrite")
    rewritten.unlink(missing_ok=True)
    create_empty_database(rewritten)
    with duckdb.connect(":memory:") as con:
        con.execute("attach ? as old_database (read_only)", [str(path)])
        con.execute("attach ? as new_database", [str(rewritten)])
        con.execute("copy from database old_database to new_database")
        con.execute("detach new_database")
    os.replace(rewritten, path)


# --------------------------------------------------------------------------------------
# snapshots


def keep_previous_build(paths: WarehousePaths) -> Path | None:
    """Before a publish replaces it, keep the published build as a snapshot named by the
    time it was published (its modification time). A hard link: no copy, and the build is
    never modified, since a refresh replaces the published file by renaming, never writes it.
    Where the file system has no hard links, a copy (to a temporary name, then renamed)."""
    if not paths.published.exists():
        return None
    published_at = dt.datetime.fromtimestamp(paths.published.stat().st_mtime, dt.UTC)
    snapshot = paths.snapshot_path(published_at)
    if snapshot.exists():
        return snapshot  # this very build was kept already (a publish that failed after it)
    paths.snapshot_directory.mkdir(parents=True, exist_ok=True)
    try:
        os.link(paths.published, snapshot)
    except OSError:
        partial = snapshot.with_name(snapshot.name + ".partial")
        shutil.copy2(paths.published, partial)
        os.replace(partial, snapshot)
    _fsync_directory(paths.snapshot_directory)
    return snapshot


def rotate_snapshots(paths: WarehousePaths, keep: int = DEFAULT_KEEP_SNAPSHOTS) -> list[Path]:
    """Remove the oldest snapshots beyond the newest `keep`; returns those removed.

    Never the published file (another name, and since the publish, another file), and never
    a snapshot a DuckDB process has open: DuckDB holds a shared lock on every file it opens,
    so a snapshot whose exclusive lock we cannot take is being read and waits for the next
    rotation."""
    if keep < 0:
        raise ValueError(f"keep must be 0 or more, not {keep}")
    snapshots = paths.snapshots()
    removed = []
    for snapshot in snapshots[: max(0, len(snapshots) - keep)]:
        try:
            if _is_open_by_a_reader(snapshot):
                continue
            snapshot.unlink(missing_ok=True)
        except OSError:
            continue  # one we may not open or remove (permissions): left for a person to see to
        removed.append(snapshot)
    return removed


def _is_open_by_a_reader(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return True
        raise
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------
# A damaged published file (truncated, overwritten, not DuckDB at all): set aside, never
# deleted, so that the run rebuilds the warehouse from the source folder.

DAMAGED_INFIX = ".damaged-"
# DuckDB's file opens with three 4 KiB headers, then `total_blocks` blocks.
DUCKDB_HEADER_BYTES = 3 * 4096


@dataclass(frozen=True)
class DamagedWarehouse:
    """A published file that could not serve as the start of a run, and where it now is."""

    kept_at: Path
    problem: str

    def message(self, published: Path) -> str:
        return (
            f"the published warehouse {published} is damaged ({self.problem}); it was kept "
            f"aside as {self.kept_at} and this run rebuilds the warehouse from the source folder"
        )


def find_damage(database: Path) -> str | None:
    """What is wrong with a DuckDB file, or None when it opens, is long enough for the blocks
    its header says are in use, and every table can be counted (cheap: no table's data is
    read, so a file cut short within its last blocks can pass; the run then fails reading
    them and leaves the published file as it was)."""
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            _, _, block_size, _, used_blocks, *_ = con.execute("pragma database_size").fetchall()[0]
            # Free blocks at the end may be cut off by DuckDB itself; used ones never are.
            expected = DUCKDB_HEADER_BYTES + block_size * used_blocks
            actual = database.stat().st_size
            if actual < expected:
                return f"truncated: {actual:,} bytes, fewer than the {expected:,} its blocks in use need"
            tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
            for schema, table in tables:  # names from DuckDB's own catalog, quoted
                con.execute(f'select count(*) from "{_quoted(schema)}"."{_quoted(table)}"').fetchall()
    except duckdb.Error as error:
        return f"DuckDB cannot read it: {error}"
    return None


def _quoted(name: str) -> str:
    return name.replace('"', '""')


def set_aside_if_damaged(paths: WarehousePaths, now: str) -> DamagedWarehouse | None:
    """Check the working copy just made from the published file; when it is damaged, drop the
    copy and rename the published file to `<name>.damaged-<now>` (kept for inspection), so the
    run starts from an empty database. `now` is a timestamp for the name (e.g. 20261207T1402Z)."""
    problem = find_damage(paths.working_copy)
    if problem is None:
        return None
    discard_working_copy(paths)
    kept_at = paths.published.with_name(f"{paths.published.name}{DAMAGED_INFIX}{now}")
    os.replace(paths.published, kept_at)
    _fsync_directory(paths.directory)
    return DamagedWarehouse(kept_at=kept_at, problem=problem)
