"""Saved web pages (`*.html`, `*.htm`): the article's main text and metadata, by trafilatura.

trafilatura finds the main text (menus, related-article lists, cookie banners, comments,
share buttons and footers are left out) and the title, site name and canonical URL; htmldate
(which trafilatura builds on) finds the publication date: page metadata first, then the URL,
then the body. The raw HTML is kept as the record's `raw_text`, so a better extractor can
re-read it later; the main text is the `article_text` the body is cleaned from.

A page saved by `attache fetch` opens with one comment line written by it,

    <!-- attache-fetch {"url": "...", "feed_url": "...", "title": "...", ...} -->

carrying what the feed said of the entry; the page's own metadata wins over it.

Pages that are not articles raise FileProblem with the reason (they land in
`raw.ingest_errors`): error pages ("404 Not Found" saved as HTML), pages with no main text
(an index of links, a photo gallery, an empty body), and files over MAX_HTML_BYTES.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from orchestration.ingest.files import MB, FileProblem, read_capped

# A saved article page is rarely over 2 MB (inline scripts and styles included); a bigger
# file is a dump or a media page, refused unread so it cannot exhaust memory.
MAX_HTML_BYTES = 10 * MB
# Less main text than this is not an article (an index, a gallery, a stub): trafilatura's
# own minimum for an extraction is 250 characters.
MIN_ARTICLE_CHARS = 250

# The first line of a page saved by `attache fetch` (see orchestration/fetch/pages.py).
FETCH_HEADER = re.compile(r"\A\s*<!-- attache-fetch (?P<json>\{.*?\}) -->")
FETCH_HEADER_PREFIX = "<!-- attache-fetch "

# The title or main heading of an error page saved as if it were an article, once the site
# name after " | " or " — " is cut and punctuation is dropped: "404 Not Found", "Ошибка 404",
# "Страница не найдена", "Page not found", "500 Internal Server Error". A headline that only
# contains such words ("Evidence not found", "500 million invested") is not one.
HTTP_ERROR_CODE = r"(?:4\d\d|5\d\d)"
ERROR_WORDS = (
    r"(?:page\s+|file\s+)?not\s+found|страница\s+не\s+найдена|страница\s+не\s+существует"
    r"|forbidden|access\s+denied|доступ\s+запрещ[её]н|gone|bad\s+request|service\s+unavailable"
    r"|(?:internal\s+)?server\s+error|error|ошибка"
)
ERROR_HEADING = re.compile(
    rf"(?:(?:error|ошибка|http)\s+)?{HTTP_ERROR_CODE}(?:\s+(?:{ERROR_WORDS}))?|(?:{ERROR_WORDS})(?:\s+{HTTP_ERROR_CODE})?"
)
SITE_NAME_SEPARATOR = re.compile(r"\s+[|—–-]\s+|\s*::\s*")
# <meta charset="windows-1251"> or <meta http-equiv="Content-Type" content="text/html; charset=...">
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
CHARSET_SNIFF_BYTES = 4096
LANGUAGE_CODE = re.compile(r"^\s*([A-Za-z]{2})(?:[-_]|$)")


def read_html_file(path: Path) -> dict[str, str | None]:
    """The article record of one saved page (RECORDS fields but source_name); raises
    FileProblem with the reason when the page is unreadable or not an article."""
    data = read_capped(path, MAX_HTML_BYTES, "a web page")
    if not data.strip():
        raise FileProblem("empty file")
    html = decode_html(data, declared_charset=_fetch_header(data).get("charset"))
    return article_from_html(html)


def article_from_html(html: str) -> dict[str, str | None]:
    """Main text and metadata of a page given as text; raises FileProblem when it is not an article."""
    import lxml.etree  # here, like trafilatura and htmldate: half a second of imports that a
    # refresh of a folder without web pages should not pay

    try:
        return _article_from_html(html)
    except (lxml.etree.LxmlError, ValueError) as err:  # markup the parsers give up on
        raise FileProblem(f"not a readable web page: {err}") from err


def _article_from_html(html: str) -> dict[str, str | None]:
    import trafilatura

    if not html.strip():
        raise FileProblem("empty file")
    fetched = _fetch_header(html)
    tree = trafilatura.load_html(html)
    if tree is None:
        raise FileProblem("not HTML: no document could be parsed")
    language = _page_language(tree)
    heading = _error_page_heading(tree)
    if heading is not None:
        raise FileProblem(f"not an article: an error page saved as HTML (its title says {heading!r})")
    fallback_url = fetched.get("url") or fetched.get("entry_url")
    # htmldate and trafilatura each parse the text: both prune the tree they work on
    published_at, date_source = _publication_date(html, fallback_url, fetched.get("published_at"))
    document = trafilatura.bare_extraction(
        html,
        url=fallback_url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
    )
    text = (document.text or "").strip() if document is not None else ""
    text = _without_title_line(text, document.title if document is not None else None)
    if len(text) < MIN_ARTICLE_CHARS:
        raise FileProblem(_not_an_article_reason(tree, len(text)))
    return {
        "raw_text": html,
        "article_text": text,
        "title": _first_text(document.title, fetched.get("title")),
        "url": _first_text(document.url, fallback_url),
        "outlet": _first_text(document.sitename, document.hostname),
        "published_at": published_at,
        "language": language,
        "metadata_source": date_source,
    }


def decode_html(data: bytes, declared_charset: str | None = None) -> str:
    """Decode a page: UTF-8 when it is valid UTF-8, else the charset the HTTP response or the
    page's <meta> declares, else trafilatura's guess (charset_normalizer)."""
    if b"\x00" in data[:CHARSET_SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("binary content (NUL bytes), not a web page")
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    for charset in (declared_charset, meta.group(1).decode("ascii") if meta else None):
        if charset:
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    from trafilatura.utils import decode_file

    return decode_file(data)


def _fetch_header(page: str | bytes) -> dict[str, str]:
    """The fields `attache fetch` wrote in the page's first line ({} for any other page)."""
    head = page[:8192].decode("ascii", "replace") if isinstance(page, bytes) else page[:8192]
    match = FETCH_HEADER.match(head)
    if match is None:
        return {}
    try:
        fields = json.loads(match["json"])
    except json.JSONDecodeError:
        return {}
    if not isinstance(fields, dict):
        return {}
    return {key: str(value) for key, value in fields.items() if value not in (None, "")}


def _page_language(tree) -> str | None:
    """ISO 639-1 code from <html lang>, else the Content-Language or og:locale meta tag."""
    candidates = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        *tree.xpath("//meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content"),
        *tree.xpath("//meta[@property='og:locale']/@content"),
    ]
    for candidate in candidates:
        match = LANGUAGE_CODE.match(candidate or "")
        if match:
            return match.group(1).lower()
    return None


def _error_page_heading(tree) -> str | None:
    """The page's title or first heading when it is the name of an HTTP error, else None."""
    for text in (*tree.xpath("//title/text()")[:1], *tree.xpath("//h1//text()")[:3]):
        heading = SITE_NAME_SEPARATOR.split(" ".join(text.split()), maxsplit=1)[0]
        words = " ".join(re.sub(r"[^\w]+", " ", heading.lower()).split())
        if words and ERROR_HEADING.fullmatch(words):
            return " ".join(text.split())
    return None


def _publication_date(html: str, url: str | None, feed_date: str | None) -> tuple[str | None, str]:
    """(date as YYYY-MM-DD, where it came from): the page's metadata and its URL (htmldate
    reads both, in that order, the canonical link standing in for a missing URL; and
    <time> elements), else the feed entry's date. Dates in the body are left to the ingest's
    dateline rules (orchestration/ingest/dates.py): htmldate's search of the body turns a
    bare year into January 1st and does not read Russian month names."""
    import htmldate

    page_date = htmldate.find_date(
        html, extensive_search=False, url=url, deferred_url_extractor=True, original_date=True
    )
    if page_date:
        return page_date, "html_metadata"
    if feed_date:
        return feed_date, "feed"
    return None, "html_metadata"


def _not_an_article_reason(tree, text_chars: int) -> str:
    """Why a page with (almost) no main text was refused, with what it holds instead."""
    links, images = len(tree.xpath("//a[@href]")), len(tree.xpath("//img"))
    if images >= 5 and images >= links:
        guess = "a photo gallery?"
    elif links >= 20:
        guess = "an index or list page?"
    else:
        guess = "an empty or stub page?"
    return (
        f"not an article: {text_chars} characters of main text (at least {MIN_ARTICLE_CHARS} "
        f"expected); the page has {links} links and {images} images ({guess})"
    )


def _without_title_line(text: str, title: str | None) -> str:
    """The main text without its first line when that line is the title (trafilatura keeps
    the <h1>): the title is a column of its own, and a dateline can then open the body."""
    first, _, rest = text.partition("\n")
    if title and " ".join(first.split()) == " ".join(title.split()):
        return rest.strip()
    return text


def _first_text(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return value.strip()
    return None
