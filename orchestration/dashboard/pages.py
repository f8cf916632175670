"""The dashboard's pages: rows from the query layer, shaped for the Jinja2 templates in
templates/ (autoescaped: every value from the warehouse or the request is escaped on output).

Plain HTML and inline SVG with one inline stylesheet: no script and nothing fetched from
elsewhere, so the pages work offline and under a strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from orchestration.dashboard import charts, quality
from orchestration.dashboard import queries as q
from orchestration.dashboard import scope as s
from orchestration.dashboard.formatting import (
    fmt_amount,
    fmt_count,
    fmt_date,
    fmt_event_date,
    fmt_month,
    fmt_period,
    fmt_precision,
    fmt_share,
    plural,
    source_label,
    truncate,
)
from orchestration.dashboard.warehouse import (
    MartsMissing,
    Warehouse,
    WarehouseInfo,
    WarehouseMissing,
    WarehouseUnreadable,
)

__all__ = ["Response", "fmt_amount", "fmt_event_date", "message_page", "render"]

HERE = Path(__file__).parent
STYLESHEET = (HERE / "dashboard.css").read_text(encoding="utf-8")

PARTNER_LABELS = {"RU": "Russia", "US": "United States", "CN": "China", "other": "Others"}
COUNTERPARTS_IN_CHART = 9  # the busiest counterparts get a colour each; the rest are "others"
EVENT_TYPE_BADGES = {
    "phone_call": "Phone call",
    "visit": "Visit",
    "summit": "Summit",
    "meeting": "Meeting",
    "talks": "Talks",
    "agreement_signing": "Signing",
}


def document_href(document_id: str, anchor: str) -> str:
    return f"/document?{urlencode({'id': document_id})}#{anchor}"


TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=StrictUndefined,  # a misspelt name fails loudly in the tests, not silently blank
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters.update(
    count=fmt_count,
    amount=fmt_amount,
    date=fmt_date,
    month=fmt_month,
    share=fmt_share,
    precision=fmt_precision,
    truncate_text=truncate,
)
TEMPLATES.globals.update(
    plural=plural,
    event_date=fmt_event_date,
    source_label=source_label,
    document_href=document_href,
    metric_label=lambda metric: q.METRIC_LABELS.get(metric, metric),
    badge_label=lambda event_type: EVENT_TYPE_BADGES.get(event_type, event_type),
    badge_colour=lambda event_type: charts.EVENT_TYPE_COLOURS.get(event_type, charts.OTHER_COLOUR),
    stylesheet=Markup(STYLESHEET),  # our own file, not data
)


@dataclass(frozen=True)
class View:
    path: str
    label: str
    fields: tuple[str, ...]  # the filters that apply to this view


EVENT_FIELDS = ("country", "counterpart", "period", "event_type", "confidence", "suspect")
VIEWS = (
    View("/", "Engagement", EVENT_FIELDS),
    View("/central-asia", "Central Asia", ("period", "event_type", "confidence", "suspect")),
    View("/timeline", "Timeline", EVENT_FIELDS),
    View("/figures", "Figures", ("country", "counterpart", "period", "metric", "confidence")),
    View("/quality", "Quality", ()),
)
VIEW_BY_PATH = {view.path: view for view in VIEWS}


@dataclass(frozen=True)
class Response:
    status: int
    html: str


@dataclass
class Context:
    """What every page needs: the connection, the filters (chosen and applied), names."""

    con: duckdb.DuckDBPyConnection
    scope: s.Scope
    info: WarehouseInfo
    names: dict[str, str]

    @property
    def filters(self) -> q.Filters:
        """The filters the queries apply (defaults filled in)."""
        return self.scope.applied

    @property
    def chosen(self) -> q.Filters:
        """The filters as the URL gave them (links keep these, so defaults stay defaults)."""
        return self.scope.chosen

    def country(self, code: str | None) -> str:
        if code is None:
            return "—"
        return self.names.get(code, code)

    def countries(self, codes: list[str] | None) -> str:
        return ", ".join(self.country(code) for code in codes or [])


# --------------------------------------------------------------------------------------
# links and the filter form


def link(path: str, filters: q.Filters, **overrides: str | None) -> str:
    """A URL to a view with the chosen filters, some replaced (None removes one)."""
    values = {
        "country": filters.country,
        "counterpart": filters.counterpart,
        "from": f"{filters.start:%Y-%m}" if filters.start else None,
        "to": f"{filters.end:%Y-%m}" if filters.end else None,
        "period": "all" if filters.all_time else None,
        "event_type": filters.event_type,
        "metric": filters.metric,
        "confidence": f"{filters.min_confidence:g}" if filters.min_confidence is not None else None,
        "suspect": "include" if filters.include_suspect else None,
    }
    values.update(overrides)
    query = urlencode({k: v for k, v in values.items() if v})
    return f"{path}?{query}" if query else path


def _select(name: str, label: str, selected: str | None, items: list[tuple[str, str]], blank: str) -> dict:
    options = [{"value": "", "label": blank, "selected": not selected}]
    options += [{"value": v, "label": text, "selected": v == selected} for v, text in items]
    return {"kind": "select", "name": name, "label": label, "options": options}


def _confidence_field(ctx: Context) -> dict:
    if not ctx.scope.capabilities.measured_confidence:
        return {
            "kind": "note",
            "id": "confidence-note",
            "text": "Min. confidence: no measured precision per rule in this warehouse "
            "(marts.rule_quality), so every row is shown.",
        }
    applied = ctx.filters.min_confidence or 0.0
    choices = sorted({*s.CONFIDENCE_CHOICES, applied})  # a value typed in the URL stays shown
    options = [
        {
            "value": f"{value:g}",
            "label": "any row" if value == 0 else f"≥ {value:g}" + (" (default)" if value == s.DEFAULT_MIN_CONFIDENCE else ""),
            "selected": value == applied,
        }
        for value in choices
    ]
    return {"kind": "select", "name": "confidence", "label": "Min. confidence", "options": options}


def _confidence_shortfall_note(ctx: Context) -> dict | None:
    """When the default minimum would hide every row: say so, and that all are shown."""
    best = ctx.scope.confidence_shortfall
    if best is None:
        return None
    return {
        "kind": "note",
        "id": "confidence-shortfall",
        "text": f"No rule reaches the default minimum confidence of {s.DEFAULT_MIN_CONFIDENCE:g} on the "
        f"development set (the best: {best:.2f}), so every row is shown; the Quality view "
        "gives each rule's precision.",
    }


def filter_form(view: View, ctx: Context, countries: list[dict]) -> dict | None:
    """The form of a view's filters; its values are the chosen ones (a default period
    leaves the month fields empty, so the form keeps following the newest events)."""
    if not view.fields:
        return None
    f = ctx.chosen
    country_items = [(c["code"], f"{c['name']} ({c['code']})") for c in countries]
    fields = []
    if "country" in view.fields:
        fields.append(_select("country", "Country", f.country, country_items, "busiest" if view.path == "/" else "any"))
    if "counterpart" in view.fields:
        fields.append(_select("counterpart", "Counterpart", f.counterpart, country_items, "any"))
    if "period" in view.fields:
        for name, label, month in (("from", "From", f.start), ("to", "To", f.end)):
            fields.append({"kind": "month", "name": name, "label": label, "value": f"{month:%Y-%m}" if month else ""})
        fields.append({"kind": "checkbox", "name": "period", "label": "All time", "value": "all", "checked": f.all_time})
    if "event_type" in view.fields:
        items = [(t, q.EVENT_TYPE_LABELS[t]) for t in q.EVENT_TYPES]
        fields.append(_select("event_type", "Event type", f.event_type, items, "all"))
    if "metric" in view.fields:
        items = [(m, q.METRIC_LABELS[m]) for m in q.METRICS]
        fields.append(_select("metric", "Metric", f.metric, items, "all but other"))
    if "confidence" in view.fields:
        fields.append(_confidence_field(ctx))
        shortfall = _confidence_shortfall_note(ctx)
        if shortfall:
            fields.append(shortfall)
    if "suspect" in view.fields:
        fields.append(
            {"kind": "checkbox", "name": "suspect", "label": "Suspect dates", "value": "include",
             "checked": f.include_suspect}
        )  # fmt: skip
    return {"action": view.path, "fields": fields}


def period_info(ctx: Context, path: str) -> dict:
    """What the period note under a heading says, and its one-click links."""
    applied = ctx.filters
    return {
        "is_default": ctx.scope.period_is_default,
        "all_time": ctx.chosen.all_time,
        "label": fmt_period(applied.start, applied.end),
        "months": s.DEFAULT_MONTHS,
        "what": "in which figures were reported" if path == "/figures" else "that hold events",
        "all_time_href": link(path, ctx.chosen, period="all", **{"from": None, "to": None}),
        "recent_href": link(path, ctx.chosen, period=None),
    }


def describe(ctx: Context, *, with_type: bool = True, with_metric: bool = False) -> str:
    """The active filters in words: 'Kyrgyzstan with China · phone calls · Jan–Dec 2020'."""
    f = ctx.filters
    who = ctx.country(f.country) if f.country else "any country"
    if f.counterpart:
        who += f" with {ctx.country(f.counterpart)}"
    parts = [who]
    if with_type and f.event_type:
        parts.append(q.EVENT_TYPE_LABELS[f.event_type].lower())
    if with_metric and f.metric:
        parts.append(q.METRIC_LABELS[f.metric].lower())
    parts.append(fmt_period(f.start, f.end))
    if f.min_confidence is not None:
        parts.append(f"confidence ≥ {f.min_confidence:g}")
    return " · ".join(parts)


def suspect_info(ctx: Context, path: str, country: str | None = None) -> dict:
    """The suspect-dates panel: events of the filters (of `country` when given) left out
    for their date."""
    if ctx.filters.include_suspect:
        return {"n": 0}
    events, n = q.suspect_dates(ctx.con, ctx.filters.with_country(country or ctx.filters.country))
    for event in events:
        event["participants"] = ctx.countries(event["participant_countries"])
    return {
        "n": n,
        "events": events,
        "explanation": (
            f"Dated before {q.EARLIEST_PLAUSIBLE_DATE.year} or more than a year after the first "
            "article that reported them: most often a year mentioned in passing, not a meeting. "
            "They are not plotted and not counted above."
        ),
        "include_href": link(path, ctx.chosen, suspect="include"),
    }


# --------------------------------------------------------------------------------------
# (1) engagement


def _monthly_series(ctx: Context, country: str, by_counterpart: list[dict]) -> dict:
    """The two stacked charts (by counterpart, by type) and their legends."""
    f = ctx.filters
    by_type = q.engagement_by_month_and_type(ctx.con, f, country)
    pair_months = q.engagement_by_month_and_counterpart(ctx.con, f, country)
    months_seen = [r["month"] for r in by_type] + [r["month"] for r in pair_months]
    months = charts.month_range(min(months_seen), max(months_seen)) if months_seen else []
    index = {month: i for i, month in enumerate(months)}

    shown = [r["counterpart"] for r in by_counterpart[:COUNTERPARTS_IN_CHART]]
    if len(by_counterpart) == COUNTERPARTS_IN_CHART + 1:
        shown.append(by_counterpart[-1]["counterpart"])  # one more beats an "others" of one
    colours = charts.series_colours(shown + ["other"])
    values: dict[str, list[float]] = {key: [0.0] * len(months) for key in [*shown, "other"]}
    for row in pair_months:
        key = row["counterpart"] if row["counterpart"] in values else "other"
        values[key][index[row["month"]]] += row["n_events"]
    counterpart_series = [
        charts.Series(key, ctx.country(key) if key != "other" else "other countries", colours[key], tuple(values[key]))
        for key in [*shown, "other"]
        if any(values[key])
    ]
    type_values = {t: [0.0] * len(months) for t in q.EVENT_TYPES}
    for row in by_type:
        type_values[row["event_type"]][index[row["month"]]] += row["n_events"]
    type_series = [
        charts.Series(t, q.EVENT_TYPE_LABELS[t], charts.EVENT_TYPE_COLOURS[t], tuple(type_values[t]))
        for t in q.EVENT_TYPES
        if any(type_values[t])
    ]
    return {
        "colours": colours,
        "counterpart_chart": Markup(
            charts.stacked_columns(months, counterpart_series, title="Events per month by counterpart")
        ),
        "counterpart_legend": [(series.label, series.colour) for series in counterpart_series],
        "type_chart": Markup(charts.stacked_columns(months, type_series, title="Events per month by type")),
        "type_legend": [(series.label, series.colour) for series in type_series],
    }


def engagement_view(ctx: Context) -> tuple[str, dict]:
    f = ctx.filters
    country = f.country or q.most_engaged_country(ctx.con)
    if country is None:
        return "message.html", message_values("No events yet", "The warehouse holds no events to chart.")
    who = ctx.country(country)
    if f.counterpart:
        who += f" with {ctx.country(f.counterpart)}"
    if f.event_type:
        who += f" of type {q.EVENT_TYPE_LABELS[f.event_type].lower()}"
    values = {
        "country_name": ctx.country(country),
        "chosen_country": f.country,
        "described": describe(replace(ctx, scope=replace(ctx.scope, applied=f.with_country(country)))),
        "period": period_info(ctx, "/"),
        "who": who,
        "show_all_href": link("/", ctx.chosen, counterpart=None, event_type=None, period="all",
                              **{"from": None, "to": None}),
        "suspect": suspect_info(ctx, "/", country),
    }  # fmt: skip
    totals = q.engagement_totals(ctx.con, f, country)
    values["totals"] = totals
    if totals["n_events"] == 0:
        return "engagement.html", values
    by_counterpart = q.engagement_by_counterpart(ctx.con, f, country)
    chart_values = _monthly_series(ctx, country, by_counterpart)
    colours = chart_values.pop("colours")
    values.update(chart_values)
    values["kpis"] = [
        ("Events", totals["n_events"]),
        *((q.EVENT_TYPE_LABELS[t], totals[c]) for t, c in q.ENGAGEMENT_COLUMNS.items()),
        ("Documents signed", totals["documents_signed"]),
        ("Counterparts", totals["n_counterparts"]),
    ]
    values["type_labels"] = [q.EVENT_TYPE_LABELS[t] for t in q.EVENT_TYPES]
    rows = []
    for r in by_counterpart:
        months = fmt_month(r["first_month"])
        if r["last_month"] != r["first_month"]:
            months += f" – {fmt_month(r['last_month'])}"
        rows.append(
            {
                "code": r["counterpart"],
                "name": ctx.country(r["counterpart"]),
                "colour": colours.get(r["counterpart"], charts.OTHER_COLOUR),
                "href": link("/timeline", ctx.chosen.with_country(country), counterpart=r["counterpart"]),
                "n_events": r["n_events"],
                "by_type": [r[column] for column in q.ENGAGEMENT_COLUMNS.values()],
                "documents_signed": r["documents_signed"],
                "months": months,
            }
        )
    values["counterparts"] = rows
    return "engagement.html", values


# --------------------------------------------------------------------------------------
# (2) Central Asia balance


def central_asia_view(ctx: Context) -> tuple[str, dict]:
    f = ctx.filters
    rows = q.central_asia_balance(ctx.con, f)
    partners = [*q.MAJOR_POWERS, "other"]
    by_state: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_state.setdefault(row["country"], {})[row["partner"]] = row
    states = []
    for state in q.CENTRAL_ASIA if rows else ():
        cells = by_state.get(state, {})
        total = sum(cells[p]["n_contacts"] for p in cells)
        segments = [
            (PARTNER_LABELS[p], charts.FIXED_COLOURS[p], float(cells[p]["n_contacts"]) if p in cells else 0.0)
            for p in partners
        ]
        shown_cells = []
        for p in partners:
            cell = cells.get(p)
            if cell is None:
                shown_cells.append({"partner": p, "n": None})
                continue
            names = ""
            if p == "other":
                names = ", ".join(
                    f"{ctx.country(code)} {n}"
                    for code, n in (item.rsplit(" ", 1) for item in cell["counterparts"].split(", "))
                )
            shown_cells.append(
                {
                    "partner": p,
                    "n": cell["n_contacts"],
                    "share": f"{cell['n_contacts'] / total:.0%}" if total else "",
                    "documents_signed": int(cell["documents_signed"] or 0),
                    "names": names,
                }
            )
        states.append(
            {
                "code": state,
                "name": ctx.country(state),
                "href": link("/", ctx.chosen.with_country(state)),
                "total": total,
                "bar": Markup(charts.share_bar(segments, title=f"{ctx.country(state)}: contacts by partner")),
                "cells": shown_cells,
            }
        )
    return "central_asia.html", {
        "what": q.EVENT_TYPE_LABELS[f.event_type].lower() if f.event_type else "contacts",
        "period": period_info(ctx, "/central-asia"),
        "all_time_href": "/central-asia?period=all",
        "states": states,
        "partner_legend": [(PARTNER_LABELS[p], charts.FIXED_COLOURS[p]) for p in partners],
        "partner_labels": [PARTNER_LABELS[p] for p in partners],
    }


# --------------------------------------------------------------------------------------
# (3) timeline


def _timeline_entry(ctx: Context, event: dict) -> dict:
    participants = event["participant_countries"] or []
    host = event["host_country"]
    facts = []  # (text, whether it is the documents signed, which stand out)
    if event["visit_level"]:
        facts.append((f"{event['visit_level']} visit", False))
    if host and host not in participants:
        facts.append((f"in {ctx.country(host)}", False))
    if event["documents_signed"]:
        facts.append((plural(event["documents_signed"], "document") + " signed", True))
    if event["organisation_name"]:
        facts.append((event["organisation_name"], False))
    facts.append((f"reported in {plural(event['n_documents'] or 0, 'article')}", False))
    return {**event, "names": [(ctx.country(c), c == host) for c in participants], "facts": facts}


def timeline_view(ctx: Context) -> tuple[str, dict]:
    events, n_matching = q.timeline(ctx.con, ctx.filters)
    count = f"{plural(n_matching, 'event')}, newest first"
    if n_matching > len(events):
        count += f"; showing the newest {len(events):,}: narrow the filters to see older ones"
    entries = []
    current_month: object = ()  # no month yet (None is "date unknown")
    for event in events:
        month = event["start_date"].replace(day=1) if event["start_date"] else None
        entry = _timeline_entry(ctx, event)
        entry["new_month"] = month != current_month
        entry["month_label"] = f"{month:%B %Y}" if month else "Date unknown"
        current_month = month
        entries.append(entry)
    return "timeline.html", {
        "described": describe(ctx),
        "period": period_info(ctx, "/timeline"),
        "events": entries,
        "count": count,
        "all_href": "/timeline?period=all",
        "suspect": suspect_info(ctx, "/timeline"),
    }


# --------------------------------------------------------------------------------------
# (4) figures


def _figure_row(ctx: Context, g: dict) -> dict:
    direction = ""
    if g["source_country"] and g["target_country"]:
        direction = f"{ctx.country(g['source_country'])} → {ctx.country(g['target_country'])}"
    period = str(g["reference_year"]) if g["reference_year"] else "—"
    start, end = g["period_start"], g["period_end"]
    if start and end and (start.month, end.month) != (1, 12):
        same_month = (start.year, start.month) == (end.year, end.month)
        period = fmt_month(start) if same_month else f"{start:%b}–{end:%b %Y}"
    if g["unit"] == "percent":
        low, high, latest, unit = g["min_value"], g["max_value"], g["latest_value"], "percent"
    elif g["max_value_usd"] is not None:
        low, high, latest, unit = g["min_value_usd"], g["max_value_usd"], g["latest_value_usd"], "USD"
    else:
        low, high, latest, unit = g["min_value"], g["max_value"], g["latest_value"], g["unit"]
    spread = fmt_amount(low, unit) + (f" – {fmt_amount(high, unit)}" if high != low else "")
    latest_mention = next((m for m in g["mentions"] if m["figure_id"] == g["latest_figure_id"]), None)
    return {
        "metric": g["metric"],
        "pair": " – ".join(ctx.country(c) for c in g["countries"] or []) or "No country named",
        "direction": direction,
        "period": period,
        "latest": fmt_amount(g["latest_value"], g["unit"], g["latest_qualifier"]),
        "usd": fmt_amount(g["latest_value_usd"], "USD", g["latest_qualifier"]) if g["unit"] != "percent" else "",
        "strip": Markup(charts.range_strip(low, high, latest)),
        "spread": spread,
        "n_documents": g["n_documents"],
        "n_mentions": g["n_mentions"],
        "quote": latest_mention["evidence"] if latest_mention else None,
        "mentions": g["mentions"],
    }


def figures_view(ctx: Context) -> tuple[str, dict]:
    f = ctx.filters
    groups, n_matching = q.figures(ctx.con, f)
    count = plural(n_matching, "figure") + " (same pair, metric, year and unit grouped across sources)"
    if n_matching > len(groups):
        count += f"; showing the largest {len(groups):,}: narrow the filters to see the rest"
    metrics: dict[str, dict] = {}
    for g in groups:
        section = metrics.setdefault(
            g["metric"], {"metric": g["metric"], "label": q.METRIC_LABELS.get(g["metric"], g["metric"]), "groups": []}
        )
        section["groups"].append(_figure_row(ctx, g))
    return "figures.html", {
        "described": describe(ctx, with_type=False, with_metric=True),
        "metrics": list(metrics.values()),
        "count": count,
        "period": period_info(ctx, "/figures"),
        "hidden_other": q.hidden_other_figures(ctx.con, f),
        "other_href": link("/figures", ctx.chosen, metric="other"),
        "all_href": "/figures?period=all",
    }


# --------------------------------------------------------------------------------------
# (5) quality


def quality_view(ctx: Context) -> tuple[str, dict]:
    caps = ctx.scope.capabilities
    rules = quality.rules(ctx.con, rule_quality=caps.rule_quality, rule_ids=caps.rule_ids)
    for rule in rules:
        # Under the default minimum: the rows' confidence, else the measured precision.
        measured = rule["rule_confidence"] if rule["rule_confidence"] is not None else rule["dev_precision"]
        rule["below"] = measured is not None and measured < s.DEFAULT_MIN_CONFIDENCE
    if caps.rule_ids and not caps.rule_quality:
        note = ""
    elif not caps.rule_ids:
        note = (
            "Not available: this warehouse records no rule per row (rule_id) and no measured "
            "precision (marts.rule_quality). The coverage below is for all rows together."
        )
    else:
        note = "No rules recorded."
    return "quality.html", {
        "rules": rules,
        "rules_note": note,
        "min_confidence": f"{s.DEFAULT_MIN_CONFIDENCE:g}",
        "coverage": quality.coverage(ctx.con),
        "outlets": quality.outlets(ctx.con),
    }


# --------------------------------------------------------------------------------------
# one article


def document_view(ctx: Context, document_id: str | None) -> tuple[int, str, str, dict]:
    """(status, title, template, values) for the article page."""
    doc = q.document(ctx.con, document_id) if document_id else None
    if doc is None:
        text = (
            f"No article with id {document_id or '(none given)'} is in the warehouse; "
            "a later refresh may have replaced it."
        )
        values = message_values("Article not found", text, ("/timeline", "Back to the timeline"))
        return 404, "Article not found", "message.html", values
    for m in doc["events"]:
        m["who"] = ctx.countries(m["participant_countries"])
        if m["host_country"]:
            m["who"] += f" (host {ctx.country(m['host_country'])})"
    for m in doc["figures"]:
        m["who"] = ctx.countries(m["countries"])
        if m["source_country"] and m["target_country"]:
            m["who"] = f"{ctx.country(m['source_country'])} → {ctx.country(m['target_country'])}"
    title = doc["title"] or doc["source_name"]
    return 200, title, "document.html", {"doc": doc, "doc_title": title}


# --------------------------------------------------------------------------------------
# dispatch


VIEW_RENDERERS: dict[str, Callable[[Context], tuple[str, dict]]] = {
    "/": engagement_view,
    "/central-asia": central_asia_view,
    "/timeline": timeline_view,
    "/figures": figures_view,
    "/quality": quality_view,
}


def page(
    template: str,
    title: str,
    values: dict,
    *,
    view: View | None = None,
    ctx: Context | None = None,
    countries: list[dict] | None = None,
    summary: dict | None = None,
    warehouse_path: Path | None = None,
) -> str:
    """A whole page: the template's content inside the common layout."""
    chosen = ctx.chosen if ctx else q.Filters()
    return TEMPLATES.get_template(template).render(
        title=title,
        tabs=[{"href": link(v.path, chosen), "label": v.label, "active": v is view} for v in VIEWS],
        summary=summary,
        published_at=ctx.info.published_at if ctx else None,
        form=filter_form(view, ctx, countries or []) if view and ctx else None,
        problems=list(ctx.chosen.problems) if ctx else [],
        warehouse_path=ctx.info.path if ctx else warehouse_path,
        **values,
    )


def message_values(heading: str, message: str, action: tuple[str, str] | None = None) -> dict:
    """What message.html shows: a heading, a message (may be Markup with <code>), and an
    optional (href, label) link to go on."""
    href, label = action or (None, None)
    return {"heading": heading, "message": message, "action_href": href, "action_label": label}


def message_page(
    status: int,
    heading: str,
    message: str,
    *,
    view: View | None = None,
    warehouse_path: Path | None = None,
    action: tuple[str, str] | None = None,
) -> Response:
    """A page that only says something, outside any warehouse."""
    values = message_values(heading, message, action)
    return Response(status, page("message.html", heading, values, view=view, warehouse_path=warehouse_path))


def render(path: str, params: dict[str, list[str]], warehouse: Warehouse) -> Response:
    """The page for a GET request: a view, an article, an empty state or a 404."""
    view = VIEW_BY_PATH.get(path)
    if view is None and path != "/document":
        return message_page(404, "No such page", f"{path} is not a page of the dashboard.",
                            action=("/", "Back to the dashboard"))  # fmt: skip
    where = {"view": view, "warehouse_path": warehouse.path}
    try:
        with warehouse.connect() as (con, info):
            filters = q.parse_filters(params)
            scope = s.resolve(con, filters, view=path)
            ctx = Context(con, scope, info, q.country_names(con))
            summary = q.overview(con)
            if summary["n_documents"] == 0:
                message = Markup(
                    "No articles have been ingested yet. Put <code>*.txt</code> or <code>*.jsonl</code> "
                    "articles in the source folder and run <code>attache refresh</code>."
                )
                values = message_values("The warehouse is empty", message)
                return Response(200, page("message.html", "Empty warehouse", values, view=view, ctx=ctx, summary=summary))
            if view is None:
                status, title, template, values = document_view(ctx, (params.get("id") or [None])[-1])
                return Response(status, page(template, title, values, ctx=ctx, summary=summary))
            template, values = VIEW_RENDERERS[view.path](ctx)
            countries = q.filter_countries(con)
            html = page(template, view.label, values, view=view, ctx=ctx, countries=countries, summary=summary)
            return Response(200, html)
    except WarehouseMissing:
        message = Markup(
            "There is no warehouse at <code>{0}</code>. Build it with <code>attache refresh</code> "
            "(for example <code>attache refresh --source seeds --warehouse {0}</code>), then reload this page."
        ).format(warehouse.path)
        return message_page(200, "No warehouse yet", message, **where)
    except MartsMissing as missing:
        message = Markup("<code>{}</code> lacks {}. Run <code>attache refresh</code> to build them.").format(
            warehouse.path, ", ".join("marts." + m for m in missing.missing)
        )
        return message_page(200, "The warehouse has no marts yet", message, **where)
    except WarehouseUnreadable as error:
        message = Markup("{}. Run <code>attache refresh</code> to publish a new one.").format(error)
        return message_page(HTTPStatus.SERVICE_UNAVAILABLE, "The warehouse cannot be opened", message, **where)


def error_page(warehouse_path: Path) -> Response:
    """The answer when building a page failed (the server logs the traceback)."""
    return message_page(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "This page could not be built",
        "A query on the marts failed; the server's log has the details.",
        warehouse_path=warehouse_path,
        action=("/", "Back to the dashboard"),
    )
