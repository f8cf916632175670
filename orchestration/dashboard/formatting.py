"""How numbers, amounts and dates read on the pages (used by the templates as filters)."""

from __future__ import annotations

import datetime as dt

QUALIFIER_PREFIX = {"approx": "≈ ", "more_than": "> ", "less_than": "< ", "exact": ""}


def fmt_count(value: float | None) -> str:
    return "0" if value is None else f"{value:,.0f}"


def fmt_share(value: float | None) -> str:
    """0.734 -> '73 %'; '—' when there is nothing to divide."""
    return "—" if value is None else f"{value:.0%}".replace("%", " %")


def fmt_precision(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f}"


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


def fmt_period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        if start == end:
            return fmt_month(start)
        return f"{fmt_month(start)} – {fmt_month(end)}"
    if start:
        return f"since {fmt_month(start)}"
    if end:
        return f"until {fmt_month(end)}"
    return "all dates"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def truncate(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_label(mention: dict) -> str:
    """'Title · Outlet · 25 Nov 2025' for a report's article."""
    parts = [mention.get("title") or mention.get("source_name") or mention["document_id"]]
    if mention.get("outlet"):
        parts.append(mention["outlet"])
    if mention.get("published_at"):
        parts.append(fmt_date(mention["published_at"]))
    return " · ".join(parts)
