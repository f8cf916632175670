"""A small news site served by a real http.server on 127.0.0.1 (a free port), for the tests.

It serves two articles (Russian and English) wrapped in the boilerplate real sites carry
(menus, a cookie banner, related-article lists, comments, share buttons, a footer), the RSS
and Atom feeds that point to them, and the hostile cases: a slow feed, a feed that fails
once with a 500, invalid XML, a redirect loop, a 40 MB page and an entry whose page is gone.
Every request is recorded (path and headers) so the tests can see what the client sent.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MB = 1024 * 1024

# Sentences of the boilerplate around the articles: none may reach the marts. Each reads
# like news (a visit, a meeting, a call) so that extracting it would show.
BOILERPLATE = {
    "cookie": "Мы используем файлы cookie, продолжая пользоваться сайтом, вы соглашаетесь",
    "related_ru": "Мирзиёев посетил Пекин с официальным визитом",
    "comment_ru": "Путин встретился с Байденом в Женеве",
    "footer_ru": "Все права защищены",
    "share": "Поделиться ВКонтакте",
    "related_en": "Xi Jinping held talks with Lukashenko in Minsk",
    "comment_en": "Erdogan phoned Aliyev yesterday",
    "footer_en": "All rights reserved",
}

RU_ARTICLE = f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Путин провёл телефонный разговор с Токаевым — Новости Степи</title>
<meta property="og:site_name" content="Новости Степи">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-08-12T10:15:00+03:00">
<link rel="canonical" href="https://steppe.example/politics/2025/08/12/putin-tokaev-call">
</head>
<body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li>
<li><a href="/economy">Экономика</a></li><li><a href="/sport">Спорт</a></li></ul></nav></header>
<div class="cookie-banner" id="cookie-consent">{BOILERPLATE["cookie"]} с политикой конфиденциальности.
<button>Принять</button></div>
<main>
<article>
<h1>Путин провёл телефонный разговор с Токаевым</h1>
<p>Президент России Владимир Путин 12 августа 2025 года провёл телефонный разговор с Президентом
Казахстана Касым-Жомартом Токаевым. Стороны обсудили итоги переговоров с американскими представителями.</p>
<p>Касым-Жомарт Токаев выразил поддержку усилиям по урегулированию. Лидеры также затронули вопросы
торгово-экономического сотрудничества: товарооборот между странами в 2024 году достиг 28 млрд долларов.</p>
<p>Президенты договорились о продолжении контактов на высшем уровне.</p>
<div class="share-buttons"><a href="#">{BOILERPLATE["share"]}</a> <a href="#">Telegram</a></div>
</article>
<aside class="related"><h3>Читайте также</h3><ul>
<li><a href="/a1">{BOILERPLATE["related_ru"]}</a></li>
<li><a href="/a2">Лукашенко встретился с Си Цзиньпином в Минске</a></li></ul></aside>
<section id="comments" class="comments"><h3>Комментарии</h3>
<div class="comment"><p>Иван: {BOILERPLATE["comment_ru"]}, это было важнее всего!</p></div></section>
</main>
<footer><p>© 2025 Новости Степи. {BOILERPLATE["footer_ru"]}.</p></footer>
</body></html>
"""

EN_ARTICLE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tokayev and Trump hold phone call | Akorda Daily</title>
<meta property="og:site_name" content="Akorda Daily">
<meta name="date" content="2025-11-20">
</head>
<body>
<nav class="menu"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/business">Business</a></nav>
<div id="cookie-notice" class="cookie">We use cookies to improve your experience. <a href="/privacy">Learn more</a></div>
<article class="post">
<h1>Tokayev and Trump hold phone call</h1>
<p>ASTANA, 20 November 2025 – Head of State Kassym-Jomart Tokayev had a telephone conversation with
President of the United States Donald Trump, the Akorda press service reports.</p>
<p>Kassym-Jomart Tokayev noted that trade between Kazakhstan and the United States grew by 17% in
January-September 2025 to reach $3.2 billion.</p>
<p>The President of Kazakhstan invited Donald Trump to pay an official visit to Kazakhstan at a
convenient time. The invitation was accepted with gratitude.</p>
<div class="social-share">Share on Facebook · Share on X · Email</div>
</article>
<div class="related-posts"><h4>Related stories</h4><ul>
<li><a href="/r1">{BOILERPLATE["related_en"]}</a></li>
<li><a href="/r2">Modi visited Tashkent for talks</a></li></ul></div>
<div class="comments"><h4>3 comments</h4><p class="comment">Reader: {BOILERPLATE["comment_en"]}.</p></div>
<footer>© 2025 Akorda Daily. {BOILERPLATE["footer_en"]}. <a href="/about">About</a></footer>
</body></html>
"""


def rss(base: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (guid, link, title) items; a link without a scheme is a path on `base`."""
    body = "".join(
        f"<item><guid>{guid}</guid><link>{path if '://' in path else base + path}</link><title>{title}</title>"
        "<pubDate>Tue, 12 Aug 2025 10:00:00 +0300</pubDate></item>"
        for guid, path, title in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test news</title>{body}</channel></rss>'


def atom(base: str, entry_id: str, path: str, title: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Akorda Daily</title>'
        f"<id>{base}/feeds/en.atom</id><updated>2025-11-20T12:00:00Z</updated>"
        f'<entry><id>{entry_id}</id><title>{title}</title><link href="{path}"/>'
        "<updated>2025-11-20T12:00:00Z</updated></entry></feed>"
    )


Route = Callable[[BaseHTTPRequestHandler], None]


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that hangs up (a finished process, a time-out) is not an error here."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class LocalSite:
    """The server, its routes by path, and the requests it received."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def start(self) -> "LocalSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path, not_found)
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a size cap, a time-out): expected here

            def log_message(self, format: str, *args) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def paths_requested(self) -> list[str]:
        return [path for path, _ in self.requests]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def not_found(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 404, b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>",
         {"Content-Type": "text/html"})


def page(text: str, content_type: str = "text/html; charset=utf-8", etag: str | None = None) -> Route:
    """A fixed document; with an ETag, answers 304 to a matching If-None-Match."""
    body = text.encode("utf-8")

    def route(handler: BaseHTTPRequestHandler) -> None:
        if etag and handler.headers.get("If-None-Match") == etag:
            send(handler, 304, headers={"ETag": etag})
            return
        headers = {"Content-Type": content_type}
        if etag:
            headers |= {"ETag": etag, "Last-Modified": "Tue, 12 Aug 2025 10:00:00 GMT"}
        send(handler, 200, body, headers)

    return route


def slow(seconds: float, then: Route) -> Route:
    """Waits before answering (longer than the client's read timeout)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        then(handler)

    return route


def failing_first(failures: int, then: Route) -> Route:
    """Answers 500 to the first `failures` requests, then as `then`."""
    count = {"n": 0}

    def route(handler: BaseHTTPRequestHandler) -> None:
        count["n"] += 1
        if count["n"] <= failures:
            send(handler, 500, b"internal error", {"Content-Type": "text/plain"})
        else:
            then(handler)

    return route


def redirect(location: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, 302, headers={"Location": location})

    return route


def huge(size: int, announce: bool) -> Route:
    """A page of `size` bytes, sent in 1 MB chunks, with or without a Content-Length."""
    chunk = (b"<p>" + b"x" * (MB - 8) + b"</p>\n")[:MB]

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if announce:
            handler.send_header("Content-Length", str(size))
        else:
            handler.send_header("Connection", "close")  # the body ends when the connection does
        handler.end_headers()
        handler.close_connection = True
        handler.wfile.write(b"<html><body>")
        for _ in range(size // MB):
            handler.wfile.write(chunk)

    return route
