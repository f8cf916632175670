"""`attache dashboard` on a warehouse built by `attache refresh` from 1,000 real news-ru
articles, checked in headless Chromium: the defaults that keep a real corpus readable.

Real news mention years in passing ("since 1906", "by 2040"), which become events with odd
dates, and report many figures no rule can name (metric `other`). The expectations below are
computed from the marts with SQL written here, independently of the dashboard's queries.

Screenshots of every view go to the test's tmp_path; with ATTACHE_UPDATE_SCREENSHOT=1 they
are also copied to docs/ (docs/dashboard.png is the README's).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"
DEFAULT_MONTHS = 24

# Dated before 1991, or more than a year after the first article that reported the event
# (or, when no article of it has a date, after the day the warehouse last ingested one).
SUSPECT = """(
    start_date < date '1991-01-01'
    or start_date > coalesce(
        first_reported_at, (select max(cast(ingested_at as date)) from marts.dim_documents)
    ) + interval 1 year
)"""
PLAUSIBLE = f"not coalesce({SUSPECT}, false)"  # undated events are not suspect


def has_measurements(query, warehouse: Path) -> bool:
    """Whether the warehouse has the measurement work's marts (issue 12)."""
    (n,) = query(
        warehouse,
        "select count(*) from duckdb_tables() where schema_name = 'marts' and table_name = 'rule_quality'",
    )[0]
    return n == 1


def recent_months(query, warehouse: Path) -> tuple[dt.date, dt.date]:
    rows = query(
        warehouse,
        f"""
        select distinct cast(date_trunc('month', start_date) as date) as month
        from marts.fct_events where start_date is not null and {PLAUSIBLE}
        order by month desc limit {DEFAULT_MONTHS}
        """,
    )
    return rows[-1][0], rows[0][0]


def test_engagement_defaults_to_recent_months_and_lists_suspect_dates(
    page, news_dashboard, news_warehouse, query
):
    first, last = recent_months(query, news_warehouse)
    # The view opens on the country in most events; its suspect dates are listed apart.
    ((busiest,),) = query(
        news_warehouse,
        "select country from marts.event_participants group by country "
        "order by count(distinct event_id) desc, country limit 1",
    )
    (n_suspect,) = query(
        news_warehouse,
        f"select count(*) from marts.fct_events where {SUSPECT} and list_contains(participant_countries, ?)",
        [busiest],
    )[0]
    (earliest,) = query(news_warehouse, "select min(start_date) from marts.fct_events")[0]
    assert n_suspect > 0 and earliest < dt.date(1991, 1, 1)  # the sample does hold such dates

    page.goto(news_dashboard)
    note = page.locator("#period-note").inner_text()
    assert f"{first:%b %Y} – {last:%b %Y}" in note and "24 months" in note
    # No column of the charts lies outside the window.
    months = {
        dt.datetime.strptime(" ".join(title.split()[:2]), "%b %Y").date()
        for title in page.locator("svg.chart rect title").all_text_contents()
    }
    assert months and first <= min(months) and max(months) <= last

    panel = page.locator("#suspect-dates")
    assert panel.locator("summary h2").inner_text() == f"Suspect dates ({n_suspect:,})"
    panel.locator("summary").click()  # a <details>: opens without any script
    assert panel.locator("tbody tr").first.is_visible()
    shown = panel.locator("tbody tr")
    assert 1 <= shown.count() <= 50
    listed = [row.get_attribute("data-event") for row in shown.all()]
    plausible = query(
        news_warehouse,
        f"select event_id from marts.fct_events where list_contains(?, event_id) and {PLAUSIBLE}",
        [listed],
    )
    assert plausible == []

    # One click: all time. The form then keeps it (the checkbox is ticked).
    with page.expect_navigation():
        page.locator("#period-note a.all-time").click()
    assert "period=all" in page.url
    assert "all dates" in page.locator("#period-note").inner_text()
    assert page.locator("form.filters input[name=period]").is_checked()
    all_months = {
        dt.datetime.strptime(" ".join(title.split()[:2]), "%b %Y").date()
        for title in page.locator("svg.chart rect title").all_text_contents()
    }
    assert min(all_months) < first
    assert min(all_months) >= dt.date(1991, 1, 1)  # suspect dates stay out of the chart


def test_timeline_starts_with_the_newest_plausible_event(page, news_dashboard, news_warehouse, query):
    _, last = recent_months(query, news_warehouse)
    page.goto(news_dashboard + "/timeline")
    first_month = page.locator("h2.month").first.inner_text()
    assert first_month.lower() == f"{last:%B %Y}".lower()
    page.goto(news_dashboard + "/timeline?suspect=include&period=all")
    (newest_any,) = query(news_warehouse, "select max(start_date) from marts.fct_events")[0]
    assert page.locator("h2.month").first.inner_text().lower() == f"{newest_any:%B %Y}".lower()
    assert page.locator("#suspect-dates").count() == 0  # included, so not listed apart


def test_figures_show_named_metrics_only_and_order_pairs_by_usd(page, news_dashboard, news_warehouse, query):
    page.goto(news_dashboard + "/figures?period=all")
    assert page.locator("#figures tr[data-metric=other]").count() == 0
    # investment_figures holds named metrics only (issue 13): nothing of metric `other` to hide,
    # so no note offers to show them (they stay in fct_figure_mentions, for SQL)
    (n_other,) = query(news_warehouse, "select count(*) from marts.investment_figures where metric = 'other'")[0]
    (n_other_mentions,) = query(news_warehouse, "select count(*) from marts.fct_figure_mentions where metric = 'other'")[0]
    assert n_other == 0 and n_other_mentions > 0
    assert page.locator("#hidden-other").count() == 0

    # Grouped by metric; within a metric the largest in USD first.
    sections = page.locator("#figures section[data-metric-group]")
    metrics = [section.get_attribute("data-metric-group") for section in sections.all()]
    assert len(metrics) == len(set(metrics)) >= 2 and "other" not in metrics
    usd_values = []
    for row in sections.first.locator("tbody tr").all():
        cells = row.locator("td")
        text = cells.nth(4).inner_text().strip()
        if cells.first.inner_text() != "No country named" and "USD" in text:
            usd_values.append(parse_usd(text))
    assert usd_values == sorted(usd_values, reverse=True) and len(usd_values) >= 2


def parse_usd(text: str) -> float:
    """'≈ 4.0 bn USD' -> 4.0e9."""
    scales = {"trn": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
    match = re.search(r"([\d,.]+)\s*(trn|bn|m|k)?\s*USD", text)
    return float(match.group(1).replace(",", "")) * scales.get(match.group(2) or "", 1.0)


def test_confidence_filter_or_its_note_on_every_view(page, news_dashboard, news_warehouse, query):
    measured = has_measurements(query, news_warehouse)
    if measured:
        ((best_event, best_figure),) = query(
            news_warehouse,
            "select (select max(confidence) from marts.fct_events), "
            "(select max(confidence) from marts.fct_figure_mentions)",
        )
    for path in ("/", "/central-asia", "/timeline", "/figures"):
        page.goto(news_dashboard + path)
        select = page.locator("form.filters select[name=confidence]")
        if not measured:  # a warehouse built before the measurement work: a note instead
            assert select.count() == 0, path
            assert "no measured precision" in page.locator("#confidence-note").inner_text(), path
            continue
        best = best_figure if path == "/figures" else best_event
        if best is not None and best >= 0.7:
            assert select.input_value() == "0.7", path  # the default from the development set
        else:  # no rule that precise yet: every row, and the page says why
            assert select.input_value() == "0", path
            assert f"the best: {best or 0:.2f}" in page.locator("#confidence-shortfall").inner_text(), path
    if not measured:
        return

    # A minimum that keeps some events and hides others, chosen in the form, kept in the URL.
    threshold = next(
        (
            t
            for t in (0.9, 0.7, 0.5, 0.3, 0.2, 0.1)
            if query(
                news_warehouse,
                f"select count(*) filter (where confidence >= {t}) > 0 and count(*) filter "
                f"(where confidence < {t}) > 0 from marts.fct_events where {PLAUSIBLE}",
            )[0][0]
        ),
        None,
    )
    assert threshold is not None, "every event has the same confidence"
    page.goto(news_dashboard + "/timeline?period=all")
    page.locator("form.filters select[name=confidence]").select_option(f"{threshold:g}")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert f"confidence={threshold:g}" in page.url
    ((expected,),) = query(
        news_warehouse,
        f"select count(*) from marts.fct_events where {PLAUSIBLE} and confidence >= {threshold}",
    )
    assert page.locator("p.count").inner_text().startswith(f"{expected:,} event")
    shown = [element.get_attribute("id")[2:] for element in page.locator("article.event").all()]
    below = query(
        news_warehouse,
        "select event_id from marts.fct_events where list_contains(?, event_id) and confidence < ?",
        [shown, threshold],
    )
    assert shown and below == []
    assert f"confidence={threshold:g}" in page.locator("nav a", has_text="Figures").get_attribute("href")


def test_quality_view_shows_rules_coverage_and_outlet_freshness(page, news_dashboard, news_warehouse, query):
    page.goto(news_dashboard + "/quality")
    assert page.get_by_role("heading", level=1).inner_text() == "Data quality"
    outlets = query(
        news_warehouse,
        "select outlet, count(*), max(published_at) from marts.dim_documents group by outlet",
    )
    assert len(outlets) >= 2
    for outlet, n_articles, newest in outlets:
        row = page.locator(f'#outlets tr[data-outlet="{outlet or ""}"]')
        cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
        assert cells[1] == f"{n_articles:,}", outlet
        assert cells[3] == (f"{newest.day} {newest:%b %Y}" if newest else "—"), outlet
    coverage = page.locator("#coverage tbody tr", has_text="Canonical events")
    ((n_events, dated),) = query(
        news_warehouse, "select count(*), avg(case when start_date is not null then 1 else 0 end) from marts.fct_events"
    )
    cells = [cell.inner_text().strip() for cell in coverage.locator("td").all()]
    assert cells[1] == f"{n_events:,}" and cells[2] == f"{dated:.0%}".replace("%", " %")
    if has_measurements(query, news_warehouse):
        rules = query(news_warehouse, "select rule_id from marts.rule_quality")
        assert page.locator("#rules tbody tr").count() >= len(rules)
    else:
        assert "Not available" in page.locator("#rules-note").inner_text()


VIEWS = {
    "dashboard.png": "/",
    "dashboard-central-asia.png": "/central-asia",
    "dashboard-timeline.png": "/timeline",
    "dashboard-figures.png": "/figures",
    "dashboard-quality.png": "/quality",
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_screenshots_of_every_view_load_nothing_from_elsewhere(page, news_dashboard, tmp_path, name):
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(news_dashboard + VIEWS[name])
    assert response.status == 200
    assert page.locator(".empty").count() == 0
    assert page.locator("nav a.active").count() == 1
    shot = tmp_path / name
    # Long pages are shot to a height that shows their first screens, not every row.
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.screenshot(path=str(shot), full_page=name in ("dashboard-central-asia.png", "dashboard-quality.png"))
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert requests and all(url.startswith(news_dashboard) for url in requests), requests
    assert problems == []
    if os.environ.get("ATTACHE_UPDATE_SCREENSHOT") == "1":
        DOCS_DIR.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS_DIR / name)
