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
SUSPECT_LIMIT = 50

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
    # period=all: every date, instead of the default window of recent months.
    all_time: bool = False
    # suspect=include: plot events whose date is implausible (see scope.py) as well.
    include_suspect: bool = False
    # Rows whose rule is at least this precise on the development set; None: no filter.
    min_confidence: float | None = None
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

    def confidence(name: str) -> float | None:
        text = value(name)
        if text is None:
            return None
        try:
            number = float(text)
        except ValueError:
            number = -1.0
        if 0.0 <= number <= 1.0:
            return number
        problems.append(f"Minimum confidence {text!r} is not a number from 0 to 1; ignored.")
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
        all_time=value("period") == "all",
        include_suspect=value("suspect") == "include",
        min_confidence=confidence("confidence"),
        problems=tuple(problems),
    )


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict]:
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
    return fetch_rows(
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
    return fetch_rows(
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


# An event dated before 1991 or more than a year after the article that first reported it
# is most likely a year mentioned in passing ("since 1906", "by 2040"), not a meeting: such
# events are left out of charts and lists unless asked for, and listed on their own. When
# no article of the event has a date, the day the warehouse last ingested one stands in:
# no article can report as past an event more than a year after it was read.
EARLIEST_PLAUSIBLE_DATE = dt.date(1991, 1, 1)
SUSPECT_DATE = """coalesce(
    start_date < date '1991-01-01'
    or start_date > coalesce(
        first_reported_at,
        (select max(cast(ingested_at as date)) from marts.dim_documents)
    ) + interval 1 year,
    false)"""


def event_where(filters: Filters, *, country: str | None, period: bool = True) -> Where:
    """fct_events rows matching the filters (participants, type, period by start month,
    plausible dates, measured confidence)."""
    where = Where()
    if country:
        where.add("list_contains(participant_countries, ?)", country)
    if filters.counterpart:
        where.add("list_contains(participant_countries, ?)", filters.counterpart)
    if filters.event_type:
        where.add("event_type = ?", filters.event_type)
    if period and filters.start:
        where.add("start_date >= ?", filters.start)
    if period and filters.end_exclusive:
        where.add("start_date < ?", filters.end_exclusive)
    if not filters.include_suspect:
        where.add(f"not {SUSPECT_DATE}")
    if filters.min_confidence is not None:
        where.add("confidence >= ?", filters.min_confidence)
    return where


def _pairs_cte(filters: Filters, country: str | None = None) -> tuple[str, list[Any]]:
    """A CTE `pairs`: every dated event matching the filters paired from each participant
    to each other one, as marts.country_engagement pairs them (a bilateral event gives
    KZ-RU and RU-KZ, a summit of n states n * (n - 1) rows). Computed from fct_events so
    that the confidence filter and the suspect dates apply to it as to every other view."""
    where = event_where(filters, country=country).add("start_date is not null")
    sql = f"""
        pairs as (
            select
                own.country,
                other.country as counterpart,
                cast(date_trunc('month', events.start_date) as date) as month,
                events.event_id,
                events.event_type,
                events.documents_signed
            from (select * from marts.fct_events where {where.sql}) as events
            inner join marts.event_participants as own on own.event_id = events.event_id
            inner join marts.event_participants as other
                on other.event_id = events.event_id and other.country != own.country
        )
    """
    return sql, where.params


def _pair_where(filters: Filters, country: str) -> Where:
    where = Where().add("country = ?", country)
    if filters.counterpart:
        where.add("counterpart = ?", filters.counterpart)
    return where


def engagement_totals(con: duckdb.DuckDBPyConnection, filters: Filters, country: str) -> dict:
    """Distinct events of the country (a summit counts once), by type, plus documents signed."""
    where = event_where(filters, country=country)
    type_counts = ",\n".join(
        f"count(*) filter (where event_type = '{event_type}') as {column}"
        for event_type, column in ENGAGEMENT_COLUMNS.items()
    )
    totals = fetch_rows(
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
    pairs, pair_params = _pairs_cte(filters, country)
    chosen = _pair_where(filters, country)
    totals["n_counterparts"] = con.execute(
        f"with {pairs} select count(distinct counterpart) from pairs where {chosen.sql}",
        [*pair_params, *chosen.params],
    ).fetchone()[0]
    return totals


def engagement_by_counterpart(con: duckdb.DuckDBPyConnection, filters: Filters, country: str) -> list[dict]:
    """One row per counterpart: distinct events with it, by type, and the months active."""
    pairs, pair_params = _pairs_cte(filters, country)
    chosen = _pair_where(filters, country)
    type_counts = ",\n".join(
        f"count(distinct event_id) filter (where event_type = '{event_type}') as {column}"
        for event_type, column in ENGAGEMENT_COLUMNS.items()
    )
    return fetch_rows(
        con,
        f"""
        with {pairs}
        select
            counterpart,
            count(distinct event_id) as n_events,
            {type_counts},
            coalesce(sum(documents_signed), 0) as documents_signed,
            min(month) as first_month,
            max(month) as last_month
        from pairs
        where {chosen.sql}
        group by counterpart
        order by n_events desc, counterpart
        """,
        [*pair_params, *chosen.params],
    )


def engagement_by_month_and_counterpart(
    con: duckdb.DuckDBPyConnection, filters: Filters, country: str
) -> list[dict]:
    pairs, pair_params = _pairs_cte(filters, country)
    chosen = _pair_where(filters, country)
    return fetch_rows(
        con,
        f"""
        with {pairs}
        select month, counterpart, count(distinct event_id) as n_events
        from pairs
        where {chosen.sql}
        group by month, counterpart
        order by month, counterpart
        """,
        [*pair_params, *chosen.params],
    )


def engagement_by_month_and_type(
    con: duckdb.DuckDBPyConnection, filters: Filters, country: str
) -> list[dict]:
    """Distinct events of the country per month and type (undated events have no month)."""
    where = event_where(filters, country=country).add("start_date is not null")
    return fetch_rows(
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


def suspect_dates(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = SUSPECT_LIMIT
) -> tuple[list[dict], int]:
    """Events of the filters (whatever their period) whose date is implausible, with the
    sentence and article that gave it. Returns (events, number matching before the limit)."""
    where = event_where(replace(filters, include_suspect=True), country=filters.country, period=False)
    where.add(SUSPECT_DATE)
    events = fetch_rows(
        con,
        f"""
        with suspect as (
            select * from marts.fct_events where {where.sql}
        ),
        first_mention as (
            select distinct on (mentions.event_id)
                mentions.event_id, mentions.mention_id, mentions.document_id, mentions.evidence
            from marts.fct_event_mentions as mentions
            inner join suspect on suspect.event_id = mentions.event_id
            order by mentions.event_id, mentions.document_id, mentions.char_start
        )
        select
            suspect.event_id, suspect.event_type, suspect.participant_countries,
            suspect.start_date, suspect.end_date, suspect.date_precision,
            suspect.first_reported_at,
            first_mention.mention_id, first_mention.document_id, first_mention.evidence,
            count(*) over () as n_matching
        from suspect
        left join first_mention on first_mention.event_id = suspect.event_id
        order by suspect.start_date desc, suspect.event_id
        limit ?
        """,
        [*where.params, limit],
    )
    return events, events[0]["n_matching"] if events else 0


# --------------------------------------------------------------------------------------
# (2) Central Asia: contacts with Russia, the US, China and the rest


def central_asia_balance(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    """Per Central Asian state and partner group ('RU', 'US', 'CN', 'other'): contacts
    (events counted once per counterpart, so a summit of six is five contacts for each),
    documents signed, and for 'other' the counterparts behind it."""
    pairs, pair_params = _pairs_cte(replace(filters, counterpart=None))
    return fetch_rows(
        con,
        f"""
        with {pairs},
        contacts as (
            select
                country,
                case when list_contains(?, counterpart) then counterpart else 'other' end
                    as partner,
                counterpart,
                count(distinct event_id) as n_contacts,
                coalesce(sum(documents_signed), 0) as documents_signed
            from pairs
            where list_contains(?, country)
            group by all
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
        [*pair_params, list(MAJOR_POWERS), list(CENTRAL_ASIA)],
    )


# --------------------------------------------------------------------------------------
# (3) event timeline


def timeline(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = TIMELINE_LIMIT
) -> tuple[list[dict], int]:
    """Canonical events matching the filters, newest first, with every mention's evidence
    and source article. Returns (events, number matching before the limit)."""
    where = event_where(filters, country=filters.country)
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
    events = fetch_rows(
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
    mentions = fetch_rows(
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


# The key investment_figures groups mentions by (a mention belongs to the group sharing it).
_FIGURE_GROUP_KEY = """
    coalesce(array_to_string(figures.countries, ','), '')
        = coalesce(array_to_string(groups.countries, ','), '')
    and figures.metric = groups.metric
    and figures.source_country is not distinct from groups.source_country
    and figures.target_country is not distinct from groups.target_country
    and figures.reference_year is not distinct from groups.reference_year
    and figures.unit is not distinct from groups.unit
"""


def _figure_group_where(filters: Filters) -> Where:
    """investment_figures groups matching the filters: country and counterpart among the
    figure's countries, period by reference year or report date, and metric `other`
    (the catch-all of figures no rule could name) only when asked for by name."""
    where = Where()
    if filters.country:
        where.add("list_contains(countries, ?)", filters.country)
    if filters.counterpart:
        where.add("list_contains(countries, ?)", filters.counterpart)
    if filters.metric:
        where.add("metric = ?", filters.metric)
    else:
        where.add("metric != 'other'")
    if filters.start or filters.end:
        # In the period: referring to one of its years, or reported during it.
        first = filters.start or dt.date(1, 1, 1)
        last_year = filters.end.year if filters.end else 9999
        after = filters.end_exclusive or dt.date(9999, 1, 1)
        where.add(
            "(reference_year between ? and ? or (last_reported_at >= ? and last_reported_at < ?))",
            first.year, last_year, first, after,
        )  # fmt: skip
    return where


def figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = FIGURE_GROUP_LIMIT
) -> tuple[list[dict], int]:
    """investment_figures groups matching the filters, by metric (in METRICS order), the
    largest in USD and the most reported first; each with the mentions behind it (value,
    evidence, article). With a minimum confidence, a group is shown when one of its reports
    passes, and only those reports are listed. Returns (groups, number matching)."""
    where = _figure_group_where(filters)
    confident = Where()
    if filters.min_confidence is not None:
        confident.add("figures.confidence >= ?", filters.min_confidence)
    groups = fetch_rows(
        con,
        f"""
        with matching as (
            select * from marts.investment_figures where {where.sql}
        ),
        confident as (
            select distinct groups.figure_group_id
            from matching as groups
            inner join marts.fct_figure_mentions as figures on {_FIGURE_GROUP_KEY}
            where {confident.sql}
        )
        select matching.*, count(*) over () as n_matching
        from matching
        inner join confident on confident.figure_group_id = matching.figure_group_id
        order by
            list_position(?, matching.metric),
            coalesce(len(matching.countries), 0) = 0,  -- pairs first, figures of no country last
            matching.latest_value_usd desc nulls last,
            matching.n_documents desc,
            matching.latest_value desc nulls last,
            matching.figure_group_id
        limit ?
        """,
        [*where.params, *confident.params, list(METRICS), limit],
    )
    if not groups:
        return [], 0
    mentions = fetch_rows(
        con,
        f"""
        with groups as (
            select * from marts.investment_figures
            where list_contains(?, figure_group_id)
        )
        select
            groups.figure_group_id,
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
        from groups
        inner join marts.fct_figure_mentions as figures on {_FIGURE_GROUP_KEY}
        left join marts.dim_documents as documents on documents.document_id = figures.document_id
        where {confident.sql}
        order by documents.published_at desc nulls last, figures.char_start
        """,
        [[group["figure_group_id"] for group in groups], *confident.params],
    )
    by_group: dict[str, list[dict]] = {}
    for mention in mentions:
        by_group.setdefault(mention["figure_group_id"], []).append(mention)
    for group in groups:
        group["mentions"] = by_group.get(group["figure_group_id"], [])
        periods = [(m["period_start"], m["period_end"]) for m in group["mentions"] if m["period_start"]]
        group["period_start"], group["period_end"] = periods[0] if periods else (None, None)
    return groups, groups[0]["n_matching"]


def hidden_other_figures(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    """How many groups of metric `other` the figures view hides for these filters (counted
    as the view would show them, minimum confidence included)."""
    if filters.metric:
        return 0
    others = replace(filters, metric="other")
    if filters.min_confidence is not None:
        return figures(con, others, limit=1)[1]  # the groups with a report that passes
    where = _figure_group_where(others)
    return con.execute(f"select count(*) from marts.investment_figures where {where.sql}", where.params).fetchone()[0]


# --------------------------------------------------------------------------------------
# one article: what it reported


def document(con: duckdb.DuckDBPyConnection, document_id: str) -> dict | None:
    title = _column_or_null(con, "dim_documents", "title", "documents")
    url = _column_or_null(con, "dim_documents", "url", "documents")
    rows = fetch_rows(
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
    result["events"] = fetch_rows(
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
    result["figures"] = fetch_rows(
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
