"""Refreshes are incremental and idempotent per file and per document, end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.cli import main

EXTRACTED = ("sentences", "entity_mentions", "event_mentions", "figure_mentions")


@pytest.fixture
def published(tmp_path: Path, built_warehouse: Path) -> Path:
    warehouse = tmp_path / "warehouse" / "attache.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_warehouse, warehouse)
    return warehouse


def _documents(query, warehouse: Path) -> dict[str, str]:
    return dict(query(warehouse, "select source_name, document_id from raw.documents"))


def _extracted_rows(query, warehouse: Path, document_id: str) -> int:
    return sum(
        query(warehouse, f"select count(*) from raw.{table} where document_id = ?", [document_id])[0][0]
        for table in EXTRACTED
    )


def test_removed_file_is_kept_by_default_and_pruned_on_request(published, seeds_copy, query, dbt_manifest, capsys):
    documents = _documents(query, published)
    gone_name = sorted(documents)[0]
    gone_id = documents[gone_name]
    assert _extracted_rows(query, published, gone_id) > 0
    (seeds_copy / gone_name).unlink()

    assert main(["refresh", "--source", str(seeds_copy), "--warehouse", str(published)]) == 0
    assert gone_name in _documents(query, published)
    assert query(published, "select count(*) from marts.dim_documents where document_id = ?", [gone_id]) == [(1,)]

    assert main(["refresh", "--source", str(seeds_copy), "--warehouse", str(published), "--prune"]) == 0
    capsys.readouterr()
    assert gone_name not in _documents(query, published)
    assert _extracted_rows(query, published, gone_id) == 0
    assert query(published, "select count(*) from raw.source_files where source_name = ?", [gone_name]) == [(0,)]
    assert query(published, "select count(*) from marts.dim_documents where document_id = ?", [gone_id]) == [(0,)]
    assert query(published, "select count(*) from marts.fct_event_mentions where document_id = ?", [gone_id]) == [(0,)]
    # The other documents are untouched.
    assert set(_documents(query, published)) == set(documents) - {gone_name}


def test_changed_file_replaces_its_document_and_only_it(published, seeds_copy, refresh, query):
    before = _documents(query, published)
    ingested_before = dict(query(published, "select document_id, ingested_at from raw.documents"))
    changed_name, kept_name = sorted(before)[:2]
    path = seeds_copy / changed_name
    path.write_text("Обновлено редакцией.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")

    run = refresh(seeds_copy, published)

    after = _documents(query, published)
    assert run.new_documents == 1
    assert after[changed_name] != before[changed_name]
    assert _extracted_rows(query, published, before[changed_name]) == 0
    assert _extracted_rows(query, published, after[changed_name]) > 0
    assert after[kept_name] == before[kept_name]
    ingested_after = dict(query(published, "select document_id, ingested_at from raw.documents"))
    assert ingested_after[before[kept_name]] == ingested_before[before[kept_name]]


def test_new_extractor_version_re_extracts_every_document(published, seeds_copy, refresh, query, monkeypatch):
    import orchestration.schemas
    from orchestration.extract import extractor_version

    n_documents = query(published, "select count(*) from raw.documents")[0][0]
    old_version = extractor_version()
    monkeypatch.setattr(orchestration.schemas, "EXTRACTOR_VERSION", "next-test-version")
    new_version = extractor_version()
    assert new_version != old_version

    refresh(seeds_copy, published)

    assert query(
        published, "select extractor_version, count(*) from raw.documents group by 1"
    ) == [(new_version, n_documents)]
    for table in EXTRACTED:
        versions = {row[0] for row in query(published, f"select distinct extractor_version from raw.{table}")}
        assert versions <= {new_version}
    assert query(published, "select count(*) from marts.fct_event_mentions")[0][0] > 0


# Columns that record when a row was landed, not what it says: they differ between two builds.
# `extractor_version` fingerprints the extractor's source files as they are on disk, which
# differ between two builds only while someone edits them (as during development).
LANDING_TIME_COLUMNS = {"ingested_at", "extracted_at", "extractor_version"}


def _marts_by_key(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the rows in key order) per mart, without the landing-time columns."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append(column)
        digests = {}
        for table, names in columns.items():
            kept = [name for name in names if name not in LANDING_TIME_COLUMNS]
            # Names come from the catalog; quoted as identifiers. The whole row (key first) orders.
            row = "row(" + ", ".join(f'"{name}"' for name in kept) + ")::varchar"
            digests[table] = con.execute(
                f'select count(*), md5(coalesce(string_agg({row}, chr(10) order by {row}), \'\')) '
                f'from marts."{table}"'
            ).fetchall()[0]
        return digests


def test_an_edit_replaces_rows_and_the_same_input_gives_identical_marts(
    published, built_warehouse, seeds_copy, refresh, query
):
    """Edit an article in place, then put it back: the marts in between hold the new rows and
    none of the old, and the same input as before gives exactly the marts of before (the
    document re-extracted, every mart rebuilt by dbt)."""
    warehouse = published
    original = _marts_by_key(warehouse)
    assert all(rows > 0 for table, (rows, _) in original.items() if table != "investment_figures")

    # An article edited in place: its old rows go, its new ones come, nothing is doubled.
    documents = _documents(query, warehouse)
    name = sorted(documents)[0]
    old_id = documents[name]
    path = seeds_copy / name
    text = path.read_text(encoding="utf-8")
    # At the top: the end of an article may be a teaser block, which ingest cuts off.
    edited = (
        "Президент Туркменистана Сердар Бердымухамедов 4 марта 2026 года провёл телефонный "
        "разговор с Президентом России Владимиром Путиным.\n" + text
    )
    path.write_text(edited, encoding="utf-8")
    run = refresh(seeds_copy, warehouse)
    new_id = _documents(query, warehouse)[name]
    assert run.new_documents == 1 and new_id != old_id
    for mart in ("dim_documents", "fct_event_mentions", "fct_figure_mentions", "fct_entity_mentions"):
        assert query(warehouse, f"select count(*) from marts.{mart} where document_id = ?", [old_id]) == [(0,)]
    assert query(warehouse, "select count(*) from marts.dim_documents") == [(original["dim_documents"][0],)]
    assert query(
        warehouse,
        "select count(*) from marts.fct_event_mentions where document_id = ? and 'TM' = any(participant_countries)",
        [new_id],
    ) == [(1,)]
    for key, mart in (("mention_id", "fct_event_mentions"), ("figure_id", "fct_figure_mentions"), ("event_id", "fct_events")):
        assert query(warehouse, f"select count(*) - count(distinct {key}) from marts.{mart}") == [(0,)]

    # Edited back: the marts are again exactly those of the original input.
    path.write_text(text, encoding="utf-8")
    run = refresh(seeds_copy, warehouse)
    assert run.new_documents == 1 and _documents(query, warehouse)[name] == old_id
    assert _marts_by_key(warehouse) == original
