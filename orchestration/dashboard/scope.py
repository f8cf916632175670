"""What a page shows when the analyst has not said: the defaults that make a real
warehouse show signal, and what this warehouse can be filtered by.

- Period: the DEFAULT_MONTHS most recent months that hold events of the view's filters (for
  the figures view: in which figures were reported), so that years mentioned in passing do
  not stretch the axis; `period=all` shows every date.
- Suspect dates (queries.SUSPECT_DATE) are left out unless `suspect=include`.
- Confidence: the measured precision of each row's rule on the development set, when the
  warehouse has it (`marts.rule_quality` and `confidence` on the facts, built by the
  measurement work); rows below DEFAULT_MIN_CONFIDENCE are hidden unless the URL says
  otherwise (`confidence=0` shows every row). When no row of the view reaches that
  minimum (the rules are not that precise yet), the default shows every row and the page
  says so, rather than opening on nothing. On a warehouse without measurements the filter
  is replaced by a note and every row is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb

from orchestration.dashboard import queries as q

DEFAULT_MONTHS = 24
DEFAULT_MIN_CONFIDENCE = 0.7
CONFIDENCE_CHOICES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)


@dataclass(frozen=True)
class Capabilities:
    """Which of the measurement work's columns and marts this warehouse has."""

    measured_confidence: bool  # rule_quality plus confidence on events and figures
    rule_quality: bool
    rule_ids: bool  # rule_id on fct_event_mentions and fct_figure_mentions


@dataclass(frozen=True)
class Scope:
    """The filters as chosen (for links) and as applied (for queries)."""

    chosen: q.Filters
    applied: q.Filters
    capabilities: Capabilities
    period_is_default: bool
    # The highest confidence of the view's rows, when it is under the default minimum and
    # the default was therefore not applied (None otherwise).
    confidence_shortfall: float | None = None


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = 'warehouse' "
            "and schema_name = 'marts' and table_name = ?",
            [table],
        ).fetchone()[0]
    )


def _has_columns(con: duckdb.DuckDBPyConnection, column: str, tables: tuple[str, ...]) -> bool:
    found = con.execute(
        "select count(distinct table_name) from duckdb_columns() where database_name = 'warehouse' "
        "and schema_name = 'marts' and column_name = ? and list_contains(?, table_name)",
        [column, list(tables)],
    ).fetchone()[0]
    return found == len(tables)


def capabilities(con: duckdb.DuckDBPyConnection) -> Capabilities:
    rule_quality = _has_table(con, "rule_quality")
    confidence = _has_columns(con, "confidence", ("fct_events", "fct_figure_mentions"))
    rule_ids = _has_columns(con, "rule_id", ("fct_event_mentions", "fct_figure_mentions"))
    return Capabilities(
        measured_confidence=rule_quality and confidence, rule_quality=rule_quality, rule_ids=rule_ids
    )


def recent_event_months(
    con: duckdb.DuckDBPyConnection,
    filters: q.Filters,
    n: int = DEFAULT_MONTHS,
    *,
    any_of: tuple[str, ...] = (),
) -> tuple[dt.date, dt.date] | None:
    """(first, last) of the n most recent months that hold a plausibly dated event matching
    the filters but their period (and, when `any_of` is given, a contact of one of those
    countries with another): a few stray late dates then do not leave the window nearly
    empty, and a quiet country's view opens on its own latest events."""
    where = q.event_where(filters, country=filters.country, period=False).add("start_date is not null")
    if any_of:
        # A contact of one of them: with a participant among them and one other at least.
        where.add("list_has_any(participant_countries, ?)", list(any_of))
        where.add("len(participant_countries) >= 2")
    row = con.execute(
        f"""
        with months as (
            select distinct cast(date_trunc('month', start_date) as date) as month
            from marts.fct_events
            where {where.sql}
            order by month desc
            limit ?
        )
        select min(month), max(month) from months
        """,
        [*where.params, n],
    ).fetchone()
    return (row[0], row[1]) if row and row[1] else None


def best_confidence(con: duckdb.DuckDBPyConnection, *, figures: bool) -> float | None:
    """The highest confidence of any figure (figures=True) or event."""
    table = "fct_figure_mentions" if figures else "fct_events"  # identifiers of ours only
    return con.execute(f"select max(confidence) from marts.{table}").fetchone()[0]


def recent_figure_months(con: duckdb.DuckDBPyConnection, n: int = DEFAULT_MONTHS) -> tuple[dt.date, dt.date] | None:
    """(first, last) of the n most recent months in which figures were reported."""
    row = con.execute(
        """
        with months as (
            select distinct cast(date_trunc('month', last_reported_at) as date) as month
            from marts.investment_figures
            where last_reported_at is not null and metric != 'other'
            order by month desc
            limit ?
        )
        select min(month), max(month) from months
        """,
        [n],
    ).fetchone()
    return (row[0], row[1]) if row and row[1] else None


def resolve(con: duckdb.DuckDBPyConnection, chosen: q.Filters, *, view: str = "/") -> Scope:
    """The filters a page applies: the analyst's, with the defaults filled in. The figures
    view takes its default window from the months figures were reported in, the Central
    Asia view from the months of Central Asian events, the others from the months of the
    events their filters select."""
    caps = capabilities(con)
    applied = chosen
    shortfall = None
    if not caps.measured_confidence:
        applied = replace(applied, min_confidence=None)
    elif chosen.min_confidence is None:
        best = best_confidence(con, figures=view == "/figures")
        if best is not None and best >= DEFAULT_MIN_CONFIDENCE:
            applied = replace(applied, min_confidence=DEFAULT_MIN_CONFIDENCE)
        else:
            shortfall = best if best is not None else 0.0
    elif chosen.min_confidence == 0:
        applied = replace(applied, min_confidence=None)  # 0: every row, measured or not
    if chosen.all_time:
        applied = replace(applied, start=None, end=None)
    period_is_default = not chosen.all_time and chosen.start is None and chosen.end is None
    if period_is_default:
        if view == "/figures":
            window = recent_figure_months(con)
        elif view == "/central-asia":
            window = recent_event_months(con, replace(applied, country=None, counterpart=None), any_of=q.CENTRAL_ASIA)
        else:
            window = recent_event_months(con, applied)
        if window is None:
            period_is_default = False
        else:
            applied = replace(applied, start=window[0], end=window[1])
    return Scope(
        chosen=chosen,
        applied=applied,
        capabilities=caps,
        period_is_default=period_is_default,
        confidence_shortfall=shortfall,
    )
