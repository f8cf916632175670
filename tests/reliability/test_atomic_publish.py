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
    import orchestration.assets

    def broken_extract(documents, reference):
        raise RuntimeError("extractor exploded")

    monkeypatch.setattr(orchestration.assets, "extract", broken_extract)
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
