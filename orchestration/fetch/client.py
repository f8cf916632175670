"""A polite, bounded HTTP client for feeds and pages, on urllib3.

Polite: a user agent naming Attaché, conditional GET (ETag / Last-Modified) so an unchanged
feed costs one small 304, back-off between retries, a pause between requests to one host.
Bounded: connect and read timeouts plus a deadline for the whole download (a server that
drips one byte a second cannot hold a fetch), a size cap checked on the announced length
and again while reading (decompressed bytes count), a few retries on 5xx and refused
connections only, at most `max_redirects` redirects. Only http and https URLs are fetched,
redirect targets included (urllib3 refuses any other scheme).

Every failure is a FetchError with a readable reason; `permanent` tells whether trying the
same URL later can help (a 404 page is gone, a 503 may come back).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    HTTPError,
    LocationParseError,
    MaxRetryError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
    URLSchemeUnknown,
)

from orchestration.ingest.files import MB

USER_AGENT = "Attache/0.1 (diplomatic news ETL; reads public feeds and pages, conditional GET)"
ALLOWED_SCHEMES = ("http", "https")
RETRY_STATUSES = frozenset({500, 502, 503, 504})
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class ClientSettings:
    connect_timeout: float = 5.0  # seconds to open the connection
    read_timeout: float = 15.0  # seconds of silence tolerated while reading
    deadline: float = 60.0  # seconds for the whole download of one URL
    max_bytes: int = 10 * MB  # body size cap (after decompression)
    retries: int = 3  # extra attempts on 5xx and refused connections
    backoff_seconds: float = 0.5  # first pause between attempts; doubles each time
    max_redirects: int = 5
    host_delay: float = 1.0  # least pause between two requests to the same host
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200..299 or 304
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason."""

    def __init__(self, reason: str, *, permanent: bool, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.status = status


def check_url(url: str) -> None:
    """Raise a permanent FetchError unless `url` is an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as err:
        raise FetchError(f"invalid URL: {err}", permanent=True) from err
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError(f"refused: only http and https URLs are fetched (got {url[:80]!r})", permanent=True)
    if not parts.hostname:
        raise FetchError(f"invalid URL: no host in {url[:80]!r}", permanent=True)


@dataclass
class HttpClient:
    settings: ClientSettings = field(default_factory=ClientSettings)

    def __post_init__(self) -> None:
        self._headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.read_timeout),
        )
        self._last_request_at: dict[str, float] = {}

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url` (conditionally when a validator is given); raises FetchError."""
        check_url(url)
        headers = dict(self._headers)  # a request's headers replace the pool's: all are given here
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_for_host(url)
        try:
            response = self._pool.request(
                "GET", url, headers=headers, retries=self._retry(), preload_content=False, decode_content=True
            )
        except MaxRetryError as err:
            raise _retry_failure(err) from err
        except (URLSchemeUnknown, LocationParseError) as err:
            raise FetchError(f"refused: redirect to a URL that is not http(s) ({err})", permanent=True) from err
        except HTTPError as err:
            raise FetchError(f"request failed: {err}", permanent=False) from err
        try:
            return self._read(url, response)
        except FetchError:
            response.close()  # unread bytes must not go back to the pool with the connection
            raise
        finally:
            response.release_conn()

    def _retry(self) -> urllib3.Retry:
        settings = self.settings
        return urllib3.Retry(
            total=settings.retries + settings.max_redirects,
            connect=settings.retries,
            read=0,  # a server too slow once is too slow again: no retry on a read timeout
            status=settings.retries,
            redirect=settings.max_redirects,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=settings.backoff_seconds,
            backoff_max=8 * settings.backoff_seconds,
            # A hostile Retry-After could park the fetch for a day: our own back-off applies.
            respect_retry_after_header=False,
            allowed_methods={"GET"},
            raise_on_redirect=True,
            raise_on_status=True,
        )

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request_at.get(host)
        if last is not None:
            pause = self.settings.host_delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last_request_at[host] = time.monotonic()

    def _read(self, url: str, response: urllib3.BaseHTTPResponse) -> Response:
        final_url = _final_url(url, response)
        headers = {name.lower(): value for name, value in response.headers.items()}
        status = response.status
        if status == 304:
            return Response(final_url, status, headers)
        if not 200 <= status < 300:
            raise FetchError(f"HTTP {status} {response.reason or ''}".strip(), permanent=400 <= status < 500, status=status)
        announced = headers.get("content-length", "")
        limit = self.settings.max_bytes
        if announced.isdigit() and int(announced) > limit:
            raise FetchError(f"too large: {int(announced):,} bytes announced (limit {limit:,})", permanent=True)
        deadline = time.monotonic() + self.settings.deadline
        body = bytearray()
        try:
            for chunk in response.stream(CHUNK_BYTES):
                body += chunk
                if len(body) > limit:
                    raise FetchError(f"too large: over {limit:,} bytes (limit {limit:,})", permanent=True)
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"too slow: download not finished within {self.settings.deadline:g} s", permanent=False
                    )
        except ReadTimeoutError as err:
            raise FetchError(f"timed out: no data for {self.settings.read_timeout:g} s", permanent=False) from err
        except (ProtocolError, HTTPError, OSError) as err:
            raise FetchError(f"connection broken while reading: {err}", permanent=False) from err
        return Response(final_url, status, headers, bytes(body))


def _final_url(url: str, response: urllib3.BaseHTTPResponse) -> str:
    """The URL the body came from: `url` followed through the redirects (urllib3 keeps
    each hop's Location, maybe relative, in the retry history; `response.url` is a path)."""
    for hop in response.retries.history if response.retries else ():
        if hop.redirect_location:
            url = urljoin(url, hop.redirect_location)
    return url


def _retry_failure(err: MaxRetryError) -> FetchError:
    """A readable FetchError for what made urllib3 give up."""
    cause = err.reason
    if isinstance(cause, ResponseError) and "redirect" in str(cause):
        return FetchError("too many redirects (a redirect loop?)", permanent=True)
    if isinstance(cause, ResponseError):
        return FetchError(f"server error after retries: {cause}", permanent=False)
    if isinstance(cause, ReadTimeoutError):
        return FetchError("timed out waiting for the server's answer", permanent=False)
    return FetchError(f"cannot connect: {cause}", permanent=False)
