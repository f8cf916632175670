"""HTML pages of the dashboard, rendered on the server from the query layer's rows.

Plain HTML and inline SVG with one inline stylesheet: no script and nothing fetched from
elsewhere, so the pages work offline and under a strict Content-Security-Policy. Every value
from the warehouse or the request is escaped on output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import duckdb

from orchestration.dashboard import charts
from orchestration.dashboard import queries as q
from orchestration.dashboard.warehouse import (
    MartsMissing,
    Warehouse,
    WarehouseInfo,
    WarehouseMissing,
    WarehouseUnreadable,
)

STYLESHEET = (Path(__file__).parent / "dashboard.css").read_text(encoding="utf-8")

QUALIFIER_PREFIX = {"approx": "≈ ", "more_than": "> ", "less_than": "< ", "exact": ""}
PARTNER_LABELS = {"RU": "Russia", "US": "United States", "CN": "China", "other": "Others"}
COUNTERPARTS_IN_CHART = 9  # the busiest counterparts get a colour each; the rest are "others"


@dataclass(frozen=True)
class View:
    path: str
    label: str
    fields: tuple[str, ...]  # the filters that apply to this view


VIEWS = (
    View("/", "Engagement", ("country", "counterpart", "from", "to", "event_type")),
    View("/central-asia", "Central Asia", ("from", "to", "event_type")),
    View("/timeline", "Timeline", ("country", "counterpart", "from", "to", "event_type")),
    View("/figures", "Figures", ("country", "counterpart", "from", "to", "metric")),
)
VIEW_BY_PATH = {view.path: view for view in VIEWS}


@dataclass(frozen=True)
class Response:
    status: int
    html: str


@dataclass
class Context:
    """What every page needs: the connection, the filters and the reference names."""

    con: duckdb.DuckDBPyConnection
    filters: q.Filters
    info: WarehouseInfo
    names: dict[str, str]

    def country(self, code: str | None) -> str:
        if code is None:
            return "—"
        return self.names.get(code, code)


# --------------------------------------------------------------------------------------
# formatting


def e(value: object) -> str:
    return escape("" if value is None else str(value))


def fmt_count(value: float | None) -> str:
    return "0" if value is None else f"{value:,.0f}"


def fmt_amount(value: float | None, unit: str | None, qualifier: str | None = None) -> str:
    """4.0e9 USD -> "4.0 bn USD"; percent -> "13.6 %"; with ≈ / > / < for qualifiers."""
    if value is None:
        return "—"
    prefix = QUALIFIER_PREFIX.get(qualifier or "exact", "")
    if unit == "percent":
        return f"{prefix}{value:g} %"
    for scale, word in ((1e12, "trn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= scale:
            scaled = value / scale
            number = f"{scaled:,.1f}" if scaled < 100 else f"{scaled:,.0f}"
            return f"{prefix}{number} {word} {unit or ''}".rstrip()
    return f"{prefix}{value:,.0f} {unit or ''}".rstrip()


def fmt_month(month: dt.date | None) -> str:
    return f"{month:%b %Y}" if month else "—"


def fmt_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"


def fmt_event_date(start: dt.date | None, end: dt.date | None, precision: str | None) -> str:
    """'25 Nov 2025', '8–10 Oct 2025', 'Nov 2025' or '2025' as precise as the text was."""
    if start is None:
        return "date unknown"
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return fmt_month(start)
    if end is None or end == start:
        return fmt_date(start)
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}–{end.day} {start:%b %Y}"
    return f"{fmt_date(start)} – {fmt_date(end)}"


def fmt_period(filters: q.Filters) -> str:
    if filters.start and filters.end:
        if filters.start == filters.end:
            return fmt_month(filters.start)
        return f"{fmt_month(filters.start)} – {fmt_month(filters.end)}"
    if filters.start:
        return f"since {fmt_month(filters.start)}"
    if filters.end:
        return f"until {fmt_month(filters.end)}"
    return "all dates"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def link(path: str, filters: q.Filters, **overrides: str | None) -> str:
    """A URL to a view with the current filters, some replaced (None removes one)."""
    values = {
        "country": filters.country,
        "counterpart": filters.counterpart,
        "from": f"{filters.start:%Y-%m}" if filters.start else None,
        "to": f"{filters.end:%Y-%m}" if filters.end else None,
        "event_type": filters.event_type,
        "metric": filters.metric,
    }
    values.update(overrides)
    query = urlencode({k: v for k, v in values.items() if v})
    return f"{path}?{query}" if query else path


def evidence_link(document_id: str, anchor: str, label: str, title: str | None = None) -> str:
    href = f"/document?{urlencode({'id': document_id})}#{anchor}"
    title_attr = f' title="{e(title)}"' if title else ""
    return f'<a class="source" href="{e(href)}"{title_attr}>{e(label)}</a>'


def source_label(mention: dict) -> str:
    parts = [mention.get("title") or mention.get("source_name") or mention["document_id"]]
    if mention.get("outlet"):
        parts.append(mention["outlet"])
    if mention.get("published_at"):
        parts.append(fmt_date(mention["published_at"]))
    return " · ".join(parts)


def truncate(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


EVENT_TYPE_BADGES = {
    "phone_call": "Phone call",
    "visit": "Visit",
    "summit": "Summit",
    "meeting": "Meeting",
    "talks": "Talks",
    "agreement_signing": "Signing",
}


def badge(event_type: str) -> str:
    label = EVENT_TYPE_BADGES.get(event_type, event_type)
    colour = charts.EVENT_TYPE_COLOURS.get(event_type, charts.OTHER_COLOUR)
    return f'<span class="badge" style="background:{colour}">{e(label)}</span>'


def legend(items: list[tuple[str, str]]) -> str:
    return (
        '<ul class="legend">'
        + "".join(
            f'<li><span class="swatch" style="background:{colour}"></span>{e(label)}</li>'
            for label, colour in items
        )
        + "</ul>"
    )


def empty(title: str, message: str, action: str = "") -> str:
    return (
        f'<div class="empty"><h2>{e(title)}</h2><p>{message}</p>'
        + (f"<p>{action}</p>" if action else "")
        + "</div>"
    )


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
    parts.append(fmt_period(f))
    return " · ".join(parts)


# --------------------------------------------------------------------------------------
# layout


def filter_form(view: View, ctx: Context | None, countries: list[dict]) -> str:
    f = ctx.filters if ctx else q.Filters()

    def options(selected: str | None, items: list[tuple[str, str]], blank: str) -> str:
        html = [f'<option value="">{e(blank)}</option>']
        for value, label in items:
            chosen = " selected" if value == selected else ""
            html.append(f'<option value="{e(value)}"{chosen}>{e(label)}</option>')
        return "".join(html)

    country_items = [(c["code"], f"{c['name']} ({c['code']})") for c in countries]
    fields = []
    if "country" in view.fields:
        fields.append(
            '<label>Country<select name="country">'
            + options(f.country, country_items, "any" if view.path != "/" else "busiest")
            + "</select></label>"
        )
    if "counterpart" in view.fields:
        fields.append(
            '<label>Counterpart<select name="counterpart">'
            + options(f.counterpart, country_items, "any")
            + "</select></label>"
        )
    if "from" in view.fields:
        value = f"{f.start:%Y-%m}" if f.start else ""
        fields.append(f'<label>From<input type="month" name="from" value="{value}"></label>')
    if "to" in view.fields:
        value = f"{f.end:%Y-%m}" if f.end else ""
        fields.append(f'<label>To<input type="month" name="to" value="{value}"></label>')
    if "event_type" in view.fields:
        items = [(t, q.EVENT_TYPE_LABELS[t]) for t in q.EVENT_TYPES]
        fields.append(
            '<label>Event type<select name="event_type">'
            + options(f.event_type, items, "all")
            + "</select></label>"
        )
    if "metric" in view.fields:
        items = [(m, q.METRIC_LABELS[m]) for m in q.METRICS]
        fields.append(
            '<label>Metric<select name="metric">' + options(f.metric, items, "all") + "</select></label>"
        )
    return (
        f'<form class="filters" method="get" action="{view.path}">'
        + "".join(fields)
        + '<button type="submit">Apply</button>'
        + f'<a class="clear" href="{view.path}">Clear</a></form>'
    )


def layout(
    view: View | None,
    title: str,
    content: str,
    *,
    ctx: Context | None = None,
    countries: list[dict] | None = None,
    summary: dict | None = None,
    warehouse_path: Path | None = None,
) -> str:
    filters = ctx.filters if ctx else q.Filters()
    tabs = "".join(
        f'<a href="{e(link(v.path, filters))}"{" class=active" if v is view else ""}>{e(v.label)}</a>'
        for v in VIEWS
    )
    status = ""
    if summary is not None and ctx is not None:
        status = (
            f'<div class="status">{plural(summary["n_documents"], "article")} · '
            f"{plural(summary['n_events'], 'event')} · {plural(summary['n_figures'], 'figure')}"
            f"<br>published {ctx.info.published_at:%d %b %Y %H:%M}</div>"
        )
    problems = ""
    if ctx and ctx.filters.problems:
        problems = '<div class="notice">' + "<br>".join(e(p) for p in ctx.filters.problems) + "</div>"
    form = filter_form(view, ctx, countries or []) if view and ctx else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · Attaché</title>
<style>{STYLESHEET}</style></head>
<body>
<header><div class="brand"><a href="/">Attaché</a>
<span>diplomatic engagement of Russia, the US, China and Central Asia</span></div>
<nav>{tabs}</nav>{status}</header>
<main>{form}{problems}{content}</main>
<footer>Read-only view of schema <code>marts</code> in <code>{e(ctx.info.path if ctx else warehouse_path)}</code>.
Refreshed by <code>attache refresh</code>; reload to see a newer build.</footer>
</body></html>"""


# --------------------------------------------------------------------------------------
# (1) engagement


def engagement_view(ctx: Context) -> str:
    f = ctx.filters
    country = f.country or q.most_engaged_country(ctx.con)
    if country is None:
        return empty("No events yet", "The warehouse holds no events to chart.")
    heading = f"<h1>Engagement of {e(ctx.country(country))}</h1>"
    chosen = "" if f.country else " (the country in most events; choose another above)"
    described = describe(replace(ctx, filters=f.with_country(country)))
    subtitle = f'<p class="subtitle">{e(described)}{e(chosen)}</p>'
    totals = q.engagement_totals(ctx.con, f, country)
    if totals["n_events"] == 0:
        return (
            heading
            + subtitle
            + empty(
                "No events for this filter",
                f"The marts hold no events of {e(ctx.country(country))}"
                + (f" with {e(ctx.country(f.counterpart))}" if f.counterpart else "")
                + (f" of type {e(q.EVENT_TYPE_LABELS[f.event_type].lower())}" if f.event_type else "")
                + f" in {e(fmt_period(f))}.",
                f'<a href="{e(link("/", f, counterpart=None, event_type=None, **{"from": None, "to": None}))}">'
                "Show all of its events</a>",
            )
        )
    cards = [
        ("Events", totals["n_events"]),
        *((q.EVENT_TYPE_LABELS[t], totals[c]) for t, c in q.ENGAGEMENT_COLUMNS.items()),
        ("Documents signed", totals["documents_signed"]),
        ("Counterparts", totals["n_counterparts"]),
    ]
    kpis = (
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi"><b>{fmt_count(value)}</b><span>{e(label)}</span></div>'
            for label, value in cards
        )
        + "</div>"
    )

    by_counterpart = q.engagement_by_counterpart(ctx.con, f, country)
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
        charts.Series(
            key,
            ctx.country(key) if key != "other" else "other countries",
            colours[key],
            tuple(values[key]),
        )
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
    counterpart_chart = (
        '<section class="card"><h2>By counterpart, per month</h2>'
        '<p class="note">Events with each counterpart; a summit counts once for every other '
        "participant.</p>"
        + charts.stacked_columns(months, counterpart_series, title="Events per month by counterpart")
        + legend([(s.label, s.colour) for s in counterpart_series])
        + "</section>"
    )
    type_chart = (
        '<section class="card"><h2>By event type, per month</h2>'
        f'<p class="note">Distinct events {e(ctx.country(country))} took part in.</p>'
        + charts.stacked_columns(months, type_series, title="Events per month by type")
        + legend([(s.label, s.colour) for s in type_series])
        + "</section>"
    )
    header_cells = "".join(f"<th class=num>{e(q.EVENT_TYPE_LABELS[t])}</th>" for t in q.EVENT_TYPES)
    rows = []
    for r in by_counterpart:
        timeline_href = link("/timeline", f.with_country(country), counterpart=r["counterpart"])
        cells = "".join(
            f"<td class=num>{fmt_count(r[c]) if r[c] else ''}</td>" for c in q.ENGAGEMENT_COLUMNS.values()
        )
        months_active = fmt_month(r["first_month"])
        if r["last_month"] != r["first_month"]:
            months_active += f" – {fmt_month(r['last_month'])}"
        rows.append(
            f'<tr data-counterpart="{e(r["counterpart"])}">'
            f'<td><span class="swatch" style="background:{colours.get(r["counterpart"], charts.OTHER_COLOUR)}"></span>'
            f'<a href="{e(timeline_href)}">{e(ctx.country(r["counterpart"]))}</a></td>'
            f"<td class=num><b>{fmt_count(r['n_events'])}</b></td>{cells}"
            f"<td class=num>{fmt_count(r['documents_signed']) if r['documents_signed'] else ''}</td>"
            f"<td>{e(months_active)}</td></tr>"
        )
    table = (
        '<section class="card"><h2>Counterparts</h2>'
        '<p class="note">A name opens the timeline of events with that counterpart.</p>'
        '<table class="data" id="counterparts"><thead><tr><th>Counterpart</th><th class=num>Events</th>'
        f"{header_cells}<th class=num>Documents signed</th><th>Months</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
    charts_row = f'<div class="charts">{counterpart_chart}{type_chart}</div>'
    return heading + subtitle + kpis + charts_row + table


# --------------------------------------------------------------------------------------
# (2) Central Asia balance


def central_asia_view(ctx: Context) -> str:
    f = ctx.filters
    rows = q.central_asia_balance(ctx.con, f)
    what = q.EVENT_TYPE_LABELS[f.event_type].lower() if f.event_type else "contacts"
    heading = (
        "<h1>Central Asia: Russia, the US, China and the rest</h1>"
        f'<p class="subtitle">{e(what.capitalize())} of each Central Asian state · {e(fmt_period(f))}</p>'
    )
    if not rows:
        return heading + empty(
            "No contacts for this filter",
            f"The marts hold no {e(what)} of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan or "
            f"Uzbekistan in {e(fmt_period(f))}.",
            '<a href="/central-asia">Show all dates and types</a>',
        )
    partners = [*q.MAJOR_POWERS, "other"]
    by_state: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_state.setdefault(row["country"], {})[row["partner"]] = row
    body = []
    for state in q.CENTRAL_ASIA:
        cells = by_state.get(state, {})
        total = sum(cells[p]["n_contacts"] for p in cells)
        segments = [
            (PARTNER_LABELS[p], charts.FIXED_COLOURS[p], float(cells[p]["n_contacts"]) if p in cells else 0.0)
            for p in partners
        ]
        bar = charts.share_bar(segments, title=f"{ctx.country(state)}: contacts by partner")
        tds = []
        for p in partners:
            cell = cells.get(p)
            if cell is None:
                tds.append(f'<td class="num" data-partner="{p}">0</td>')
                continue
            share = cell["n_contacts"] / total if total else 0
            extra = ""
            if cell["documents_signed"]:
                extra += f"<small>{plural(int(cell['documents_signed']), 'document')} signed</small>"
            if p == "other":
                names = ", ".join(
                    f"{ctx.country(code)} {n}"
                    for code, n in (item.rsplit(" ", 1) for item in cell["counterparts"].split(", "))
                )
                extra += f"<small>{e(truncate(names, 80))}</small>"
            tds.append(
                f'<td class="num" data-partner="{p}"><b>{fmt_count(cell["n_contacts"])}</b> '
                f'<span class="share">{share:.0%}</span>{extra}</td>'
            )
        state_href = link("/", f.with_country(state))
        body.append(
            f'<tr data-country="{state}"><td><a href="{e(state_href)}">{e(ctx.country(state))}</a></td>'
            f'<td class="bar">{bar if total else "<span class=muted>no contacts in this period</span>"}</td>'
            f'{"".join(tds)}<td class="num"><b>{fmt_count(total)}</b></td></tr>'
        )
    table = (
        '<section class="card">'
        + legend([(PARTNER_LABELS[p], charts.FIXED_COLOURS[p]) for p in partners])
        + '<table class="data balance" id="balance"><thead><tr><th>State</th><th>Balance</th>'
        + "".join(f"<th class=num>{e(PARTNER_LABELS[p])}</th>" for p in partners)
        + "<th class=num>Total</th></tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
        '<p class="note">A contact is an event with one counterpart: a call or visit is one, '
        "a summit of six states is five for each participant, one with each other state. "
        "A state's name opens its engagement view.</p></section>"
    )
    return heading + table


# --------------------------------------------------------------------------------------
# (3) timeline


def timeline_view(ctx: Context) -> str:
    f = ctx.filters
    events, n_matching = q.timeline(ctx.con, f)
    heading = f'<h1>Timeline</h1><p class="subtitle">{e(describe(ctx))}</p>'
    if not events:
        return heading + empty(
            "No events for this filter",
            f"The marts hold no events for {e(describe(ctx))}.",
            '<a href="/timeline">Show all events</a>',
        )
    count = f"{plural(n_matching, 'event')}, newest first"
    if n_matching > len(events):
        count += f"; showing the newest {len(events):,}: narrow the filters to see older ones"
    parts = [heading, f'<p class="count">{e(count)}</p>']
    current_month = None
    for event in events:
        month = event["start_date"].replace(day=1) if event["start_date"] else None
        if month != current_month or current_month is None and len(parts) == 2:
            parts.append(f'<h2 class="month">{e(f"{month:%B %Y}" if month else "Date unknown")}</h2>')
            current_month = month
        participants = event["participant_countries"] or []
        host = event["host_country"]
        names = " · ".join(
            f"<b>{e(ctx.country(c))}</b>" + (' <span class="host">host</span>' if c == host else "")
            for c in participants
        )
        facts = []
        if event["visit_level"]:
            facts.append(f"{e(event['visit_level'])} visit")
        if host and host not in participants:
            facts.append(f"in {e(ctx.country(host))}")
        if event["documents_signed"]:
            facts.append(
                f'<span class="signed">{plural(event["documents_signed"], "document")} signed</span>'
            )
        if event["organisation_name"]:
            facts.append(e(event["organisation_name"]))
        facts.append(f"reported in {plural(event['n_documents'] or 0, 'article')}")
        quotes = []
        for mention in event["mentions"][:3]:
            quotes.append(
                f"<blockquote>{e(truncate(mention['evidence'], 420))}"
                f"<cite>{evidence_link(mention['document_id'], 'm-' + mention['mention_id'], source_label(mention))}</cite>"
                "</blockquote>"
            )
        if len(event["mentions"]) > 3:
            quotes.append(f'<p class="note">and {len(event["mentions"]) - 3} more reports</p>')
        parts.append(
            f'<article class="event" id="e-{e(event["event_id"])}" data-type="{e(event["event_type"])}">'
            f'<div class="when">{e(fmt_event_date(event["start_date"], event["end_date"], event["date_precision"]))}</div>'
            f'<div class="what"><div class="head">{badge(event["event_type"])} {names}</div>'
            f'<div class="facts">{" · ".join(facts)}</div>{"".join(quotes)}</div></article>'
        )
    return "".join(parts)


# --------------------------------------------------------------------------------------
# (4) figures


def figures_view(ctx: Context) -> str:
    f = ctx.filters
    groups, n_matching = q.figures(ctx.con, f)
    heading = (
        "<h1>Investment, trade and deal figures</h1>"
        f'<p class="subtitle">{e(describe(ctx, with_type=False, with_metric=True))}</p>'
    )
    if not groups:
        return heading + empty(
            "No figures for this filter",
            f"The marts hold no reported figures for {e(describe(ctx, with_type=False, with_metric=True))}.",
            '<a href="/figures">Show all figures</a>',
        )
    count = plural(n_matching, "figure") + " (same pair, metric, year and unit grouped across sources)"
    if n_matching > len(groups):
        count += f"; showing {len(groups):,}: narrow the filters to see the rest"
    rows = []
    current_pair = None
    for g in groups:
        countries = g["countries"] or []
        pair = tuple(countries)
        if pair != current_pair:
            label = " – ".join(ctx.country(c) for c in countries) or "No country named"
            rows.append(f'<tr class="pair"><th colspan="8">{e(label)}</th></tr>')
            current_pair = pair
        direction = ""
        if g["source_country"] and g["target_country"]:
            direction = f"{ctx.country(g['source_country'])} → {ctx.country(g['target_country'])}"
        period = str(g["reference_year"]) if g["reference_year"] else "—"
        if (
            g["period_start"]
            and g["period_end"]
            and (g["period_start"].month, g["period_end"].month) != (1, 12)
        ):
            period = f"{g['period_start']:%b}–{g['period_end']:%b %Y}"
        usd_low, usd_high = g["min_value_usd"], g["max_value_usd"]
        if g["unit"] == "percent":
            spread = fmt_amount(g["min_value"], "percent")
            if g["max_value"] != g["min_value"]:
                spread += f" – {fmt_amount(g['max_value'], 'percent')}"
            strip = charts.range_strip(g["min_value"], g["max_value"], g["latest_value"])
        else:
            low, high = (usd_low, usd_high) if usd_high is not None else (g["min_value"], g["max_value"])
            unit = "USD" if usd_high is not None else g["unit"]
            spread = fmt_amount(low, unit)
            if high != low:
                spread += f" – {fmt_amount(high, unit)}"
            latest = g["latest_value_usd"] if usd_high is not None else g["latest_value"]
            strip = charts.range_strip(low, high, latest)
        usd = fmt_amount(g["latest_value_usd"], "USD", g["latest_qualifier"])
        latest_mention = next((m for m in g["mentions"] if m["figure_id"] == g["latest_figure_id"]), None)
        quote = ""
        if latest_mention:
            quote = f'<div class="quote">«{e(truncate(latest_mention["evidence"], 220))}»</div>'
        links = " ".join(
            evidence_link(
                m["document_id"], "f-" + m["figure_id"], f"[{i}]", f"{source_label(m)}: {m['evidence']}"
            )
            for i, m in enumerate(g["mentions"], start=1)
        )
        rows.append(
            f'<tr data-metric="{e(g["metric"])}">'
            f"<td>{e(q.METRIC_LABELS.get(g['metric'], g['metric']))}</td>"
            f"<td>{e(direction)}</td><td>{e(period)}</td>"
            f'<td class="num"><b>{e(fmt_amount(g["latest_value"], g["unit"], g["latest_qualifier"]))}</b></td>'
            f'<td class="num">{e(usd if g["unit"] != "percent" else "")}</td>'
            f'<td class="range-cell">{strip}<small>{e(spread)}</small></td>'
            f'<td class="num">{plural(g["n_documents"], "article")}<small>{plural(g["n_mentions"], "mention")}</small></td>'
            f'<td class="evidence">{quote}{links}</td></tr>'
        )
    table = (
        '<section class="card"><table class="data figures" id="figures"><thead><tr>'
        "<th>Metric</th><th>Direction</th><th>Period</th><th class=num>Latest, as reported</th>"
        "<th class=num>In USD</th><th>Range across sources</th><th class=num>Sources</th>"
        "<th>Evidence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        '<p class="note">USD at the yearly average rate of the reference year. The range spans '
        "every report of the same figure; the dot marks the latest. [n] opens the sentence in "
        "its article.</p></section>"
    )
    return heading + f'<p class="count">{e(count)}</p>' + table


# --------------------------------------------------------------------------------------
# one article


def document_view(ctx: Context, document_id: str | None) -> tuple[int, str, str]:
    """(status, title, content) for the article page: what the marts took from it."""
    doc = q.document(ctx.con, document_id) if document_id else None
    if doc is None:
        return (
            404,
            "Article not found",
            empty(
                "Article not found",
                f"No article with id {e(document_id or '(none given)')} is in the warehouse; "
                "a later refresh may have replaced it.",
                '<a href="/timeline">Back to the timeline</a>',
            ),
        )
    title = doc["title"] or doc["source_name"]
    meta = [
        e(doc["outlet"] or "outlet unknown"),
        e(fmt_date(doc["published_at"]) if doc["published_at"] else "date unknown"),
    ]
    meta.append(e(doc["language"] or ""))
    meta.append(f"{fmt_count(doc['char_count'])} characters")
    if doc["url"]:
        meta.append(f'<a href="{e(doc["url"])}" rel="noreferrer noopener">original</a>')
    parts = [
        f"<h1>{e(title)}</h1>",
        f'<p class="subtitle">{" · ".join(m for m in meta if m)}<br><code>{e(doc["source_name"])}</code></p>',
        f'<section class="card"><h2>Events reported ({len(doc["events"])})</h2>',
    ]
    if doc["events"]:
        parts.append(
            '<table class="data article"><thead><tr><th>Date</th><th>Type</th><th>Participants</th>'
            "<th class=num>Documents</th><th>Modality</th><th>Evidence</th></tr></thead><tbody>"
        )
        for m in doc["events"]:
            who = ", ".join(ctx.country(c) for c in m["participant_countries"] or [])
            if m["host_country"]:
                who += f" (host {ctx.country(m['host_country'])})"
            parts.append(
                f'<tr id="m-{e(m["mention_id"])}"><td>{e(fmt_event_date(m["start_date"], m["end_date"], m["date_precision"]))}</td>'
                f"<td>{badge(m['event_type'])}</td><td>{e(who)}</td>"
                f'<td class="num">{e(m["documents_signed"] or "")}</td>'
                f'<td><span class="modality {e(m["modality"])}">{e(m["modality"])}</span></td>'
                f'<td class="evidence">{e(m["evidence"])}</td></tr>'
            )
        parts.append("</tbody></table>")
    else:
        parts.append('<p class="muted">No events were extracted from this article.</p>')
    parts.append(f'</section><section class="card"><h2>Figures reported ({len(doc["figures"])})</h2>')
    if doc["figures"]:
        parts.append(
            '<table class="data article"><thead><tr><th>Metric</th><th class=num>Value</th><th class=num>USD</th>'
            "<th>Countries</th><th>Year</th><th>Modality</th><th>Evidence</th></tr></thead><tbody>"
        )
        for m in doc["figures"]:
            who = ", ".join(ctx.country(c) for c in m["countries"] or [])
            if m["source_country"] and m["target_country"]:
                who = f"{ctx.country(m['source_country'])} → {ctx.country(m['target_country'])}"
            parts.append(
                f'<tr id="f-{e(m["figure_id"])}"><td>{e(q.METRIC_LABELS.get(m["metric"], m["metric"]))}</td>'
                f'<td class="num">{e(fmt_amount(m["value"], m["unit"], m["qualifier"]))}</td>'
                f'<td class="num">{e(fmt_amount(m["value_usd"], "USD") if m["unit"] != "percent" else "")}</td>'
                f"<td>{e(who)}</td><td>{e(m['reference_year'] or '')}</td>"
                f'<td><span class="modality {e(m["modality"])}">{e(m["modality"])}</span></td>'
                f'<td class="evidence">{e(m["evidence"])}</td></tr>'
            )
        parts.append("</tbody></table>")
    else:
        parts.append('<p class="muted">No figures were extracted from this article.</p>')
    parts.append("</section>")
    return 200, title, "".join(parts)


# --------------------------------------------------------------------------------------
# dispatch


VIEW_RENDERERS: dict[str, Callable[[Context], str]] = {
    "/": engagement_view,
    "/central-asia": central_asia_view,
    "/timeline": timeline_view,
    "/figures": figures_view,
}


def render(path: str, params: dict[str, list[str]], warehouse: Warehouse) -> Response:
    """The page for a GET request: a view, an article, an empty state or a 404."""
    view = VIEW_BY_PATH.get(path)
    if view is None and path != "/document":
        return Response(
            404,
            layout(
                None,
                "Not found",
                empty(
                    "No such page",
                    f"{e(path)} is not a page of the dashboard.",
                    '<a href="/">Back to the dashboard</a>',
                ),
            ),
        )
    try:
        with warehouse.connect() as (con, info):
            ctx = Context(con, q.parse_filters(params), info, q.country_names(con))
            summary = q.overview(con)
            if summary["n_documents"] == 0:
                content = empty(
                    "The warehouse is empty",
                    "No articles have been ingested yet. Put <code>*.txt</code> or "
                    "<code>*.jsonl</code> articles in the source folder and run "
                    "<code>attache refresh</code>.",
                )
                return Response(200, layout(view, "Empty warehouse", content, ctx=ctx, summary=summary))
            countries = q.filter_countries(con)
            if view is None:
                document_id = (params.get("id") or [None])[-1]
                status, title, content = document_view(ctx, document_id)
                return Response(status, layout(None, title, content, ctx=ctx, summary=summary))
            content = VIEW_RENDERERS[view.path](ctx)
            return Response(
                200, layout(view, view.label, content, ctx=ctx, countries=countries, summary=summary)
            )
    except WarehouseMissing:
        content = empty(
            "No warehouse yet",
            f"There is no warehouse at <code>{e(warehouse.path)}</code>. Build it with "
            f"<code>attache refresh</code> (for example <code>attache refresh --source seeds "
            f"--warehouse {e(warehouse.path)}</code>), then reload this page.",
        )
        return Response(200, layout(view, "No warehouse yet", content, warehouse_path=warehouse.path))
    except MartsMissing as missing:
        content = empty(
            "The warehouse has no marts yet",
            f"<code>{e(warehouse.path)}</code> lacks {e(', '.join('marts.' + m for m in missing.missing))}. "
            "Run <code>attache refresh</code> to build them.",
        )
        return Response(200, layout(view, "No marts yet", content, warehouse_path=warehouse.path))
    except WarehouseUnreadable as error:
        content = empty(
            "The warehouse cannot be opened",
            f"{e(error)}. Run <code>attache refresh</code> to publish a new one.",
        )
        return Response(503, layout(view, "Warehouse unreadable", content, warehouse_path=warehouse.path))
