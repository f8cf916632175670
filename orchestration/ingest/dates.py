"""Publication dates: parse metadata values, recognise datelines, read dates in URLs.

All functions build polars expressions over whole columns. A date is only taken from a
dateline (a line that is nothing but a timestamp, at the end or the start of the article,
or a newswire opening "МОСКВА, 4 декабря 2025 — ..."), never from dates the story mentions.
"""

from __future__ import annotations

import polars as pl

# Month names and abbreviations (Russian in any case form, English); the first three letters
# identify the month ("мая"/"май" both map to May).
RU_MONTH = (
    r"январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]"
    r"|янв|фев|мар|апр|июн|июл|авг|сент?|окт|ноя|дек"
)
EN_MONTH = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
MONTH_NAME = rf"(?:{RU_MONTH}|{EN_MONTH})\.?"
RU_STEMS = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
EN_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_BY_STEM = {
    **{stem: f"{i:02d}" for stems in (RU_STEMS, EN_STEMS) for i, stem in enumerate(stems, 1)},
    "май": "05",
    "мае": "05",
}

# One pattern per way of writing a date, each with named groups y, m or mon, d.
DATE_FORMATS = {
    # 04.12.2025
    "dmy_numeric": r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})",
    # 2025-12-04 (also the date part of 2025-12-04T13:01:00Z)
    "iso": r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    # 27 октября 2025 / 27 October 2025 / 4 дек. 2025
    "d_month_y": rf"(?P<d>\d{{1,2}})\s+(?P<mon>{MONTH_NAME}),?\s+(?P<y>\d{{4}})",
    # October 27, 2025
    "month_d_y": rf"(?P<mon>{MONTH_NAME})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})",
}

TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
TIMEZONE = r"(?:msk|мск|utc|gmt|z)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
ANY_DATE = (
    "(?:"
    + "|".join(
        # the same formats without their group names (a pattern cannot repeat a group name)
        p.replace("?P<d>", "").replace("?P<m>", "").replace("?P<y>", "").replace("?P<mon>", "")
        for p in DATE_FORMATS.values()
    )
    + ")"
)

# A line that is only a timestamp, optionally labelled or placed, with bullets/separators:
# "13:01 04.12.2025 •", "14:43, 27 October 2025", "27 октября 2025, 14:43",
# "Опубликовано: 2025-12-04", "Москва, 4 декабря 2025 г."
TIMESTAMP_LINE = (
    r"(?i)^[•·|\s]*(?:\p{L}[\p{L} .]{0,30}[:,]?\s+)?"
    rf"(?:{TIME},?\s+)?{ANY_DATE}(?:\s*(?:г\.|года))?"
    rf"(?:(?:,?\s+(?:в\s+)?|T){TIME})?(?:\s*{TIMEZONE})?[\s•·|—–-]*$"
)

# Newswire opening of the first line: "МОСКВА, 4 декабря 2025 — РИА Новости. ..."
NEWSWIRE_DATELINE = rf"(?i)^\p{{Lu}}[\p{{L}}\- ]{{1,30}},\s+(?P<date>{ANY_DATE})(?:\s*(?:г\.|года))?\s*[—–-]"

# A date as a path segment of a URL: /2017-04-18/, /2017/04/18/, /20251112/
URL_DATE = r"/(?P<y>(?:19|20)\d{2})[-/]?(?P<m>0[1-9]|1[0-2])[-/]?(?P<d>0[1-9]|[12]\d|3[01])(?:/|$)"


def _date_from_groups(groups: pl.Expr, has_month_name: bool) -> pl.Expr:
    month = (
        groups.struct.field("mon")
        .str.to_lowercase()
        .str.slice(0, 3)
        .replace_strict(MONTH_BY_STEM, default=None, return_dtype=pl.String)
        if has_month_name
        else groups.struct.field("m")
    )
    text = pl.concat_str(
        [groups.struct.field("y"), month.str.zfill(2), groups.struct.field("d").str.zfill(2)],
        separator="-",
    )
    # strict=False: 31.02.2025 and friends become NULL instead of failing the batch.
    return text.str.to_date("%Y-%m-%d", strict=False)


def first_date(text: pl.Expr) -> pl.Expr:
    """The first date written in `text` in any known format (format order breaks ties)."""
    return pl.coalesce(
        [
            _date_from_groups(text.str.extract_groups(f"(?i){pattern}"), "?P<mon>" in pattern)
            for pattern in DATE_FORMATS.values()
        ]
    )


def is_timestamp_line(line: pl.Expr) -> pl.Expr:
    return line.str.contains(TIMESTAMP_LINE)


def newswire_date(first_line: pl.Expr) -> pl.Expr:
    return first_date(first_line.str.extract(NEWSWIRE_DATELINE, 1))


def url_date(url: pl.Expr) -> pl.Expr:
    return _date_from_groups(url.str.extract_groups(URL_DATE), has_month_name=False)
