"""Queries of the quality view: how far to trust each chart.

Per rule: rows recorded and the precision measured on the development set
(`marts.rule_quality`, from the measurement work), with the share of its rows that carry a
date, a host or a named metric; per outlet: articles contributed and the newest article's
date. On a warehouse without rule ids or measurements the per-rule part is left out (the
page says so) and the coverage is given for all rows together.
"""

from __future__ import annotations

import duckdb

from orchestration.dashboard.queries import fetch_rows


def rules(con: duckdb.DuckDBPyConnection, *, rule_quality: bool, rule_ids: bool) -> list[dict]:
    """One row per (row kind, rule): rows recorded, dev precision and rows scored (NULL when
    not measured), and the coverage shares of its rows."""
    if not rule_ids:
        return []
    coverage = """
        select
            'event' as row_kind,
            rule_id,
            count(*) as n_rows,
            avg(case when start_date is not null then 1 else 0 end) as share_dated,
            avg(case when host_country is not null then 1 else 0 end) as share_with_host,
            cast(null as double) as share_named_metric
        from marts.fct_event_mentions
        group by rule_id
        union all
        select
            'figure', rule_id, count(*), null, null,
            avg(case when metric != 'other' then 1 else 0 end)
        from marts.fct_figure_mentions
        group by rule_id
    """
    if rule_quality:
        # The confidence each of the rule's rows carries (a smoothed precision), when given.
        confidence = "measured.confidence" if _has_rule_confidence(con) else "cast(null as double)"
        sql = f"""
            with coverage as ({coverage})
            select
                coalesce(measured.row_kind, coverage.row_kind) as row_kind,
                coalesce(measured.rule_id, coverage.rule_id) as rule_id,
                coalesce(measured.rows_recorded, coverage.n_rows, 0) as rows_recorded,
                measured.dev_precision,
                measured.dev_rows_scored,
                {confidence} as rule_confidence,
                coverage.share_dated,
                coverage.share_with_host,
                coverage.share_named_metric
            from marts.rule_quality as measured
            full outer join coverage
                on coverage.rule_id is not distinct from measured.rule_id
                and coverage.row_kind = measured.row_kind
        """
    else:
        sql = f"""
            with coverage as ({coverage})
            select
                row_kind, rule_id, n_rows as rows_recorded,
                cast(null as double) as dev_precision, cast(null as integer) as dev_rows_scored,
                cast(null as double) as rule_confidence, share_dated, share_with_host, share_named_metric
            from coverage
        """
    return fetch_rows(con, f"select * from ({sql}) order by row_kind, rows_recorded desc, rule_id")


def _has_rule_confidence(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_columns() where database_name = 'warehouse' "
            "and schema_name = 'marts' and table_name = 'rule_quality' and column_name = 'confidence'"
        ).fetchone()[0]
    )


def coverage(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The same shares over all rows: event mentions, canonical events, figure mentions."""
    return fetch_rows(
        con,
        """
        select
            'Event mentions' as label, count(*) as n_rows,
            avg(case when start_date is not null then 1 else 0 end) as share_dated,
            avg(case when host_country is not null then 1 else 0 end) as share_with_host,
            cast(null as double) as share_named_metric,
            cast(null as double) as share_in_usd
        from marts.fct_event_mentions
        union all
        select
            'Canonical events', count(*),
            avg(case when start_date is not null then 1 else 0 end),
            avg(case when host_country is not null then 1 else 0 end),
            null, null
        from marts.fct_events
        union all
        select
            'Figure mentions', count(*), null, null,
            avg(case when metric != 'other' then 1 else 0 end),
            avg(case when value_usd is not null then 1 else 0 end)
        from marts.fct_figure_mentions
        """,
    )


def outlets(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per outlet: articles, how many have no date, the newest article's date and when the
    last one was ingested, and the events and figures taken from its articles."""
    return fetch_rows(
        con,
        """
        with event_counts as (
            select document_id, count(*) as n_event_mentions
            from marts.fct_event_mentions group by document_id
        ),
        figure_counts as (
            select document_id, count(*) as n_figures
            from marts.fct_figure_mentions group by document_id
        )
        select
            documents.outlet,
            count(*) as n_articles,
            count(*) filter (where documents.published_at is null) as n_undated,
            max(documents.published_at) as newest_published_at,
            max(documents.ingested_at) as last_ingested_at,
            coalesce(sum(event_counts.n_event_mentions), 0) as n_event_mentions,
            coalesce(sum(figure_counts.n_figures), 0) as n_figures
        from marts.dim_documents as documents
        left join event_counts on event_counts.document_id = documents.document_id
        left join figure_counts on figure_counts.document_id = documents.document_id
        group by documents.outlet
        order by n_articles desc, documents.outlet nulls last
        """,
    )
