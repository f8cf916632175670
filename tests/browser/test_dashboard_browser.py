"""`attache dashboard` on the warehouse built from seeds/, checked in headless Chromium.

The facts checked are those the seed articles state (Russia's August 2025 phone calls with
ten leaders; Putin's official visit to Kyrgyzstan on 25–26 November 2025, where seven
documents were signed; Russian investment in Kazakhstan of 4.0 bn USD in 2024), and the
numbers on the pages are compared with the marts queried directly.

The screenshots in docs/ are taken on a larger warehouse (test_dashboard_news.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestration.dashboard.queries import CENTRAL_ASIA, MAJOR_POWERS

REPO_ROOT = Path(__file__).resolve().parents[2]

# The leaders Putin phoned in August 2025, as the seed article lists them (Рамафоза, Токаев,
# Мирзиёев, Си Цзиньпин, Лукашенко, Моди, Лула да Силва, Рахмон, Жапаров, Ким Чен Ын).
RUSSIA_AUGUST_2025_CALLS = {
    "South Africa", "Kazakhstan", "Uzbekistan", "China", "Belarus",
    "India", "Brazil", "Tajikistan", "Kyrgyzstan", "North Korea",
}  # fmt: skip


def apply_filters(page, **values: str) -> None:
    """Fill the page's filter form like a person would and submit it. The facts checked here
    are the seeds', whatever the precision measured for their rules: on a warehouse with
    measurements, the minimum confidence is set to "any row" (the filter itself is tested
    on the larger warehouse, tests/browser/test_dashboard_news.py)."""
    if page.locator("form.filters select[name=confidence]").count():
        values = {"confidence": "0", **values}
    for name, value in values.items():
        field = page.locator(f"form.filters [name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()


def test_engagement_shows_russias_ten_phone_call_counterparts_in_august_2025(
    page, dashboard, built_warehouse, query
):
    page.goto(dashboard)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Engagement of")
    apply_filters(page, country="RU", event_type="phone_call", **{"from": "2025-08", "to": "2025-08"})
    assert "country=RU" in page.url and "event_type=phone_call" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Engagement of Russia"

    rows = page.locator("#counterparts tbody tr")
    shown = {row.locator("td").first.inner_text().strip(): row for row in rows.all()}
    assert set(shown) == RUSSIA_AUGUST_2025_CALLS
    for name, row in shown.items():
        cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
        assert cells[1] == "1", f"{name}: {cells}"  # one call each
    kpis = {
        kpi.locator("span").inner_text(): kpi.locator("b").inner_text() for kpi in page.locator(".kpi").all()
    }
    assert kpis["Phone calls"] == "10" and kpis["Counterparts"] == "10"

    in_marts = query(
        built_warehouse,
        """
        select countries.name_en from marts.country_engagement as engagement
        join marts.dim_countries as countries on countries.country_code = engagement.counterpart
        where engagement.country = 'RU' and engagement.month = date '2025-08-01'
          and engagement.n_phone_calls > 0
        """,
    )
    assert {name for (name,) in in_marts} == set(shown)
    tooltips = page.locator("svg.chart rect title").all_text_contents()
    assert any(text.startswith("Aug 2025 · China: 1") for text in tooltips)


def test_timeline_shows_the_kyrgyzstan_visit_with_seven_documents_signed(page, dashboard):
    page.goto(dashboard + "/timeline")
    apply_filters(page, country="KG")
    assert "Nov 2025" in page.locator("#period-note").inner_text()  # the default period
    november = page.locator("h2.month", has_text="November 2025")
    assert november.count() == 1

    visit = page.locator("article.event[data-type=visit]", has_text="Kyrgyzstan")
    assert visit.count() == 1
    assert visit.locator(".when").inner_text() == "25–26 Nov 2025"
    assert "official visit" in visit.locator(".facts").inner_text()
    assert visit.locator(".head").inner_text().replace("HOST", "").split() == [
        "Visit",
        "Kyrgyzstan",
        "·",
        "Russia",
    ]
    assert (
        "визит российского президента Владимира Путина в Киргизию" in visit.locator("blockquote").inner_text()
    )

    signing = page.locator("article.event[data-type=agreement_signing]", has_text="Kyrgyzstan")
    assert signing.locator(".signed").inner_text() == "7 documents signed"
    assert signing.locator(".when").inner_text() == "25 Nov 2025"

    # The evidence link opens the article with the sentence highlighted.
    with page.expect_navigation():
        signing.locator("cite a").click()
    assert re.search(r"/document\?id=\w+#m-\w+$", page.url)
    target = page.locator("tr:target")
    assert "подписали 7 документов" in target.inner_text()
    assert (
        target.locator("td").first.evaluate("cell => getComputedStyle(cell).backgroundColor")
        == "rgb(255, 244, 194)"
    )


def test_central_asia_balance_matches_the_marts(page, dashboard, built_warehouse, query):
    # All dates and every event, as country_engagement counts them.
    page.goto(dashboard + "/central-asia?period=all&suspect=include&confidence=0")
    in_marts = {
        (country, partner): n
        for country, partner, n in query(
            built_warehouse,
            """
            select country,
                   case when counterpart in ('RU', 'US', 'CN') then counterpart else 'other' end,
                   sum(n_events)
            from marts.country_engagement
            where country in ('KZ', 'KG', 'TJ', 'TM', 'UZ')
            group by all
            """,
        )
    }
    assert in_marts[("KG", "RU")] >= 2  # the August call and the November visit at least
    for state in CENTRAL_ASIA:
        row = page.locator(f"#balance tr[data-country={state}]")
        assert row.count() == 1
        for partner in (*MAJOR_POWERS, "other"):
            shown = row.locator(f"td[data-partner={partner}] b, td[data-partner={partner}]").first
            number = int(shown.inner_text().split()[0])
            assert number == in_marts.get((state, partner), 0), (state, partner)

    # A state's name opens its engagement view.
    with page.expect_navigation():
        page.locator("#balance tr[data-country=KG] a").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Engagement of Kyrgyzstan"


def test_figures_show_usd_range_and_link_to_the_evidence(page, dashboard):
    page.goto(dashboard + "/figures")
    apply_filters(page, country="KZ", counterpart="RU", metric="investment_flow")
    rows = page.locator("#figures tr[data-metric=investment_flow]")
    assert rows.count() == 1
    cells = [cell.inner_text().strip() for cell in rows.locator("td").all()]
    assert cells[1] == "Russia → Kazakhstan" and cells[2] == "2024"
    assert cells[3] == "4.0 bn USD" and cells[4] == "4.0 bn USD"
    with page.expect_navigation():
        rows.locator("a.source").first.click()
    assert "#f-" in page.url
    assert "4,0 млрд. долларов" in page.locator("tr:target").inner_text()


def test_empty_states_say_what_is_missing(page, dashboard, start_dashboard, tmp_path):
    page.goto(dashboard + "/timeline?country=TM&from=2020-01&to=2020-12")
    assert page.locator(".empty h2").inner_text() == "No events for this filter"
    assert "Turkmenistan" in page.locator(".empty").inner_text()

    page.goto(dashboard + "/?country=ZZ&from=soon")
    assert "is not a month like 2025-08" in page.locator(".notice").inner_text()

    no_warehouse = start_dashboard(tmp_path / "not-built-yet.duckdb")
    for path in ("/", "/timeline", "/figures"):
        response = page.goto(no_warehouse + path)
        assert response.status == 200
        assert page.locator(".empty h2").inner_text() == "No warehouse yet"
        assert "attache refresh" in page.locator(".empty").inner_text()


@pytest.mark.parametrize("path", ["/", "/central-asia", "/timeline", "/figures", "/quality"])
def test_every_view_works_without_filters_and_loads_nothing_from_elsewhere(page, dashboard, path):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(dashboard + path)
    assert response.status == 200
    assert page.locator("nav a.active").count() == 1
    assert page.locator(".empty").count() == 0
    assert requests and all(url.startswith(dashboard) for url in requests), requests
