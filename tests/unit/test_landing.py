"""Landing in DuckDB (real DuckDB, in memory): replace per file, keep what did not change."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from orchestration import landing, schemas

T0 = dt.datetime(2026, 1, 1, 12, 0)
T1 = dt.datetime(2026, 1, 2, 12, 0)


@pytest.fixture
def con():
    connection = duckdb.connect()
    landing.ensure_raw_tables(connection)
    yield connection
    connection.close()


def docs(*rows: tuple[str, str, int | None, str]) -> pl.DataFrame:
    """(document_id, source_name, source_line, body) rows as a DOCUMENTS frame."""
    frame = pl.DataFrame(
        [{"document_id": d, "source_name": s, "source_line": line, "body": b, "language": "ru"} for d, s, line, b in rows],
        schema={"document_id": pl.String, "source_name": pl.String, "source_line": pl.Int32, "body": pl.String, "language": pl.String},
    )
    return schemas.conform(frame, schemas.DOCUMENTS)


def errors(*rows: tuple[str, str]) -> pl.DataFrame:
    frame = pl.DataFrame(
        [{"source_name": s, "reason": r} for s, r in rows], schema={"source_name": pl.String, "reason": pl.String}
    )
    return schemas.conform(frame, schemas.INGEST_ERRORS)


def listing(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"source_name": s, "size_bytes": 10, "fingerprint": f} for s, f in rows], schema=schemas.SOURCE_FILES
    )


def extracted_for(document_ids: list[str]) -> dict[str, pl.DataFrame]:
    sentences = pl.DataFrame(
        {"document_id": document_ids, "sentence_index": [0] * len(document_ids), "sentence": ["s"] * len(document_ids)}
    )
    return {
        "sentences": sentences,
        "entity_mentions": schemas.empty(schemas.ENTITY_MENTIONS),
        "event_mentions": schemas.empty(schemas.EVENT_MENTIONS),
        "figure_mentions": schemas.empty(schemas.FIGURE_MENTIONS),
    }


def land(con, scanned, read, documents, errs=None, pruned=(), now=T0):
    return landing.land_ingest(
        con,
        scanned=scanned,
        read_files=read,
        documents=documents,
        errors=errs if errs is not None else errors(),
        pruned_files=list(pruned),
        now=now,
    )


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_compare_sources_splits_new_changed_unchanged_missing():
    scanned = listing(("a.txt", "1"), ("b.txt", "2"), ("c.txt", "3"))
    known = listing(("a.txt", "1"), ("b.txt", "old"), ("gone.txt", "9"))
    changes = landing.compare_sources(scanned, known)
    assert changes.to_read == ["b.txt", "c.txt"]
    assert changes.unchanged == ["a.txt"]
    assert changes.missing == ["gone.txt"]


def test_ensure_raw_tables_adds_columns_a_newer_schema_declares(con):
    con.execute("alter table raw.documents drop column outlet")
    landing.ensure_raw_tables(con)
    columns = {r[0] for r in rows(con, "select column_name from information_schema.columns where table_name = 'documents'")}
    assert "outlet" in columns


def test_first_landing_and_per_file_counts(con):
    result = land(
        con,
        listing(("a.txt", "1"), ("bad.txt", "2")),
        ["a.txt", "bad.txt"],
        docs(("d1", "a.txt", None, "Тело один.")),
        errors(("bad.txt", "not UTF-8")),
    )
    assert (result.new_documents, result.errors) == (1, 1)
    assert rows(con, "select document_id, ingested_at, extractor_version from raw.documents") == [("d1", T0, None)]
    assert rows(con, "select source_name, n_documents, n_errors from raw.source_files order by 1") == [
        ("a.txt", 1, 0),
        ("bad.txt", 0, 1),
    ]


def test_changed_file_keeps_unchanged_documents_and_their_extraction(con):
    land(con, listing(("bulk.jsonl", "1")), ["bulk.jsonl"], docs(("d1", "bulk.jsonl", 1, "один"), ("d2", "bulk.jsonl", 2, "два")))
    landing.replace_extracted(con, ["d1", "d2"], extracted_for(["d1", "d2"]), "v1")

    # The file changes: line 2 is edited (new id), line 3 added; line 1 is the same text.
    result = land(
        con,
        listing(("bulk.jsonl", "2")),
        ["bulk.jsonl"],
        docs(("d1", "bulk.jsonl", 1, "один"), ("d2b", "bulk.jsonl", 2, "два!"), ("d3", "bulk.jsonl", 3, "три")),
        now=T1,
    )
    assert (result.new_documents, result.kept_documents, result.removed_documents) == (2, 1, 1)
    assert rows(con, "select document_id, ingested_at, extractor_version from raw.documents order by 1") == [
        ("d1", T0, "v1"),
        ("d2b", T1, None),
        ("d3", T1, None),
    ]
    assert rows(con, "select document_id from raw.sentences order by 1") == [("d1",)]
    assert landing.documents_pending_extraction(con, "v1") == ["d2b", "d3"]


def test_same_id_with_changed_date_is_re_extracted(con):
    land(con, listing(("a.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "текст")))
    landing.replace_extracted(con, ["d1"], extracted_for(["d1"]), "v1")
    moved = docs(("d1", "a.txt", None, "текст")).with_columns(published_at=pl.lit(dt.date(2025, 8, 15)))
    land(con, listing(("a.txt", "2")), ["a.txt"], moved, now=T1)
    assert rows(con, "select extractor_version, ingested_at from raw.documents") == [(None, T0)]
    assert rows(con, "select count(*) from raw.sentences") == [(0,)]


def test_errors_are_replaced_per_file(con):
    land(con, listing(("a.txt", "1"), ("b.txt", "1")), ["a.txt", "b.txt"], docs(), errors(("a.txt", "empty file"), ("b.txt", "binary")))
    # a.txt is fixed; b.txt is untouched.
    land(con, listing(("a.txt", "2"), ("b.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "теперь есть текст")), now=T1)
    assert rows(con, "select source_name, reason from raw.ingest_errors") == [("b.txt", "binary")]
    assert rows(con, "select count(*) from raw.documents") == [(1,)]


def test_duplicate_articles_land_once_and_are_reported(con):
    land(con, listing(("a.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "одно и то же")))
    result = land(
        con,
        listing(("a.txt", "1"), ("copy.txt", "1"), ("bulk.jsonl", "2")),
        ["copy.txt", "bulk.jsonl"],
        docs(("d1", "copy.txt", None, "одно и то же"), ("d2", "bulk.jsonl", 1, "x"), ("d2", "bulk.jsonl", 2, "x")),
        now=T1,
    )
    assert result.duplicates == 2
    assert rows(con, "select document_id, source_name from raw.documents order by 1") == [("d1", "a.txt"), ("d2", "bulk.jsonl")]
    # Every copy is recorded; raw.duplicates names the copy each one duplicates.
    assert rows(con, "select source_name, source_line, document_id from raw.document_sources order by 1, 2") == [
        ("a.txt", None, "d1"),
        ("bulk.jsonl", 1, "d2"),
        ("bulk.jsonl", 2, "d2"),
        ("copy.txt", None, "d1"),
    ]
    assert rows(con, "select source_name, source_line, duplicate_of, duplicate_of_line from raw.duplicates order by 1") == [
        ("bulk.jsonl", 2, "bulk.jsonl", 1),
        ("copy.txt", None, "a.txt", None),
    ]
    assert rows(con, "select count(*) from raw.ingest_errors") == [(0,)]


def test_pruning_one_copy_keeps_the_document_held_by_the_other(con):
    land(con, listing(("a.txt", "1"), ("b.txt", "1")), ["a.txt", "b.txt"], docs(("d1", "a.txt", None, "одно"), ("d1", "b.txt", None, "одно")))
    landing.replace_extracted(con, ["d1"], extracted_for(["d1"]), "v1")
    result = land(con, listing(("b.txt", "1")), [], docs(), pruned=["a.txt"], now=T1)
    assert result.removed_documents == 0
    # The row now points at the copy that is left, and keeps its extraction.
    assert rows(con, "select document_id, source_name, extractor_version from raw.documents") == [("d1", "b.txt", "v1")]
    assert rows(con, "select document_id from raw.sentences") == [("d1",)]
    assert rows(con, "select count(*) from raw.duplicates") == [(0,)]
    result = land(con, listing(), [], docs(), pruned=["b.txt"], now=T1)
    assert result.removed_documents == 1
    assert rows(con, "select count(*) from raw.documents union all select count(*) from raw.sentences") == [(0,), (0,)]


def test_editing_the_landed_copy_keeps_the_document_of_the_other(con):
    land(con, listing(("a.txt", "1"), ("b.txt", "1")), ["a.txt", "b.txt"], docs(("d1", "a.txt", None, "одно"), ("d1", "b.txt", None, "одно")))
    result = land(con, listing(("a.txt", "2"), ("b.txt", "1")), ["a.txt"], docs(("d2", "a.txt", None, "другое")), now=T1)
    assert (result.new_documents, result.removed_documents) == (1, 0)
    assert rows(con, "select document_id, source_name from raw.documents order by 1") == [("d1", "b.txt"), ("d2", "a.txt")]
    assert landing.files_to_reread(con, ["b.txt"], ["a.txt"]) == []


def test_prune_removes_documents_extraction_and_file_row(con):
    land(con, listing(("a.txt", "1"), ("b.txt", "2")), ["a.txt", "b.txt"], docs(("d1", "a.txt", None, "один"), ("d2", "b.txt", None, "два")))
    landing.replace_extracted(con, ["d1", "d2"], extracted_for(["d1", "d2"]), "v1")
    result = land(con, listing(("a.txt", "1")), [], docs(), pruned=["b.txt"], now=T1)
    assert result.removed_documents == 1
    assert rows(con, "select document_id from raw.documents") == [("d1",)]
    assert rows(con, "select document_id from raw.sentences") == [("d1",)]
    assert rows(con, "select source_name from raw.source_files") == [("a.txt",)]


def test_replace_extracted_swaps_rows_and_sets_version(con):
    land(con, listing(("a.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "один")))
    landing.replace_extracted(con, ["d1"], extracted_for(["d1", "d1"]), "v1")
    inserted = landing.replace_extracted(con, ["d1"], extracted_for(["d1"]), "v2")
    assert inserted["sentences"] == 1
    assert rows(con, "select extractor_version, count(*) from raw.sentences group by 1") == [("v2", 1)]
    assert rows(con, "select extractor_version from raw.documents") == [("v2",)]
    assert landing.documents_pending_extraction(con, "v2") == []


def test_replace_extracted_rolls_back_when_a_frame_is_missing(con):
    land(con, listing(("a.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "один")))
    landing.replace_extracted(con, ["d1"], extracted_for(["d1"]), "v1")
    partial = extracted_for(["d1"])
    del partial["figure_mentions"]
    with pytest.raises(ValueError, match="figure_mentions"):
        landing.replace_extracted(con, ["d1"], partial, "v2")
    assert rows(con, "select extractor_version from raw.documents") == [("v1",)]
    assert rows(con, "select count(*) from raw.sentences") == [(1,)]


def test_a_file_that_cannot_be_opened_keeps_its_documents_until_it_can(con):
    land(con, listing(("a.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "одно")))
    locked = errors(("a.txt", "cannot read file: permission denied"))
    land(con, listing(("a.txt", "locked")), ["a.txt"], docs(), locked, now=T1)
    assert rows(con, "select document_id, source_name from raw.documents") == [("d1", "a.txt")]
    assert rows(con, "select reason from raw.ingest_errors") == [("cannot read file: permission denied",)]
    # Readable again, with other text: the file's copies are replaced as for any change.
    land(con, listing(("a.txt", "2")), ["a.txt"], docs(("d2", "a.txt", None, "другое")), now=T1)
    assert rows(con, "select document_id from raw.documents") == [("d2",)]
    assert rows(con, "select count(*) from raw.ingest_errors") == [(0,)]


def test_unchanged_copies_of_a_changed_landed_copy_are_read_again(con):
    land(con, listing(("a.txt", "1"), ("b.txt", "1")), ["a.txt", "b.txt"], docs(("d1", "a.txt", None, "одно"), ("d1", "b.txt", None, "одно")))
    assert landing.files_to_reread(con, ["a.txt"], ["b.txt"]) == ["b.txt"]
    assert landing.files_to_reread(con, ["a.txt"], []) == []  # b.txt left the folder
    assert landing.files_to_reread(con, ["b.txt"], ["a.txt"]) == []  # a.txt's copy is the row


def test_a_warehouse_from_before_document_sources_is_brought_over(con):
    land(con, listing(("a.txt", "1")), ["a.txt"], docs(("d1", "a.txt", None, "одно")))
    con.execute("drop view raw.duplicates")
    con.execute("drop table raw.document_sources")
    con.execute(
        "insert into raw.ingest_errors values "
        "('copy.txt', null, 'duplicate of document d1 already landed from a.txt', ?), "
        "('gone.txt', null, 'duplicate of document d9 already landed from x.txt', ?)",
        [T0, T0],
    )
    landing.ensure_raw_tables(con)
    assert rows(con, "select source_name, document_id from raw.document_sources order by 1") == [
        ("a.txt", "d1"),
        ("copy.txt", "d1"),
    ]
    assert rows(con, "select count(*) from raw.ingest_errors") == [(0,)]
    # Pruning the landed copy now keeps the document: copy.txt holds it.
    land(con, listing(("copy.txt", "1")), [], docs(), pruned=["a.txt"], now=T1)
    assert rows(con, "select document_id, source_name from raw.documents") == [("d1", "copy.txt")]
