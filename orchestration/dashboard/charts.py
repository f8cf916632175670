"""Inline SVG charts, rendered on the server: no script, no external file, works offline.

Each function returns an <svg> element as a string; every text it embeds is escaped.
Segments carry a <title>, which browsers show as a tooltip.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from html import escape

# Russia, the US and China keep their colours in every chart; other series take the palette.
FIXED_COLOURS = {"RU": "#c8553d", "US": "#2f6690", "CN": "#e0a526", "other": "#a5adb8"}
EVENT_TYPE_COLOURS = {
    "phone_call": "#4e79a7",
    "visit": "#f28e2b",
    "summit": "#59a14f",
    "meeting": "#76b7b2",
    "talks": "#b07aa1",
    "agreement_signing": "#e15759",
}
# Tableau-like, without the blues, reds and ambers that Russia, the US and China keep.
PALETTE = (
    "#59a14f", "#b07aa1", "#76b7b2", "#9c755f", "#ff9da7", "#f28e2b",
    "#6f63bb", "#8cd17d", "#d37295", "#499894", "#bcbd22", "#86bcb6",
)  # fmt: skip
OTHER_COLOUR = FIXED_COLOURS["other"]


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    values: tuple[float, ...]  # one per x position


def series_colours(keys: list[str]) -> dict[str, str]:
    """A colour per key: fixed ones for RU/US/CN/other, the palette in order for the rest."""
    colours: dict[str, str] = {}
    free = iter(PALETTE)
    for key in keys:
        colours[key] = FIXED_COLOURS.get(key) or next(free, OTHER_COLOUR)
    return colours


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from first to last (first days), so that quiet months show as gaps."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def nice_ceiling(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) for counts: 1, 2 or 5 times a power of ten per step."""
    if value <= 0:
        return 1.0, 1.0
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    step = max(step, 1.0)
    return math.ceil(value / step) * step, step


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def stacked_columns(months: list[dt.date], series: list[Series], *, title: str, unit: str = "events") -> str:
    """Columns per month, stacked by series, with a y axis of counts."""
    width, height = 620, 250
    left, right, top, bottom = 36, 8, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(months))]
    y_max, step = nice_ceiling(max(totals, default=0))
    slot = plot_w / max(len(months), 1)
    bar_w = max(min(slot * 0.7, 48), 2)

    def y(value: float) -> float:
        return top + plot_h - value / y_max * plot_h

    parts = [
        (
            f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        ),
        f"<title>{escape(title)}</title>",
    ]
    tick = 0.0
    while tick <= y_max + 1e-9:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>'
        )
        tick += step
    # Label every month while they fit, else every k-th (always January when by year).
    label_every = max(1, math.ceil(len(months) * 56 / plot_w))
    for i, month in enumerate(months):
        x = left + slot * i + (slot - bar_w) / 2
        base = 0.0
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y(base + value):.1f}" width="{bar_w:.1f}" '
                f'height="{y(base) - y(base + value):.1f}" fill="{s.colour}">'
                f"<title>{month:%b %Y} · {escape(s.label)}: {_fmt(value)} {escape(unit)}</title></rect>"
            )
            base += value
        if totals[i] > 0 and bar_w >= 14:
            parts.append(
                f'<text class="total" x="{x + bar_w / 2:.1f}" y="{y(base) - 4:.1f}" '
                f'text-anchor="middle">{_fmt(totals[i])}</text>'
            )
        if i % label_every == 0:
            label = f"{month:%b %Y}" if label_every == 1 or month.month == 1 else f"{month:%b %y}"
            parts.append(
                f'<text class="axis" x="{left + slot * i + slot / 2:.1f}" y="{height - 12}" '
                f'text-anchor="middle">{label}</text>'
            )
    parts.append(f'<line class="baseline" x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    parts.append("</svg>")
    return "".join(parts)


def share_bar(segments: list[tuple[str, str, float]], *, title: str) -> str:
    """One horizontal bar split in proportion to (label, colour, value) segments; a
    segment's count is written inside it when it is wide enough."""
    width, height = 520, 26
    total = sum(value for _, _, value in segments)
    parts = [
        (
            f'<svg class="share" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        )
    ]
    if total <= 0:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" class="empty-bar"/>')
    x = 0.0
    for label, colour, value in segments:
        if value <= 0:
            continue
        w = value / total * width
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}">'
            f"<title>{escape(label)}: {_fmt(value)} ({value / total:.0%})</title></rect>"
        )
        if w >= 26:
            parts.append(
                f'<text class="in-bar" x="{x + w / 2:.1f}" y="{height / 2 + 4.5:.1f}" '
                f'text-anchor="middle">{_fmt(value)}</text>'
            )
        x += w
    parts.append("</svg>")
    return "".join(parts)


def range_strip(low: float | None, high: float | None, latest: float | None) -> str:
    """The spread of values across sources on a 0..high scale: a bar from the lowest to the
    highest report, a dot at the latest. Empty when nothing is known."""
    if low is None or high is None or high <= 0:
        return ""
    width, height, pad = 150, 16, 5
    span = width - 2 * pad

    def x(value: float) -> float:
        return pad + max(value, 0) / high * span

    parts = [
        f'<svg class="range" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="range-axis" x1="{pad}" x2="{width - pad}" y1="{height / 2}" y2="{height / 2}"/>',
        (
            f'<line class="range-span" x1="{x(low):.1f}" x2="{x(high):.1f}" '
            f'y1="{height / 2}" y2="{height / 2}"/>'
        ),
    ]
    if latest is not None:
        parts.append(f'<circle class="range-latest" cx="{x(latest):.1f}" cy="{height / 2}" r="4"/>')
    parts.append("</svg>")
    return "".join(parts)
