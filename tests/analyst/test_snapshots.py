"""Item 4: each publish keeps the build it replaces as a dated snapshot; the last 7 are kept
(across 9 real refreshes); a snapshot is never modified; `attache snapshots` lists them and
`attache sql --snapshot TS` queries one; a snapshot being read is not removed."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from orchestration.publish import WarehousePaths, rotate_snapshots
from tests.conftest import copy_seeds

REFRESHES = 9
KEPT = 7  # the default of --keep-snapshots
SEED_DOCUMENTS = 2

READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    count = "select count(*) from marts.dim_documents"
    print(con.execute(count).fetchone()[0], flush=True)
    sys.stdin.readline()  # hold the file open until the test says so
    print(con.execute(count).fetchone()[0], flush=True)
    """
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_article(source: Path, day: int) -> None:
    """One more short article, so that the refresh has something to publish."""
    (source / f"call_{day:02d}.txt").write_text(
        f"Президент Казахстана Касым-Жомарт Токаев {day} марта 2026 года провел телефонный "
        "разговор с Председателем КНР Си Цзиньпином.\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def nine_refreshes(tmp_path_factory, dbt_manifest):
    """Nine `attache refresh` runs, each adding one article; the oldest snapshot is held open
    by another process during the ninth. Yields what the test needs, then lets the reader go."""
    root = tmp_path_factory.mktemp("snapshots")
    source = copy_seeds(root / "source")
    warehouse = root / "warehouse" / "attache.duckdb"
    paths = WarehousePaths.for_file(warehouse)
    published, kept_after, reader = [], [], None
    for number in range(REFRESHES):
        if number:
            add_article(source, number)
        if number == REFRESHES - 1:
            oldest = paths.snapshots()[0]
            reader = subprocess.Popen([sys.executable, "-c", READER, str(oldest)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
            reader_first = int(reader.stdout.readline())
        assert main(["refresh", "--source", str(source), "--warehouse", str(warehouse)]) == 0
        published.append((digest(warehouse), warehouse.stat().st_ino))
        kept_after.append(list(paths.snapshots()))
    yield warehouse, paths, published, kept_after, (reader, reader_first, oldest)
    if reader.poll() is None:
        reader.kill()


def test_each_publish_keeps_the_build_it_replaces(nine_refreshes):
    _, _, published, kept_after, _ = nine_refreshes
    for number in range(1, REFRESHES):
        newest = kept_after[number][-1]
        assert digest(newest) == published[number - 1][0], f"refresh {number + 1}: newest snapshot is not the previous build"
    assert kept_after[0] == []
    assert [len(kept) for kept in kept_after[: REFRESHES - 1]] == [min(n, KEPT) for n in range(REFRESHES - 1)]


def test_rotation_keeps_the_last_seven_and_never_a_snapshot_being_read(nine_refreshes):
    warehouse, paths, published, kept_after, (reader, reader_first, oldest) = nine_refreshes
    # After the ninth: builds 2..8 are the last seven; build 1 (held open) waits.
    assert kept_after[-1][0] == oldest and len(kept_after[-1]) == KEPT + 1
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert int(reader.stdout.readline()) == reader_first  # read to the end, unchanged
    reader.wait(timeout=30)
    removed = rotate_snapshots(paths)  # what the next publish does first
    assert removed == [oldest]
    kept = paths.snapshots()
    assert [digest(s) for s in kept] == [d for d, _ in published[REFRESHES - 1 - KEPT : REFRESHES - 1]]
    live_inode = warehouse.stat().st_ino
    assert all(s.stat().st_ino != live_inode for s in kept)  # the live file is none of them
    assert digest(warehouse) == published[-1][0]


def test_snapshots_are_listed_with_their_counts(nine_refreshes, capsys):
    warehouse, paths, _, _, _ = nine_refreshes
    capsys.readouterr()
    assert main(["snapshots", "--warehouse", str(warehouse)]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [line.split() for line in lines[1:] if line[:1].isdigit()]
    stamps = [p.stem.removeprefix("attache-") for p in paths.snapshots()]
    assert [row[0] for row in listed] == stamps
    documents = [int(row[3]) for row in listed]  # columns: snapshot, date, time, documents, ...
    assert documents == sorted(documents) and len(set(documents)) == len(documents)
    assert documents[-1] == SEED_DOCUMENTS + REFRESHES - 2  # the build before the last


def test_sql_queries_a_snapshot_by_its_timestamp(nine_refreshes, capsys):
    warehouse, paths, _, _, _ = nine_refreshes
    oldest, newest = paths.snapshots()[0], paths.snapshots()[-1]
    for snapshot in (oldest, newest):
        stamp = snapshot.stem.removeprefix("attache-")
        before = digest(snapshot)
        capsys.readouterr()
        assert main(["sql", "select count(*) as n from marts.dim_documents", "--warehouse", str(warehouse),
                     "--snapshot", stamp]) == 0  # fmt: skip
        printed = [int(n) for n in re.findall(r"│\s*(\d+)\s*│", capsys.readouterr().out)]
        with duckdb.connect(str(snapshot), read_only=True) as con:
            expected = con.execute("select count(*) from marts.dim_documents").fetchone()[0]
        assert printed == [expected]
        assert digest(snapshot) == before


def test_unknown_snapshot_lists_the_kept_ones(nine_refreshes, capsys):
    warehouse, paths, _, _, _ = nine_refreshes
    assert main(["sql", "select 1", "--warehouse", str(warehouse), "--snapshot", "19990101"]) == 2
    error = capsys.readouterr().err
    assert "no snapshot '19990101'" in error
    assert paths.snapshots()[0].stem.removeprefix("attache-") in error
