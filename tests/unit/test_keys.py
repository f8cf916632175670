"""Keys follow one scheme (orchestration/keys.py), pinned to literal values: a dependency
upgrade (polars, DuckDB) or an edit that changes a key fails here, loudly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import jinja2
import polars as pl
import pytest

from orchestration.extract import extract
from orchestration.keys import SEPARATOR, key_expr, stable_key
from orchestration.reference import load_reference

MACRO = Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "stable_key.sql"

# (fields, key): computed once by hand as md5("d0␟phone_call␟KZ,RU␟2025-11-12␟42␟occurred␟").
PINNED = [
    (("d0", "phone_call", ["KZ", "RU"], dt.date(2025, 11, 12), 42, "occurred", None), "2aa56f86da2045093b9004f37e302a98"),
    (("abc", 1, 2, "country", "KZ"), "80375f27733f2fdd9b37753c27d2692c"),
]


def render_macro(fields: list[str]) -> str:
    """The SQL the dbt macro `stable_key` renders for these field expressions."""
    template = jinja2.Environment().from_string(MACRO.read_text(encoding="utf-8") + "{{ stable_key(fields) }}")
    return template.render(fields=fields)


@pytest.mark.parametrize(("fields", "key"), PINNED)
def test_python_key_is_pinned(fields, key):
    assert stable_key(*fields) == key


def test_polars_expression_gives_the_same_keys():
    frame = pl.DataFrame(
        {
            "document_id": ["d0"],
            "event_type": ["phone_call"],
            "participants": [["KZ", "RU"]],
            "start_date": [dt.date(2025, 11, 12)],
            "char_start": pl.Series([42], dtype=pl.Int32),
            "modality": ["occurred"],
            "organisation_id": pl.Series([None], dtype=pl.String),
        }
    )
    keys = frame.select(
        key_expr(
            "document_id", "event_type", pl.col("participants").list.join(","), "start_date",
            "char_start", "modality", "organisation_id",
        )
    ).to_series()
    assert keys.to_list() == [PINNED[0][1]]


def test_dbt_macro_gives_the_same_keys_in_duckdb():
    sql = render_macro(["document_id", "event_type", "array_to_string(participants, ',')", "start_date", "char_start", "modality", "organisation_id"])
    with duckdb.connect() as con:
        key = con.execute(
            f"select {sql} from (select 'd0' as document_id, 'phone_call' as event_type, "
            "['KZ', 'RU'] as participants, date '2025-11-12' as start_date, 42 as char_start, "
            "'occurred' as modality, null::varchar as organisation_id)"
        ).fetchall()[0][0]
    assert key == PINNED[0][1]
    assert "chr(31)" in sql and SEPARATOR == chr(31)


def test_floats_are_refused_as_key_fields():
    with pytest.raises(TypeError, match="floats"):
        stable_key("d0", 4.0e9)


def test_extracted_keys_follow_the_scheme():
    body = (
        "Президент России Владимир Путин провёл телефонный разговор с президентом Казахстана "
        "Касым-Жомартом Токаевым 12 ноября 2025 года. Товарооборот достиг 2,5 млрд долларов."
    )
    documents = pl.DataFrame(
        {"document_id": ["d0"], "body": [body], "language": ["ru"], "published_at": [dt.date(2025, 12, 4)]},
        schema_overrides={"published_at": pl.Date},
    )
    frames = extract(documents, load_reference())
    events = frames["event_mentions"]
    assert events.height >= 1
    for row in events.iter_rows(named=True):
        expected = stable_key(
            row["document_id"], row["event_type"], row["participant_countries"], row["start_date"],
            row["char_start"], row["modality"], row["organisation_id"],
        )
        assert row["mention_id"] == expected
    figures = frames["figure_mentions"]
    assert figures.height >= 1
    for row in figures.iter_rows(named=True):
        assert row["figure_id"] == stable_key(row["document_id"], row["char_start"], row["unit"], round(row["value"] * 1000))
