"""A refresh publishes atomically: readers are never in the way, failures leave the last good
warehouse, and two refreshes never write at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import EXIT_BUSY, RefreshError, main
from orchestration.dbt import DBT_PROJECT_DIR
from orchestration.publish import WarehouseLock, WarehousePaths

NEW_ARTICLE = (
    "Президент Казахстана Касым-Жомарт Токаев 3 марта 2026 года провел телефонный разговор "
    "с Председателем КНР Си Цзиньпином. Стороны обсудили торгово-экономическое сотрудничество.\n"
)

READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    count = "select count(*) from marts.dim_documents"
    print(con.execute(count).fetchall()[0][0], flush=True)
    sys.stdin.readline()  # hold the file open until the test says so
    print(con.execute(count).fetchall()[0][0], flush=True)
    """
)


@pytest.fixture
def published(tmp_path: Path, built_warehouse: Path) -> Path:
    """A copy of the warehouse built from the seeds, as the last good state."""
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_warehouse, warehouse)
    return warehouse


def _count_documents(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from marts.dim_documents").fetchall()[0][0]


def test_reader_holding_the_file_does_not_block_a_refresh(published, seeds_copy, refresh):
    before = _count_documents(published)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert int(reader.stdout.readline()) == before
        (seeds_copy / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        run = refresh(seeds_copy, published)
        assert run.new_documents == 1
        # The reader still sees the warehouse it opened (the old inode) ...
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert int(reader.stdout.readline()) == before
    finally:
        reader.communicate(timeout=60)
    assert reader.returncode == 0, reader.stderr
    # ... and a new reader sees the published refresh.
    assert _count_documents(published) == before + 1


def test_failing_dbt_test_leaves_the_previous_warehouse(tmp_path, published, seeds_copy, refresh, file_digest):
    broken_project = tmp_path / "dbt_project"
    shutil.copytree(
        DBT_PROJECT_DIR, broken_project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    (broken_project / "tests" / "assert_refresh_must_fail.sql").write_text(
        "-- A singular test that always returns a row: dbt build fails.\nselect 1 as failure\n",
        encoding="utf-8",
    )
    (seeds_copy / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    digest = file_digest(published)

    with pytest.raises(RefreshError) as failure:
        refresh(seeds_copy, published, dbt_project_dir=broken_project)

    assert "dbt" in str(failure.value).lower()
    assert file_digest(published) == digest
    assert not published.with_name("attache.duckdb.wal").exists()
    # The lock was released: the next (good) refresh goes through and publishes.
    run = refresh(seeds_copy, published)
    assert run.new_documents == 1
    assert file_digest(published) != digest


def test_failing_extraction_leaves_the_previous_warehouse(published, seeds_copy, refresh, file_digest, monkeypatch):
    import orchestration.extract

    def broken_extract(documents, reference):
        raise RuntimeError("extractor exploded")

    # the asset's batches call it (in a worker thread: its error must still fail the run)
    monkeypatch.setattr(orchestration.extract, "extract", broken_extract)
    (seeds_copy / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    digest = file_digest(published)
    with pytest.raises(RefreshError, match="extractor exploded"):
        refresh(seeds_copy, published)
    assert file_digest(published) == digest


def test_second_refresh_waits_then_gives_up_with_a_clear_message(published, seeds_copy, file_digest, dbt_manifest, capsys):
    digest = file_digest(published)
    with WarehouseLock(WarehousePaths.for_file(published), timeout_seconds=0):
        exit_code = main(
            ["refresh", "--source", str(seeds_copy), "--warehouse", str(published), "--lock-timeout", "1"]
        )
    err = capsys.readouterr().err
    assert exit_code == EXIT_BUSY
    assert "another refresh" in err and "gave up after waiting 1 s" in err
    assert file_digest(published) == digest


def test_failed_refresh_exits_non_zero_from_the_command_line(tmp_path, capsys):
    exit_code = main(["refresh", "--source", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert exit_code != 0
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


VIEW_READER = textwrap.dedent(
    """
    import sys, duckdb
    VIEW = "select (select count(*) from marts.dim_documents), (select count(*) from marts.fct_event_mentions)"
    con = duckdb.connect(sys.argv[1], read_only=True)
    for command in sys.stdin:  # 'read' prints the view; 'reopen' opens the file anew first
        if command.strip() == "reopen":
            con.close()
            con = duckdb.connect(sys.argv[1], read_only=True)
        print(*con.execute(VIEW).fetchall()[0], flush=True)
    """
)


def test_two_refreshes_at_once_under_a_reader(published, seeds_copy, dbt_manifest, file_digest):
    """Two `attache refresh` processes started together while a reader holds the warehouse:
    the second waits for the first (so only one of them finds the new article), both exit 0,
    and the reader keeps its old view until it reopens the file."""
    attache = Path(sys.executable).with_name("attache")
    if not attache.exists():
        pytest.skip("the attache console script is not installed in this environment")
    reader = subprocess.Popen(
        [sys.executable, "-c", VIEW_READER, str(published)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def ask(command: str) -> tuple[int, int]:
        reader.stdin.write(command + "\n")
        reader.stdin.flush()
        return tuple(int(n) for n in reader.stdout.readline().split())

    try:
        before = ask("read")
        (seeds_copy / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        command = [str(attache), "refresh", "--source", str(seeds_copy), "--warehouse", str(published)]
        refreshes = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [refresh.communicate(timeout=600) for refresh in refreshes]
        for refresh, (out, err) in zip(refreshes, outputs, strict=True):
            assert refresh.returncode == 0, err
        summaries = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
        # One run landed the article; the other, which waited for the lock, found nothing new.
        assert [" (1 new)" in s for s in summaries].count(True) == 1, summaries
        assert [" (0 new)" in s for s in summaries].count(True) == 1, summaries

        assert ask("read") == before  # the reader's file is the one it opened
        after = ask("reopen")
        assert after[0] == before[0] + 1 and after[1] > before[1]
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
    assert reader.returncode == 0, reader.stderr.read()
    paths = WarehousePaths.for_file(published)
    assert not paths.working_copy.exists()
    assert _count_documents(published) == before[0] + 1
