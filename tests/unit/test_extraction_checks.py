"""The extraction asset's checks count the offending rows of the documents a run extracted:
an evidence sentence that is not in its document's body, an entity whose offsets do not
point at its surface text. Real DuckDB, the checks' own SQL."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from orchestration import landing, schemas
from orchestration.assets import _ENTITY_OFFSETS_SQL, _EVIDENCE_CHECK_SQL

BODY = "Путин провёл переговоры с Си Цзиньпином. Стороны подписали 20 документов."


def rows(table: str, **columns) -> pl.DataFrame:
    return schemas.conform(pl.DataFrame(columns), schemas.EXTRACTED_TABLES.get(table) or schemas.DOCUMENTS)


@pytest.fixture
def con():
    con = duckdb.connect()
    landing.ensure_raw_tables(con)
    frames = {
        "documents": rows("documents", document_id=["good", "bad", "unchecked"], body=[BODY] * 3),
        "entity_mentions": rows(
            "entity_mentions",
            document_id=["good", "bad", "bad", "unchecked"],
            surface=["Путин", "Путин", "Си Цзиньпином", "Путин"],
            char_start=[0, 0, 20, 3],  # "bad": the second offset points elsewhere; "unchecked" too
            char_end=[5, 5, 33, 8],
        ),
        "event_mentions": rows(
            "event_mentions",
            document_id=["good", "bad", "unchecked"],
            evidence=["Путин провёл переговоры с Си Цзиньпином.", "Путин провёл переговоры в Москве.", "nowhere"],
        ),
        "figure_mentions": rows(
            "figure_mentions", document_id=["good", "bad"], evidence=["Стороны подписали 20 документов.", "20 документов"]
        ),
    }
    for table, frame in frames.items():
        con.register("frame", frame)
        con.execute(f"insert into raw.{table} by name select * from frame")
        con.unregister("frame")
    con.register("checked_documents", pl.DataFrame({"document_id": ["good", "bad"]}))
    return con


def test_offsets_check_counts_the_mention_whose_offsets_miss_its_surface(con):
    assert con.execute(_ENTITY_OFFSETS_SQL).fetchall()[0][0] == 1


def test_evidence_check_counts_the_sentence_not_in_its_body(con):
    assert con.execute(_EVIDENCE_CHECK_SQL["event_mentions"]).fetchall()[0][0] == 1
    # "20 документов" is in the body: a fragment of it passes
    assert con.execute(_EVIDENCE_CHECK_SQL["figure_mentions"]).fetchall()[0][0] == 0


def test_only_the_checked_documents_are_read(con):
    con.register("checked_documents", pl.DataFrame({"document_id": ["good"]}))
    assert con.execute(_ENTITY_OFFSETS_SQL).fetchall()[0][0] == 0
    assert con.execute(_EVIDENCE_CHECK_SQL["event_mentions"]).fetchall()[0][0] == 0
