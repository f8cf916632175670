"""Ingest in groups of files lands exactly what one group of every file lands, and every
connection of a refresh has DuckDB's memory limit and spills inside the warehouse folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.ingest import batches
from orchestration.ingest.batches import file_groups
from benchmarks.marts import mart_hashes

RAW_TABLES_COMPARED = {
    "documents": "select * exclude (ingested_at, extracted_at) from raw.documents",
    "document_sources": "select * exclude (recorded_at) from raw.document_sources",
    "duplicates": "select * exclude (recorded_at) from raw.duplicates",
    "ingest_errors": "select * exclude (recorded_at) from raw.ingest_errors",
}


def raw_rows(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {table: sorted(con.execute(sql).fetchall(), key=repr) for table, sql in RAW_TABLES_COMPARED.items()}


def test_file_groups_follow_sizes_in_name_order():
    scanned = pl.DataFrame(
        {"source_name": ["a", "b", "c", "d", "e"], "size_bytes": [40, 30, 100, None, 10]},
        schema={"source_name": pl.String, "size_bytes": pl.Int64},
    )
    assert file_groups(scanned, ["e", "c", "a", "b", "d"], max_bytes=70) == [["a", "b"], ["c"], ["d", "e"]]
    assert file_groups(scanned, ["b", "a"], max_bytes=1) == [["a"], ["b"]]
    assert file_groups(scanned, []) == []


@pytest.fixture(scope="module")
def corpus_with_copies(seeds_and_news: Path, tmp_path_factory) -> Path:
    """seeds + news, and copies of a seed and of the news file under later names: documents
    that several groups hold."""
    folder = tmp_path_factory.mktemp("copies") / "source"
    shutil.copytree(seeds_and_news, folder)
    first_seed = sorted(folder.glob("*.txt"))[0]
    shutil.copy(first_seed, folder / "zz_copy_of_seed.txt")
    shutil.copy(folder / "news.jsonl.gz", folder / "zz_news_again.jsonl.gz")
    (folder / "zz_broken.jsonl").write_text('{"text": "ok line one Путин и Токаев провели переговоры."}\n{not json\n')
    return folder


def test_one_file_per_group_lands_what_one_group_lands(corpus_with_copies, tmp_path, refresh, monkeypatch):
    one_group, per_file = tmp_path / "one" / "attache.duckdb", tmp_path / "per_file" / "attache.duckdb"
    monkeypatch.setattr(batches, "MAX_GROUP_BYTES", 10**12)
    refresh(corpus_with_copies, one_group)
    monkeypatch.setattr(batches, "MAX_GROUP_BYTES", 1)  # every file its own group
    refresh(corpus_with_copies, per_file)
    expected = raw_rows(one_group)
    assert len(expected["duplicates"]) > 200 and expected["ingest_errors"]  # the copies and the bad line
    assert raw_rows(per_file) == expected
    assert mart_hashes(per_file) == mart_hashes(one_group)


def test_refresh_connections_have_the_memory_limit_and_spill_folder(built_warehouse, tmp_path, monkeypatch):
    from orchestration.resources import WarehouseResource

    monkeypatch.setenv("ATTACHE_DUCKDB_MEMORY_LIMIT", "300MB")
    warehouse = tmp_path / "wh" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(built_warehouse, warehouse)
    resource = WarehouseResource(path=str(warehouse))
    import dagster as dg

    with dg.build_init_resource_context() as context:
        resource.setup_for_execution(context)
        try:
            with resource.connect() as con:
                limit, temp = con.execute(
                    "select current_setting('memory_limit'), current_setting('temp_directory')"
                ).fetchone()
        finally:
            resource.teardown_after_execution(context)
    assert limit.replace(" ", "") in {"286.1MiB", "300.0MB"}, limit
    assert Path(temp) == warehouse.parent / ".duckdb_tmp"


MOVED_ARTICLE = (
    "Президент Казахстана Касым-Жомарт Токаев провёл телефонный разговор с президентом "
    "Узбекистана Шавкатом Мирзиёевым. Стороны обсудили подготовку к визиту."
)


def test_article_moving_to_a_later_group_keeps_its_rows(seeds_copy, tmp_path, refresh, query, monkeypatch):
    """a.txt's article moves to b.txt, read in a later group: its row (ingested_at) and its
    extracted rows (extracted_at) stay, as when both files are read in one group."""
    monkeypatch.setattr(batches, "MAX_GROUP_BYTES", 1)  # every file its own group
    warehouse = tmp_path / "w" / "attache.duckdb"
    (seeds_copy / "a.txt").write_text(MOVED_ARTICLE, encoding="utf-8")
    refresh(seeds_copy, warehouse)
    sql = "select document_id, ingested_at, extracted_at, source_name from raw.documents where body = ?"
    [(document_id, ingested_at, extracted_at, _)] = query(warehouse, sql, [MOVED_ARTICLE])
    (seeds_copy / "a.txt").write_text("Токаев и Мирзиёев встретились в Ташкенте.", encoding="utf-8")
    (seeds_copy / "b.txt").write_text(MOVED_ARTICLE, encoding="utf-8")
    refresh(seeds_copy, warehouse)
    assert query(warehouse, sql, [MOVED_ARTICLE]) == [(document_id, ingested_at, extracted_at, "b.txt")]
    assert query(warehouse, "select count(*) from raw.event_mentions where document_id = ?", [document_id])[0][0] > 0
    # no document is left that no file holds
    assert query(warehouse, "select count(*) from raw.documents where document_id not in "
                 "(select document_id from raw.document_sources)") == [(0,)]  # fmt: skip
