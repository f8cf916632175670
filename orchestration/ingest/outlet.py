"""Outlet of an article when its metadata does not name one: the URL's host, else the
outlet's own words in the text ("Читайте другие материалы журнала «Международная жизнь»",
"POLITIK Центральная Азия опросил экспертов"), else NULL."""

from __future__ import annotations

import polars as pl

# Host of the last URL in the field: "https://amp.ng.ru/?p=http://www.ng.ru/..." -> "www.ng.ru",
# and a doubled "https://russian.rt.comhttps://russian.rt.com/..." -> "russian.rt.com".
URL_HOST = r"(?i)^.*https?://([^/\s?#:@]+)"
# Prefixes that name a variant of the same site, not another outlet.
HOST_PREFIX = r"^(?:www\d?|amp|m|mobile)\."

# The outlet naming itself in a footer: "материалы журнала «Международная жизнь»",
# "Читайте новости агентства «Кабар» в Telegram".
FOOTER_SELF_NAME = (
    r"(?i)(?:материалы|статьи|новости|публикации)\s+(?:нашего\s+)?(?:журнала|газеты|издания"
    r"|агентства|портала|сайта|телеканала|радио)\s+[«\"“]([^»\"”\n]{2,60})[»\"”]"
)
# The outlet as the subject of a newsroom verb: "POLITIK Центральная Азия опросил экспертов".
# The name must open with an all-capital word (a brand, not a person) at a sentence start.
NEWSROOM_SELF_NAME = (
    r"(?m)(?:^|[.!?]\s+)(\p{Lu}[\p{Lu}\d]+(?:[ \-]\p{Lu}[\p{L}\d\-]*){0,3})\s+"
    r"(?:опросил[аио]?|спросил[аио]?|расспросил[аио]?)\s+"
    r"(?:экспертов|специалистов|политологов|аналитиков|экономистов|читателей|источники)"
)


def url_host(url: pl.Expr) -> pl.Expr:
    host = url.str.extract(URL_HOST, 1).str.to_lowercase().str.strip_chars(".")
    return host.str.replace(HOST_PREFIX, "")


def infer_outlet(url: pl.Expr, raw_text: pl.Expr) -> pl.Expr:
    """URL host, else a self-naming footer, else a newsroom self-reference, else NULL."""
    return pl.coalesce(
        url_host(url),
        raw_text.str.extract(FOOTER_SELF_NAME, 1).str.strip_chars(),
        raw_text.str.extract(NEWSROOM_SELF_NAME, 1).str.strip_chars(),
    )
