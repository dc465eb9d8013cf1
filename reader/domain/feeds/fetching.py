"""Downloading feeds and pages over http(s) within firm limits, one result per URL, never raising.

Redirects are followed by hand (at most five) so every hop is checked: only http and https are
ever requested. Bodies are streamed and counted both on the wire and after decompression, which
this module does itself in bounded steps, so a compression bomb is refused without being inflated.
Conditional GETs (ETag / Last-Modified) let an unchanged feed cost one small 304.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from collections.abc import Iterable
from functools import cache
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from reader import __version__
from reader.domain.articles.cleaning import clean_line

__all__ = [
    "USER_AGENT", "FetchError", "FetchLimits", "FetchRequest", "FetchResult", "check_scheme",
    "FetchSession", "fetch", "fetch_all", "fetch_async", "fetch_many", "read_limited",
]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_STEP = 64 * 1024
USER_AGENT = f"reader/{__version__} (terminal news reader)"


class FetchError(Exception):
    """A download that cannot go on; ``str(error)`` is one sentence for the user."""


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much a single download may take."""

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    """Cap on the body both as received and after decompression."""
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchRequest:
    """A URL to fetch, with the validators from the last successful fetch, if any."""

    url: str
    etag: str | None = None
    modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """What one download produced: a body, a 'not modified', or a one-line error."""

    url: str
    final_url: str = ""
    status: int = 0
    body: bytes = field(default=b"", repr=False)
    content_type: str = ""
    etag: str | None = None
    modified: str | None = None
    not_modified: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when there is a fresh body or the server said nothing changed."""
        return self.error is None


def check_scheme(url: str) -> str:
    """Return ``url`` if it is an http(s) URL with a host; raise :class:`FetchError` otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError("The address is not a valid URL.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"Only http and https addresses are fetched, not {parts.scheme or 'this'}:.")
    if not parts.hostname:
        raise FetchError("The address has no host name.")
    return url


class _Inflater:
    """Decodes a Content-Encoding in bounded steps, refusing output beyond ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._wbits: int | None = None
        elif encoding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS
        else:
            name = clean_line(encoding)[:30]
            raise FetchError(f"The server used an unsupported content encoding ({name}).")
        self._zlib = zlib.decompressobj(self._wbits) if self._wbits is not None else None
        self._limit = limit
        self._started = False
        self.parts: list[bytes] = []
        self.size = 0

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._limit:
            mb = self._limit // (1024 * 1024)
            raise FetchError(f"The response is larger than {mb} MB once decompressed.")
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        """Add a chunk of the body as received."""
        if self._zlib is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            try:
                out = self._zlib.decompress(data, _STEP)
            except zlib.error:
                if self._wbits == zlib.MAX_WBITS and not self._started:  # raw deflate, no zlib header
                    self._wbits = -zlib.MAX_WBITS
                    self._zlib = zlib.decompressobj(self._wbits)
                    continue
                raise FetchError("The response is not validly compressed.") from None
            self._started = True
            self._keep(out)
            data = self._zlib.unconsumed_tail
            if self._zlib.eof and self._zlib.unused_data.strip(b"\0"):
                data = self._zlib.unused_data  # another gzip member follows
                self._zlib = zlib.decompressobj(self._wbits or zlib.MAX_WBITS)  # set whenever _zlib is

    def body(self) -> bytes:
        """The decoded body so far."""
        return b"".join(self.parts)


async def read_limited(response: httpx.Response, limits: FetchLimits) -> bytes:
    """The body of a streamed response, decoded; FetchError past ``limits.max_bytes`` either as
    received or once decompressed (a compression bomb is refused without being inflated)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"The response is larger than {limits.max_bytes // (1024 * 1024)} MB.")
    inflater = _Inflater(response.headers.get("content-encoding", ""), limits.max_bytes)
    received = 0
    async for chunk in response.aiter_raw(_STEP):
        received += len(chunk)
        if received > limits.max_bytes:
            raise FetchError(f"The response is larger than {limits.max_bytes // (1024 * 1024)} MB.")
        inflater.feed(chunk)
    return inflater.body()


def _error(url: str, message: str) -> FetchResult:
    """A failed result whose error is one clean line."""
    return FetchResult(url=url, error=clean_line(message)[:200] or "Unknown error.")


async def _get(client: httpx.AsyncClient, req: FetchRequest, limits: FetchLimits) -> FetchResult:
    """Fetch ``req`` following redirects by hand; raises FetchError or httpx errors."""
    url = check_scheme(req.url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if req.etag:
        headers["If-None-Match"] = req.etag
    if req.modified:
        headers["If-Modified-Since"] = req.modified
    for _hop in range(limits.max_redirects + 1):
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {response.status_code} redirect without a location.")
                url = check_scheme(urljoin(url, location))
                continue
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
            if response.status_code == 304:
                return FetchResult(
                    url=req.url, final_url=url, status=304, not_modified=True,
                    etag=etag or req.etag, modified=modified or req.modified,
                )
            if response.status_code >= 400:
                reason = clean_line(response.reason_phrase or "")
                raise FetchError(f"HTTP {response.status_code} {reason}".strip() + ".")
            body = await read_limited(response, limits)
            return FetchResult(
                url=req.url, final_url=url, status=response.status_code, body=body,
                content_type=response.headers.get("content-type", ""), etag=etag, modified=modified,
            )
    raise FetchError(f"Too many redirects (more than {limits.max_redirects}).")


async def fetch_async(
    client: httpx.AsyncClient, request: FetchRequest, limits: FetchLimits | None = None
) -> FetchResult:
    """Fetch one URL with ``client``; every failure becomes a result with a one-line ``error``."""
    limits = limits or FetchLimits()
    try:
        async with asyncio.timeout(limits.total_timeout):
            return await _get(client, request, limits)
    except FetchError as error:
        return _error(request.url, str(error))
    except (TimeoutError, httpx.TimeoutException):
        return _error(request.url, "Timed out.")
    except httpx.ConnectError:
        return _error(request.url, "Could not connect to the server.")
    except httpx.HTTPError as error:
        return _error(request.url, f"Network error ({type(error).__name__}).")
    except Exception as error:  # a bad feed must never stop the others
        return _error(request.url, f"Unexpected error ({type(error).__name__}).")


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's roots), built once: loading the roots cost 20 to 110 ms
    a session, every refresh of the app and every test that syncs."""
    return httpx.create_ssl_context(trust_env=False)


class FetchSession:
    """One HTTP client shared by many fetches, at most ``concurrency`` of them at a time.

    Use as ``async with FetchSession() as session: await session.fetch(request)``.
    """

    def __init__(self, limits: FetchLimits | None = None, concurrency: int = 4) -> None:
        self.limits = limits or FetchLimits()
        self._gate = asyncio.Semaphore(concurrency)
        timeout = httpx.Timeout(self.limits.total_timeout, connect=self.limits.connect_timeout)
        # Redirects are followed by hand; trust_env=False: no proxy or .netrc from the environment.
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False,
                                         verify=_tls_context())

    async def __aenter__(self) -> "FetchSession":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def fetch(self, request: FetchRequest) -> FetchResult:
        """Fetch one URL when a slot is free; never raises (see :func:`fetch_async`)."""
        async with self._gate:
            return await fetch_async(self._client, request, self.limits)


async def fetch_many(
    requests: Iterable[FetchRequest], *, concurrency: int = 4, limits: FetchLimits | None = None
) -> list[FetchResult]:
    """Fetch many URLs, at most ``concurrency`` at a time; results in the order of ``requests``."""
    async with FetchSession(limits, concurrency) as session:
        return list(await asyncio.gather(*(session.fetch(r) for r in requests)))


def fetch(
    url: str, etag: str | None = None, modified: str | None = None, limits: FetchLimits | None = None
) -> FetchResult:
    """Fetch one URL from synchronous code (not from inside a running event loop)."""
    return asyncio.run(fetch_many([FetchRequest(url, etag, modified)], limits=limits))[0]


def fetch_all(
    requests: Iterable[FetchRequest], concurrency: int = 4, limits: FetchLimits | None = None
) -> list[FetchResult]:
    """:func:`fetch_many` from synchronous code (not from inside a running event loop)."""
    return asyncio.run(fetch_many(requests, concurrency=concurrency, limits=limits))
