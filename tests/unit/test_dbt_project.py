"""The dbt project built for real (dbt-duckdb) on small hand-written raw tables.

Each scenario lands raw rows with the orchestration's own DDL (`landing.ensure_raw_tables`),
runs `dbt build` (seeds, models and every data test) on a copy of `dbt_project/` against a
scratch DuckDB file, and checks the marts. Country codes are ones any gazetteer of the
project holds (Russia, the US and the Central Asian states); exchange rates are read from
the built `reference.fx_rates`, not assumed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration import landing, schemas

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
SEED_FILES = ["countries", "actors", "organisations", "aliases", "fx_rates"]
NOW = dt.datetime(2025, 12, 5, 10, 0)
VERSION = schemas.EXTRACTOR_VERSION


def dbt_executable() -> str:
    sibling = Path(sys.executable).with_name("dbt")
    return str(sibling) if sibling.exists() else (shutil.which("dbt") or "dbt")


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, so that dbt's target/ and logs/ never land in the repository."""
    missing = [name for name in SEED_FILES if not (DBT_PROJECT_DIR / "seeds" / f"{name}.csv").exists()]
    if missing:
        pytest.fail(f"dbt_project/seeds lacks {', '.join(m + '.csv' for m in missing)}")
    copy = tmp_path_factory.mktemp("dbt") / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    return copy


def dbt_build(project: Path, database: Path) -> None:
    result = subprocess.run(
        [dbt_executable(), "build", "--project-dir", str(project), "--profiles-dir", str(project)],
        cwd=project,
        env={**os.environ, "ATTACHE_DBT_DATABASE": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"


def land_raw(database: Path, tables: dict[str, list[dict]]) -> None:
    """Create every raw table (empty ones too) and insert the given rows, conformed to schemas.py."""
    con = duckdb.connect(str(database))
    try:
        landing.ensure_raw_tables(con)
        for table, rows in tables.items():
            if not rows:
                continue
            frame = landing.RAW_TABLES[table]
            conformed = schemas.conform(pl.DataFrame(rows, infer_schema_length=None), frame)
            with landing.registered(con, incoming=conformed):
                con.execute(f"insert into {landing.table_ref(table)} select * from incoming").fetchall()
    finally:
        con.close()


def query(database: Path, sql: str, params: list | None = None) -> list[dict]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def document(document_id: str, published_at: dt.date | None, **extra) -> dict:
    body = extra.pop("body", "Текст статьи. " * 20)
    return {
        "document_id": document_id,
        "source_name": f"{document_id}.txt",
        "language": "ru",
        "published_at": published_at,
        "raw_text": body,
        "body": body,
        "char_count": len(body),
        "ingested_at": NOW,
        "extractor_version": VERSION,
        **extra,
    }


def mention(mention_id: str, document_id: str, event_type: str, countries: list[str], **extra) -> dict:
    return {
        "mention_id": mention_id,
        "document_id": document_id,
        "sentence_index": 0,
        "event_type": event_type,
        "participant_countries": countries,
        "modality": "occurred",
        "evidence": f"Предложение {mention_id}.",
        "char_start": 0,
        "char_end": 40,
        "extractor_version": VERSION,
        **extra,
    }


def figure(figure_id: str, document_id: str, metric: str, value: float, unit: str, countries: list[str], **extra) -> dict:
    return {
        "figure_id": figure_id,
        "document_id": document_id,
        "sentence_index": 0,
        "metric": metric,
        "value": value,
        "unit": unit,
        "scale": 1.0,
        "qualifier": "exact",
        "countries": countries,
        "modality": "occurred",
        "evidence": f"Предложение {figure_id}.",
        "char_start": 0,
        "char_end": 10,
        "extractor_version": VERSION,
        "n_mentions_in_document": 1,
        **extra,
    }


NOV_11 = dt.date(2025, 11, 11)
SAMPLE = {
    "documents": [
        document("doc_early", dt.date(2025, 11, 12)),
        document("doc_late", dt.date(2025, 12, 4)),
        document("doc_undated", None),
    ],
    "event_mentions": [
        # One state visit reported by two documents, once more without a date in the second.
        mention("visit_a", "doc_early", "visit", ["RU", "KZ"], host_country="RU", visit_level="state",
                start_date=NOV_11, end_date=NOV_11, date_precision="day"),
        mention("visit_b", "doc_late", "visit", ["KZ", "RU"], host_country="RU", visit_level="state",
                start_date=NOV_11, end_date=dt.date(2025, 11, 12), date_precision="day", char_start=100),
        mention("visit_c", "doc_late", "visit", ["KZ", "RU"], char_start=400),
        # The signing: 10 documents in one report, 11 in the other.
        mention("sign_a", "doc_early", "agreement_signing", ["KZ", "RU"], documents_signed=10, start_date=NOV_11),
        mention("sign_b", "doc_late", "agreement_signing", ["KZ", "RU"], documents_signed=11, start_date=NOV_11),
        # A summit of six states.
        mention("summit", "doc_late", "summit", ["US", "KZ", "KG", "TJ", "TM", "UZ"], host_country="US",
                start_date=dt.date(2025, 11, 6), date_precision="day"),
        # Not events that happened.
        mention("planned", "doc_late", "visit", ["RU", "TJ"], host_country="TJ", modality="planned",
                start_date=dt.date(2026, 5, 1), date_precision="month"),
        mention("negated", "doc_early", "meeting", ["RU", "US"], modality="negated"),
        # Undated calls in an undated document: one event, kept out of country_engagement.
        mention("call_a", "doc_undated", "phone_call", ["RU", "UZ"]),
        mention("call_b", "doc_undated", "phone_call", ["UZ", "RU"], modality=None, char_start=200),
        # Two calls of the same pair on different days stay two events.
        mention("call_c", "doc_early", "phone_call", ["RU", "KG"], start_date=dt.date(2025, 11, 2)),
        mention("call_d", "doc_early", "phone_call", ["RU", "KG"], start_date=dt.date(2025, 11, 20)),
    ],
    "figure_mentions": [
        figure("inv_early", "doc_early", "investment_flow", 4.1e9, "USD", ["KZ", "RU"],
               source_country="RU", target_country="KZ", reference_year=2024, qualifier="approx"),
        figure("inv_late", "doc_late", "investment_flow", 4.0e9, "USD", ["KZ", "RU"],
               source_country="RU", target_country="KZ", reference_year=2024),
        figure("growth", "doc_late", "trade_growth", 13.6, "percent", ["KG", "RU"], reference_year=2024),
        figure("unknown_currency", "doc_undated", "other", 1.0e9, "QQQ", []),  # `other` names no countries
    ],
    "entity_mentions": [
        {"document_id": "doc_early", "sentence_index": 0, "entity_type": "country", "entity_id": "KZ",
         "country": "KZ", "surface": "Казахстана", "char_start": 5, "char_end": 15, "extractor_version": VERSION},
    ],
}


def fx_rates_of_one_currency() -> tuple[str, pl.DataFrame]:
    """A currency other than USD from the fx_rates seed, with its rates by year."""
    fx = pl.read_csv(DBT_PROJECT_DIR / "seeds" / "fx_rates.csv", schema_overrides={"currency": pl.String})
    fx = fx.filter(pl.col("currency") != "USD").drop_nulls()
    if fx.is_empty():
        pytest.fail("fx_rates.csv holds no non-USD rate to convert with")
    currency = fx["currency"].sort()[0]
    return currency, fx.filter(pl.col("currency") == currency).sort("year")


@pytest.fixture(scope="module")
def sample_warehouse(project_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("warehouse") / "sample.duckdb"
    currency, rates = fx_rates_of_one_currency()
    # Years outside the seed's range convert at the nearest year's rate.
    fx_figures = [
        figure("fx_future", "doc_early", "deal_value", 1000.0, currency, ["KZ", "US"], reference_year=rates["year"][-1] + 50),
        figure("fx_past", "doc_early", "deal_value", 1000.0, currency, ["KZ", "US"], reference_year=rates["year"][0] - 50),
    ]
    land_raw(database, {**SAMPLE, "figure_mentions": SAMPLE["figure_mentions"] + fx_figures})
    dbt_build(project_copy, database)
    return database


def event_of(database: Path, mention_id: str) -> dict:
    rows = query(
        database,
        "select events.* from marts.fct_events as events "
        "join marts.fct_event_mentions as mentions using (event_id) where mentions.mention_id = ?",
        [mention_id],
    )
    assert len(rows) == 1, f"{mention_id} has {len(rows)} canonical events"
    return rows[0]


def test_one_visit_reported_by_two_documents_is_one_event(sample_warehouse: Path) -> None:
    visit = event_of(sample_warehouse, "visit_a")
    assert event_of(sample_warehouse, "visit_b")["event_id"] == visit["event_id"]
    assert visit["participant_countries"] == ["KZ", "RU"]
    assert (visit["n_mentions"], visit["n_documents"]) == (3, 2)
    assert visit["first_reported_at"] == dt.date(2025, 11, 12)
    assert (visit["start_date"], visit["end_date"]) == (NOV_11, dt.date(2025, 11, 12))
    assert (visit["host_country"], visit["visit_level"]) == ("RU", "state")


def test_undated_mention_joins_the_dated_event_of_its_document(sample_warehouse: Path) -> None:
    assert event_of(sample_warehouse, "visit_c")["event_id"] == event_of(sample_warehouse, "visit_a")["event_id"]


def test_undated_mentions_without_a_dated_twin_stay_undated(sample_warehouse: Path) -> None:
    call = event_of(sample_warehouse, "call_a")
    assert event_of(sample_warehouse, "call_b")["event_id"] == call["event_id"]
    assert call["start_date"] is None and call["first_reported_at"] is None
    assert call["n_mentions"] == 2


def test_same_pair_on_different_days_is_two_events(sample_warehouse: Path) -> None:
    assert event_of(sample_warehouse, "call_c")["event_id"] != event_of(sample_warehouse, "call_d")["event_id"]


def test_documents_signed_is_the_largest_count_reported(sample_warehouse: Path) -> None:
    signing = event_of(sample_warehouse, "sign_a")
    assert signing["documents_signed"] == 11 and signing["n_documents"] == 2


def test_only_occurred_mentions_belong_to_events(sample_warehouse: Path) -> None:
    rows = query(sample_warehouse, "select mention_id, event_id from marts.fct_event_mentions")
    without_event = {row["mention_id"] for row in rows if row["event_id"] is None}
    assert without_event == {"planned", "negated"}
    assert len(rows) == len(SAMPLE["event_mentions"])
    n_events = query(sample_warehouse, "select count(*) as n from marts.fct_events")[0]["n"]
    # visit, signing, summit, undated call pair, two dated calls
    assert n_events == 6


def test_event_participants_roles(sample_warehouse: Path) -> None:
    visit_id = event_of(sample_warehouse, "visit_a")["event_id"]
    roles = query(sample_warehouse, "select country, role from marts.event_participants where event_id = ?", [visit_id])
    assert {row["country"]: row["role"] for row in roles} == {"RU": "host", "KZ": "guest"}
    summit_id = event_of(sample_warehouse, "summit")["event_id"]
    roles = query(sample_warehouse, "select country, role from marts.event_participants where event_id = ?", [summit_id])
    assert {row["country"]: row["role"] for row in roles} == {
        "US": "host", "KZ": "participant", "KG": "participant", "TJ": "participant", "TM": "participant", "UZ": "participant"
    }


def test_country_engagement_is_symmetric_and_counts_canonical_events(sample_warehouse: Path) -> None:
    rows = query(sample_warehouse, "select * from marts.country_engagement")
    by_key = {(r["country"], r["counterpart"], r["month"]): r for r in rows}
    november = dt.date(2025, 11, 1)
    kz_ru, ru_kz = by_key[("KZ", "RU", november)], by_key[("RU", "KZ", november)]
    for row in (kz_ru, ru_kz):
        assert (row["n_events"], row["n_visits"], row["n_agreement_signings"]) == (2, 1, 1)
        assert row["documents_signed"] == 11 and row["n_documents"] == 2
    assert by_key[("RU", "KG", november)]["n_phone_calls"] == 2
    summit_states = ["US", "KZ", "KG", "TJ", "TM", "UZ"]
    for country in summit_states:
        counterparts = {r["counterpart"] for r in rows if r["country"] == country and r["n_summits"] == 1}
        assert counterparts == set(summit_states) - {country}
    # The undated RU-UZ call has no month: no RU-UZ row at all.
    assert not [r for r in rows if {r["country"], r["counterpart"]} == {"RU", "UZ"}]
    for (country, counterpart, month), row in by_key.items():
        assert by_key[(counterpart, country, month)]["n_events"] == row["n_events"]


def test_value_usd(sample_warehouse: Path) -> None:
    figures = {r["figure_id"]: r for r in query(sample_warehouse, "select * from marts.fct_figure_mentions")}
    assert figures["inv_late"]["value_usd"] == pytest.approx(4.0e9)
    assert figures["growth"]["value_usd"] is None
    assert figures["unknown_currency"]["value_usd"] is None


def test_investment_figures_keeps_latest_value_and_range(sample_warehouse: Path) -> None:
    rows = query(sample_warehouse, "select * from marts.investment_figures where metric = 'investment_flow'")
    assert len(rows) == 1
    row = rows[0]
    assert (row["country_a"], row["country_b"], row["source_country"], row["target_country"]) == ("KZ", "RU", "RU", "KZ")
    assert row["latest_value"] == pytest.approx(4.0e9) and row["latest_figure_id"] == "inv_late"
    assert (row["min_value"], row["max_value"]) == (pytest.approx(4.0e9), pytest.approx(4.1e9))
    assert (row["n_mentions"], row["n_documents"]) == (2, 2)
    assert (row["first_reported_at"], row["last_reported_at"]) == (dt.date(2025, 11, 12), dt.date(2025, 12, 4))
    # named metrics only: the `other` figure stays in fct_figure_mentions
    assert query(sample_warehouse, "select * from marts.investment_figures where metric = 'other'") == []


def test_dim_documents_counts(sample_warehouse: Path) -> None:
    docs = {r["document_id"]: r for r in query(sample_warehouse, "select * from marts.dim_documents")}
    assert set(docs) == {"doc_early", "doc_late", "doc_undated"}
    assert (docs["doc_late"]["n_events"], docs["doc_late"]["n_figures"]) == (3, 2)
    assert (docs["doc_early"]["n_event_mentions"], docs["doc_early"]["n_entity_mentions"]) == (5, 1)
    assert docs["doc_undated"]["published_at"] is None


def test_rebuild_gives_the_same_event_ids(sample_warehouse: Path, project_copy: Path) -> None:
    before = query(sample_warehouse, "select mention_id, event_id from marts.fct_event_mentions order by mention_id")
    dbt_build(project_copy, sample_warehouse)
    after = query(sample_warehouse, "select mention_id, event_id from marts.fct_event_mentions order by mention_id")
    assert before == after


def test_value_usd_uses_the_nearest_year_rate(sample_warehouse: Path) -> None:
    _, rates = fx_rates_of_one_currency()
    figures = {r["figure_id"]: r for r in query(sample_warehouse, "select * from marts.fct_figure_mentions")}
    assert figures["fx_future"]["value_usd"] == pytest.approx(1000.0 * rates["usd_per_unit"][-1])
    assert figures["fx_future"]["fx_year"] == rates["year"][-1]
    assert figures["fx_past"]["value_usd"] == pytest.approx(1000.0 * rates["usd_per_unit"][0])
    assert figures["fx_past"]["fx_year"] == rates["year"][0]


@pytest.mark.parametrize("scenario", ["empty", "documents_without_events"])
def test_build_passes_without_events(project_copy: Path, tmp_path: Path, scenario: str) -> None:
    database = tmp_path / f"{scenario}.duckdb"
    tables = {} if scenario == "empty" else {"documents": SAMPLE["documents"]}
    land_raw(database, tables)
    dbt_build(project_copy, database)
    counts = query(
        database,
        "select (select count(*) from marts.fct_events) as events, "
        "(select count(*) from marts.country_engagement) as engagement, "
        "(select count(*) from marts.dim_documents) as documents",
    )[0]
    assert counts == {"events": 0, "engagement": 0, "documents": len(tables.get("documents", []))}
