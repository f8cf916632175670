"""The dashboard's query layer, pages and server against a real DuckDB built here.

The warehouse is small and written by hand in the marts' shape (contract columns plus the
extras the dashboard shows when present), so every expected number below can be counted
from the rows in `build_marts`.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from orchestration.dashboard import make_server
from orchestration.dashboard import quality
from orchestration.dashboard import queries as q
from orchestration.dashboard import scope
from orchestration.dashboard.pages import fmt_amount, fmt_event_date, render
from orchestration.dashboard.warehouse import (
    MartsMissing,
    Warehouse,
    WarehouseMissing,
    WarehouseUnreadable,
)

D = dt.date

# (event_id, type, participants, host, start, end, precision, documents_signed, organisation)
EVENTS = [
    ("e1", "phone_call", ["KZ", "RU"], None, D(2024, 3, 5), D(2024, 3, 5), "day", None, None),
    ("e2", "visit", ["CN", "KZ"], "CN", D(2024, 3, 20), D(2024, 3, 21), "day", None, None),
    ("e3", "agreement_signing", ["CN", "KZ"], "CN", D(2024, 3, 20), D(2024, 3, 20), "day", 12, None),
    ("e4", "summit", ["CN", "KG", "KZ", "TJ", "TM", "UZ"], "KZ", D(2024, 6, 10), D(2024, 6, 10), "day", None, "C5_CN"),
    ("e5", "talks", ["FR", "UZ"], None, D(2024, 7, 1), None, "month", None, None),
    ("e6", "meeting", ["KZ", "US"], None, None, None, None, None, None),
    # Years mentioned in passing: 1906 and 2040 (the articles are of 2024): suspect dates.
    ("e7", "talks", ["KZ", "RU"], None, D(1906, 1, 1), None, "year", None, None),
    ("e8", "phone_call", ["KZ", "RU"], None, D(2040, 1, 1), None, "year", None, None),
]  # fmt: skip
PLAUSIBLE_EVENTS = [event for event in EVENTS if event[0] not in ("e7", "e8")]
# (mention_id, event_id, document_id, type, participants, modality, evidence)
EVENT_MENTIONS = [
    ("m1", "e1", "d1", "phone_call", ["KZ", "RU"], "occurred", "Токаев и Путин провели телефонный разговор."),
    ("m2", "e2", "d1", "visit", ["CN", "KZ"], "occurred", "Токаев прибыл с визитом в Пекин."),
    ("m3", "e3", "d1", "agreement_signing", ["CN", "KZ"], "occurred", "Подписаны 12 документов."),
    ("m4", "e3", "d2", "agreement_signing", ["CN", "KZ"], "occurred", "Stороны подписали <b>12</b> документов <script>x()</script>."),
    ("m5", "e4", "d2", "summit", ["CN", "KG", "KZ", "TJ", "TM", "UZ"], "occurred", "Саммит «Центральная Азия – Китай» прошёл в Астане."),
    ("m6", "e5", "d2", "talks", ["FR", "UZ"], "occurred", "Переговоры Мирзиёева и Макрона."),
    ("m7", "e6", "d2", "meeting", ["KZ", "US"], "occurred", "Токаев встретился с Трампом."),
    ("m8", None, "d2", "visit", ["RU", "UZ"], "planned", "Путин посетит Ташкент."),
    ("m9", "e7", "d1", "talks", ["KZ", "RU"], "occurred", "Переговоры идут с 1906 года."),
    ("m10", "e8", "d2", "phone_call", ["KZ", "RU"], "occurred", "К 2040 году созвонятся."),
]  # fmt: skip
# (figure_id, document_id, metric, value, unit, value_usd, qualifier, countries, source, target, year, evidence)
FIGURES = [
    ("f1", "d1", "investment_flow", 1.5e9, "USD", 1.5e9, "exact", ["CN", "KZ"], "CN", "KZ", 2023, "Китай вложил 1,5 млрд долларов."),
    ("f2", "d2", "investment_flow", 1.7e9, "USD", 1.7e9, "approx", ["CN", "KZ"], "CN", "KZ", 2023, "Около 1,7 млрд долларов китайских инвестиций."),
    ("f3", "d2", "trade_turnover", 26e9, "CNY", 3.6e9, "more_than", ["KZ", "RU"], None, None, 2024, "Товарооборот превысил 26 млрд юаней."),
    ("f4", "d2", "trade_growth", 13.6, "percent", None, "exact", ["KZ", "RU"], None, None, 2024, "Рост на 13,6 процента."),
    ("f5", "d1", "investment_flow", 4.0e9, "USD", 4.0e9, "exact", ["KZ", "RU"], "RU", "KZ", 2023, "Россия вложила 4 млрд долларов."),
    ("f6", "d1", "other", 800.0, "GBP", 1000.0, "exact", ["CH", "KZ"], None, None, 2023, "Пенсионер получил 800 фунтов."),
]  # fmt: skip
COUNTRIES = [
    ("RU", "Russia", True),
    ("US", "United States", True),
    ("CN", "China", True),
    ("KZ", "Kazakhstan", True),
    ("KG", "Kyrgyzstan", True),
    ("TJ", "Tajikistan", True),
    ("TM", "Turkmenistan", True),
    ("UZ", "Uzbekistan", True),
    ("FR", "France", False),
    ("DE", "Germany", False),
]


def build_marts(path: Path, *, value_offset: float = 0.0) -> Path:
    """Write the marts the dashboard reads; derived marts are computed from the facts the
    way the dbt models define them (pairs per event; figure groups by their key)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_countries (country_code varchar, name_en varchar, "
            "region varchar, is_focus boolean)"
        )
        con.executemany(
            "insert into marts.dim_countries values (?, ?, ?, ?)",
            [(code, name, "x", focus) for code, name, focus in COUNTRIES],
        )
        con.execute("create table marts.dim_organisations (organisation_id varchar, name_en varchar)")
        con.execute("insert into marts.dim_organisations values ('C5_CN', 'China–Central Asia Summit')")
        con.execute(
            """
            create table marts.dim_documents (
                document_id varchar, source_name varchar, title varchar, url varchar,
                outlet varchar, language varchar, published_at date, char_count integer,
                ingested_at timestamp)
            """
        )
        con.executemany(
            "insert into marts.dim_documents values (?, ?, ?, ?, ?, 'ru', ?, 1000, now())",
            [
                ("d1", "news/one.txt", "Первая статья", "https://example.org/1", "Outlet A", D(2024, 3, 22)),
                ("d2", "news/two.txt", None, None, "Outlet B", D(2024, 7, 2)),
            ],
        )
        con.execute(
            """
            create table marts.fct_events (
                event_id varchar, event_type varchar, participant_countries varchar[],
                host_country varchar, start_date date, end_date date, date_precision varchar,
                documents_signed integer, organisation_id varchar, n_mentions bigint,
                n_documents bigint, first_reported_at date)
            """
        )
        mentions_per_event = {
            event_id: [m for m in EVENT_MENTIONS if m[1] == event_id] for event_id, *_ in EVENTS
        }
        con.executemany(
            "insert into marts.fct_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    *event,
                    len(mentions_per_event[event[0]]),
                    len({m[2] for m in mentions_per_event[event[0]]}),
                    D(2024, 3, 22),
                )
                for event in EVENTS
            ],
        )
        con.execute(
            """
            create table marts.fct_event_mentions (
                mention_id varchar, event_id varchar, document_id varchar, event_type varchar,
                participant_countries varchar[], host_country varchar, visit_level varchar,
                documents_signed integer, start_date date, end_date date,
                date_precision varchar, modality varchar, evidence varchar,
                char_start integer, char_end integer)
            """
        )
        events = {event[0]: event for event in EVENTS}
        con.executemany(
            "insert into marts.fct_event_mentions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    mention_id, event_id, document_id, event_type, participants,
                    events[event_id][3] if event_id else None,
                    "state" if event_type == "visit" and event_id else None,
                    events[event_id][7] if event_id else None,
                    events[event_id][4] if event_id else None,
                    events[event_id][5] if event_id else None,
                    events[event_id][6] if event_id else None,
                    modality, evidence, index * 100, index * 100 + len(evidence),
                )
                for index, (mention_id, event_id, document_id, event_type, participants, modality, evidence)
                in enumerate(EVENT_MENTIONS)
            ],
        )  # fmt: skip
        con.execute(
            """
            create table marts.event_participants as
            select event_id, unnest(participant_countries) as country from marts.fct_events
            """
        )
        con.execute(
            """
            create table marts.country_engagement as
            with pairs as (
                select own.country, other.country as counterpart,
                       cast(date_trunc('month', e.start_date) as date) as month, e.*
                from marts.fct_events as e
                join marts.event_participants as own using (event_id)
                join marts.event_participants as other
                  on other.event_id = e.event_id and other.country != own.country
                where e.start_date is not null
            )
            select country, counterpart, month,
                count(*) as n_events,
                count(*) filter (where event_type = 'phone_call') as n_phone_calls,
                count(*) filter (where event_type = 'visit') as n_visits,
                count(*) filter (where event_type = 'summit') as n_summits,
                count(*) filter (where event_type = 'talks') as n_talks,
                count(*) filter (where event_type = 'meeting') as n_meetings,
                count(*) filter (where event_type = 'agreement_signing') as n_agreement_signings,
                coalesce(sum(documents_signed), 0) as documents_signed,
                1 as n_documents
            from pairs group by all
            """
        )
        con.execute(
            """
            create table marts.fct_figure_mentions (
                figure_id varchar, document_id varchar, metric varchar, value double,
                unit varchar, value_usd double, qualifier varchar, countries varchar[],
                source_country varchar, target_country varchar, reference_year integer,
                period_start date, period_end date, modality varchar, evidence varchar,
                char_start integer, char_end integer, published_at date)
            """
        )
        published = {"d1": D(2024, 3, 22), "d2": D(2024, 7, 2)}
        con.executemany(
            "insert into marts.fct_figure_mentions values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, 'occurred', ?, ?, ?, ?)",
            [
                (*figure[:3], figure[3] + value_offset, *figure[4:], i * 10, i * 10 + 5, published[figure[1]])
                for i, figure in enumerate(FIGURES)
            ],
        )
        con.execute(
            """
            create table marts.investment_figures as
            with keyed as (
                select *, md5(concat_ws('|', array_to_string(countries, ','),
                    coalesce(source_country, ''), coalesce(target_country, ''), metric,
                    coalesce(cast(reference_year as varchar), ''), unit)) as figure_group_id
                from marts.fct_figure_mentions
            ),
            ranked as (
                select *, row_number() over (
                    partition by figure_group_id order by published_at desc) as recency
                from keyed
            )
            select
                figure_group_id, countries[1] as country_a, countries[2] as country_b,
                any_value(countries) as countries, any_value(source_country) as source_country,
                any_value(target_country) as target_country, any_value(metric) as metric,
                any_value(reference_year) as reference_year, any_value(unit) as unit,
                max(value) filter (where recency = 1) as latest_value,
                max(value_usd) filter (where recency = 1) as latest_value_usd,
                max(qualifier) filter (where recency = 1) as latest_qualifier,
                max(figure_id) filter (where recency = 1) as latest_figure_id,
                max(document_id) filter (where recency = 1) as latest_document_id,
                min(value) as min_value, max(value) as max_value,
                min(value_usd) as min_value_usd, max(value_usd) as max_value_usd,
                count(*) as n_mentions, count(distinct document_id) as n_documents,
                min(published_at) as first_reported_at, max(published_at) as last_reported_at
            from ranked group by figure_group_id, countries[1], countries[2]
            """
        )
    return path


# The measurement work's additions (issue 12): rule_id and the measured confidence of each
# row's rule, and marts.rule_quality. Rules: one per event type and per metric.
RULE_PRECISION = {
    "event.phone_call": 0.9, "event.visit": 0.5, "event.agreement_signing": 0.8,
    "event.summit": 0.95, "event.talks": 0.75, "event.meeting": None,
    "figure.investment_flow": 0.85, "figure.trade_turnover": 0.8, "figure.trade_growth": 0.6,
    "figure.other": 0.3,
}  # fmt: skip


def add_measurements(path: Path, precision: dict[str, float | None] = RULE_PRECISION) -> Path:
    """Add rule_id, confidence and marts.rule_quality as the measurement work defines them
    (an event's confidence is the highest of its mentions')."""
    with duckdb.connect(str(path)) as con:
        con.execute("create table marts.rule_precision (rule_id varchar, dev_precision double)")
        con.executemany("insert into marts.rule_precision values (?, ?)", list(precision.items()))
        for table, kind, column in (
            ("fct_event_mentions", "event", "event_type"),
            ("fct_figure_mentions", "figure", "metric"),
        ):
            con.execute(f"alter table marts.{table} add column rule_id varchar")
            con.execute(f"alter table marts.{table} add column confidence double")
            con.execute(f"update marts.{table} set rule_id = '{kind}.' || {column}")
            con.execute(
                f"update marts.{table} as facts set confidence = rules.dev_precision "
                "from marts.rule_precision as rules where rules.rule_id = facts.rule_id"
            )
        con.execute("alter table marts.fct_events add column confidence double")
        con.execute(
            "update marts.fct_events as events set confidence = (select max(confidence) "
            "from marts.fct_event_mentions as mentions where mentions.event_id = events.event_id)"
        )
        con.execute(
            """
            create table marts.rule_quality as
            with recorded as (
                select rule_id, 'event' as row_kind, count(*) as rows_recorded
                from marts.fct_event_mentions group by rule_id
                union all
                select rule_id, 'figure', count(*) from marts.fct_figure_mentions group by rule_id
            )
            select recorded.rule_id, recorded.row_kind, recorded.rows_recorded,
                rules.dev_precision,
                cast(case when rules.dev_precision is null then 0 else 20 end as integer) as dev_rows_scored,
                rules.dev_precision as confidence
            from recorded left join marts.rule_precision as rules using (rule_id)
            """
        )
        con.execute("drop table marts.rule_precision")
    return path


@pytest.fixture
def measured_warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(add_measurements(build_marts(tmp_path / "measured.duckdb")))


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(build_marts(tmp_path / "attache.duckdb"))


@pytest.fixture
def con(warehouse: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    with warehouse.connect() as (connection, _info):
        yield connection


# --------------------------------------------------------------------------------------
# filters


def test_filters_parse_months_codes_and_choices() -> None:
    filters = q.parse_filters(
        {"country": ["kz"], "counterpart": ["CN"], "from": ["2024-03"], "to": ["2024-06"],
         "event_type": ["visit"], "metric": ["deal_value"]}
    )  # fmt: skip
    assert (filters.country, filters.counterpart) == ("KZ", "CN")
    assert (filters.start, filters.end, filters.end_exclusive) == (
        D(2024, 3, 1),
        D(2024, 6, 1),
        D(2024, 7, 1),
    )
    assert (filters.event_type, filters.metric) == ("visit", "deal_value")
    assert filters.problems == ()
    assert q.Filters(end=D(2024, 12, 1)).end_exclusive == D(2025, 1, 1)


def test_filters_drop_bad_values_and_say_why() -> None:
    filters = q.parse_filters(
        {"country": ["KZ' or 1=1 --"], "from": ["2024-13"], "to": ["last year"], "event_type": ["war"]}
    )
    assert filters == q.Filters()
    assert len(filters.problems) == 4
    assert any("two-letter country code" in p for p in filters.problems)
    swapped = q.parse_filters({"from": ["2025-01"], "to": ["2024-01"]})
    assert (swapped.start, swapped.end) == (D(2024, 1, 1), D(2025, 1, 1))
    assert swapped.problems


# --------------------------------------------------------------------------------------
# (1) engagement


def test_engagement_totals_count_distinct_events(con) -> None:
    totals = q.engagement_totals(con, q.Filters(), "KZ")
    # e1, e2, e3, e4 and the undated e6; a summit counts once however many take part.
    assert totals["n_events"] == 5
    assert (totals["n_visits"], totals["n_summits"], totals["n_meetings"]) == (1, 1, 1)
    assert totals["documents_signed"] == 12
    # Counterparts come from country_engagement, which leaves undated events (US) out.
    assert totals["n_counterparts"] == 6
    march = q.engagement_totals(con, q.Filters(start=D(2024, 3, 1), end=D(2024, 3, 1)), "KZ")
    assert (march["n_events"], march["n_phone_calls"]) == (3, 1)


def test_engagement_by_counterpart_filters(con) -> None:
    rows = {r["counterpart"]: r for r in q.engagement_by_counterpart(con, q.Filters(), "KZ")}
    assert set(rows) == {"CN", "RU", "KG", "TJ", "TM", "UZ"}
    assert rows["CN"]["n_events"] == 3
    assert (rows["CN"]["n_visits"], rows["CN"]["documents_signed"]) == (1, 12)
    assert (rows["CN"]["first_month"], rows["CN"]["last_month"]) == (D(2024, 3, 1), D(2024, 6, 1))
    summits = q.engagement_by_counterpart(con, q.Filters(event_type="summit"), "KZ")
    assert {r["counterpart"] for r in summits} == {"CN", "KG", "TJ", "TM", "UZ"}
    assert all(r["n_events"] == 1 for r in summits)
    march = q.engagement_by_counterpart(con, q.Filters(start=D(2024, 3, 1), end=D(2024, 3, 1)), "KZ")
    assert [(r["counterpart"], r["n_events"]) for r in march] == [("CN", 2), ("RU", 1)]
    only_ru = q.engagement_by_counterpart(con, q.Filters(counterpart="RU"), "KZ")
    assert [r["counterpart"] for r in only_ru] == ["RU"]


def test_engagement_by_month(con) -> None:
    by_type = q.engagement_by_month_and_type(con, q.Filters(), "KZ")
    assert [(r["month"], r["event_type"], r["n_events"]) for r in by_type] == [
        (D(2024, 3, 1), "agreement_signing", 1),
        (D(2024, 3, 1), "phone_call", 1),
        (D(2024, 3, 1), "visit", 1),
        (D(2024, 6, 1), "summit", 1),
    ]
    by_pair = q.engagement_by_month_and_counterpart(con, q.Filters(event_type="visit"), "KZ")
    assert [(r["month"], r["counterpart"], r["n_events"]) for r in by_pair] == [(D(2024, 3, 1), "CN", 1)]
    assert q.most_engaged_country(con) == "KZ"


# --------------------------------------------------------------------------------------
# (2) Central Asia


def test_central_asia_balance_groups_partners(con) -> None:
    rows = {(r["country"], r["partner"]): r for r in q.central_asia_balance(con, q.Filters())}
    assert rows[("KZ", "CN")]["n_contacts"] == 3
    assert rows[("KZ", "CN")]["documents_signed"] == 12
    assert rows[("KZ", "RU")]["n_contacts"] == 1
    assert ("KZ", "US") not in rows  # the KZ–US meeting has no date, so no month
    assert rows[("KZ", "other")]["n_contacts"] == 4
    assert rows[("UZ", "other")]["n_contacts"] == 5
    assert rows[("UZ", "other")]["counterparts"] == "FR 1, KG 1, KZ 1, TJ 1, TM 1"
    assert {country for country, _ in rows} <= set(q.CENTRAL_ASIA)
    summer = q.central_asia_balance(con, q.Filters(start=D(2024, 7, 1)))
    assert [(r["country"], r["partner"], r["n_contacts"]) for r in summer] == [("UZ", "other", 1)]


# --------------------------------------------------------------------------------------
# (3) timeline


def test_timeline_orders_filters_and_carries_evidence(con) -> None:
    events, n = q.timeline(con, q.Filters(country="KZ", counterpart="CN"))
    assert n == 3
    assert [e["event_id"] for e in events] == ["e4", "e2", "e3"]  # newest first; visit before signing
    signing = events[2]
    assert signing["documents_signed"] == 12
    assert [m["document_id"] for m in signing["mentions"]] == ["d1", "d2"]
    assert signing["mentions"][0]["title"] == "Первая статья"
    assert events[0]["organisation_name"] == "China–Central Asia Summit"
    assert events[1]["visit_level"] == "state"

    everything, n_all = q.timeline(con, q.Filters())
    assert n_all == len(PLAUSIBLE_EVENTS) and everything[-1]["event_id"] == "e6"  # undated last
    dated, _ = q.timeline(con, q.Filters(start=D(2024, 1, 1)))
    assert "e6" not in {e["event_id"] for e in dated}
    first_two, n_limited = q.timeline(con, q.Filters(), limit=2)
    assert (len(first_two), n_limited) == (2, len(PLAUSIBLE_EVENTS))
    assert q.timeline(con, q.Filters(country="TM", event_type="phone_call")) == ([], 0)


# --------------------------------------------------------------------------------------
# (4) figures


def test_figures_group_range_and_evidence(con) -> None:
    groups, n = q.figures(con, q.Filters(country="KZ", counterpart="CN"))
    assert n == 1
    group = groups[0]
    assert (group["metric"], group["source_country"], group["target_country"]) == (
        "investment_flow",
        "CN",
        "KZ",
    )
    assert (group["min_value_usd"], group["max_value_usd"]) == (1.5e9, 1.7e9)
    assert group["latest_figure_id"] == "f2"  # the later article
    assert sorted(m["figure_id"] for m in group["mentions"]) == ["f1", "f2"]
    assert {m["evidence"] for m in group["mentions"]} == {FIGURES[0][-1], FIGURES[1][-1]}

    _, n_kz = q.figures(con, q.Filters(country="KZ"))
    assert n_kz == 4  # f1+f2, f3, f4, f5; f6 is metric `other`, hidden
    turnover, _ = q.figures(con, q.Filters(metric="trade_turnover"))
    assert [(g["unit"], g["latest_value"], g["latest_value_usd"]) for g in turnover] == [("CNY", 26e9, 3.6e9)]
    # In a period: referring to one of its years, or reported during it.
    assert q.figures(con, q.Filters(start=D(2024, 1, 1)))[1] == 4
    assert q.figures(con, q.Filters(start=D(2024, 4, 1)))[1] == 3  # f5 reported in March
    assert q.figures(con, q.Filters(end=D(2023, 12, 1)))[1] == 2  # of 2023, reported later
    assert q.figures(con, q.Filters(country="TM")) == ([], 0)


def test_document_lists_everything_it_reported(con) -> None:
    doc = q.document(con, "d2")
    assert doc["outlet"] == "Outlet B" and doc["title"] is None
    assert [m["mention_id"] for m in doc["events"]] == ["m4", "m5", "m6", "m7", "m8", "m10"]
    assert doc["events"][4]["modality"] == "planned"
    assert [f["figure_id"] for f in doc["figures"]] == ["f2", "f3", "f4"]
    assert q.document(con, "no-such-document") is None
    # A value that is not a code travels as a parameter: it matches nothing, breaks nothing.
    assert q.engagement_by_counterpart(con, q.Filters(counterpart="' or 1=1 --"), "KZ") == []


# --------------------------------------------------------------------------------------
# the warehouse file


def test_missing_unreadable_and_martless_warehouses(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing), Warehouse(tmp_path / "none.duckdb").connect():
        pass
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(WarehouseUnreadable), Warehouse(garbage).connect():
        pass
    bare = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare)).close()
    with pytest.raises(MartsMissing) as missing, Warehouse(bare).connect():
        pass
    assert "fct_events" in missing.value.missing


def test_reads_the_file_published_now_even_while_an_old_one_is_open(tmp_path: Path) -> None:
    """A refresh renames a new file over the warehouse: the next request must see it, even
    while another request still holds the old file."""
    published = build_marts(tmp_path / "attache.duckdb")
    replacement = build_marts(tmp_path / "new.duckdb", value_offset=1.0)
    warehouse = Warehouse(published)
    with warehouse.connect() as (old, _):
        before = old.execute("select max(value) from marts.fct_figure_mentions").fetchone()[0]
        os.replace(replacement, published)
        with warehouse.connect() as (new, _):
            after = new.execute("select max(value) from marts.fct_figure_mentions").fetchone()[0]
        assert old.execute("select max(value) from marts.fct_figure_mentions").fetchone()[0] == before
    assert after == before + 1.0
    # Nothing writes: the read-only attach refuses it.
    with warehouse.connect() as (con, _), pytest.raises(duckdb.Error):
        con.execute("delete from marts.fct_events")


# --------------------------------------------------------------------------------------
# pages and server


def test_formatting() -> None:
    assert fmt_amount(4.0e9, "USD") == "4.0 bn USD"
    assert fmt_amount(2.7e10, "USD", "more_than") == "> 27.0 bn USD"
    assert fmt_amount(1.0e11, "USD") == "100 bn USD"
    assert fmt_amount(13.6, "percent", "approx") == "≈ 13.6 %"
    assert fmt_event_date(D(2025, 10, 8), D(2025, 10, 10), "day") == "8–10 Oct 2025"
    assert fmt_event_date(D(2025, 11, 1), D(2025, 11, 30), "month") == "Nov 2025"
    assert fmt_event_date(D(2025, 11, 30), D(2025, 12, 2), "day") == "30 Nov 2025 – 2 Dec 2025"
    assert fmt_event_date(None, None, None) == "date unknown"


def test_pages_render_facts_escape_text_and_explain_empty_states(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    timeline = render("/timeline", {"country": ["KZ"], "counterpart": ["CN"]}, warehouse)
    assert timeline.status == 200
    assert "12 documents signed" in timeline.html
    assert "<script>x()</script>" not in timeline.html and "&lt;script&gt;" in timeline.html
    assert "/document?id=d2#m-m4" in timeline.html

    engagement = render("/", {"country": ["KZ"]}, warehouse)
    assert "Engagement of Kazakhstan" in engagement.html and "<svg" in engagement.html
    nothing = render("/", {"country": ["TM"], "from": ["2020-01"], "to": ["2020-12"]}, warehouse)
    assert nothing.status == 200 and "No events for this filter" in nothing.html

    figures = render("/figures", {"country": ["KZ"], "period": ["all"]}, warehouse)
    assert "≈ 1.7 bn USD" in figures.html and "1.5 bn USD – 1.7 bn USD" in figures.html
    assert "/document?id=d1#f-f1" in figures.html

    bad = render("/", {"country": ["<script>"]}, warehouse)
    assert "not a two-letter country code" in bad.html and "<script>" not in bad.html.split("<main>")[1]

    missing = render("/", {}, Warehouse(tmp_path / "nowhere.duckdb"))
    assert missing.status == 200 and "No warehouse yet" in missing.html and "attache refresh" in missing.html
    assert render("/document", {"id": ["zzz"]}, warehouse).status == 404
    assert render("/admin", {}, warehouse).status == 404


@pytest.fixture
def running_server(warehouse: Warehouse) -> Iterator[str]:
    server = make_server(warehouse.path, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def test_server_answers_on_loopback_with_a_strict_policy(running_server: str) -> None:
    assert running_server.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(running_server + "/central-asia") as response:
        html = response.read().decode()
        assert response.status == 200
        assert "script-src" not in response.headers["Content-Security-Policy"]  # none allowed
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert 'data-country="KZ"' in html and "<script" not in html
    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(running_server + "/etc/passwd")
    assert not_found.value.code == 404


# --------------------------------------------------------------------------------------
# defaults that show signal (issue 16)


def resolved(con, **params: str) -> scope.Scope:
    return scope.resolve(con, q.parse_filters({name: [value] for name, value in params.items()}))


def test_default_period_is_the_most_recent_months_that_hold_events(con) -> None:
    # Plausibly dated events fall in Mar, Jun and Jul 2024; 1906 and 2040 do not count.
    assert scope.recent_event_months(con, q.Filters()) == (D(2024, 3, 1), D(2024, 7, 1))
    assert scope.recent_event_months(con, q.Filters(), n=2) == (D(2024, 6, 1), D(2024, 7, 1))
    figures = scope.resolve(con, q.Filters(), view="/figures")  # by the months they were reported
    assert (figures.applied.start, figures.applied.end) == (D(2024, 3, 1), D(2024, 7, 1))
    # A country's own latest months; Central Asia's from events with a Central Asian state.
    assert scope.recent_event_months(con, q.Filters(country="FR")) == (D(2024, 7, 1), D(2024, 7, 1))
    asia = scope.resolve(con, q.Filters(), view="/central-asia")
    assert (asia.applied.start, asia.applied.end) == (D(2024, 3, 1), D(2024, 7, 1))
    default = resolved(con)
    assert default.period_is_default
    assert (default.applied.start, default.applied.end) == (D(2024, 3, 1), D(2024, 7, 1))
    assert default.chosen.start is None  # links keep following the newest events
    everything = resolved(con, period="all", **{"from": "2024-06"})
    assert not everything.period_is_default and everything.applied.start is None
    chosen = resolved(con, **{"from": "2024-06", "to": "2024-06"})
    assert (chosen.applied.start, chosen.applied.end, chosen.period_is_default) == (
        D(2024, 6, 1), D(2024, 6, 1), False)  # fmt: skip


def test_suspect_dates_are_left_out_and_listed_with_their_evidence(con) -> None:
    events, _ = q.timeline(con, q.Filters(country="KZ", counterpart="RU"))
    assert [event["event_id"] for event in events] == ["e1"]
    assert q.engagement_totals(con, q.Filters(), "KZ")["n_events"] == 5
    suspect, n = q.suspect_dates(con, q.Filters(country="KZ"))
    assert n == 2
    assert [(e["event_id"], e["start_date"], e["mention_id"]) for e in suspect] == [
        ("e8", D(2040, 1, 1), "m10"), ("e7", D(1906, 1, 1), "m9")]  # fmt: skip
    assert suspect[0]["evidence"] == "К 2040 году созвонятся."
    assert q.suspect_dates(con, q.Filters(country="KZ", event_type="visit")) == ([], 0)
    included, _ = q.timeline(con, q.Filters(country="KZ", counterpart="RU", include_suspect=True))
    assert [event["event_id"] for event in included] == ["e8", "e1", "e7"]
    ru = {r["counterpart"]: r for r in q.engagement_by_counterpart(con, q.Filters(include_suspect=True), "KZ")}
    assert ru["RU"]["n_events"] == 3


def test_figures_hide_other_and_order_pairs_by_usd_within_each_metric(con) -> None:
    groups, n = q.figures(con, q.Filters())
    assert "other" not in {g["metric"] for g in groups}
    assert [(g["metric"], tuple(g["countries"])) for g in groups] == [
        ("investment_flow", ("KZ", "RU")),  # 4.0 bn USD before
        ("investment_flow", ("CN", "KZ")),  # 1.7 bn USD
        ("trade_turnover", ("KZ", "RU")),
        ("trade_growth", ("KZ", "RU")),
    ]
    assert n == 4 and q.hidden_other_figures(con, q.Filters()) == 1
    others, _ = q.figures(con, q.Filters(metric="other"))
    assert [g["latest_value"] for g in others] == [800.0]
    assert q.hidden_other_figures(con, q.Filters(metric="other")) == 0


def test_confidence_filter_on_a_measured_warehouse(measured_warehouse: Warehouse) -> None:
    with measured_warehouse.connect() as (con, _info):
        default = resolved(con)
        assert default.capabilities == scope.Capabilities(True, True, True)
        assert default.applied.min_confidence == scope.DEFAULT_MIN_CONFIDENCE
        events, _ = q.timeline(con, replace_period(default.applied))
        # The visit's rule is 0.5 precise, the undated meeting's is not measured: both hidden.
        assert {e["event_id"] for e in events} == {"e1", "e3", "e4", "e5"}
        groups, _ = q.figures(con, replace_period(default.applied))
        # Trade growth's rule is 0.6 precise; f2 (0.85) and f1 both pass for investment_flow.
        assert {g["metric"] for g in groups} == {"investment_flow", "trade_turnover"}
        strict = resolved(con, confidence="0.9", period="all")
        assert {e["event_id"] for e in q.timeline(con, strict.applied)[0]} == {"e1", "e4"}
        assert q.figures(con, strict.applied) == ([], 0)
        everything = resolved(con, confidence="0", period="all")
        assert everything.applied.min_confidence is None
        assert len(q.timeline(con, everything.applied)[0]) == len(PLAUSIBLE_EVENTS)
    page = render("/timeline", {"confidence": ["0.9"], "period": ["all"]}, measured_warehouse).html
    assert '<option value="0.9" selected>' in page and "confidence ≥ 0.9" in page
    assert "confidence=0.9" in page  # the tabs keep the filter in their links
    assert 'id="e-e2"' not in page and 'id="e-e1"' in page


def replace_period(filters: q.Filters) -> q.Filters:
    return replace(filters, start=None, end=None)


def test_views_say_so_when_the_warehouse_has_no_measurements(warehouse: Warehouse) -> None:
    for path in ("/", "/central-asia", "/timeline", "/figures"):
        page = render(path, {"confidence": ["0.9"]}, warehouse)
        assert page.status == 200, path
        assert 'id="confidence-note"' in page.html and 'name="confidence"' not in page.html, path
    quality_page = render("/quality", {}, warehouse).html
    assert 'id="rules-note"' in quality_page and 'id="outlets"' in quality_page


def test_quality_per_rule_and_per_outlet(measured_warehouse: Warehouse) -> None:
    with measured_warehouse.connect() as (con, _info):
        rules = {(r["row_kind"], r["rule_id"]): r for r in quality.rules(con, rule_quality=True, rule_ids=True)}
        visit = rules[("event", "event.visit")]
        assert (visit["rows_recorded"], visit["dev_precision"], visit["dev_rows_scored"]) == (2, 0.5, 20)
        assert visit["share_dated"] == 0.5  # m2 has a date, the planned m8 none
        assert rules[("event", "event.meeting")]["dev_precision"] is None
        assert rules[("figure", "figure.other")]["share_named_metric"] == 0.0
        assert rules[("figure", "figure.investment_flow")]["rows_recorded"] == 3
        coverage = {row["label"]: row for row in quality.coverage(con)}
        assert coverage["Figure mentions"]["share_named_metric"] == 5 / 6
        assert coverage["Canonical events"]["n_rows"] == len(EVENTS)
        outlets = {row["outlet"]: row for row in quality.outlets(con)}
        assert (outlets["Outlet A"]["n_articles"], outlets["Outlet A"]["newest_published_at"]) == (1, D(2024, 3, 22))
        assert outlets["Outlet B"]["n_figures"] == 3
    page = render("/quality", {}, measured_warehouse).html
    assert 'data-rule="event.visit"' in page and "not measured" in page
    assert 'class="below"' in page  # rules under the default minimum stand out


def test_filters_parse_period_suspect_and_confidence() -> None:
    filters = q.parse_filters({"period": ["all"], "suspect": ["include"], "confidence": ["0.9"]})
    assert (filters.all_time, filters.include_suspect, filters.min_confidence) == (True, True, 0.9)
    assert q.parse_filters({"confidence": ["0"]}).min_confidence == 0.0
    for bad in ("high", "1.5", "-0.1"):
        parsed = q.parse_filters({"confidence": [bad]})
        assert parsed.min_confidence is None
        assert parsed.problems == (f"Minimum confidence {bad!r} is not a number from 0 to 1; ignored.",)
    plain = q.parse_filters({"period": ["recent"], "suspect": ["yes"]})
    assert (plain.all_time, plain.include_suspect) == (False, False)


def test_default_confidence_shows_every_row_when_no_rule_reaches_it(tmp_path: Path) -> None:
    """Rules not yet 0.7 precise: the default would hide everything; it shows every row and
    says so, and a minimum chosen in the URL still applies."""
    weak = {rule: (p * 0.3 if p is not None else None) for rule, p in RULE_PRECISION.items()}
    warehouse = Warehouse(add_measurements(build_marts(tmp_path / "weak.duckdb"), weak))
    with warehouse.connect() as (con, _info):
        default = resolved(con, period="all")
        assert default.applied.min_confidence is None
        assert default.confidence_shortfall == pytest.approx(0.95 * 0.3)  # the summit's rule
        assert len(q.timeline(con, default.applied)[0]) == len(PLAUSIBLE_EVENTS)
        chosen = resolved(con, period="all", confidence="0.2")
        assert (chosen.applied.min_confidence, chosen.confidence_shortfall) == (0.2, None)
        assert {e["event_id"] for e in q.timeline(con, chosen.applied)[0]} == {"e1", "e3", "e4", "e5"}
    page = render("/timeline", {"period": ["all"]}, warehouse).html
    assert 'id="confidence-shortfall"' in page and "the best: 0.28" in page
    assert '<option value="0" selected>any row</option>' in page
    figures = render("/figures", {"period": ["all"]}, warehouse).html
    assert "the best: 0.26" in figures  # figures have their own best (investment flow's)
    assert 'id="e-e2"' not in render("/timeline", {"period": ["all"], "confidence": ["0.2"]}, warehouse).html
