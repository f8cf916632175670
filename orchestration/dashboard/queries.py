"""The dashboard's queries on schema `marts`: filters in, plain rows out.

Every value a user chooses travels as a query parameter; the only parts of a statement that
vary are fixed fragments chosen from the whitelists below (never text from a request).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb

EVENT_TYPES = ("phone_call", "visit", "summit", "meeting", "talks", "agreement_signing")
EVENT_TYPE_LABELS = {
    "phone_call": "Phone calls",
    "visit": "Visits",
    "summit": "Summits",
    "meeting": "Meetings",
    "talks": "Talks",
    "agreement_signing": "Signings",
}
# country_engagement's count column for each event type.
ENGAGEMENT_COLUMNS = {
    "phone_call": "n_phone_calls",
    "visit": "n_visits",
    "summit": "n_summits",
    "meeting": "n_meetings",
    "talks": "n_talks",
    "agreement_signing": "n_agreement_signings",
}
METRICS = (
    "investment_flow",
    "investment_stock",
    "trade_turnover",
    "trade_growth",
    "deal_value",
    "national_currency_share",
    "aid_or_loan",
    "other",
)
METRIC_LABELS = {
    "investment_flow": "Investment flow",
    "investment_stock": "Investment stock",
    "trade_turnover": "Trade turnover",
    "trade_growth": "Trade growth",
    "deal_value": "Deal value",
    "national_currency_share": "National-currency share",
    "aid_or_loan": "Aid or loan",
    "other": "Other",
}
CENTRAL_ASIA = ("KZ", "KG", "TJ", "TM", "UZ")
MAJOR_POWERS = ("RU", "US", "CN")

TIMELINE_LIMIT = 200
TIMELINE_ORDER = ("visit", "summit", "meeting", "talks", "phone_call", "agreement_signing")
FIGURE_GROUP_LIMIT = 300

COUNTRY_CODE = re.compile(r"[A-Z]{2}")
MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")  # <input type="month"> sends 2025-08


@dataclass(frozen=True)
class Filters:
    """What the analyst chose. Months are first days; `end` is inclusive (its whole month)."""

    country: str | None = None
    counterpart: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    event_type: str | None = None
    metric: str | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def end_exclusive(self) -> dt.date | None:
        if self.end is None:
            return None
        return dt.date(self.end.year + self.end.month // 12, self.end.month % 12 + 1, 1)

    def with_country(self, country: str | None) -> Filters:
        return replace(self, country=country)


def _month(text: str) -> dt.date | None:
    match = MONTH.fullmatch(text)
    if match is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    return dt.date(year, month, 1) if 1 <= month <= 12 and 1900 <= year <= 2200 else None


def parse_filters(params: dict[str, list[str]]) -> Filters:
    """Filters from a query string (as parse_qs gives it). Values that do not parse are
    dropped and reported in `problems`, so a bad link shows a note rather than an error."""
    problems: list[str] = []

    def value(name: str) -> str | None:
        values = [v.strip() for v in params.get(name, []) if v.strip()]
        return values[-1] if values else None

    def code(name: str, label: str) -> str | None:
        text = value(name)
        if text is None:
            return None
        if COUNTRY_CODE.fullmatch(text.upper()):
            return text.upper()
        problems.append(f"{label} {text!r} is not a two-letter country code; ignored.")
        return None

    def month(name: str, label: str) -> dt.date | None:
        text = value(name)
        if text is None:
            return None
        parsed = _month(text)
        if parsed is None:
            problems.append(f"{label} {text!r} is not a month like 2025-08; ignored.")
        return parsed

    def choice(name: str, label: str, allowed: tuple[str, ...]) -> str | None:
        text = value(name)
        if text is None or text in allowed:
            return text
        problems.append(f"{label} {text!r} is not one of {', '.join(allowed)}; ignored.")
        return None

    start = month("from", "From")
    end = month("to", "To")
    if start and end and start > end:
        problems.append("The period's start is after its end; swapped them.")
        start, end = end, start
    return Filters(
        country=code("country", "Country"),
        counterpart=code("counterpart", "Counterpart"),
        start=start,
        end=end,
        event_type=choice("event_type", "Event type", EVENT_TYPES),
        metric=choice("metric", "Metric", METRICS),
        problems=tuple(problems),
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class Where:
    """AND-ed conditions with their parameters, from fixed fragments only."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list[Any] = []

    def add(self, condition: str, *params: Any) -> Where:
        self.conditions.append(condition)
        self.params.extend(params)
        return self

    @property
    def sql(self) -> str:
        return " and ".join(self.conditions) if self.conditions else "true"


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_columns() where database_name = 'warehouse' "
            "and schema_name = 'marts' and table_name = ? and column_name = ?",
            [table, column],
        ).fetchone()[0]
    )


def _column_or_null(con: duckdb.DuckDBPyConnection, table: str, column: str, alias: str) -> str:
    """`alias.column` when the mart has that column, else a typed NULL: columns beyond the
    contract (title, url, organisation_id) are shown when present. Identifiers come from
    this module only."""
    return f"{alias}.{column}" if _has_column(con, table, column) else "cast(null as varchar)"


# --------------------------------------------------------------------------------------
# reference: country names, overview counts


def country_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("select country_code, name_en from marts.dim_countries").fetchall())


def filter_countries(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Countries offered in the filters: the focus countries first, then every other
    country that takes part in an event, by name."""
    return _rows(
        con,
        """
        with active as (
            select distinct country from marts.country_engagement
        )
        select
            countries.country_code as code,
            countries.name_en as name,
            countries.is_focus,
            active.country is not null as is_active
        from marts.dim_countries as countries
        left join active on active.country = countries.country_code
        where countries.is_focus or active.country is not null
        order by not countries.is_focus, countries.name_en
        """,
    )


def overview(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts for the header: what the warehouse holds and how fresh it is."""
    return _rows(
        con,
        """
        select
            (select count(*) from marts.dim_documents) as n_documents,
            (select count(*) from marts.fct_events) as n_events,
            (select count(*) from marts.fct_figure_mentions) as n_figures,
            (select max(ingested_at) from marts.dim_documents) as last_ingested_at,
            (select min(start_date) from marts.fct_events) as first_event_date,
            (select max(start_date) from marts.fct_events) as last_event_date
        """,
    )[0]


def most_engaged_country(con: duckdb.DuckDBPyConnection) -> str | None:
    """The default country of the engagement view: the one in most events."""
    row = con.execute(
        """
        select country from marts.event_participants
        group by country order by count(distinct event_id) desc, country limit 1
        """
    ).fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------------------
# (1) engagement of one country over time


def _event_where(filters: Filters, *, country: str | None) -> Where:
    """fct_events rows matching the filters (participants, type, period by start month)."""
    where = Where()
    if country:
        where.add("list_contains(participant_countries, ?)", country)
    if filters.counterpart:
        where.add("list_contains(participant_countries, ?)", filters.counterpart)
    if filters.event_type:
        where.add("event_type = ?", filters.event_type)
    if filters.start:
        where.add("start_date >= ?", filters.start)
    if filters.end_exclusive:
        where.add("start_date < ?", filters.end_exclusive)
    return where


def _engagement_where(filters: Filters, country: str) -> Where:
    where = Where().add("country = ?", country)
    if filters.counterpart:
        where.add("counterpart = ?", filters.counterpart)
    if filters.start:
        where.add("month >= ?", filters.start)
    if filters.end:
        where.add("month <= ?", filters.end)
    return where


def _engagement_count(filters: Filters) -> str:
    """The count column for the chosen event type (a whitelisted identifier)."""
    return ENGAGEMENT_COLUMNS[filters.event_type] if filters.event_type else "n_events"


def engagement_totals(con: duckdb.DuckDBPyConnection, filters: Filters, country: str) -> dict:
    """Distinct events of the country (a summit counts once), by type, plus documents signed."""
    where = _event_where(filters, country=country)
    type_counts = ",\n".join(
        f"count(*) filter (where event_type = '{event_type}') as {column}"
        for event_type, column in ENGAGEMENT_COLUMNS.items()
    )
    totals = _rows(
        con,
        f"""
        select
            count(*) as n_events,
            {type_counts},
            coalesce(sum(documents_signed), 0) as documents_signed
        from marts.fct_events
        where {where.sql}
        """,
        where.params,
    )[0]
    pairs = _engagement_where(filters, country)
    totals["n_counterparts"] = con.execute(
        f"""
        select count(distinct counterpart) from marts.country_engagement
        where {pairs.sql} and {_engagement_count(filters)} > 0
        """,
        pairs.params,
    ).fetchone()[0]
    return totals


def engagement_by_counterpart(con: duckdb.DuckDBPyConnection, filters: Filters, country: str) -> list[dict]:
    """One row per counterpart: events with it (pairwise, from country_engagement) by type."""
    where = _engagement_where(filters, country)
    count = _engagement_count(filters)
    type_sums = ",\n".join(f"sum({column}) as {column}" for column in ENGAGEMENT_COLUMNS.values())
    return _rows(
        con,
        f"""
        select
            counterpart,
            sum({count}) as n_events,
            {type_sums},
            sum(documents_signed) as documents_signed,
            min(month) filter (where {count} > 0) as first_month,
            max(month) filter (where {count} > 0) as last_month
        from marts.country_engagement
        where {where.sql}
        group by counterpart
        having sum({count}) > 0
        order by n_events desc, counterpart
        """,
        where.params,
    )


def engagement_by_month_and_counterpart(
    con: duckdb.DuckDBPyConnection, filters: Filters, country: str
) -> list[dict]:
    where = _engagement_where(filters, country)
    count = _engagement_count(filters)
    return _rows(
        con,
        f"""
        select month, counterpart, sum({count}) as n_events
        from marts.country_engagement
        where {where.sql}
        group by month, counterpart
        having sum({count}) > 0
        order by month, counterpart
        """,
        where.params,
    )


def engagement_by_month_and_type(
    con: duckdb.DuckDBPyConnection, filters: Filters, country: str
) -> list[dict]:
    """Distinct events of the country per month and type (undated events have no month)."""
    where = _event_where(filters, country=country).add("start_date is not null")
    return _rows(
        con,
        f"""
        select
            cast(date_trunc('month', start_date) as date) as month,
            event_type,
            count(*) as n_events
        from marts.fct_events
        where {where.sql}
        group by all
        order by month, event_type
        """,
        where.params,
    )


# --------------------------------------------------------------------------------------
# (2) Central Asia: contacts with Russia, the US, China and the rest


def central_asia_balance(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    """Per Central Asian state and partner group ('RU', 'US', 'CN', 'other'): contacts
    (events counted once per counterpart, so a summit of six is five contacts for each),
    documents signed, and for 'other' the counterparts behind it."""
    where = Where().add("list_contains(?, country)", list(CENTRAL_ASIA))
    if filters.start:
        where.add("month >= ?", filters.start)
    if filters.end:
        where.add("month <= ?", filters.end)
    count = _engagement_count(filters)
    return _rows(
        con,
        f"""
        with contacts as (
            select
                country,
                case when list_contains(?, counterpart) then counterpart else 'other' end
                    as partner,
                counterpart,
                sum({count}) as n_contacts,
                sum(documents_signed) as documents_signed
            from marts.country_engagement
            where {where.sql}
            group by all
            having sum({count}) > 0
        )
        select
            country,
            partner,
            sum(n_contacts) as n_contacts,
            sum(documents_signed) as documents_signed,
            string_agg(format('{{}} {{}}', counterpart, n_contacts), ', '
                       order by n_contacts desc, counterpart) as counterparts
        from contacts
        group by country, partner
        order by country, partner
        """,
        [list(MAJOR_POWERS), *where.params],
    )


# --------------------------------------------------------------------------------------
# (3) event timeline


def timeline(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = TIMELINE_LIMIT
) -> tuple[list[dict], int]:
    """Canonical events matching the filters, newest first, with every mention's evidence
    and source article. Returns (events, number matching before the limit)."""
    where = _event_where(filters, country=filters.country)
    organisation = _column_or_null(con, "fct_events", "organisation_id", "events")
    has_organisations = bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = 'warehouse' "
            "and schema_name = 'marts' and table_name = 'dim_organisations'"
        ).fetchone()[0]
    )
    organisation_name = (
        "(select name_en from marts.dim_organisations as organisations "
        f"where organisations.organisation_id = {organisation})"
        if has_organisations
        else "cast(null as varchar)"
    )
    events = _rows(
        con,
        f"""
        select
            events.event_id,
            events.event_type,
            events.participant_countries,
            events.host_country,
            events.start_date,
            events.end_date,
            events.date_precision,
            events.documents_signed,
            events.n_mentions,
            events.n_documents,
            events.first_reported_at,
            {organisation} as organisation_id,
            {organisation_name} as organisation_name,
            count(*) over () as n_matching
        from (select * from marts.fct_events where {where.sql}) as events
        -- Within a day, the occasion first (visit, summit...), what came of it last.
        order by
            events.start_date desc nulls last,
            list_position(?, events.event_type),
            events.event_id
        limit ?
        """,
        [*where.params, list(TIMELINE_ORDER), limit],
    )
    if not events:
        return [], 0
    mentions = _rows(
        con,
        f"""
        select
            mentions.event_id,
            mentions.mention_id,
            mentions.document_id,
            mentions.visit_level,
            mentions.evidence,
            documents.source_name,
            documents.outlet,
            documents.published_at,
            {_column_or_null(con, "dim_documents", "title", "documents")} as title
        from marts.fct_event_mentions as mentions
        left join marts.dim_documents as documents on documents.document_id = mentions.document_id
        where list_contains(?, mentions.event_id)
        order by documents.published_at nulls last, mentions.document_id, mentions.char_start
        """,
        [[event["event_id"] for event in events]],
    )
    by_event: dict[str, list[dict]] = {}
    for mention in mentions:
        by_event.setdefault(mention["event_id"], []).append(mention)
    for event in events:
        event["mentions"] = by_event.get(event["event_id"], [])
        levels = [m["visit_level"] for m in event["mentions"] if m["visit_level"]]
        event["visit_level"] = levels[0] if levels else None
    return events, events[0]["n_matching"]


# --------------------------------------------------------------------------------------
# (4) investment, trade and deal figures by country pair


def figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = FIGURE_GROUP_LIMIT
) -> tuple[list[dict], int]:
    """investment_figures groups matching the filters (country and counterpart among the
    figure's countries; period by reference year, else by report date), each with the
    mentions behind it (value, evidence, article). Returns (groups, number matching)."""
    where = Where()
    if filters.country:
        where.add("list_contains(countries, ?)", filters.country)
    if filters.counterpart:
        where.add("list_contains(countries, ?)", filters.counterpart)
    if filters.metric:
        where.add("metric = ?", filters.metric)
    year = "coalesce(reference_year, year(last_reported_at))"
    if filters.start:
        where.add(f"{year} >= ?", filters.start.year)
    if filters.end:
        where.add(f"{year} <= ?", filters.end.year)
    groups = _rows(
        con,
        f"""
        select *, count(*) over () as n_matching
        from marts.investment_figures
        where {where.sql}
        order by
            country_a nulls last, country_b nulls last, metric,
            reference_year desc nulls last, latest_value_usd desc nulls last
        limit ?
        """,
        [*where.params, limit],
    )
    if not groups:
        return [], 0
    # Mentions belong to a group when they share its key (as investment_figures groups them).
    mentions = _rows(
        con,
        f"""
        with selected as (
            select * from marts.investment_figures
            where list_contains(?, figure_group_id)
        )
        select
            selected.figure_group_id,
            figures.figure_id,
            figures.document_id,
            figures.value,
            figures.unit,
            figures.value_usd,
            figures.qualifier,
            figures.period_start,
            figures.period_end,
            figures.modality,
            figures.evidence,
            documents.source_name,
            documents.outlet,
            documents.published_at,
            {_column_or_null(con, "dim_documents", "title", "documents")} as title
        from selected
        inner join marts.fct_figure_mentions as figures
            on coalesce(array_to_string(figures.countries, ','), '')
                = coalesce(array_to_string(selected.countries, ','), '')
            and figures.metric = selected.metric
            and figures.source_country is not distinct from selected.source_country
            and figures.target_country is not distinct from selected.target_country
            and figures.reference_year is not distinct from selected.reference_year
            and figures.unit is not distinct from selected.unit
        left join marts.dim_documents as documents on documents.document_id = figures.document_id
        order by documents.published_at desc nulls last, figures.char_start
        """,
        [[group["figure_group_id"] for group in groups]],
    )
    by_group: dict[str, list[dict]] = {}
    for mention in mentions:
        by_group.setdefault(mention["figure_group_id"], []).append(mention)
    for group in groups:
        group["mentions"] = by_group.get(group["figure_group_id"], [])
        periods = [(m["period_start"], m["period_end"]) for m in group["mentions"] if m["period_start"]]
        group["period_start"], group["period_end"] = periods[0] if periods else (None, None)
    return groups, groups[0]["n_matching"]


# --------------------------------------------------------------------------------------
# one article: what it reported


def document(con: duckdb.DuckDBPyConnection, document_id: str) -> dict | None:
    title = _column_or_null(con, "dim_documents", "title", "documents")
    url = _column_or_null(con, "dim_documents", "url", "documents")
    rows = _rows(
        con,
        f"""
        select
            document_id, source_name, {title} as title, {url} as url, outlet, language,
            published_at, char_count, ingested_at
        from marts.dim_documents as documents
        where document_id = ?
        """,
        [document_id],
    )
    if not rows:
        return None
    result = rows[0]
    result["events"] = _rows(
        con,
        """
        select
            mention_id, event_id, event_type, participant_countries, host_country,
            visit_level, documents_signed, start_date, end_date, date_precision, modality,
            evidence, char_start, char_end
        from marts.fct_event_mentions
        where document_id = ?
        order by char_start, event_type, mention_id
        """,
        [document_id],
    )
    result["figures"] = _rows(
        con,
        """
        select
            figure_id, metric, value, unit, value_usd, qualifier, countries, source_country,
            target_country, reference_year, period_start, period_end, modality, evidence,
            char_start, char_end
        from marts.fct_figure_mentions
        where document_id = ?
        order by char_start, figure_id
        """,
        [document_id],
    )
    return result
